import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminChrome,
  merchantPage,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-app-bridge-modals.myshopify.com";
const customerIds: string[] = [];

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
  // A stylesheet the browser does not hold yet takes five seconds to arrive: a modal opened meanwhile must show its
  // content at once (the newcomer's browser had dropped the app's stylesheets from memory, and modals opened blank).
  await page.route(/\/assets\/[^/]+\.css\?late$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await route.continue();
  });
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, modal, modalContent, appLink, adminTitle, titleAction } = adminChrome(() => page);

/** Gives the app's page one more stylesheet, still on its way when the next modal opens. */
async function whileAStylesheetLoads() {
  await app()
    .locator("head")
    .evaluate((head) => {
      const sheet = document.querySelector<HTMLLinkElement>('link[rel="stylesheet"][href*="/assets/"]')!;
      const late = document.createElement("link");
      late.rel = "stylesheet";
      late.href = `${sheet.href.split("?")[0]}?late`;
      head.appendChild(late);
    });
}

/** The directory at these filters, as a merchant reaches it with a shared link. */
async function openDirectory(search: string) {
  const appBase = new URL(page.url()).pathname.replace(/(\/apps\/[^/]+).*$/, "$1");
  await page.goto(`${env.sandbox.origin}${appBase}/customers?${search}`);
  await adminTitle("Customers");
}

describe("App Bridge modals opened while a stylesheet of the app is still loading", () => {
  it("signs in and receives the shop's customers", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 20_000 });
    const { control } = env.sandbox;
    for (const [firstName, lastName] of [
      ["Pat", "Lee"],
      ["Kim", "Ito"],
    ] as const) {
      const email = `${firstName.toLowerCase()}@example.com`;
      customerIds.push(String(control.createCustomer({ shop, email, firstName, lastName, tags: ["vip"] }).id));
    }
    await control.idle();
    expect(pageErrors).toEqual([]);
  });

  it("show Adjust points' fields on the first opening and again after a refusal and Cancel", async () => {
    await appLink("Customers").click();
    const row = app().getByRole("row").filter({ hasText: "pat@example.com" });
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole("link").first().click();
    await adminTitle("Pat Lee");

    await whileAStylesheetLoads();
    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).fill("0", { timeout: 3_000 });
    await modal().locator('[data-sandbox-modal-action="Adjust points"]').click();
    await modalContent().getByText("Say why the points are adjusted").waitFor({ timeout: 15_000 });
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });

    await whileAStylesheetLoads();
    await titleAction("Adjust points").click();
    await modalContent().getByLabel("Points", { exact: true }).waitFor({ timeout: 3_000 });
    await expect(modalContent().getByLabel("Points", { exact: true }).inputValue()).resolves.toBe("");
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });

  it("show Save as group's segment and name field", async () => {
    await openDirectory("tag=vip");
    await app().getByRole("row").filter({ hasText: "kim@example.com" }).waitFor({ timeout: 15_000 });
    await whileAStylesheetLoads();
    await app().getByRole("button", { name: "Save as group" }).click();
    await expect(modalContent().getByTestId("segment-query").textContent({ timeout: 3_000 })).resolves.toBe(
      "customer_tags CONTAINS 'vip'",
    );
    await modalContent().getByLabel("Group name").waitFor({ timeout: 3_000 });
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });

  it("show what deleting customers does before it is confirmed", async () => {
    for (const email of ["pat@example.com", "kim@example.com"]) {
      await app().locator("tbody tr").filter({ hasText: email }).locator("td").first().click();
    }
    await app().getByText("2 selected").first().waitFor({ timeout: 10_000 });
    await whileAStylesheetLoads();
    await app().getByRole("button", { name: "More actions" }).click();
    await app()
      .getByRole("menuitem", { name: "Delete customers" })
      .or(app().getByRole("button", { name: "Delete customers" }))
      .first()
      .click();
    await modal()
      .locator("[data-sandbox-modal-title]", { hasText: "Delete 2 customers?" })
      .waitFor({ timeout: 10_000 });
    await modalContent().getByText("It cannot be undone").waitFor({ timeout: 3_000 });
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    await modal().waitFor({ state: "detached", timeout: 10_000 });
    // Cancelled: both are still in Shopify (`customer` throws for a deleted one).
    for (const customerId of customerIds) expect(env.sandbox.control.customer({ shop, customerId })).toBeTruthy();
    expect(pageErrors).toEqual([]);
  });
});
