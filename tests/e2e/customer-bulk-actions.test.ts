import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_ADJUSTMENT_REASON_LENGTH } from "~/domain/shared";
import { desktopUserAgent, launchChromium } from "../helpers/browser";
import { startSandboxAndApp } from "../helpers/sandbox-and-app";

let env: Awaited<ReturnType<typeof startSandboxAndApp>>;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-bulk.myshopify.com";
/** Each customer's Shopify number, by surname: the storefront's logged-in customer. */
const shopifyIds = new Map<string, string>();
const people = [
  ["Anna", "Petrova"],
  ["Émile", "Durand"],
  ["Łukasz", "Nowak"],
  ["Maria", "Rossi"],
] as const;

beforeAll(async () => {
  [env, browser] = await Promise.all([startSandboxAndApp(), launchChromium()]);
  const control = env.sandbox.control;
  control.createShop({ shop });
  for (const [firstName, lastName] of people) {
    const created = control.createCustomer({
      shop,
      firstName,
      lastName,
      email: `${lastName.toLowerCase()}@example.com`,
      state: "ENABLED",
      tags: [],
    });
    shopifyIds.set(lastName, String(created.id).replace(/\D/g, ""));
  }
  page = await browser.newPage({ userAgent: desktopUserAgent, acceptDownloads: true });
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

const app = () => page.frameLocator("iframe[data-sandbox-app]");
const panel = () => app().locator("#bulk-action-panel");
const appLink = (name: string) => page.locator("[data-sandbox-nav] [data-sandbox-app-link]").getByText(name);

/** Opens the directory and ticks the rows of these surnames. */
async function selectRows(surnames: string[]) {
  await appLink("Customers").click();
  await app().getByText("rossi@example.com").waitFor({ timeout: 20_000 });
  for (const surname of surnames) {
    const row = app()
      .locator("tbody tr")
      .filter({ hasText: `${surname.toLowerCase()}@example.com` });
    await row.locator("td").first().click();
  }
  await app().getByText(`${surnames.length} selected`).first().waitFor({ timeout: 10_000 });
}

/**
 * Bulk Adjust points opened for these rows, from a directory reached afresh (by way of Jobs), so it opens with nothing
 * selected and no panel open.
 */
async function openAdjustPointsFor(rows: string[]) {
  await appLink("Jobs").click();
  await app().getByText("Long work runs in the background").waitFor({ timeout: 15_000 });
  await selectRows(rows);
  await app().getByRole("button", { name: "More actions" }).click();
  await app()
    .getByRole("menuitem", { name: "Adjust points" })
    .or(app().getByRole("button", { name: "Adjust points" }))
    .first()
    .click();
}

describe("bulk actions in the directory", () => {
  it("exports three selected rows to a CSV file downloaded inside the admin", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 30_000 });
    await env.sandbox.control.idle();
    await selectRows(["Petrova", "Durand", "Nowak"]);

    await app().getByRole("button", { name: "Export", exact: true }).first().click();
    await app().getByText("For 3 selected customers.", { exact: false }).waitFor();
    // An export's job has one file, not a result per customer.
    await expect(panel().getByText("It runs in the background").textContent()).resolves.toContain(
      "you can follow it, and download its file, on the job's page.",
    );
    await panel().getByRole("button", { name: "Export", exact: true }).click();

    const download = app().getByRole("button", { name: "Download CSV file" });
    await download.waitFor({ timeout: 20_000 });
    await app().getByText("Done", { exact: true }).waitFor({ timeout: 30_000 });
    // Finished: the page says until when the file is there, and offers it once, with no "when it has finished".
    await app().getByText("The CSV file can be downloaded until").waitFor({ timeout: 15_000 });
    // The finished line counts the customers in the file, not the one result line that is the file.
    await expect(app().locator('[id^="job-"][id$="-finished"]').textContent()).resolves.toBe(
      "Finished: the CSV file holds 3 customers: download it above",
    );
    await expect(app().getByText("when the export has finished").count()).resolves.toBe(0);
    await expect(
      app()
        .getByRole("button", { name: /^Download/ })
        .count(),
    ).resolves.toBe(1);
    // The results list the file as a file, not under "Customer".
    const results = app().locator(".Polaris-IndexTable");
    await expect(results.getByRole("columnheader").first().textContent()).resolves.toBe("File");
    const listed = (await results.getByRole("row").nth(1).textContent()) ?? "";
    expect(listed).toMatch(/^customers-export-\d+-\d{4}-\d{2}-\d{2}\.csv.*3 customers exported$/);
    const [file] = await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), download.click()]);
    // The file the merchant finds in Downloads is the one the result line names.
    expect(file.suggestedFilename()).toMatch(/^customers-export-\d+-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(listed.startsWith(file.suggestedFilename())).toBe(true);
    const bytes = readFileSync((await file.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = parse(bytes.toString("utf8").slice(1)) as string[][];
    expect(table[0]?.slice(0, 2)).toEqual(["Name", "Email"]);
    // The file starts with the columns the directory shows: date joined is shown, last order is not by default.
    // Times are in the shop's zone, which the header names, written as spreadsheets read dates.
    const joined = table[0]!.indexOf("Date joined (America/Toronto)");
    expect(joined).toBeGreaterThan(0);
    for (const row of table.slice(1)) expect(row[joined]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(table[0]!.some((header) => header.startsWith("Last order"))).toBe(false);
    expect(
      table
        .slice(1)
        .map((row) => row[0])
        .toSorted(),
    ).toEqual(["Anna Petrova", "Émile Durand", "Łukasz Nowak"]);
    expect(pageErrors).toEqual([]);
  });

  it("adds a tag to selected rows and shows each customer's result", async () => {
    await selectRows(["Rossi", "Nowak"]);
    await app().getByRole("button", { name: "Add tags", exact: true }).first().click();
    await panel().getByLabel("Tags").fill("VIP, Autumn");
    await panel().getByRole("button", { name: "Add tags", exact: true }).click();

    await app().getByText("Done", { exact: true }).waitFor({ timeout: 30_000 });
    const changed = app().getByRole("row").filter({ hasText: "Changed" });
    await vi.waitFor(async () => expect(await changed.count()).toBe(2), { timeout: 10_000 });
    await expect(changed.filter({ hasText: "Maria Rossi" }).textContent()).resolves.toContain("Added VIP, Autumn");
    // Each named customer's email is under their name, so two customers of one name tell apart.
    await changed.filter({ hasText: "Maria Rossi" }).getByText("rossi@example.com", { exact: true }).waitFor();

    expect(pageErrors).toEqual([]);
  });

  it("shows the tagging on a tagged customer's profile, in its audit trail, linked to the job", async () => {
    // From the job's results (the page the last test left), to the customer's profile.
    const jobUrl = page.url();
    await app().getByRole("link", { name: "Maria Rossi" }).click();
    await app().getByRole("heading", { name: "Audit trail" }).waitFor({ timeout: 20_000 });
    const line = app().getByRole("row").filter({ hasText: "Add tags VIP, Autumn" });
    await expect(line.textContent()).resolves.toContain("Changed: Added VIP, Autumn");
    await expect(app().getByText("No staff actions on this customer yet.").count()).resolves.toBe(0);
    await line.getByRole("link", { name: "Add tags VIP, Autumn" }).click();
    await app().getByText("Finished: 2 of 2 customers changed").waitFor({ timeout: 15_000 });
    expect(page.url()).toBe(jobUrl);
    expect(pageErrors).toEqual([]);
  });

  it("refuses a tag over 255 characters in the form, in words, keeping what was typed and starting no job", async () => {
    await selectRows(["Petrova"]);
    await app().getByRole("button", { name: "Add tags", exact: true }).first().click();
    const typed = `Spring, ${"z".repeat(256)}`;
    await panel().getByLabel("Tags").fill(typed);
    await panel().getByRole("button", { name: "Add tags", exact: true }).click();
    await panel()
      .getByText(`Tag \u201c${"z".repeat(20)}\u2026\u201d: keep it to 255 characters or fewer (this is 256)`)
      .waitFor({ timeout: 10_000 });
    await expect(panel().getByLabel("Tags").inputValue()).resolves.toBe(typed);
    await expect(panel().getByLabel("Tags").getAttribute("aria-invalid")).resolves.toBe("true");
    expect(page.url()).not.toMatch(/\/jobs/);
    expect(pageErrors).toEqual([]);
  });

  it('unticks "Allow balances below zero" whenever the amount changes, as the profile\'s Adjust points does', async () => {
    await openAdjustPointsFor(["Durand", "Nowak"]);
    const points = panel().getByLabel("Points");
    const allow = panel().getByLabel("Allow balances below zero");
    await points.fill("-500");
    await allow.check();
    await expect(allow.isChecked()).resolves.toBe(true);
    // Another amount, typed over the first: the box no longer stands for it.
    await points.fill("-5000");
    await expect(allow.isChecked()).resolves.toBe(false);
    // One key more, or one less, is a change too; and so is going back to the amount ticked before.
    await allow.check();
    await points.press("End");
    await points.press("0");
    await expect(allow.isChecked()).resolves.toBe(false);
    await allow.check();
    await points.press("Backspace");
    await expect(allow.isChecked()).resolves.toBe(false);
    await allow.check();
    await points.fill("-500");
    await expect(allow.isChecked()).resolves.toBe(false);
    // The reason is not the amount: changing it keeps the box as staff left it.
    await allow.check();
    await panel().getByLabel("Reason").fill("goodwill");
    await expect(allow.isChecked()).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it("puts each refusal of bulk Adjust points on its field, and says the shopper never reads the reason", async () => {
    await openAdjustPointsFor(["Durand", "Nowak"]);
    const points = panel().getByLabel("Points");
    const reason = panel().getByLabel("Reason");
    // What the shopper's panel shows, said once, as on the profile's Adjust points.
    await panel().getByText("Staff read it in the activity log; customers see only “Adjusted by the store”.").waitFor();
    // The empty Reason counts against its limit ("0/500"), not a bare "0" (newcomer P3).
    await panel().getByText(`0/${MAX_ADJUSTMENT_REASON_LENGTH}`, { exact: true }).waitFor({ timeout: 5_000 });
    // As long a reason as the profile's Adjust points takes (this one stopped at 200); a longer one pasted is kept
    // whole and refused in words on its field, never cut short by the browser.
    const long = "Sorry for the late parcel, and thank you. ".repeat(15).trim();
    expect(long.length).toBeGreaterThan(MAX_ADJUSTMENT_REASON_LENGTH);
    await reason.fill(long);
    await expect(reason.inputValue()).resolves.toBe(long);
    await panel()
      .getByText(`Keep it to ${MAX_ADJUSTMENT_REASON_LENGTH} characters or fewer (this is ${long.length})`)
      .waitFor({ timeout: 5_000 });
    /** The field's error as a screen reader reaches it: invalid, and described by the message. */
    const fieldError = async (field: typeof points) => {
      const invalid = await field.getAttribute("aria-invalid");
      const described = (await field.getAttribute("aria-describedby")) ?? "";
      const texts = await Promise.all(
        described
          .split(" ")
          .filter(Boolean)
          .map((id) => app().locator(`[id="${id}"]`).textContent()),
      );
      return { invalid, texts };
    };

    await points.fill("1.5");
    await reason.fill("Sorry for the late parcel");
    await panel().getByRole("button", { name: "Adjust points", exact: true }).click();
    await expect(fieldError(points)).resolves.toMatchObject({
      invalid: "true",
      texts: expect.arrayContaining(["Enter a whole number of points, like 50 or -20"]),
    });
    await expect(reason.getAttribute("aria-invalid")).resolves.toBe("false");

    await points.fill("25");
    await reason.fill("  ");
    await panel().getByRole("button", { name: "Adjust points", exact: true }).click();
    await expect(fieldError(reason)).resolves.toMatchObject({
      invalid: "true",
      texts: expect.arrayContaining(["Say why the points are adjusted"]),
    });
    // The profile's words; the help below the field says who reads a reason, once (the error repeated it).
    const { texts } = await fieldError(reason);
    expect(texts.filter((text) => text?.includes("Staff read it in the activity log"))).toHaveLength(1);
    await expect(points.getAttribute("aria-invalid")).resolves.toBe("false");

    // Both empty: both refused at once, as the profile's modal says them (newcomer P3).
    await points.fill("");
    await reason.fill("");
    await panel().getByRole("button", { name: "Adjust points", exact: true }).click();
    await expect(fieldError(points)).resolves.toMatchObject({
      invalid: "true",
      texts: expect.arrayContaining(["Enter points, like 50 or -20"]),
    });
    await expect(fieldError(reason)).resolves.toMatchObject({
      invalid: "true",
      texts: expect.arrayContaining(["Say why the points are adjusted"]),
    });
    // Mending one leaves the other said.
    await points.fill("25");
    await expect(points.getAttribute("aria-invalid")).resolves.toBe("false");
    await expect(reason.getAttribute("aria-invalid")).resolves.toBe("true");
    expect(page.url()).not.toMatch(/\/jobs\//);
    await panel().getByRole("button", { name: "Cancel" }).click();
    expect(pageErrors).toEqual([]);
  });

  it("takes Enter in the points or the reason as pressing Adjust points, as the profile's modal does", async () => {
    await openAdjustPointsFor(["Durand", "Nowak"]);
    const points = panel().getByLabel("Points");
    const reason = panel().getByLabel("Reason");
    await points.fill("1.5");
    await reason.fill("Sorry for the late parcel");
    await points.press("Enter");
    await panel()
      .getByText("Enter a whole number of points, like 50 or -20", { exact: true })
      .waitFor({ timeout: 5_000 });
    await points.fill("25");
    await reason.fill("  ");
    await reason.press("Enter");
    await panel().getByText("Say why the points are adjusted", { exact: true }).waitFor({ timeout: 5_000 });
    expect(page.url()).not.toMatch(/\/jobs\//);
    await panel().getByRole("button", { name: "Cancel" }).click();

    // The same in the tags card: Enter in Tags starts the tagging (here refused in words, starting no job).
    await appLink("Jobs").click();
    await app().getByText("Long work runs in the background").waitFor({ timeout: 15_000 });
    await selectRows(["Rossi"]);
    await app().getByRole("button", { name: "Add tags", exact: true }).first().click();
    await panel().getByLabel("Tags").fill(" , ");
    await panel().getByLabel("Tags").press("Enter");
    await panel().getByText("Enter one or more tags, separated by commas", { exact: true }).waitFor({ timeout: 5_000 });
    await panel().getByRole("button", { name: "Cancel" }).click();
    expect(pageErrors).toEqual([]);
  });

  it("says a points adjustment that changed nobody did so, offers no Undo, and asks before undoing one that did", async () => {
    const modal = () => page.locator("[data-sandbox-modal]");
    const adjust = async (points: string) => {
      await openAdjustPointsFor(["Durand", "Nowak"]);
      await panel().getByLabel("Points").fill(points);
      await panel().getByLabel("Reason").fill("too many");
      await panel().getByRole("button", { name: "Adjust points", exact: true }).click();
    };

    // Both have 0 points and the debt was not allowed: left unchanged, as the form said, not failed (newcomer round 19).
    await adjust("-500");
    await app()
      .getByText("Finished: 0 of 2 customers changed, 2 not changed (not enough points)")
      .waitFor({ timeout: 30_000 });
    // Not failed, nor a green "Done" over a job that changed no one (a tester read it as worked): "Nothing changed".
    const badge = app().locator('.Polaris-Badge:has(:text-is("Nothing changed"))').first();
    await badge.waitFor({ timeout: 10_000 });
    await expect(badge.getAttribute("class")).resolves.toContain("Polaris-Badge--toneWarning");
    await expect(app().getByText("Done", { exact: true }).count()).resolves.toBe(0);
    await expect(app().getByText("Failed", { exact: true }).count()).resolves.toBe(0);
    // The tab as drawn (Polaris also keeps a hidden copy of each tab to measure them).
    await app().locator('span:text-is("Not changed (2)") >> visible=true').first().waitFor();
    await app()
      .locator("text=/^Not enough points: has [0-9,]+, removing 500 would leave \u2212[0-9,]+$/ >> visible=true")
      .first()
      .waitFor();
    await expect(app().getByRole("button", { name: "Undo this adjustment" }).count()).resolves.toBe(0);

    await adjust("50");
    await app().getByText("Finished: 2 of 2 customers changed").waitFor({ timeout: 30_000 });
    // The reason typed is on the job's page, not only on each profile.
    await app().getByText("Reason: too many", { exact: true }).waitFor();
    const jobUrl = page.url();
    await app().getByRole("button", { name: "Undo this adjustment" }).click();
    await modal()
      .locator("[data-sandbox-modal-title]", { hasText: "Take back 50 points from 2 customers?" })
      .waitFor({ timeout: 10_000 });
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    // Nothing was started by the first press.
    expect(page.url()).toBe(jobUrl);
    await app().getByRole("button", { name: "Undo this adjustment" }).click();
    await modal().locator('[data-sandbox-modal-action="Undo adjustment"]').click();
    await app().getByText("Finished: 2 of 2 customers reversed").waitFor({ timeout: 30_000 });
    // Named by what it undoes, not by a job number a merchant never sees.
    await page
      .locator("[data-sandbox-title]", { hasText: /^Undo: Add 50 points \(too many\)$/ })
      .waitFor({ timeout: 10_000 });
    const undoUrl = page.url();
    // The adjustment's page now says it was undone, links to the undo, and offers no second undo.
    await page.goto(jobUrl);
    await app()
      .getByText(/^Undone( by .+)? on .+: 2 customers reversed\.$/)
      .waitFor({ timeout: 20_000 });
    await expect(app().getByRole("button", { name: "Undo this adjustment" }).count()).resolves.toBe(0);
    await app().getByRole("link", { name: "See the undo" }).click();
    await app().getByText("Finished: 2 of 2 customers reversed").waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe(new URL(undoUrl).pathname);
    // The Jobs list marks the undone adjustment too, and only it: the one that changed nobody and the undo itself not.
    await appLink("Jobs").click();
    const jobId = (url: string) => /\/jobs\/(\d+)/.exec(url)![1]!;
    const rowOf = (url: string) => app().locator(`tr:has(a[href*="/jobs/${jobId(url)}"])`);
    await rowOf(jobUrl).waitFor({ timeout: 15_000 });
    await expect(rowOf(jobUrl).getByText("Undone", { exact: true }).count()).resolves.toBe(1);
    await expect(rowOf(undoUrl).getByText("Undone", { exact: true }).count()).resolves.toBe(0);
    await expect(app().getByText("Undone", { exact: true }).count()).resolves.toBe(1);

    // Undoing a removal gives points back: no word about spending, and one customer is "the 1 customer".
    await openAdjustPointsFor(["Durand"]);
    await panel().getByLabel("Points").fill("80");
    await panel().getByLabel("Reason").fill("welcome");
    await panel().getByRole("button", { name: "Adjust points", exact: true }).click();
    await app().getByText("Finished: 1 of 1 customer changed").waitFor({ timeout: 30_000 });
    await openAdjustPointsFor(["Durand"]);
    await panel().getByLabel("Points").fill("-30");
    await panel().getByLabel("Reason").fill("duplicate");
    await panel().getByRole("button", { name: "Adjust points", exact: true }).click();
    await app().getByText("Finished: 1 of 1 customer changed").waitFor({ timeout: 30_000 });
    await app()
      .getByText("Undo gives back the 30 points this job removed from the customer it changed.", { exact: true })
      .waitFor();
    await app().getByRole("button", { name: "Undo this adjustment" }).click();
    await modal()
      .locator("[data-sandbox-modal-title]", { hasText: "Give back 30 points to 1 customer?" })
      .waitFor({ timeout: 10_000 });
    // The modal's body is drawn in the admin's modal iframe, as App Bridge draws a modal's content in Shopify admin.
    const modalBody = () => modal().frameLocator("iframe").locator("body");
    await modalBody()
      .getByText(
        'The 1 customer this job changed gets the opposite adjustment (+30), recorded as an undo of "duplicate".',
        {
          exact: true,
        },
      )
      .waitFor();
    await expect(
      modalBody()
        .getByText(/spent points of it|Each of the 1 /)
        .count(),
    ).resolves.toBe(0);
    await modal().locator('[data-sandbox-modal-action="Cancel"]').click();
    expect(pageErrors).toEqual([]);
  });

  it("says on an adjustment's page, before any click, who spent its points since, and offers no Undo", async () => {
    await openAdjustPointsFor(["Petrova", "Rossi"]);
    await panel().getByLabel("Points").fill("500");
    await panel().getByLabel("Reason").fill("Autumn gift");
    await panel().getByRole("button", { name: "Adjust points", exact: true }).click();
    await app().getByText("Finished: 2 of 2 customers changed").waitFor({ timeout: 30_000 });
    await app().getByRole("button", { name: "Undo this adjustment" }).waitFor();
    const jobUrl = page.url();

    // Maria Rossi redeems 500 points on the storefront: all of them the gift's.
    const redeem = await fetch(
      `${env.sandbox.origin}/apps/tally/v1/redeem?sandbox_shop=${shop}&sandbox_customer=${shopifyIds.get("Rossi")}`,
      { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"optionId":"five-off"}' },
    );
    expect(redeem.status).toBe(200);

    await page.goto(jobUrl);
    await app().getByText("This adjustment cannot be undone").waitFor({ timeout: 20_000 });
    await app()
      .getByText(
        "has spent points since this adjustment, so it cannot be undone as a batch. To take points back from the others, adjust them on each customer's profile.",
      )
      .waitFor();
    // The message's link, above the results' own row for her.
    const named = app().getByRole("link", { name: "Maria Rossi" }).first();
    await expect(named.getAttribute("href")).resolves.toMatch(/\/app\/customers\/\d+/);
    await expect(app().getByRole("button", { name: "Undo this adjustment" }).count()).resolves.toBe(0);
    // Its customer's profile is one click away.
    await named.click();
    await app().getByText("rossi@example.com").first().waitFor({ timeout: 15_000 });
    expect(pageErrors).toEqual([]);
  });

  it("says what was not found at an unknown import, job or customer, inside the app with its navigation", async () => {
    const consoleErrors: string[] = [];
    const onConsole = (message: { type(): string; text(): string }) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    };
    page.on("console", onConsole);
    const appBase = new URL(page.url()).pathname.replace(/(\/apps\/[^/]+).*$/, "$1");
    const cases = [
      { path: "/import/7", says: "There is no import 7 in Tally", back: "Back to Import" },
      { path: "/jobs/999", says: "This job is not in Tally", back: "Jobs" },
      { path: "/customers/999999", says: "This customer is not in Tally", back: "Customers" },
      // A path naming no record is a page not found too, not a schema's words about a pattern (found by a newcomer).
      { path: "/jobs/abc", says: "This job is not in Tally", back: "Jobs" },
      { path: "/customers/abc", says: "This customer is not in Tally", back: "Customers" },
      { path: "/customers/abc/edit", says: "This customer is not in Tally", back: "Customers" },
      { path: "/import/abc", says: "There is no import abc in Tally", back: "Back to Import" },
      // A path no page answers: inside the app, with the way back, not a bare "404 Not Found".
      { path: "/groups/999999", says: "There is no group 999999 in Tally", back: "Back to Groups" },
      { path: "/nonexistent-page", says: "There is no such page in Tally", back: "Back to Home" },
      { path: "/customers/1/edit/x", says: "There is no such page in Tally", back: "Back to Customers" },
    ];
    for (const { path, says, back } of cases) {
      await page.goto(`${env.sandbox.origin}${appBase}${path}`);
      await app().getByText(says).waitFor({ timeout: 20_000 });
      await expect(appLink("Import").count(), path).resolves.toBe(1);
      await expect(
        app()
          .getByText(/must match pattern|Invalid string|404 Not Found/)
          .count(),
        path,
      ).resolves.toBe(0);
      if (back === "Back to Import") {
        await app().getByRole("link", { name: back }).click();
        await app().getByText("Import customers").first().waitFor({ timeout: 15_000 });
      } else if (back.startsWith("Back to")) {
        await app().getByRole("link", { name: back }).waitFor();
      }
    }
    page.off("console", onConsole);
    // A bare error body once failed hydration (React #418, #423).
    expect(consoleErrors.filter((text) => /#41\d|#42\d|hydrat/i.test(text))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("counts who a search's export reaches before it starts, and starts nothing for a search matching nobody", async () => {
    await appLink("Customers").click();
    await app().getByText("rossi@example.com").waitFor({ timeout: 20_000 });
    const appBase = new URL(page.url()).pathname.replace(/(\/apps\/[^/]+).*$/, "$1");
    await page.goto(`${env.sandbox.origin}${appBase}/customers?q=petrova`);
    await app().getByText("petrova@example.com").waitFor({ timeout: 20_000 });
    await page.locator('[data-sandbox-title-action="Export"]').click();
    await panel()
      .getByText("For every customer that matches the search (1 customer).", { exact: false })
      .waitFor({ timeout: 10_000 });
    await expect(panel().getByRole("button", { name: "Export", exact: true }).isEnabled()).resolves.toBe(true);

    await page.goto(`${env.sandbox.origin}${appBase}/customers?q=nobody-by-this-name`);
    await app().getByText("0 customers").waitFor({ timeout: 20_000 });
    await page.locator('[data-sandbox-title-action="Export"]').click();
    // Only the search selects the list: no filter is named that nobody set.
    await panel()
      .getByText("No customer matches the search: there is nothing to do. Try another name, email or phone.", {
        exact: true,
      })
      .waitFor();
    await expect(panel().getByRole("button", { name: "Export", exact: true }).isDisabled()).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it("names each directory tab by what it shows, its name and count, never the badge's hidden 'New'", async () => {
    await appLink("Jobs").click();
    await appLink("Customers").click();
    // As a speech-input user reads it (WCAG 2.5.3, newcomer round 21): no aria-label saying it otherwise.
    await app()
      .getByRole("tab", { name: /^All\s*4$/ })
      .waitFor({ timeout: 15_000 });
    await expect(
      app()
        .getByRole("tab", { name: /^Guests\s*\d+$/ })
        .count(),
    ).resolves.toBe(1);
    await expect(app().getByRole("tab", { name: /New/ }).count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("says in bulk Adjust points how many selected are Guests who can't redeem, and still adjusts", async () => {
    // A Guest (no account in the store) joins the shop's four Members; the program's default: Guests cannot redeem.
    env.sandbox.control.createCustomer({
      shop,
      firstName: "Gia",
      lastName: "Guest",
      email: "guest@example.com",
      state: "DISABLED",
      tags: [],
    });
    await env.sandbox.control.idle();
    await openAdjustPointsFor(["Guest", "Petrova"]);
    const note = panel().getByTestId("adjust-guests-note");
    // The note is for points given: it waits for a number above 0.
    await panel().getByLabel("Points").fill("25");
    await expect(note.textContent({ timeout: 15_000 })).resolves.toBe(
      "1 of the 2 selected customers is a Guest: they get the points, but can't redeem them until they create an account in your store (Guests can redeem is off in Settings).",
    );
    // Taking points away, or giving none, gives a Guest nothing to spend: nothing to say then.
    for (const nothingGiven of ["-5", "0"]) {
      await panel().getByLabel("Points").fill(nothingGiven);
      await vi.waitFor(async () => expect(await note.count()).toBe(0), { timeout: 5_000 });
    }
    await panel().getByLabel("Points").fill("25");
    await panel().getByLabel("Reason").fill("Welcome gift");
    await note.waitFor({ timeout: 5_000 });
    // Said, not refused: the job starts and gives both their points.
    await panel().getByRole("button", { name: "Adjust points", exact: true }).click();
    await app().getByText("Finished: 2 of 2 customers changed", { exact: false }).waitFor({ timeout: 30_000 });
    expect(pageErrors).toEqual([]);
  });

  it("says in bulk Block what blocking does, in the words of a profile's Block modal", async () => {
    await appLink("Jobs").click();
    await app().getByText("Long work runs in the background").waitFor({ timeout: 15_000 });
    await selectRows(["Rossi", "Petrova"]);
    await app().getByRole("button", { name: "More actions" }).click();
    await app()
      .getByRole("menuitem", { name: "Block", exact: true })
      .or(app().getByRole("button", { name: "Block", exact: true }))
      .first()
      .click();
    await expect(panel().getByTestId("block-words").textContent({ timeout: 10_000 })).resolves.toBe(
      'A blocked customer earns and redeems no points until unblocked. What they would have earned is listed under "Points not earned"; unblocking does not pay it out. You can still adjust a blocked customer\'s points on their profile; bulk points adjustments leave them out.',
    );
    await panel().getByRole("button", { name: "Cancel", exact: true }).click();
    expect(pageErrors).toEqual([]);
  });
});
