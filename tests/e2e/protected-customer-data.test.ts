import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appFrame,
  merchantPage,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  until,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
let db: Database.Database;
const pageErrors: string[] = [];
const shop = "e2e-protected.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({
    shop,
    currency: "CAD",
    appEnv: { JOBS_INTERVAL_SECONDS: "1" },
  }));
  env.sandbox.control.seed({ shop, customers: 40, orders: 60, seed: 5 });
  // Shopify has not approved Tally for customers' names and emails in this store.
  env.sandbox.control.withholdProtectedData({ shop, fields: ["name", "email"] });
  page = await merchantPage(browser, pageErrors);
  db = new Database(env.app.databasePath);
  db.pragma("busy_timeout = 5000");
});

afterAll(async () => {
  db?.close();
  await stopSandboxAppAndBrowser({ env, browser });
});

const app = () => appFrame(page);

describe("a store where Shopify withholds customers' names and emails", () => {
  it("syncs its customers without them at install, and Home says what is missing and how to ask for it", async () => {
    await openAdmin(page, { env, shop });
    await until(
      () =>
        // The install sync has run, and the shop's facts were read after it (app/jobs/schedule.server.ts).
        (
          db
            .prepare(
              "select count(*) as n from shop_jobs where shop = ? and job in ('reconcile', 'shop-facts') and last_run_at is not null",
            )
            .get(shop) as { n: number }
        ).n === 2
          ? true
          : undefined,
      "the install sync",
    );
    const synced = db
      .prepare(
        "select count(*) as customers, count(first_name) + count(last_name) + count(email) as named from customers where shop = ?",
      )
      .get(shop) as { customers: number; named: number };
    expect(synced).toEqual({ customers: 40, named: 0 });

    await page.locator("[data-sandbox-primary-action]", { hasText: "Refresh" }).click();
    const banner = app().getByText("Shopify has not approved Tally to see customers' names and emails");
    await banner.waitFor({ timeout: 10_000 });
    await expect(
      app()
        .getByText(/search by email finds no one/)
        .count(),
    ).resolves.toBe(1);
    await expect(
      app()
        .getByText(/Partner Dashboard: Apps, Tally, API access, Protected customer data/)
        .count(),
    ).resolves.toBe(1);
    await expect(
      app()
        .getByText(/selects Name and Email/)
        .count(),
    ).resolves.toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
