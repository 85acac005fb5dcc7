import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminChrome,
  merchantPage,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-points-move.myshopify.com";
const { app, appLink, toast, adminTitle, modal } = adminChrome(() => page);

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

// Smile's "Filter and export" file: names, email, points balance; one email the shop does not have.
const smile = [
  "First name,Last name,Email,Points balance,Member status",
  "Ada,Lovelace,ada@example.com,300,member",
  "Bob,Stone,bob@example.com,100,member",
  "Nobody,Here,nobody@example.com,50,member",
  "",
].join("\n");

/** The customer's profile, opened from the directory by name. */
async function openProfile(name: string) {
  await appLink("Customers").click();
  await adminTitle("Customers");
  const row = app().getByRole("row").filter({ hasText: name });
  await row.waitFor({ timeout: 20_000 });
  await row.getByRole("link").first().click();
  await adminTitle(name);
}

describe("Moving points in and giving points for past orders, as a merchant does it", () => {
  it("uploads a Smile export, sees the dry run's totals, moves the points, sees them on a profile, and undoes the batch", async () => {
    env.sandbox.control.createCustomer({ shop, email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" });
    env.sandbox.control.createCustomer({ shop, email: "bob@example.com", firstName: "Bob", lastName: "Stone" });
    await openAdmin(page, { env, shop, timeout: 30_000 });
    // The install sync brings the shop's customers and orders in through bulk operations.
    await env.sandbox.control.idle();
    await openProfile("Ada Lovelace");

    await appLink("Import").click();
    await adminTitle("Import");
    await app()
      .locator('input[data-testid="points-file"]')
      .setInputFiles({ name: "smile-export.csv", mimeType: "text/csv", buffer: Buffer.from(smile) });
    await app().getByRole("button", { name: "Check file" }).nth(1).click();
    await app().getByText("2 customers, 400 points; 1 email not found in Shopify").waitFor({ timeout: 20_000 });
    const preview = page.url();

    await app().getByRole("button", { name: "Move 400 points" }).click();
    await adminTitle("Move points in");
    await app().getByText("Done", { exact: true }).first().waitFor({ timeout: 30_000 });
    const jobPage = page.url();

    await openProfile("Ada Lovelace");
    await app().getByText("+300: moved from Smile").first().waitFor({ timeout: 15_000 });
    const profile = page.url();

    // The job's page leads back to the import, where its Undo is.
    await page.goto(jobPage);
    await app().getByRole("link", { name: "Open the import to undo it" }).click();
    await app().getByRole("button", { name: "Undo this import" }).waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe(new URL(preview).pathname);
    await app().getByRole("button", { name: "Undo this import" }).click();
    // Nothing is taken back before the merchant confirms what is.
    await modal()
      .locator("[data-sandbox-modal-title]", { hasText: "Take back 400 points from 2 customers?" })
      .waitFor({ timeout: 10_000 });
    await modal().locator('[data-sandbox-modal-action="Undo import"]').click();
    await toast("Import undone");
    await page.goto(profile);
    await app().getByText("\u2212300: undid the import (moved from Smile)").first().waitFor({ timeout: 15_000 });
    expect(pageErrors).toEqual([]);
  });

  it("is told which columns its file needs in the chosen app's words, and a semicolon file's 1.234 is 1,234 points", async () => {
    await openAdmin(page, { env, shop, timeout: 30_000 });
    await appLink("Import").click();
    await adminTitle("Import");
    await app().getByLabel("Moving from").selectOption("loyaltylion");
    await app()
      .locator('input[data-testid="points-file"]')
      .setInputFiles({ name: "wrong.csv", mimeType: "text/csv", buffer: Buffer.from("name,score\nAda,300\n") });
    await app().getByRole("button", { name: "Check file" }).nth(1).click();
    await app()
      .getByText(
        'The file needs an "email" column and an "approved points" column, as LoyaltyLion\'s export names them; its header row has: name, score',
      )
      .waitFor({ timeout: 15_000 });

    await app().getByLabel("Moving from").selectOption("generic");
    await app()
      .locator('input[data-testid="points-file"]')
      .setInputFiles({
        name: "europe.csv",
        mimeType: "text/csv",
        buffer: Buffer.from("Email;Points\r\nada@example.com;1.234\r\nbob@example.com;1,5\r\n"),
      });
    await app().getByRole("button", { name: "Check file" }).nth(1).click();
    await app().getByText("1 customer, 1,234 points; 0 emails not found in Shopify").waitFor({ timeout: 20_000 });
    await app().getByText('Points must be a whole number of zero or more, not "1,5"').waitFor();
    expect(pageErrors).toEqual([]);
  });

  // Two previews given, a third and two refused dates: longer than the default minute on a loaded machine.
  it(
    "picks a date, previews what past orders earn, applies it, and sees the entry on the customer's profile",
    { timeout: 180_000 },
    async () => {
      // Another shop, with a customer who ordered before Tally was installed.
      const pastShop = "e2e-past-orders.myshopify.com";
      env.sandbox.control.createShop({ shop: pastShop });
      env.sandbox.control.seed({ shop: pastShop, customers: 1, orders: 3, seed: 7 });
      await openAdmin(page, { env, shop: pastShop, timeout: 30_000 });
      // Home says when the install sync has brought the shop's orders in.
      const synced = app().getByText("brought in 1 customer and 3 orders from Shopify");
      for (let attempt = 0; ; attempt++) {
        const shown = await synced.waitFor({ timeout: 1000 }).then(
          () => true,
          () => false,
        );
        if (shown) break;
        if (attempt > 30) throw new Error("the install sync did not finish");
        await page.reload();
      }
      await appLink("Import").click();
      await adminTitle("Import");
      // The field says whose days it reads: the shop's, not the browser's (Paris).
      await app()
        .getByText("Orders paid from the start of this day (America/Toronto time) until Tally was installed.")
        .waitFor();
      await app().getByLabel("Orders paid on or after").fill("2000-01-01");
      await app().getByRole("button", { name: "Preview points" }).click();
      // Counted in the background, then the figures.
      const figures = app().getByText(/\b[1-9]\d* orders paid before Tally was installed earn \d+ points/);
      await figures.waitFor({ timeout: 30_000 });
      const points = Number(/earn (\d+) points/.exec((await figures.textContent()) ?? "")?.[1]);
      expect(points).toBeGreaterThan(0);
      await app()
        .getByText(/, for 1 customer\b/)
        .waitFor();

      // The day is the shop's, named with its zone, whatever the browser's (Paris).
      await app().getByText("Orders since Jan 1, 2000 (America/Toronto time)").waitFor();

      const older = page.url();
      // The older preview stays open in a second tab while another preview of the same orders is given.
      const staleTab = await merchantPage(browser, pageErrors);
      const stale = adminChrome(() => staleTab);
      await staleTab.goto(older);
      await stale
        .app()
        .getByRole("button", { name: `Give ${points} points` })
        .waitFor({ timeout: 30_000 });
      await appLink("Import").click();
      await adminTitle("Import");
      await app().getByLabel("Orders paid on or after").fill("2000-01-01");
      await app().getByRole("button", { name: "Preview points" }).click();
      await figures.waitFor({ timeout: 30_000 });
      await app()
        .getByRole("button", { name: `Give ${points} points` })
        .click();
      await adminTitle("Points for past orders");
      await app().getByText("Done", { exact: true }).first().waitFor({ timeout: 30_000 });

      // Opened again, the older preview says its orders were given since and offers no Give.
      const givenSince =
        /^Another "Points for past orders", given since this preview, gave \d+ orders? of it their points: nothing is left to give\.$/;
      await page.goto(older);
      await app().getByText(givenSince).waitFor({ timeout: 15_000 });
      expect(
        await app()
          .getByRole("button", { name: /^Give / })
          .count(),
      ).toBe(0);
      // The tab left open still offers its old total: clicked, it starts nothing and says why, then shows what is left.
      await stale
        .app()
        .getByRole("button", { name: `Give ${points} points` })
        .click();
      await stale.toast(
        "Another Points for past orders gave these orders their points since this preview: nothing was started",
      );
      await stale.app().getByText(givenSince).waitFor({ timeout: 15_000 });
      expect(
        await stale
          .app()
          .getByRole("button", { name: /^Give / })
          .count(),
      ).toBe(0);
      await staleTab.close();

      // A new preview finds nothing left: it says so and offers no "Give 0 points".
      await appLink("Import").click();
      await adminTitle("Import");
      await app().getByLabel("Orders paid on or after").fill("2000-01-01");
      await app().getByRole("button", { name: "Preview points" }).click();
      await app().getByText("Nothing to give").waitFor({ timeout: 30_000 });
      expect(
        await app()
          .getByRole("button", { name: /^Give / })
          .count(),
      ).toBe(0);

      // A date the form cannot preview is refused under a title for the form, not for a file it does not have.
      for (const [since, words] of [
        ["", "Choose the date of the first order to give points for"],
        ["2099-01-01", "Choose a date in the past"],
      ]) {
        await appLink("Import").click();
        await adminTitle("Import");
        await app().getByLabel("Orders paid on or after").fill(since!);
        await app().getByRole("button", { name: "Preview points" }).click();
        await app().getByText(words!).first().waitFor({ timeout: 15_000 });
        await app().getByText("Points for past orders could not be previewed").waitFor();
        expect(await app().getByText("This file cannot be imported").count()).toBe(0);
      }

      // The shop's one customer: their profile lists each past order's entry, explained.
      await appLink("Customers").click();
      await adminTitle("Customers");
      await app().getByRole("row").nth(1).getByRole("link").first().click();
      await app()
        .getByText(/^\+\d+: order #\d+ paid, .*; a past order, under today's rules$/)
        .first()
        .waitFor({ timeout: 15_000 });
      expect(pageErrors).toEqual([]);
    },
  );
});
