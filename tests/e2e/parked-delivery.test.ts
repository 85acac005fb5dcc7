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
const shop = "e2e-parked.myshopify.com";

beforeAll(async () => {
  // Background jobs every second, so the queue's retries come within the test.
  ({ env, browser } = await startSandboxAppAndBrowser({
    shop,
    currency: "CAD",
    appEnv: { JOBS_INTERVAL_SECONDS: "1" },
  }));
  page = await merchantPage(browser, pageErrors);
  db = new Database(env.app.databasePath);
  db.pragma("busy_timeout = 5000");
});

afterAll(async () => {
  db?.close();
  await stopSandboxAppAndBrowser({ env, browser });
});

const app = () => appFrame(page);

const delivery = () =>
  db
    .prepare("select id, status, attempts, error from webhook_deliveries where shop = ? and topic = 'orders/paid'")
    .get(shop) as { id: number; status: string; attempts: number; error: string } | undefined;

describe("a delivery that cannot succeed, seen from Home", () => {
  it("is set aside with its reason, and Retry applies it once its cause is fixed", async () => {
    await openAdmin(page, { env, shop });
    // The install sync treats what it finds as older than Tally; the story starts after it.
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
      { timeoutMs: 45_000 },
    );
    const member = env.sandbox.control.createCustomerAccount({ shop, email: "gbp@example.com", firstName: "Gus" });

    // The store switches to GBP, but Shopify's shop/update is late; the next order is in GBP.
    env.sandbox.control.injectFault({ kind: "delay", topic: "shop/update", ms: 600_000 });
    env.sandbox.control.updateShop({ shop, currency: "GBP" });
    env.sandbox.control.placeOrder({ shop, customerId: member.id, lines: [{ productIndex: 1, quantity: 5 }] });
    await until(() => (delivery()?.status === "failed" ? true : undefined), "the first failure", { timeoutMs: 45_000 });
    // The clock moves on past four backoffs: the next try from the queue is the fifth.
    db.prepare("update webhook_deliveries set attempts = 4, retry_at = null where id = ?").run(delivery()!.id);
    await until(() => (delivery()?.status === "parked" ? true : undefined), "the delivery to be parked", {
      timeoutMs: 45_000,
    });

    // Refresh is a title-bar action: it lives in the admin's header, outside the app frame.
    await page.locator("[data-sandbox-primary-action]", { hasText: "Refresh" }).click();
    const notice = app().getByText("1 delivery needs attention");
    await notice.waitFor({ timeout: 10_000 });
    await expect(
      app()
        .getByText(/the amount is in GBP but the program earns in CAD/)
        .count(),
    ).resolves.toBe(1);

    await app().getByRole("button", { name: "Retry the orders/paid delivery" }).click();
    const toast = page.locator("[data-sandbox-toast]");
    await toast.getByText("Still failing: set aside again").waitFor({ timeout: 10_000 });

    // Shopify's shop/update arrives (sent again); the cause is gone.
    env.sandbox.control.updateShop({ shop, currency: "GBP" });
    await until(
      () =>
        (db.prepare("select currency from shops where shop = ?").get(shop) as { currency: string }).currency === "GBP"
          ? true
          : undefined,
      "Tally to know the shop is in GBP",
      { timeoutMs: 45_000 },
    );
    await app().getByRole("button", { name: "Retry the orders/paid delivery" }).click();
    await toast.getByText("Delivery applied").waitFor({ timeout: 10_000 });
    await notice.waitFor({ state: "detached", timeout: 10_000 });

    const points = db
      .prepare("select points_balance as points from customers where shop = ? and email = ?")
      .get(shop, "gbp@example.com") as { points: number };
    // 100 for signing up, 120 for five totes at 24.00, counted once.
    expect(points.points).toBe(220);
    expect(delivery()).toMatchObject({ status: "processed" });
    expect(pageErrors).toEqual([]);
  });
});
