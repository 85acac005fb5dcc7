import Database from "better-sqlite3";
import type { Browser, Page, Route } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
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
const shop = "e2e-poll-outage.myshopify.com";
const CUSTOMERS = 1000;

beforeAll(async () => {
  // A long pause between chunks (250 customers each), so Recalculate points runs for about 15 s: long enough for Tally
  // to be unreachable for a while in the middle of it. A 20 s lease, so a job Tally's kill -9 left waits less than 30 s.
  ({ env, browser } = await startSandboxAppAndBrowser({
    shop,
    appEnv: { TASK_PAUSE_MS: "4000", TASK_LEASE_SECONDS: "20" },
  }));
  env.sandbox.control.seed({ shop, customers: CUSTOMERS, orders: 0 });
  page = await merchantPage(browser, pageErrors);
  db = new Database(env.app.databasePath);
  db.pragma("busy_timeout = 5000");
});

afterAll(async () => {
  db?.close();
  await stopSandboxAppAndBrowser({ env, browser });
});

afterEach(async () => {
  await page.unrouteAll({ behavior: "ignoreErrors" });
});

const { app, appLink, toast } = adminChrome(() => page);
const note = () => app().getByRole("status").filter({ hasText: "Reconnecting to Tally…" });
const applicationError = () => app().getByText(/Application Error|Failed to fetch/);
const notAnswering = () => app().getByRole("status").filter({ hasText: "Tally is not answering" });

/**
 * Kills Tally as `kill -9` does while task `taskId` runs, and starts it again, the lease the killed runner held running
 * out `secondsAfterBack` after Tally is back. Left alone, that lease runs out 0 to 20 s after the kill
 * (TASK_LEASE_SECONDS, renewed at each chunk): on a loaded machine the restart alone can outlast it, a runner then
 * claims the job before any page asks again (a page asks at most every 10 s while Tally does not answer,
 * MAX_POLL_BACKOFF_MS), and what the pages say of a dead lease is never on screen. Held while Tally is down and set
 * once it is back, the lease gives them its last half (resumesAt's rule) to say it in, whatever the load.
 */
async function restartLeavingLease(taskId: number, secondsAfterBack = 20) {
  const lease = db.prepare("update tasks set locked_until = ? where id = ? and status = 'running'");
  const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
  await env.restartApp({ whileDown: () => lease.run(inSeconds(600), taskId) });
  lease.run(inSeconds(secondsAfterBack), taskId);
}

/**
 * Tally as a page's polls find it while it restarts: from `down()` on, each poll matching `path` fails as a refused
 * connection does ("Failed to fetch"); from `badGateway()` on, a proxy in front answers 502 with its own HTML page;
 * from `up()` on, Tally answers again. Answers the polls the outage turned away. `loads: "all"`: every load of `path`
 * fails, the merchant's (a tab, another page) as well as the polls; `halt()` then stops Tally without waiting for a poll.
 */
async function outage(path: RegExp, { loads = "polls" }: { loads?: "polls" | "all" } = {}) {
  let mode: "down" | "502" | "up" = "up";
  const turnedAway: number[] = [];
  const matches = (url: URL) => path.test(url.pathname) && (loads === "all" || url.searchParams.get("poll") === "1");
  const handler = async (route: Route) => {
    if (mode === "up") return route.continue();
    turnedAway.push(Date.now());
    if (mode === "down") return route.abort("failed");
    return route.fulfill({
      status: 502,
      contentType: "text/html",
      body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
    });
  };
  await page.route(matches, handler);
  return {
    turnedAway,
    /** Tally stops answering; resolves once a poll has been turned away and the page had a moment to show it. */
    down: async () => {
      mode = "down";
      const before = turnedAway.length;
      await expect.poll(() => turnedAway.length, { timeout: 15_000 }).toBeGreaterThan(before);
      await page.waitForTimeout(300);
    },
    halt: () => void (mode = "down"),
    badGateway: () => void (mode = "502"),
    up: async () => {
      mode = "up";
      await page.unroute(matches, handler);
    },
  };
}

