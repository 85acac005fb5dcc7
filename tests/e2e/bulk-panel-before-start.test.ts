import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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
const shop = "e2e-bulk-panel.myshopify.com";
const CUSTOMERS = 1000;

beforeAll(async () => {
  // A pause between chunks (250 customers each): a bulk points adjustment of every customer runs for about 20 s, long
  // enough for the merchant to come back to the directory and open the same action again.
  ({ env, browser } = await startSandboxAppAndBrowser({ shop, appEnv: { TASK_PAUSE_MS: "5000" } }));
  env.sandbox.control.seed({ shop, customers: CUSTOMERS, orders: 0 });
  page = await merchantPage(browser, pageErrors);
  db = new Database(env.app.databasePath);
  db.pragma("busy_timeout = 5000");
});

afterAll(async () => {
  db?.close();
  await stopSandboxAppAndBrowser({ env, browser });
});

const { app } = adminChrome(() => page);
const panel = () => app().locator("#bulk-action-panel");

/** Every customer of the directory selected, and bulk Adjust points opened for them (in the test's page unless said). */
async function adjustEveryone({ app, appLink } = adminChrome(() => page)) {
  await appLink("Customers").click();
  await app().locator("thead").getByRole("checkbox").first().click({ timeout: 20_000 });
  await app().getByRole("button", { name: "Select all 1,000 customers" }).click({ timeout: 20_000 });
  await app().getByText("All 1,000 customers are selected").first().waitFor({ timeout: 10_000 });
  await app().getByRole("button", { name: "More actions" }).click();
  await app()
    .getByRole("menuitem", { name: "Adjust points" })
    .or(app().getByRole("button", { name: "Adjust points" }))
    .first()
    .click();
}

