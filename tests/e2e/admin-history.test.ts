import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminChrome,
  merchantPage,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-history.myshopify.com";
const appBase = "/store/e2e-history/apps/tally";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, appLink, adminTitle, saveBar } = adminChrome(() => page);

/** Where the admin's address bar is, from the store's app base on. */
const addressBar = () => {
  const url = new URL(page.url());
  return url.pathname.replace(appBase, "") + url.search;
};

let pat: unknown;
/** Pat Lee, a customer in Tally's directory, created once Tally is installed (`openAdmin`). */
async function withPat() {
  pat ??= env.sandbox.control.createCustomerAccount({
    shop,
    email: "pat@example.com",
    firstName: "Pat",
    lastName: "Lee",
  });
  await env.sandbox.control.idle();
}

/** Waits for the Emails page with `tab` the selected one, as the merchant sees it. */
async function emailsShowing(tab: "Referral invitation" | "Points reminder") {
  await adminTitle("Emails");
  await app().getByRole("tab", { name: tab, selected: true }).waitFor({ timeout: 15_000 });
}

describe("Back, Forward and reload in the sandbox admin", () => {
  it("keeps the Emails tab through a reload, and Back and Forward show each tab and page before it", async () => {
    await openAdmin(page, { env, shop });
    await appLink("Settings").click();
    await adminTitle("Settings");
    await app().getByRole("link", { name: "Edit the invitation email" }).click();
    await emailsShowing("Referral invitation");
    await app().getByRole("tab", { name: "Points reminder" }).click();
    await emailsShowing("Points reminder");
    expect(addressBar()).toBe("/settings/emails?kind=points_reminder");

    await page.reload();
    await emailsShowing("Points reminder");

    // The entry before the tab switch: the Emails page with the invitation, not a sign-in page or a broken frame.
    await page.goBack();
    await emailsShowing("Referral invitation");
    expect(addressBar()).toBe("/settings/emails");
    await page.goBack();
    await adminTitle("Settings");
    await app().getByLabel("Sign-up bonus").waitFor({ timeout: 15_000 });
    expect(addressBar()).toBe("/settings");

    await page.goForward();
    await emailsShowing("Referral invitation");
    await page.goForward();
    await emailsShowing("Points reminder");
    expect(addressBar()).toBe("/settings/emails?kind=points_reminder");
    expect(pageErrors).toEqual([]);
  });

  it("goes Back from a profile to the directory, then to the page before it", async () => {
    await openAdmin(page, { env, shop });
    await withPat();
    await appLink("Customers").click();
    await adminTitle("Customers");
    await app().getByRole("row").filter({ hasText: "pat@example.com" }).getByRole("link").click();
    await adminTitle("Pat Lee");

    await page.goBack();
    await adminTitle("Customers");
    await app().getByText("pat@example.com").waitFor({ timeout: 15_000 });
    await page.goBack();
    await app().getByText("Points outstanding").waitFor({ timeout: 15_000 });
    await adminTitle("Tally");
    expect(addressBar()).toBe("");

    await page.goForward();
    await adminTitle("Customers");
    await page.goForward();
    await adminTitle("Pat Lee");
    expect(pageErrors).toEqual([]);
  });

  it("comes Back from another admin page to the app page left, loaded with the admin's parameters", async () => {
    await openAdmin(page, { env, shop });
    await withPat();
    await appLink("Customers").click();
    await app().getByRole("row").filter({ hasText: "pat@example.com" }).getByRole("link").click();
    await adminTitle("Pat Lee");
    await page.locator("[data-sandbox-nav] [data-sandbox-admin-link]", { hasText: "Orders" }).click();
    await page.locator("[data-sandbox-admin-section]").waitFor({ timeout: 15_000 });

    await page.goBack();
    await adminTitle("Pat Lee");
    await app().getByText("pat@example.com").first().waitFor({ timeout: 15_000 });
    // The frame is the admin's fresh one for the address bar, not the one the browser kept for that entry.
    const frame = await (await page.locator("iframe[data-sandbox-app]").elementHandle())!.contentFrame();
    expect(new URL(frame!.url()).searchParams.get("embedded")).toBe("1");
    await page.goBack();
    await adminTitle("Customers");
    await app().getByText("pat@example.com").waitFor({ timeout: 15_000 });
    expect(pageErrors).toEqual([]);
  });

  it("asks before Back leaves unsaved changes, and Stay keeps the page and the draft", async () => {
    await openAdmin(page, { env, shop });
    await appLink("Settings").click();
    await adminTitle("Settings");
    const bonus = app().getByLabel("Sign-up bonus");
    await bonus.fill("250");
    await saveBar().and(page.locator("[data-visible]")).waitFor({ timeout: 5_000 });

    await page.goBack();
    const leave = page.locator('[data-sandbox-confirm="leave"]');
    await leave.getByText("Leave page with unsaved changes?").waitFor({ timeout: 5_000 });
    await leave.getByRole("button", { name: "Stay" }).click();
    await expect(bonus.inputValue()).resolves.toBe("250");
    await adminTitle("Settings");
    expect(addressBar()).toBe("/settings");

    await page.goBack();
    await leave.getByRole("button", { name: "Leave page" }).click();
    await app().getByText("Points outstanding").waitFor({ timeout: 15_000 });
    expect(addressBar()).toBe("");
    expect(pageErrors).toEqual([]);
  });
});
