import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminChrome,
  installApp,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";
import { desktopUserAgent } from "../helpers/browser";

// The store credit line of the storefront panel is Shopify's balance as the page's Liquid renders it
// (customer.store_credit_account), not Tally's last read of Shopify: Shopify sends no webhook when credit is spent at
// checkout or changed in its admin, so Tally's figure (GET /v1/me's storeCredit) stays where its own Issue left it.
// Decision 042's amendment.
let env: SandboxAndApp;
let browser: Browser;
const shop = "e2e-store-credit.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  await installApp(browser, { env, shop, timeout: 30_000 });
  env.sandbox.control.setAppEmbed({ shop, handle: "launcher" });
}, 120_000);

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const panel = (page: Page) => page.locator("[data-tally-panel]");
const creditLine = (page: Page) => panel(page).getByText(/^Store credit: /);

/** Tally's own row for the customer, read only: its id for the admin's URL and the store credit figure it keeps. */
async function tallyRow(shopifyId: string): Promise<{ id: number; storeCreditMinor: number }> {
  const db = new Database(env.app.databasePath, { readonly: true });
  try {
    for (let tries = 0; tries < 100; tries++) {
      const row = db
        .prepare("select id, store_credit_minor as storeCreditMinor from customers where customer_gid = ?")
        .get(`gid://shopify/Customer/${shopifyId}`) as { id: number; storeCreditMinor: number } | undefined;
      if (row) return row;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    db.close();
  }
  throw new Error("Tally never recorded the customer");
}

/** The panel as the shopper opens it on a fresh page load. */
async function openPanel(page: Page) {
  await page.goto(`${env.sandbox.origin}/`);
  await page.locator("[data-tally-trigger]").click();
  await panel(page).locator("[data-tally-points]").waitFor();
}

describe("the shopper's store credit in the storefront panel", () => {
  it("shows what Shopify holds after credit is spent at checkout or deducted in Shopify admin, with no read by Tally", async () => {
    const created = env.sandbox.control.createCustomerAccount({ shop, email: "rosa@example.com", firstName: "Rosa" });
    const id = String(created.id).replace(/\D/g, "");
    await env.sandbox.control.idle();

    // The merchant issues $30.00 from the customer's profile in Tally: Tally's figure and Shopify's agree.
    const admin = await browser.newPage({ userAgent: desktopUserAgent });
    await openAdmin(admin, { env, shop });
    await admin.goto(`${admin.url().split("?")[0]}/customers/${(await tallyRow(id)).id}`);
    const { app, modal, modalContent, toast } = adminChrome(() => admin);
    await app().getByRole("button", { name: "Issue store credit" }).click();
    await modalContent().getByLabel("Amount").fill("30.00");
    await modalContent().getByLabel("Reason").fill("Parcel arrived late");
    await modal().locator('[data-sandbox-modal-action="Issue store credit"]').click();
    await toast("Store credit issued");
    await admin.close();

    const context = await browser.newContext({ userAgent: desktopUserAgent });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(`${env.sandbox.origin}/storefront?shop=${shop}`);
    await page.goto(`${env.sandbox.origin}/account/login`);
    await page.getByLabel("Email").fill("rosa@example.com");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/account$/);
    await openPanel(page);
    await expect(creditLine(page).textContent()).resolves.toBe("Store credit: $30.00 CAD");

    // She spends it on a mug at checkout: $18.00 plus 13% tax is $20.34, all of it from store credit.
    await page.goto(`${env.sandbox.origin}/products/ceramic-mug`);
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.goto(`${env.sandbox.origin}/checkout`);
    await expect(page.locator("[data-storefront-store-credit]").textContent()).resolves.toBe("$30.00 CAD");
    await page.getByLabel(/Use my store credit/).check();
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.getByText(/\$20\.34 CAD of it paid with store credit/).waitFor();
    expect(env.sandbox.control.storeCredit({ shop }).map((account) => account.balanceCents)).toEqual([966]);

    // The next page's panel says what Shopify holds, the figure checkout offers her, while Tally still has $30.00.
    await openPanel(page);
    await expect(creditLine(page).textContent()).resolves.toBe("Store credit: $9.66 CAD");
    await page.goto(`${env.sandbox.origin}/products/ceramic-mug`);
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.goto(`${env.sandbox.origin}/checkout`);
    await expect(page.locator("[data-storefront-store-credit]").textContent()).resolves.toBe("$9.66 CAD");
    const me = (await page.evaluate(() => fetch("/apps/tally/v1/me").then((r) => r.json()))) as {
      customer: { storeCredit: { text: string } | null };
    };
    expect(me.customer.storeCredit?.text).toBe("$30.00 CAD");
    expect((await tallyRow(id)).storeCreditMinor).toBe(3000);

    // Staff deduct the rest on her page in Shopify admin: no store credit line at all, not Tally's $30.00.
    env.sandbox.control.debitStoreCredit({ shop, customerId: id, amountCents: 966 });
    await openPanel(page);
    await expect(panel(page).getByText("Store credit", { exact: false }).count()).resolves.toBe(0);

    // And $5.00 issued there shows on the next page load, in the shopper's language too.
    env.sandbox.control.creditStoreCredit({ shop, customerId: id, amountCents: 500 });
    await openPanel(page);
    await expect(creditLine(page).textContent()).resolves.toBe("Store credit: $5.00 CAD");
    await page.goto(`${env.sandbox.origin}/de/`);
    await page.locator("[data-tally-trigger]").click();
    await panel(page).getByText("Shop-Guthaben: $5.00 CAD", { exact: true }).waitFor();
    await page.goto(`${env.sandbox.origin}/apps/tally/`);
    await page.locator("[data-tally-page]").getByText("Store credit: $5.00 CAD", { exact: true }).waitFor();
    expect((await tallyRow(id)).storeCreditMinor).toBe(3000);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows Tally's figure where Liquid has no account, as for credit in another currency than the shopper's", async () => {
    env.sandbox.control.createCustomerAccount({ shop, email: "ruth@example.com", firstName: "Ruth" });
    await env.sandbox.control.idle();
    const context = await browser.newContext({ userAgent: desktopUserAgent });
    const page = await context.newPage();
    // Tally's last read as v1/me would give it for an account in another currency (a fixture: this shop sells in CAD only).
    await page.route("**/apps/tally/v1/me", async (route) => {
      const response = await route.fetch();
      const json = (await response.json()) as { customer: object };
      const storeCredit = { amountMinor: 1200, currency: "USD", text: "$12.00 USD" };
      await route.fulfill({ response, json: { ...json, customer: { ...json.customer, storeCredit } } });
    });
    await page.goto(`${env.sandbox.origin}/storefront?shop=${shop}`);
    await page.goto(`${env.sandbox.origin}/account/login`);
    await page.getByLabel("Email").fill("ruth@example.com");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/account$/);
    await openPanel(page);
    await expect(page.locator("[data-tally-config]").first().getAttribute("data-credit")).resolves.toBeNull();
    await expect(creditLine(page).textContent()).resolves.toBe("Store credit: $12.00 USD");
    await context.close();
  });
});
