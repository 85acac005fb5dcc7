import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { shopDayOf, shopDayStart } from "~/domain/shared/shop-time";
import {
  appAxeViolations,
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
const shop = "e2e-growth.myshopify.com";
/** The sandbox shop's zone, whose days the chart counts in (decision 050). */
const ZONE = "America/Toronto";
const HOUR = 3_600_000;

const today = shopDayOf(new Date(), ZONE);
const yesterday = shopDayOf(new Date(Date.parse(shopDayStart(today, ZONE)) - HOUR), ZONE);
const dayWritten = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    year: "numeric",
    timeZone: "UTC",
  });

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
  db = new Database(env.app.databasePath);
  db.pragma("busy_timeout = 5000");
  await openAdmin(page, { env, shop });
  // Five members: three who joined at 12:30 am of the shop's today, two at 11 pm the evening before (in UTC days,
  // the same day as the three: the bar would have read 5).
  const emails = ["a", "b", "c", "d", "e"].map((name) => `${name}@growth.example`);
  for (const email of emails) env.sandbox.control.createCustomer({ shop, email, state: "ENABLED" });
  await env.sandbox.control.idle();
  await until(
    () =>
      (
        db
          .prepare("select count(*) as n from customers where shop = ? and email like '%@growth.example'")
          .get(shop) as {
          n: number;
        }
      ).n === 5 || undefined,
    "the five customers",
  );
  const start = Date.parse(shopDayStart(today, ZONE));
  const join = db.prepare("update customers set status = 'member', member_since = ? where shop = ? and email = ?");
  emails.forEach((email, index) =>
    join.run(new Date(index < 3 ? start + HOUR / 2 : start - HOUR).toISOString(), shop, email),
  );
});

afterAll(async () => {
  db?.close();
  await stopSandboxAppAndBrowser({ env, browser });
});

const app = () => appFrame(page);
const growthTable = () =>
  app()
    .getByRole("table")
    .filter({ has: app().getByRole("columnheader", { name: "New members" }) });
/** The growth table's cells of the row headed `label`, as a screen reader reads them. */
const rowOf = (label: string) =>
  growthTable()
    .getByRole("row")
    .filter({ has: app().getByRole("rowheader", { name: label, exact: true }) })
    .getByRole("cell")
    .allTextContents();

describe("Home's member growth", () => {
  it("gives each period's count as a table a keyboard opens, in the shop's days, by day, week and month", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByRole("button", { name: "Day" }).click();
    await app().getByRole("button", { name: "Day", pressed: true }).waitFor({ timeout: 15_000 });
    const toggle = app().getByRole("button", { name: "Show as table" });
    await expect(toggle.getAttribute("aria-expanded")).resolves.toBe("false");
    // Tab goes from the periods to the table's button: the bars, hidden from screen readers, are no tab stops (Tab
    // went through each of them first, saying nothing).
    const chart = app().locator('[data-testid="member-growth-chart"]');
    await chart.locator("svg").first().waitFor({ timeout: 15_000 });
    await vi.waitFor(async () => expect(await chart.locator('[data-type="BarGroup"]').count()).toBeGreaterThan(0), {
      timeout: 10_000,
    });
    await app().getByRole("button", { name: "Month" }).focus();
    await page.keyboard.press("Tab");
    await expect(toggle.evaluate((button) => button === document.activeElement)).resolves.toBe(true);
    // From the keyboard, as a merchant who does not hover does.
    await toggle.focus();
    await page.keyboard.press("Enter");
    await app().getByRole("button", { name: "Hide table", expanded: true }).waitFor({ timeout: 10_000 });
    await app().getByRole("columnheader", { name: "New members" }).waitFor({ timeout: 10_000 });
    // New members, then members so far: 3 today, 2 on the shop's yesterday (their evening, the next day in UTC).
    await expect(rowOf(dayWritten(today))).resolves.toEqual(["3", "5"]);
    await expect(rowOf(dayWritten(yesterday))).resolves.toEqual(["2", "2"]);
    expect(await growthTable().getByRole("row").count()).toBe(31);

    // Another period keeps the table open, its rows that period's.
    await app().getByRole("button", { name: "Month" }).click();
    await app().getByRole("button", { name: "Month", pressed: true }).waitFor({ timeout: 15_000 });
    const month = new Date(`${today}T00:00:00Z`).toLocaleDateString("en-US", {
      month: "long",
      year: "numeric",
      timeZone: "UTC",
    });
    const monthRow = await rowOf(month);
    expect(Number(monthRow[0])).toBe(today.slice(0, 7) === yesterday.slice(0, 7) ? 5 : 3);
    expect(monthRow[1]).toBe("5");
    await app().getByRole("button", { name: "Week" }).click();
    await app()
      .getByRole("rowheader", { name: /^Week of / })
      .first()
      .waitFor({ timeout: 15_000 });
    expect(await growthTable().getByRole("row").count()).toBe(14);
    expect(pageErrors).toEqual([]);
  });

  it("gives axe nothing to find on Home, the table open", async () => {
    await app().getByRole("button", { name: "Hide table" }).waitFor({ timeout: 10_000 });
    await expect(appAxeViolations(page)).resolves.toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
