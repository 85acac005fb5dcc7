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
const shop = "e2e-sync.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  // Enough customers and orders that the sync's bulk read and its applying take a moment to follow.
  env.sandbox.control.seed({ shop, customers: 1_500, orders: 2_000, seed: 4 });
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, appLink } = adminChrome(() => page);
// A title-bar action lives in the admin's header, outside the app frame.
const syncButton = () => page.locator("[data-sandbox-title-action='Sync customers']");

describe("Sync customers in the directory", () => {
  it("follows the sync's progress under the title, then says when the customers were last synced", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 30_000 });
    await appLink("Customers").click();
    // The install sync brings the customers in first; the directory says when it finished.
    await app()
      .getByText(/^Last synced/)
      .waitFor({ timeout: 60_000 });

    await syncButton().click();
    await app().getByText("Syncing customers from Shopify").waitFor({ timeout: 15_000 });
    await app()
      .getByText(/Asking Shopify|read so far|applied of/)
      .first()
      .waitFor({ timeout: 15_000 });

    // Pressed again while it runs: nothing starts twice, and the merchant is told why.
    await syncButton().click();
    await page.getByText("Customers are already syncing", { exact: false }).first().waitFor({ timeout: 10_000 });

    const last = app().getByText(/^Last synced \d+ seconds? ago$/);
    await last.waitFor({ timeout: 60_000 });
    // The time moves on while the page stays open, from the first seconds after the sync on (it once stayed at
    // "1 second ago" for 20 seconds).
    const seconds = async () => Number(/(\d+) seconds? ago/.exec((await last.textContent()) ?? "")?.[1]);
    const first = await seconds();
    // Each second, by the browser's timer: a loaded machine may delay a tick, so the count is waited for, not timed.
    await expect.poll(seconds, { timeout: 10_000, interval: 500 }).toBeGreaterThanOrEqual(first + 2);
    await app().locator("time").first().hover();
    await app()
      .getByText(/\b20\d\d\b.*\d:\d\d/)
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await app().getByText("Syncing customers from Shopify").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
