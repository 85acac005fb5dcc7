import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  installApp,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";
import { desktopUserAgent } from "../helpers/browser";

// Every balance a signed-in shopper sees on one page says the same number: the launcher's badge and the account
// block (drawn in Liquid from the points metafield) follow the one GET /v1/me the page makes, which the panel then
// reuses. Tally's jobs run once an hour here, so the metafield is never published during a test: it stays at what
// it was (nothing, so 0), as it lags for up to a job tick after every event in a real shop (decision 042).
let env: SandboxAndApp;
let browser: Browser;
const shop = "e2e-balances.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop, appEnv: { JOBS_INTERVAL_SECONDS: "3600" } }));
  await installApp(browser, { env, shop, timeout: 30_000 });
  env.sandbox.control.setAppEmbed({ shop, handle: "launcher" });
  env.sandbox.control.addAppBlock({ shop, handle: "points-balance", template: "index" });
}, 120_000);

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const balances = (page: Page) => page.locator("[data-tally-balance] [data-tally-number]");
const panel = (page: Page) => page.locator("[data-tally-panel]");

async function signedInShopper(email: string) {
  const context: BrowserContext = await browser.newContext({ userAgent: desktopUserAgent });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  const meRequests: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/apps/tally/v1/me") meRequests.push(request.url());
  });
  await page.goto(`${env.sandbox.origin}/storefront?shop=${shop}`);
  await page.goto(`${env.sandbox.origin}/account/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/account$/);
  return { context, page, errors, meRequests };
}

/** What Tally holds for the signed-in shopper, read outside the page (its requests are not the page's). */
async function tallyPoints(page: Page, expected: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const me = (await (await page.request.get(`${env.sandbox.origin}/apps/tally/v1/me`)).json()) as {
      customer: { points: number };
    };
    if (me.customer.points === expected || Date.now() > deadline) return me.customer.points;
    await page.waitForTimeout(250);
  }
}

describe("storefront balances", () => {
  it("shows the sign-up bonus on the badge and the block right after an account is created, not the metafield's 0", async () => {
    env.sandbox.control.createCustomerAccount({ shop, email: "lena@example.com", firstName: "Lena" });
    await env.sandbox.control.idle();
    const { context, page, errors, meRequests } = await signedInShopper("lena@example.com");
    await expect(tallyPoints(page, 100)).resolves.toBe(100);

    meRequests.length = 0;
    await page.goto(`${env.sandbox.origin}/`);
    await expect(balances(page).count()).resolves.toBe(2);
    await expect.poll(() => balances(page).allTextContents(), { timeout: 10_000 }).toEqual(["100", "100"]);
    expect(meRequests).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("agrees on one number on the badge, the block and the panel after an order is paid, with one /v1/me a page", async () => {
    const created = env.sandbox.control.createCustomerAccount({ shop, email: "maya@example.com", firstName: "Maya" });
    await env.sandbox.control.idle();
    const { context, page, errors, meRequests } = await signedInShopper("maya@example.com");
    await page.goto(`${env.sandbox.origin}/`);

    const order = env.sandbox.control.placeOrder({
      shop,
      customerId: String(created.id).replace(/\D/g, ""),
      lines: [{ productIndex: 0, quantity: 3 }],
    });
    await env.sandbox.control.idle();
    const points = 100 + Math.floor(order.subtotalCents / 100);
    await expect(tallyPoints(page, points)).resolves.toBe(points);

    meRequests.length = 0;
    await page.reload();
    const shown = points.toLocaleString("en-CA");
    await expect.poll(() => balances(page).allTextContents(), { timeout: 10_000 }).toEqual([shown, shown]);
    await expect(panel(page).isHidden()).resolves.toBe(true);
    await page.locator("[data-tally-trigger]").click();
    await expect(panel(page).locator("[data-tally-points]").textContent()).resolves.toBe(`${shown} points`);
    await expect(balances(page).allTextContents()).resolves.toEqual([shown, shown]);
    // The badge, the block and the panel: one request between them.
    expect(meRequests).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keeps the metafield's figures when /v1/me cannot be read", async () => {
    env.sandbox.control.createCustomerAccount({ shop, email: "omar@example.com", firstName: "Omar" });
    await env.sandbox.control.idle();
    const { context, page } = await signedInShopper("omar@example.com");
    let refused = 0;
    await page.route("**/apps/tally/v1/me", (route) => {
      refused += 1;
      return route.fulfill({ status: 503, json: { error: "Shopify is unavailable", code: "shopify_unavailable" } });
    });
    await page.goto(`${env.sandbox.origin}/`);
    await expect.poll(() => refused, { timeout: 10_000 }).toBe(1);
    await expect(balances(page).allTextContents()).resolves.toEqual(["0", "0"]);
    await expect(page.locator("[data-tally-trigger]").isVisible()).resolves.toBe(true);
    await context.close();
  });
});
