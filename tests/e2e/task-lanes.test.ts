import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminChrome,
  merchantPage,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  until,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

// Decision 017, "Lanes": an export pressed while Sync customers runs starts and finishes; another job that changes
// customers waits for the sync, and its page says so.

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
let db: Database.Database;
const pageErrors: string[] = [];
const shop = "e2e-lanes.myshopify.com";
const CUSTOMERS = 300;

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  env.sandbox.control.seed({ shop, customers: CUSTOMERS, orders: 0 });
  page = await merchantPage(browser, pageErrors);
  db = new Database(env.app.databasePath, { readonly: true });
  db.pragma("busy_timeout = 5000");
});

afterAll(async () => {
  env?.sandbox.control.releaseBulkQueries({ shop });
  db?.close();
  await stopSandboxAppAndBrowser({ env, browser });
});

const { app, appLink } = adminChrome(() => page);
const titleAction = (label: string) => page.locator(`[data-sandbox-title-action='${label}']`);
const statusOf = (kind: string) =>
  (
    db.prepare("select status from tasks where shop = ? and kind = ? order by id desc limit 1").get(shop, kind) as
      { status: string } | undefined
  )?.status;

describe("an export during Sync customers", () => {
  it("finishes while the sync still reads Shopify, and Recalculate points waits for the sync, saying so", async () => {
    await openAdmin(page, { env, shop, timeout: 30_000 });
    // The install sync reads customers, then orders, with a bulk query each: it has finished once both are applied.
    // (Holding bulk queries as soon as its customers were in held its orders query, and it never finished.)
    const installSynced = () =>
      (
        db.prepare("select status from customer_syncs where shop = ? and trigger = 'install'").get(shop) as
          { status: string } | undefined
      )?.status === "succeeded";
    await until(() => (installSynced() ? true : undefined), "the install sync", { timeoutMs: 60_000 });
    const count = db.prepare("select count(*) as n from customers where shop = ?").get(shop) as { n: number };
    expect(count.n).toBe(CUSTOMERS);
    // Shopify's bulk read of a large shop takes minutes: here it runs until the test lets it go.
    env.sandbox.control.holdBulkQueries({ shop });

    await appLink("Customers").click();
    // Sync customers is refused until the install sync has finished, and the directory says when that was.
    await app()
      .getByText(/^Last synced/)
      .waitFor({ timeout: 60_000 });
    await titleAction("Sync customers").click();
    await app().getByText("Syncing customers from Shopify").waitFor({ timeout: 15_000 });

    await appLink("Settings").click();
    await app().getByRole("button", { name: "Recalculate points" }).click();
    await page.locator('[data-sandbox-modal] [data-sandbox-modal-action="Recalculate points"]').click();
    await page.locator("[data-sandbox-title]", { hasText: /^Recalculate points$/ }).waitFor({ timeout: 15_000 });
    await app().getByText("Waits for Sync customers to finish").waitFor({ timeout: 10_000 });
    await app().getByText("Queued", { exact: true }).waitFor();

    await appLink("Customers").click();
    await titleAction("Export").click();
    await app().locator("#bulk-action-panel").getByRole("button", { name: "Export", exact: true }).click();
    await app().getByRole("button", { name: "Download CSV file" }).waitFor({ timeout: 20_000 });
    await app().getByText("Done", { exact: true }).waitFor({ timeout: 30_000 });
    await app()
      .getByText(`${CUSTOMERS.toLocaleString("en")} customers exported`)
      .waitFor({ timeout: 10_000 });
    expect(statusOf("customers.sync")).toBe("running");
    expect(statusOf("points.recalculate")).toBe("queued");

    // The Jobs page says the same of the waiting job.
    await appLink("Jobs").click();
    const waiting = app().getByRole("row").filter({ hasText: "Recalculate points" });
    await expect(waiting.textContent()).resolves.toMatch(/Queued.*Waits for Sync customers to finish/);

    env.sandbox.control.releaseBulkQueries({ shop });
    await until(() => (statusOf("points.recalculate") === "succeeded" ? true : undefined), "the recalculation", {
      timeoutMs: 60_000,
    });
    expect(statusOf("customers.sync")).toBe("succeeded");
    await expect.poll(async () => waiting.textContent(), { timeout: 10_000 }).toMatch(/Done.*of [\d,]+ customers/);
    expect(pageErrors).toEqual([]);
  }, 150_000);
});