describe("bulk Adjust points says, before it starts, whom it leaves out and what is already running", () => {
  it("counts the blocked customers it leaves out, warns while the same adjustment runs, and lists the blocked as not changed", async () => {
    await openAdmin(page, { env, shop, timeout: 30_000 });
    const count = () => (db.prepare("select count(*) as n from customers where shop = ?").get(shop) as { n: number }).n;
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
    // Three customers the merchant blocked.
    db.prepare(
      "update customers set blocked = 1 where id in (select id from customers where shop = ? order by id limit 3)",
    ).run(shop);

    await adjustEveryone();
    await expect(panel().getByTestId("adjust-blocked-note").textContent({ timeout: 15_000 })).resolves.toBe(
      "3 of the 1,000 matching customers are blocked: they are left out, and listed as not changed on the job's page. Adjust a blocked customer's points on their profile.",
    );
    // Nothing runs yet: nothing to warn of.
    await expect(panel().getByTestId("bulk-already-running").count()).resolves.toBe(0);
    await panel().getByLabel("Points").fill("10");
    await panel().getByLabel("Reason").fill("welcome");
    await panel().getByRole("button", { name: "Adjust points", exact: true }).click();
    await page.locator("[data-sandbox-title]", { hasText: /^Add 10 points$/ }).waitFor({ timeout: 15_000 });
    await until(
      () =>
        db
          .prepare(
            "select id from tasks where shop = ? and kind = 'customers.bulk-edit' and status = 'running' and progress_total = ?",
          )
          .get(shop, CUSTOMERS) as { id: number } | undefined,
      "the adjustment running",
      { timeoutMs: 20_000 },
    );

    // Back in the directory, the same action again: the panel names the running one, and still lets it start.
    await adjustEveryone();
    const warning = panel().getByTestId("bulk-already-running");
    await expect(warning.textContent({ timeout: 15_000 })).resolves.toMatch(
      /^Adding points to 1,000 customers is still running \([0-9,]+ done\)\. Starting another adds them again\.$/,
    );
    await expect(panel().getByRole("button", { name: "Adjust points", exact: true }).isDisabled()).resolves.toBe(false);
    // While the panel stays open, its figure follows the job as the banner above it does (it was the page's figure).
    const doneIn = async (text: Promise<string | null>) =>
      Number(/([0-9,]+) (?:done|of)/.exec((await text) ?? "")?.[1]?.replace(/,/g, ""));
    const banner = app().locator(".Polaris-Banner", { hasText: "Add 10 points" });
    const opened = await doneIn(warning.textContent());
    await vi.waitFor(
      async () => {
        const [inPanel, inBanner] = [await doneIn(warning.textContent()), await doneIn(banner.textContent())];
        expect(inPanel).toBeGreaterThan(opened);
        expect(inPanel).toBe(inBanner);
      },
      { timeout: 20_000, interval: 200 },
    );
    // Removing points is another action: the warning is for adding.
    await panel().getByLabel("Points").fill("-5");
    await vi.waitFor(async () => expect(await warning.count()).toBe(0), { timeout: 5_000 });
    await panel().getByLabel("Points").fill("5");
    await warning.waitFor({ timeout: 5_000 });
    await panel().getByRole("link", { name: "View job" }).click();
    await page.locator("[data-sandbox-title]", { hasText: /^Add 10 points$/ }).waitFor({ timeout: 15_000 });
    await app()
      .getByText("Finished: 997 of 1,000 customers changed, 3 not changed (blocked)")
      .waitFor({ timeout: 60_000 });
    await app()
      .locator("text=/^Blocked: left out \\(adjust a blocked customer's points on their profile\\)$/ >> visible=true")
      .first()
      .waitFor({ timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("refuses the same adjustment submitted from a second tab while the first runs, and starts it when told to anyway", async () => {
    // Two tabs, each with the panel open before either submits: the second tab's panel knows of no running job.
    const tabB = await merchantPage(browser, pageErrors);
    const chromeB = adminChrome(() => tabB);
    await openAdmin(tabB, { env, shop, timeout: 30_000 });
    await adjustEveryone();
    await adjustEveryone(chromeB);
    const panelB = () => chromeB.app().locator("#bulk-action-panel");
    for (const each of [panel(), panelB()]) {
      await each.getByLabel("Points").fill("2");
      await each.getByLabel("Reason").fill("twice");
    }
    await expect(panelB().getByTestId("bulk-already-running").count()).resolves.toBe(0);

    await panel().getByRole("button", { name: "Adjust points", exact: true }).click();
    await page.locator("[data-sandbox-title]", { hasText: /^Add 2 points$/ }).waitFor({ timeout: 15_000 });
    const twice = () =>
      db.prepare("select id from tasks where shop = ? and title = 'Add 2 points' order by id").all(shop) as Array<{
        id: number;
      }>;
    expect(twice()).toHaveLength(1);

    // Tab B submits the same: refused in place, the running job named and linked; nothing starts.
    await panelB().getByRole("button", { name: "Adjust points", exact: true }).click();
    const refusal = panelB().getByTestId("bulk-same-running");
    await expect(refusal.textContent({ timeout: 15_000 })).resolves.toMatch(
      /^Add 2 points \('twice'\) to (1,000 customers|the selected customers) is already (running|waiting to start) \(started \d+ s ago\)\. Start it again anyway\?$/,
    );
    await expect(panelB().getByRole("link", { name: "View job" }).getAttribute("href")).resolves.toMatch(
      new RegExp(`/app/jobs/${twice()[0]!.id}(\\?|$)`),
    );
    expect(twice()).toHaveLength(1);

    // The merchant means it: the second adjustment starts, and its page opens.
    await panelB().getByRole("button", { name: "Start it again anyway" }).click();
    await tabB.locator("[data-sandbox-title]", { hasText: /^Add 2 points$/ }).waitFor({ timeout: 15_000 });
    await until(() => (twice().length === 2 ? true : undefined), "the second adjustment", { timeoutMs: 10_000 });
    await tabB.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("drops the refusal once the merchant changes the terms, and starts the changed adjustment with its own button", async () => {
    // The same adjustment again while the two above are still queued or running: refused.
    await adjustEveryone();
    await panel().getByLabel("Points").fill("2");
    await panel().getByLabel("Reason").fill("twice");
    await panel().getByRole("button", { name: "Adjust points", exact: true }).click();
    const refusal = panel().getByTestId("bulk-same-running");
    await refusal.waitFor({ timeout: 15_000 });

    // 3 points is other work: the refusal of 2 goes, and with it "Start it again anyway", which would start 3.
    await panel().getByLabel("Points").fill("3");
    await vi.waitFor(async () => expect(await refusal.count()).toBe(0), { timeout: 5_000 });
    await expect(panel().getByRole("button", { name: "Start it again anyway" }).count()).resolves.toBe(0);
    await panel().getByRole("button", { name: "Adjust points", exact: true }).click();
    await page.locator("[data-sandbox-title]", { hasText: /^Add 3 points$/ }).waitFor({ timeout: 15_000 });
    const started = db.prepare("select input from tasks where shop = ? and title = 'Add 3 points'").all(shop) as Array<{
      input: string;
    }>;
    expect(started.map((row) => (JSON.parse(row.input) as { edit: unknown }).edit)).toEqual([
      { action: "points_adjust", points: 3, reason: "twice" },
    ]);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