describe("a page following work in the background while Tally restarts", () => {
  it("keeps a job's page, says it is reconnecting, and shows the job's result once Tally answers", async () => {
    await openAdmin(page, { env, shop, timeout: 30_000 });
    const count = () => (db.prepare("select count(*) as n from customers where shop = ?").get(shop) as { n: number }).n;
    await until(() => (count() >= CUSTOMERS ? true : undefined), "the install sync", { timeoutMs: 60_000 });
    db.prepare("update customers set points_balance = points_balance + 25 where shop = ? and id % 100 = 3").run(shop);

    await appLink("Settings").click();
    await app().getByRole("button", { name: "Recalculate points" }).click();
    const modal = page.locator("[data-sandbox-modal]");
    await modal.locator('[data-sandbox-modal-action="Recalculate points"]').click();
    await page.locator("[data-sandbox-title]", { hasText: /^Recalculate points$/ }).waitFor({ timeout: 15_000 });
    const progressLine = app().getByText(/ of 1,000 customers$/);
    await progressLine.waitFor({ timeout: 15_000 });

    const tally = await outage(/^\/app\/jobs\/\d+\.data$/);
    await tally.down();
    // The page stays as it was (not Remix's "Application Error: TypeError: Failed to fetch"), and says quietly why it
    // does not move.
    await expect(applicationError().count()).resolves.toBe(0);
    await note().waitFor({ timeout: 10_000 });
    await expect(note().textContent()).resolves.toBe(
      "Reconnecting to Tally… The job goes on; this page updates when Tally answers.",
    );
    await progressLine.waitFor();
    await app().getByRole("button", { name: "Cancel" }).waitFor();
    await expect(applicationError().count()).resolves.toBe(0);
    // A proxy's 502 page in front of a Tally still starting is the same outage.
    tally.badGateway();
    await expect.poll(() => tally.turnedAway.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await page.waitForTimeout(500);
    await expect(note().count()).resolves.toBe(1);
    await progressLine.waitFor();
    await expect(applicationError().count()).resolves.toBe(0);
    // Asked less and less often while unreachable: not one ask each 1.5 s.
    const gaps = tally.turnedAway.slice(1).map((at, index) => at - tally.turnedAway[index]!);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(2_500);

    await tally.up();
    await app()
      .getByText(/^Finished: 1,000 customers checked, \d+ repaired$/)
      .waitFor({ timeout: 40_000 });
    await app().getByText("1,000 of 1,000 customers").waitFor();
    await expect(note().count()).resolves.toBe(0);
    await expect(applicationError().count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("keeps a job's page when a results tab is clicked while Tally is down, says so, and shows the tab once it answers", async () => {
    // The page the test above left: the recalculation done, its repaired customers listed under All.
    const finished = app().getByText(/^Finished: 1,000 customers checked, \d+ repaired$/);
    await finished.waitFor();
    const firstRepaired = app().getByRole("row").filter({ hasText: "Repaired" }).first();
    await firstRepaired.waitFor();
    const tally = await outage(/^\/app\/jobs\/\d+\.data$/, { loads: "all" });
    tally.halt();
    await app()
      .getByRole("tab", { name: /^Failed/ })
      .click();
    await notAnswering().waitFor({ timeout: 10_000 });
    await expect(notAnswering().textContent()).resolves.toBe("Tally is not answering. Try again in a moment.");
    // The page as it was: not Remix's "Application Error: TypeError: Failed to fetch".
    await expect(applicationError().count()).resolves.toBe(0);
    await finished.waitFor();
    await firstRepaired.waitFor();
    await expect(app().getByRole("tab", { name: /^All/ }).getAttribute("aria-selected")).resolves.toBe("true");

    await tally.up();
    await app()
      .getByRole("tab", { name: /^Failed/ })
      .click();
    await app().getByText("Nothing failed").waitFor({ timeout: 15_000 });
    await expect(notAnswering().count()).resolves.toBe(0);
    await expect(applicationError().count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("keeps the Jobs list when its next page is asked for while Tally is down, and shows that page once it answers", async () => {
    // Thirty finished jobs more than a page holds (25), newest first: the two recalculations above are on page 2.
    const insert = db.prepare(
      `insert into tasks (shop, kind, title, status, idempotency_key, input, unit_one, unit_other, actor, actor_name,
         created_at, started_at, finished_at)
       values (?, 'points.recalculate', ?, 'succeeded', ?, '{"repair":true}', 'customer', 'customers', 'staff:1',
         'Sam Owner', ?, ?, ?)`,
    );
    const at = new Date().toISOString();
    db.transaction(() => {
      for (let n = 1; n <= 30; n += 1) insert.run(shop, `Past job ${n}`, `past-${n}`, at, at, at);
    })();
    await openAdmin(page, { env, shop, timeout: 30_000 });
    await appLink("Jobs").click();
    const newest = app().getByRole("row").filter({ hasText: "Past job 30" });
    await newest.waitFor({ timeout: 15_000 });
    const tally = await outage(/^\/app\/jobs\.data$/, { loads: "all" });
    tally.halt();
    await app().getByRole("link", { name: "Next" }).click();
    await notAnswering().waitFor({ timeout: 10_000 });
    await expect(applicationError().count()).resolves.toBe(0);
    await newest.waitFor();

    await tally.up();
    await app().getByRole("link", { name: "Next" }).click();
    await app()
      .getByRole("row")
      .filter({ hasText: /Past job 1(?!\d)/ })
      .first()
      .waitFor({ timeout: 15_000 });
    await expect(newest.count()).resolves.toBe(0);
    await expect(notAnswering().count()).resolves.toBe(0);
    await expect(applicationError().count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("keeps the Jobs list through the outage, then shows the running job done", async () => {
    await openAdmin(page, { env, shop, timeout: 30_000 });
    await appLink("Settings").click();
    await app().getByRole("button", { name: "Recalculate points" }).click();
    await page.locator('[data-sandbox-modal] [data-sandbox-modal-action="Recalculate points"]').click();
    await page.locator("[data-sandbox-title]", { hasText: /^Recalculate points$/ }).waitFor({ timeout: 15_000 });
    await appLink("Jobs").click();
    const running = app().getByRole("row").filter({ hasText: "Recalculate points" }).first();
    await expect.poll(() => running.textContent(), { timeout: 15_000 }).toMatch(/Running/);
    const tally = await outage(/^\/app\/jobs\.data$/);
    await tally.down();
    await expect(applicationError().count()).resolves.toBe(0);
    await note().waitFor({ timeout: 10_000 });
    await expect(note().textContent()).resolves.toBe(
      "Reconnecting to Tally… Jobs go on; this page updates when Tally answers.",
    );
    await running.waitFor();
    await tally.up();
    await expect.poll(() => running.textContent(), { timeout: 40_000 }).toMatch(/Done.*1,000 of 1,000 customers/);
    await expect(note().count()).resolves.toBe(0);
    await expect(applicationError().count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("keeps the directory's Sync customers progress through the outage, then says when the sync finished", async () => {
    await openAdmin(page, { env, shop, timeout: 30_000 });
    await appLink("Customers").click();
    await app()
      .getByText(/^Last synced/)
      .waitFor({ timeout: 30_000 });
    // Shopify's read is held, so the sync is still asking Shopify all through the outage.
    env.sandbox.control.holdBulkQueries({ shop });
    try {
      await page.locator("[data-sandbox-title-action='Sync customers']").click();
      await app().getByText("Syncing customers from Shopify").waitFor({ timeout: 15_000 });
      const tally = await outage(/^\/app\/jobs\/\d+\.data$/);
      await tally.down();
      await expect(applicationError().count()).resolves.toBe(0);
      await note().waitFor({ timeout: 10_000 });
      await expect(note().textContent()).resolves.toBe(
        "Reconnecting to Tally… The sync goes on; this page updates when Tally answers.",
      );
      await app().getByText("Syncing customers from Shopify").waitFor();
      await expect(applicationError().count()).resolves.toBe(0);
      await tally.up();
      env.sandbox.control.releaseBulkQueries({ shop });
      await app()
        .getByText(/^Last synced \d+ seconds? ago$/)
        .waitFor({ timeout: 60_000 });
      await toast("Customers synced:");
      await expect(note().count()).resolves.toBe(0);
      await expect(applicationError().count()).resolves.toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      env.sandbox.control.releaseBulkQueries({ shop });
    }
  }, 120_000);

  it("keeps the directory the install sync fills through the outage, then shows the customers it brought", async () => {
    const installing = "e2e-poll-outage-install.myshopify.com";
    env.sandbox.control.createShop({ shop: installing });
    env.sandbox.control.seed({ shop: installing, customers: 40, orders: 20, seed: 5 });
    env.sandbox.control.holdBulkQueries({ shop: installing });
    try {
      await openAdmin(page, { env, shop: installing, timeout: 30_000 });
      await appLink("Customers").click();
      const bringing = app().getByText("Bringing your customers in from Shopify after install…");
      await bringing.waitFor({ timeout: 30_000 });
      const tally = await outage(/^\/app\/customers\.data$/);
      await tally.down();
      await expect(applicationError().count()).resolves.toBe(0);
      await note().waitFor({ timeout: 10_000 });
      await expect(note().textContent()).resolves.toBe(
        "Reconnecting to Tally… Your customers keep coming in from Shopify; this page updates when Tally answers.",
      );
      await bringing.waitFor();
      await expect(applicationError().count()).resolves.toBe(0);
      await tally.up();
      env.sandbox.control.releaseBulkQueries({ shop: installing });
      await app()
        .getByText(/^Last synced/)
        .waitFor({ timeout: 60_000 });
      await app()
        .getByText(/^40 customers/)
        .waitFor({ timeout: 15_000 });
      await expect(note().count()).resolves.toBe(0);
      await expect(applicationError().count()).resolves.toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      env.sandbox.control.releaseBulkQueries({ shop: installing });
    }
  }, 120_000);

  it("says a running job Tally's kill -9 left is taken up again, and when; then shows its progress as before", async () => {
    const resuming =
      /^Tally restarted: this job picks up where it left off (within about (\d+) seconds|in a moment)\.$/;
    await openAdmin(page, { env, shop, timeout: 30_000 });
    await appLink("Settings").click();
    await app().getByRole("button", { name: "Recalculate points" }).click();
    await page.locator('[data-sandbox-modal] [data-sandbox-modal-action="Recalculate points"]').click();
    await page.locator("[data-sandbox-title]", { hasText: /^Recalculate points$/ }).waitFor({ timeout: 15_000 });
    const { id: jobId } = db
      .prepare("select id from tasks where shop = ? and status in ('queued', 'running') order by id desc")
      .get(shop) as { id: number };
    // The Jobs list open beside it, in a second tab.
    const listPage = await merchantPage(browser, pageErrors);
    await openAdmin(listPage, { env, shop, timeout: 30_000 });
    const list = adminChrome(() => listPage);
    await list.appLink("Jobs").click();
    const row = list.app().getByRole("row").filter({ hasText: "Recalculate points" }).first();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toMatch(/Running/);
    const task = () =>
      db.prepare("select status, progress_done, locked_until from tasks where id = ?").get(jobId) as {
        status: string;
        progress_done: number;
        locked_until: string | null;
      };
    await until(() => (task().progress_done >= 250 ? true : undefined), "the job to be under way", {
      timeoutMs: 30_000,
    });

    await restartLeavingLease(jobId);
    expect(task().status).toBe("running");
    const lockedUntil = Date.parse(task().locked_until!);
    // The page says why it does not move, and how soon it will, from the lease the killed process held.
    const note = app().getByText(resuming);
    await note.waitFor({ timeout: 30_000 });
    const seconds = Number(resuming.exec((await note.textContent()) ?? "")?.[2] ?? 0);
    if (seconds > 0) expect(Math.abs(seconds - (lockedUntil - Date.now()) / 1000)).toBeLessThanOrEqual(4);
    await expect(applicationError().count()).resolves.toBe(0);
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toMatch(/Tally restarted: this job picks up/);

    // A runner claims it once the lease runs out: the note goes and the progress moves again, to the end.
    await expect.poll(() => note.count(), { timeout: 40_000 }).toBe(0);
    await app()
      .getByText(/^Finished: 1,000 customers checked, (\d+ repaired|none needed repairing)$/)
      .waitFor({ timeout: 40_000 });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toMatch(/Done.*1,000 of 1,000 customers/);
    await expect(row.textContent()).resolves.not.toMatch(/Tally restarted/);
    await expect(applicationError().count()).resolves.toBe(0);
    await listPage.close();
    expect(pageErrors).toEqual([]);
  }, 150_000);

  it("says so on an import's page and in Home's banner when Tally's kill -9 left the file's check, then goes on", async () => {
    const resuming = /^Tally restarted: this job picks up where it left off (within about \d+ seconds|in a moment)\.$/;
    // Six chunks of 500 rows, 4 s apart (TASK_PAUSE_MS): the check runs for about 25 s.
    const lines = ["Email,First Name,Points"];
    for (let i = 0; i < 3000; i++) lines.push(`restarted${i}@example.com,Restarted,1`);
    await openAdmin(page, { env, shop, timeout: 30_000 });
    await appLink("Import").click();
    await app()
      .locator('input[data-testid="customers-file"]')
      .setInputFiles({ name: "restarted.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\n")) });
    await app().getByRole("button", { name: "Check file" }).first().click();
    const checking = app().getByTestId("import-checking");
    await checking.waitFor({ timeout: 15_000 });
    const { id: checkId } = db
      .prepare("select id from tasks where shop = ? and kind = 'imports.check' order by id desc")
      .get(shop) as { id: number };
    // Home open beside it, in a second tab: its banner lists the check among the jobs running.
    const homePage = await merchantPage(browser, pageErrors);
    // Its lines follow their jobs: Home asks for the shop's active jobs as a poll.
    let homePolls = 0;
    homePage.on("response", (response) => {
      const url = new URL(response.url());
      if (url.pathname === "/app/jobs/active.data" && url.searchParams.get("poll") === "1") homePolls += 1;
    });
    await openAdmin(homePage, { env, shop, timeout: 30_000 });
    const home = adminChrome(() => homePage);
    const homeLine = home.app().getByText(/^Check a file to import: [\d,]+ of 3,000 rows$/);
    await homeLine.waitFor({ timeout: 15_000 });
    await expect.poll(() => homePolls, { timeout: 15_000 }).toBeGreaterThan(0);
    const task = () =>
      db.prepare("select status, progress_done from tasks where id = ?").get(checkId) as {
        status: string;
        progress_done: number;
      };
    await until(() => (task().progress_done >= 500 ? true : undefined), "the check to be under way", {
      timeoutMs: 30_000,
    });

    await restartLeavingLease(checkId);
    expect(task().status).toBe("running");
    const checkedAtRestart = task().progress_done;
    // The import's page says why its bar stands still, beside the rows checked so far; Home's banner says it too.
    const note = checking.getByText(resuming);
    await note.waitFor({ timeout: 30_000 });
    await checking.getByText(/^Checking rows… [\d,]+ of 3,000$/).waitFor();
    const homeNote = home.app().getByText(resuming);
    await homeNote.waitFor({ timeout: 30_000 });
    await homeLine.waitFor();
    const homeError = () => home.app().getByText(/Application Error|Failed to fetch/);
    await expect(applicationError().count()).resolves.toBe(0);
    await expect(homeError().count()).resolves.toBe(0);

    // A runner claims it once the lease runs out: the notes go, Home's line counts on, and the preview comes.
    await expect.poll(() => note.count(), { timeout: 40_000 }).toBe(0);
    await expect.poll(() => homeNote.count(), { timeout: 15_000 }).toBe(0);
    const homeCount = async () =>
      Number(/^[^:]+: ([\d,]+) of/.exec((await homeLine.textContent()) ?? "")?.[1]?.replace(/,/g, ""));
    await expect.poll(homeCount, { timeout: 15_000 }).toBeGreaterThan(checkedAtRestart);
    await app().getByText("3,000 rows read: 3,000 ready, 0 with problems.").waitFor({ timeout: 60_000 });
    // The kill came after the first chunk: the preview still names the file's first new customers, each once, and
    // counts the rest.
    await expect(app().getByTestId("import-creates").locator("tbody tr").allInnerTexts()).resolves.toEqual(
      Array.from({ length: 20 }, (_, i) =>
        expect.stringMatching(new RegExp(`^${i + 2}\\s+Restarted\\s+restarted${i}@example\\.com\\s+1$`)),
      ),
    );
    await expect(app().getByTestId("import-creates-more").textContent()).resolves.toBe("and 2,980 more");
    // The check done, Home loads again without it.
    await expect.poll(() => homeLine.count(), { timeout: 15_000 }).toBe(0);
    await expect(applicationError().count()).resolves.toBe(0);
    await expect(homeError().count()).resolves.toBe(0);
    await homePage.close();
    expect(pageErrors).toEqual([]);
  }, 150_000);

  it("follows three jobs in Home's banner with one ask every 1.5 s, not one per job", async () => {
    // Three Recalculate points queued at once (one runs, the others wait for it): Home's banner lists all three.
    const insert = db.prepare(
      `insert into tasks (shop, kind, title, status, lane, idempotency_key, input, unit_one, unit_other, actor, created_at)
       values (?, 'points.recalculate', 'Recalculate points', 'queued', 'write', ?, '{"repair":true}', 'customer', 'customers', 'staff:1', ?)`,
    );
    for (const key of ["banner-1", "banner-2", "banner-3"]) insert.run(shop, key, new Date().toISOString());
    const homePage = await merchantPage(browser, pageErrors);
    const asked: string[] = [];
    homePage.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith("/app/jobs/") && url.searchParams.get("poll") === "1") asked.push(url.pathname);
    });
    await openAdmin(homePage, { env, shop, timeout: 30_000 });
    const home = adminChrome(() => homePage);
    // The title counts them as the lines under it say them: running, and waiting behind it.
    await home
      .app()
      .getByText(/^(3 jobs are waiting to start|1 job is running, 2 are waiting)$/)
      .waitFor({ timeout: 15_000 });
    await home
      .app()
      .getByText(/^Recalculate points: ([\d,]+ of [\d,]+ customers|[\d,]+ customers)$/)
      .waitFor({ timeout: 15_000 });

    // 7.5 s of following: five asks at POLL_MS (one more for the timer's edge), each for all three jobs at once.
    const before = asked.length;
    await homePage.waitForTimeout(7500);
    const during = asked.slice(before);
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(during.length).toBeLessThanOrEqual(6);
    expect(new Set(during)).toEqual(new Set(["/app/jobs/active.data"]));
    await homePage.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("keeps Home's jobs banner through the outage, says it is reconnecting, then follows the jobs again", async () => {
    db.prepare(
      `insert into tasks (shop, kind, title, status, lane, idempotency_key, input, unit_one, unit_other, actor, created_at)
       values (?, 'points.recalculate', 'Recalculate points', 'queued', 'write', 'banner-outage', '{"repair":true}', 'customer', 'customers', 'staff:1', ?)`,
    ).run(shop, new Date().toISOString());
    await openAdmin(page, { env, shop, timeout: 30_000 });
    const line = app()
      .getByText(/^Recalculate points: /)
      .first();
    await line.waitFor({ timeout: 15_000 });
    const banner = app().locator(".Polaris-Banner").filter({ has: line });

    const tally = await outage(/^\/app\/jobs\/active\.data$/);
    await tally.down();
    // Home keeps its lines and says, in the banner, why they stand still.
    await expect(applicationError().count()).resolves.toBe(0);
    const reconnecting = banner.getByRole("status").filter({ hasText: "Reconnecting to Tally…" });
    await reconnecting.waitFor({ timeout: 10_000 });
    await expect(reconnecting.textContent()).resolves.toBe(
      "Reconnecting to Tally… Jobs go on; this page updates when Tally answers.",
    );
    await line.waitFor();
    await tally.up();
    await expect.poll(() => reconnecting.count(), { timeout: 20_000 }).toBe(0);
    await expect(applicationError().count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
