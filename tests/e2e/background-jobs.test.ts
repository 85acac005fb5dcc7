import { readFileSync } from "node:fs";
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
const shop = "e2e-jobs.myshopify.com";
const CUSTOMERS = 1200;

beforeAll(async () => {
  // A pause between chunks, so the job runs long enough (about 5 s) for the page to show it moving.
  ({ env, browser } = await startSandboxAppAndBrowser({ shop, appEnv: { TASK_PAUSE_MS: "700" } }));
  env.sandbox.control.seed({ shop, customers: CUSTOMERS, orders: 0 });
  page = await merchantPage(browser, pageErrors, { acceptDownloads: true });
  db = new Database(env.app.databasePath);
  db.pragma("busy_timeout = 5000");
});

afterAll(async () => {
  db?.close();
  await stopSandboxAppAndBrowser({ env, browser });
});

const { app, appLink } = adminChrome(() => page);

describe("Recalculate points, as a merchant runs it", () => {
  it("starts from Settings after a confirmation, shows the progress moving, lists the repairs, downloads them", async () => {
    await openAdmin(page, { env, shop, timeout: 30_000 });
    const count = () => (db.prepare("select count(*) as n from customers where shop = ?").get(shop) as { n: number }).n;
    await until(() => (count() >= CUSTOMERS ? true : undefined), "the install sync", { timeoutMs: 60_000 });
    // A bug outside the ledger left 12 customers' balances off by 25 points.
    const drifted = db
      .prepare(
        "select id, customer_gid as gid, points_balance as balance from customers where shop = ? and id % 100 = 3",
      )
      .all(shop) as Array<{ id: number; gid: string; balance: number }>;
    expect(drifted.length).toBe(12);
    db.prepare("update customers set points_balance = points_balance + 25 where shop = ? and id % 100 = 3").run(shop);

    await appLink("Settings").click();
    await app().getByRole("button", { name: "Recalculate points" }).click();
    const modal = page.locator("[data-sandbox-modal]");
    await modal
      .locator("[data-sandbox-modal-title]", { hasText: "Recalculate every customer's points?" })
      .waitFor({ timeout: 10_000 });
    await modal.locator('[data-sandbox-modal-action="Recalculate points"]').click();

    // The job's page: its progress bar and count move while it runs.
    await page.locator("[data-sandbox-title]", { hasText: /^Recalculate points$/ }).waitFor({ timeout: 15_000 });
    const progressLine = app().getByText(new RegExp(`of ${CUSTOMERS.toLocaleString("en")} customers$`));
    await progressLine.waitFor({ timeout: 15_000 });
    const seen = new Set<string>();
    const values = new Set<string>();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      seen.add((await progressLine.textContent()) ?? "");
      values.add((await app().locator("progress").getAttribute("value")) ?? "");
      if ((await app().getByText("Done", { exact: true }).count()) > 0) break;
      await page.waitForTimeout(300);
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(values.size).toBeGreaterThanOrEqual(3);
    await app()
      .getByText(`${CUSTOMERS.toLocaleString("en")} of ${CUSTOMERS.toLocaleString("en")} customers`)
      .waitFor();
    expect([...seen].some((text) => /^(?!0 )[\d,]+ of 1,200 customers$/.test(text) && !text.startsWith("1,200"))).toBe(
      true,
    );

    // The finished line counts the customers checked, then the few repaired (its results list only those).
    await app()
      .getByText(`Finished: ${CUSTOMERS.toLocaleString("en")} customers checked, 12 repaired`, { exact: true })
      .waitFor({ timeout: 15_000 });
    // The results: every repair, with what was off; nothing failed.
    await app().getByRole("tab", { name: "All" }).waitFor();
    await expect(app().getByRole("tab", { name: "All" }).textContent()).resolves.toBe("All (12)");
    const rows = app().getByRole("row").filter({ hasText: "Repaired" });
    await expect(rows.count()).resolves.toBe(12);
    await expect(rows.first().textContent()).resolves.toMatch(/Balance \d+ → \d+ points/);
    await app().getByRole("tab", { name: "Failed" }).click();
    await app().getByText("Nothing failed").waitFor({ timeout: 10_000 });
    await app().getByRole("tab", { name: "All" }).click();
    await rows.first().waitFor({ timeout: 10_000 });

    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 15_000 }),
      app().getByRole("button", { name: "Download results (CSV)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Recalculate-points-\d+-results-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toMatch(/^Customer,Email,Shopify customer ID,Outcome,What happened,When \([\w/]+\)$/);
    expect(
      lines
        .slice(1)
        .map((line) => line.split(",")[2])
        .sort(),
    ).toEqual(drifted.map((row) => row.gid).sort());
    for (const row of drifted) {
      expect(csv).toContain(`${row.gid},Repaired,Balance ${row.balance + 25} → ${row.balance} points`);
    }
    const balances = db
      .prepare("select points_balance as balance from customers where shop = ? and id % 100 = 3 order by id")
      .all(shop) as Array<{ balance: number }>;
    expect(balances.map((row) => row.balance)).toEqual(drifted.map((row) => row.balance));

    // The Jobs page lists it, done; the Audit log names who started it.
    await appLink("Jobs").click();
    const jobRow = app().getByRole("row").filter({ hasText: "Recalculate points" });
    await jobRow.waitFor({ timeout: 15_000 });
    await expect(jobRow.textContent()).resolves.toMatch(/Done.*1,200 of 1,200 customers.*Sam Owner/);
    await appLink("Audit log").click();
    const line = app().getByRole("row").filter({ hasText: "Started a job" });
    await line.waitFor({ timeout: 15_000 });
    await expect(line.textContent()).resolves.toMatch(/Sam Owner.*Started a job.*Recalculate points/);
    expect(pageErrors).toEqual([]);
  });

  it("stops when the merchant cancels it, keeping what it did and saying so", async () => {
    db.prepare("update customers set points_balance = points_balance + 5 where shop = ? and id % 100 = 50").run(shop);
    await appLink("Settings").click();
    await app().getByRole("button", { name: "Recalculate points" }).click();
    const modal = page.locator("[data-sandbox-modal]");
    await modal.locator('[data-sandbox-modal-action="Recalculate points"]').click();
    await page.locator("[data-sandbox-title]", { hasText: /^Recalculate points$/ }).waitFor({ timeout: 15_000 });
    const cancel = app().getByRole("button", { name: "Cancel" });
    await cancel.waitFor({ timeout: 10_000 });
    await cancel.click();
    await page.locator("[data-sandbox-toast]").getByText("Cancelling: the job stops after its current step").waitFor();

    await app().getByText("Cancelled", { exact: true }).waitFor({ timeout: 15_000 });
    await app().getByText("What was done before it stopped stays done and is listed below.").waitFor();
    const progress =
      (await app()
        .getByText(/ of 1,200 customers$/)
        .textContent()) ?? "";
    const done = Number(progress.split(" of ")[0]!.replace(/,/g, ""));
    expect(done).toBeLessThan(CUSTOMERS);
    await expect(app().getByRole("button", { name: "Cancel" }).count()).resolves.toBe(0);
    const task = db
      .prepare("select status, progress_done as done from tasks where shop = ? order by id desc limit 1")
      .get(shop) as { status: string; done: number };
    expect(task).toEqual({ status: "cancelled", done });

    await appLink("Audit log").click();
    await app().getByRole("row").filter({ hasText: "Cancelled a job" }).waitFor({ timeout: 15_000 });
    expect(pageErrors).toEqual([]);
  });

  it("lists jobs at a phone's width with each one's status beside its name, nothing cut off", async () => {
    const width = 375;
    await page.setViewportSize({ width, height: 800 });
    try {
      await page.getByRole("button", { name: "Menu" }).click();
      await appLink("Jobs").click();
      const jobs = app().getByRole("link", { name: "Recalculate points" });
      await jobs.first().waitFor({ timeout: 15_000 });
      await app().getByText("Cancelled", { exact: true }).first().waitFor({ timeout: 15_000 });
      // Every word of the list (name, status, progress, who started it and when) on screen: before, the Status column
      // was cut to "Do…" and the rest sat past the edge behind a sideways scroll.
      const cut = await app()
        .locator(".Polaris-IndexTable")
        .evaluate((table) => {
          const width = document.documentElement.clientWidth;
          const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
          const off: string[] = [];
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent?.trim();
            if (!text) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            const box = range.getBoundingClientRect();
            // Text shown only to screen readers (Polaris' visually hidden: a 1 px box) is not on screen anywhere.
            const holder = node.parentElement?.getBoundingClientRect();
            if (!holder || holder.width <= 1 || holder.height <= 1) continue;
            if (box.width > 0 && (box.right > width + 1 || box.left < -1)) off.push(text);
          }
          return off;
        });
      expect(cut).toEqual([]);
      await expect(app().getByText("Cancelled", { exact: true }).first().isVisible()).resolves.toBe(true);
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
    expect(pageErrors).toEqual([]);
  });
});
