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

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
let db: Database.Database;
const pageErrors: string[] = [];
const shop = "e2e-jobs-in-view.myshopify.com";
const CUSTOMERS = 1000;

beforeAll(async () => {
  // A pause between chunks (250 customers each), so a bulk points adjustment of every customer, and its undo, each run
  // for about 8 s: long enough for the merchant to reload in the middle of one.
  ({ env, browser } = await startSandboxAppAndBrowser({ shop, appEnv: { TASK_PAUSE_MS: "2500" } }));
  env.sandbox.control.seed({ shop, customers: CUSTOMERS, orders: 0 });
  page = await merchantPage(browser, pageErrors);
  db = new Database(env.app.databasePath);
  db.pragma("busy_timeout = 5000");
});

afterAll(async () => {
  db?.close();
  await stopSandboxAppAndBrowser({ env, browser });
});

const { app, appLink, modal } = adminChrome(() => page);
const bulkJobs = () =>
  (
    db.prepare("select count(*) as n from tasks where shop = ? and kind = 'customers.bulk-edit'").get(shop) as {
      n: number;
    }
  ).n;

describe("a job the merchant started stays in sight after a reload", () => {
  it("shows the directory's running bulk adjustment after a reload during its submit, linked to its job", async () => {
    await openAdmin(page, { env, shop, timeout: 30_000 });
    const count = () =>
      (db.prepare("select count(*) as n from customers where shop = ? ").get(shop) as { n: number }).n;
    await until(() => (count() >= CUSTOMERS ? true : undefined), "the install sync", { timeoutMs: 60_000 });
    await until(
      () =>
        (
          db
            .prepare("select count(*) as n from tasks where shop = ? and status in ('queued', 'running')")
            .get(shop) as {
            n: number;
          }
        ).n === 0 || undefined,
      "the install sync's end",
      { timeoutMs: 60_000 },
    );

    await appLink("Customers").click();
    // Every customer matching, not only the page's rows: what the tester did with 2,006 customers.
    await app().locator("thead").getByRole("checkbox").first().click({ timeout: 20_000 });
    await app().getByRole("button", { name: "Select all 1,000 customers" }).click({ timeout: 20_000 });
    await app().getByText("All 1,000 customers are selected").first().waitFor({ timeout: 10_000 });
    await app().getByRole("button", { name: "More actions" }).click();
    await app()
      .getByRole("menuitem", { name: "Adjust points" })
      .or(app().getByRole("button", { name: "Adjust points" }))
      .first()
      .click();
    const panel = app().locator("#bulk-action-panel");
    await panel.getByLabel("Points").fill("10");
    await panel.getByLabel("Reason").fill("welcome");
    // Tally starts the job, but its answer never reaches the page: it stays "Loading", and the merchant reloads.
    let started: () => void = () => {};
    const submitted = new Promise<void>((resolve) => (started = resolve));
    await page.route(
      (url) => url.pathname === "/app/jobs" || url.pathname === "/app/jobs.data",
      async (route) => {
        if (route.request().method() !== "POST") return route.continue();
        await route.fetch({ maxRedirects: 0 });
        started();
      },
    );
    await panel.getByRole("button", { name: "Adjust points", exact: true }).click();
    await submitted;
    await page.unrouteAll({ behavior: "ignoreErrors" });
    expect(bulkJobs()).toBe(1);
    await page.reload();

    // The directory says the job began and how far it is, so the merchant does not start it again.
    const banner = app().locator(".Polaris-Banner", { hasText: "A job is running" });
    await banner.waitFor({ timeout: 20_000 });
    await banner.getByText(/^Add 10 points: [0-9,]+ of 1,000 customers$/).waitFor({ timeout: 15_000 });
    await expect(app().getByText("Sync customers:").count()).resolves.toBe(0);
    await banner.getByRole("link", { name: "Add 10 points" }).click();
    await page.locator("[data-sandbox-title]", { hasText: /^Add 10 points$/ }).waitFor({ timeout: 15_000 });
    await app().getByText("Finished: 1,000 of 1,000 customers changed").waitFor({ timeout: 40_000 });
    expect(bulkJobs()).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 150_000);

  it("follows the undo a reload found running on the adjustment's page, to Undone", async () => {
    // The adjustment of the last test, once it has finished, opened from its page.
    const { id } = await until(
      () =>
        db
          .prepare("select id from tasks where shop = ? and kind = 'customers.bulk-edit' and status = 'succeeded'")
          .get(shop) as { id: number } | undefined,
      "the bulk adjustment's end",
      { timeoutMs: 40_000 },
    );
    const appBase = new URL(page.url()).pathname.replace(/(\/apps\/[^/]+).*$/, "$1");
    const jobUrl = `${env.sandbox.origin}${appBase}/jobs/${id}`;
    await page.goto(jobUrl);
    await app().getByRole("button", { name: "Undo this adjustment" }).click();
    await modal().locator('[data-sandbox-modal-action="Undo adjustment"]').click();
    await page
      .locator("[data-sandbox-title]", { hasText: /^Undo: Add 10 points \(welcome\)$/ })
      .waitFor({ timeout: 15_000 });
    // Back on the adjustment's page while the undo runs (the tester reloaded it).
    await page.goto(jobUrl);
    await app()
      .getByText(/^Being undone( by .+)?: the undo job is (queued|running)\.$/)
      .waitFor({ timeout: 20_000 });
    // No second reload: the page follows the undo to its end.
    await app()
      .getByText(/^Undone( by .+)? on .+: 1,000 customers reversed\.$/)
      .waitFor({ timeout: 40_000 });
    await expect(
      app()
        .getByText(/^Being undone/)
        .count(),
    ).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
