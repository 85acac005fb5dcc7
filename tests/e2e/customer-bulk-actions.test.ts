import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { desktopUserAgent, launchChromium } from "../helpers/browser";
import { startSandboxAndApp } from "../helpers/sandbox-and-app";

let env: Awaited<ReturnType<typeof startSandboxAndApp>>;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-bulk.myshopify.com";
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
    control.createCustomer({
      shop,
      firstName,
      lastName,
      email: `${lastName.toLowerCase()}@example.com`,
      state: "ENABLED",
      tags: [],
    });
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

describe("bulk actions in the directory", () => {
  it("exports three selected rows to a CSV file downloaded inside the admin", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 30_000 });
    await env.sandbox.control.idle();
    await selectRows(["Petrova", "Durand", "Nowak"]);

    await app().getByRole("button", { name: "Export", exact: true }).first().click();
    await app().getByText("For 3 selected customers.", { exact: false }).waitFor();
    await panel().getByRole("button", { name: "Export", exact: true }).click();

    const download = app().getByRole("button", { name: "Download CSV file" });
    await download.waitFor({ timeout: 20_000 });
    await app().getByText("Done", { exact: true }).waitFor({ timeout: 30_000 });
    // Finished: the page says until when the file is there, and offers it once, with no "when it has finished".
    await app().getByText("The CSV file can be downloaded until").waitFor({ timeout: 15_000 });
    await expect(app().getByText("when the export has finished").count()).resolves.toBe(0);
    await expect(
      app()
        .getByRole("button", { name: /^Download/ })
        .count(),
    ).resolves.toBe(1);
    const [file] = await Promise.all([page.waitForEvent("download", { timeout: 15_000 }), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^customers-export-\d+-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await file.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = parse(bytes.toString("utf8").slice(1)) as string[][];
    expect(table[0]?.slice(0, 2)).toEqual(["Name", "Email"]);
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

    expect(pageErrors).toEqual([]);
  });
});
