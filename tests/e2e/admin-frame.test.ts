import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desktopUserAgent, launchChromium } from "../helpers/browser";
import { startSandboxAndApp } from "../helpers/sandbox-and-app";

let env: Awaited<ReturnType<typeof startSandboxAndApp>>;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-admin.myshopify.com";

beforeAll(async () => {
  [env, browser] = await Promise.all([startSandboxAndApp(), launchChromium()]);
  env.sandbox.control.createShop({ shop });
  page = await browser.newPage({ userAgent: desktopUserAgent });
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

const app = () => page.frameLocator("iframe[data-sandbox-app]");

describe("Tally inside the sandbox admin", () => {
  it("authenticates through session token and token exchange, then shows Home with the shop's figures", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await expect(app().getByText("Points outstanding").waitFor({ timeout: 20_000 })).resolves.toBeUndefined();
    await expect(app().getByText("Members").count()).resolves.toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });

  it("lists the NavMenu in the admin's left nav and navigates with it", async () => {
    const appLinks = page.locator("[data-sandbox-nav] [data-sandbox-app-link]");
    // As in Shopify admin, the rel="home" link is the app's name, not a nav item.
    await expect(appLinks.allTextContents()).resolves.toEqual(["Customers", "Settings"]);
    await appLinks.getByText("Customers").click();
    await expect(app().getByRole("heading", { name: "Customers" }).waitFor({ timeout: 15_000 })).resolves.toBe(
      undefined,
    );
    await page.locator("[data-sandbox-app-home]").click();
    await expect(app().getByText("Points outstanding").waitFor({ timeout: 15_000 })).resolves.toBeUndefined();
  });

  it("shows a toast in the admin when the app asks App Bridge for one", async () => {
    await app().getByRole("button", { name: "Refresh" }).click();
    const toast = page.locator("[data-sandbox-toast]");
    await expect(toast.getByText("Figures refreshed").waitFor({ timeout: 10_000 })).resolves.toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it("saves a program change from Settings: a toast, and a new version saved by the staff member", async () => {
    await page.locator("[data-sandbox-nav] [data-sandbox-app-link]").getByText("Settings").click();
    const bonus = app().getByLabel("Sign-up bonus");
    await bonus.waitFor({ timeout: 15_000 });
    await bonus.fill("250");
    await app().getByRole("button", { name: "Save" }).click();
    const toast = page.locator("[data-sandbox-toast]");
    await expect(toast.getByText("Program saved").waitFor({ timeout: 10_000 })).resolves.toBeUndefined();
    const newest = app().getByRole("row").filter({ hasText: "Staff member" }).first();
    // Polaris renders the version as the row's header cell, then who saved it.
    await expect(newest.textContent({ timeout: 10_000 })).resolves.toMatch(/^2Staff member \d+/);
    await expect(app().getByLabel("Sign-up bonus").inputValue()).resolves.toBe("250");
    expect(pageErrors).toEqual([]);
  });

  it("opens a customer's profile from the list, adjusts their points with a reason, and logs it", async () => {
    const buyer = env.sandbox.control.createCustomerAccount({ shop, email: "profile@example.com", firstName: "Pat" });
    await env.sandbox.control.idle();
    await page.locator("[data-sandbox-nav] [data-sandbox-app-link]").getByText("Customers").click();
    await app().getByText("profile@example.com").waitFor({ timeout: 15_000 });
    await app().getByRole("row").filter({ hasText: "profile@example.com" }).getByRole("link").click();
    await app().getByRole("heading", { name: "Activity log" }).waitFor({ timeout: 15_000 });

    await app().getByLabel("Points", { exact: true }).fill("-25");
    await app().getByLabel("Reason").fill("Goodwill correction");
    await app().getByRole("button", { name: "Adjust points" }).click();
    await page.locator("[data-sandbox-toast]").getByText("Points adjusted").waitFor({ timeout: 10_000 });
    await expect(
      app().getByRole("row").filter({ hasText: "Goodwill correction" }).first().waitFor({ timeout: 10_000 }),
    ).resolves.toBeUndefined();
    expect(buyer.email).toBe("profile@example.com");
    expect(pageErrors).toEqual([]);
  });
});
