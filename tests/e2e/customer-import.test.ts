import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desktopUserAgent, launchChromium } from "../helpers/browser";
import { startSandboxAndApp } from "../helpers/sandbox-and-app";

let env: Awaited<ReturnType<typeof startSandboxAndApp>>;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-import.myshopify.com";

beforeAll(async () => {
  [env, browser] = await Promise.all([startSandboxAndApp(), launchChromium()]);
  env.sandbox.control.createShop({ shop });
  page = await browser.newPage({ userAgent: desktopUserAgent, acceptDownloads: true });
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

const app = () => page.frameLocator("iframe[data-sandbox-app]");
const appLink = (name: string) => page.locator("[data-sandbox-nav] [data-sandbox-app-link]").getByText(name);

// Excel's "CSV UTF-8": a byte order mark, CRLF, Shopify's export headers; two bad rows among five.
const csv = [
  "\uFEFFFirst Name,Last Name,Email,Phone,Accepts Email Marketing,Points,Password",
  "Grace,Hopper,grace@example.com,+1 613 555 0199,yes,300,cobol",
  "Alan,Turing,alan(at)example.com,,no,120,",
  "Katherine,Johnson,katherine@example.com,,no,75,",
  "\"=cmd|' /C calc'!A0\",Mallory,mallory@example.com,,,ten,",
  "Edsger,Dijkstra,edsger@example.com,,,0,",
  "",
].join("\r\n");

describe("Importing customers, as a merchant does it", () => {
  it("uploads a file with two bad rows, sees and downloads them, imports the rest and finds them with their points", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 30_000 });

    await appLink("Import").click();
    await app()
      .locator('input[data-testid="customers-file"]')
      .setInputFiles({ name: "customers.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    // Shopify's account invitation is sent only when the merchant asks for it.
    const invitation = app().getByRole("checkbox", { name: "Send new customers Shopify's account invitation" });
    expect(await invitation.isChecked()).toBe(false);
    await invitation.check();
    await app().getByRole("button", { name: "Check file" }).first().click();

    // The preview: what will happen, how the columns were read, the two bad rows and why.
    await app().getByText("5 rows read: 3 ready, 2 with problems.").waitFor({ timeout: 20_000 });
    await app().getByText("3 customers will be created").waitFor();
    await app().getByText("Shopify will email 3 new customers its account invitation").waitFor();
    await app().getByText("375 points will be added: each new customer starts with the file's Points").waitFor();
    // Who they are, before anything is written to Shopify: each new customer's name, email and points, in file order;
    // the refused rows are not among them.
    const created = app().getByTestId("import-creates");
    await expect(created.locator("tbody tr").allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^2\s+Grace Hopper\s+grace@example\.com\s+300$/),
      expect.stringMatching(/^4\s+Katherine Johnson\s+katherine@example\.com\s+75$/),
      expect.stringMatching(/^6\s+Edsger Dijkstra\s+edsger@example\.com\s+0$/),
    ]);
    await app().getByText("New customers (3)", { exact: true }).waitFor();
    await expect(app().getByTestId("import-creates-more").count()).resolves.toBe(0);
    // What the new customers will be, and why (newcomer round 19: 5,000 imported Guests and nothing said so).
    await app().getByText("Imported customers are Guests until they have an account").waitFor();
    await expect(app().getByTestId("import-guests").textContent()).resolves.toBe(
      "New customers start as Guests in Tally: each becomes a Member when they create an account in your store (Shopify's invitation asks them to). Their points count in Points outstanding from the start; as Guests they earn points on orders, and they can spend their points once they are Members. Home's guest-to-member conversion counts them as Guests until then.",
    );
    // Which file to upload again: the download, named.
    await app()
      .getByText(
        "These rows are left out. Download them (customers-rows-with-problems.csv holds only these rows), fix them there, and upload that file to import them.",
      )
      .waitFor();
    // Every count takes its noun in the plural that goes with it.
    await app().getByText("1 row has a password").waitFor();
    await app().getByText("0 customers Shopify has will be updated").waitFor();
    await app().getByText('"alan(at)example.com" is not a valid email address').waitFor();
    // Mallory's name, which starts like a formula, is taken as Shopify takes it; her Points are the problem.
    await app().getByText('Points must be a whole number of zero or more, not "ten"').waitFor();

    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 15_000 }),
      app().getByRole("button", { name: "Download rows with problems" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("customers-rows-with-problems.csv");
    const bad = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
    const lines = bad.trim().split("\r\n");
    expect(lines[0]).toBe("First Name,Last Name,Email,Phone,Accepts Email Marketing,Points,Password,Problems");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("alan(at)example.com");
    // The formula stays text when the merchant opens the file in a spreadsheet.
    expect(lines[2]!.startsWith("'=cmd|")).toBe(true);

    await app().getByRole("button", { name: "Import customers" }).click();
    await page.locator("[data-sandbox-title]", { hasText: /^Import customers$/ }).waitFor({ timeout: 15_000 });
    await app().getByText("3 of 3 customers", { exact: true }).waitFor({ timeout: 30_000 });
    await app().getByText("Finished: 3 of 3 customers imported", { exact: true }).waitFor({ timeout: 15_000 });
    await app()
      .getByText("Created, +300 points; Shopify emails them its account invitation")
      .waitFor({ timeout: 10_000 });
    // A customer the import created is listed by name, linked to their profile, as customers it updated are.
    await expect(app().getByRole("link", { name: "Grace Hopper", exact: true }).getAttribute("href")).resolves.toMatch(
      /\/app\/customers\/\d+/,
    );
    // The import's page now says what it did, with the preview's breakdown, no longer what the check said it would do.
    await app().getByRole("link", { name: "Open the import" }).click();
    await app()
      .getByText(
        "The import ran: 3 imported (3 created, 375 points added), 0 skipped, 0 refused by Shopify. Its results list each row.",
      )
      .waitFor({ timeout: 15_000 });
    await expect(app().getByText("3 customers will be created").count()).resolves.toBe(0);
    await expect(app().getByTestId("import-guests").textContent()).resolves.toMatch(
      /^The customers this import created are Guests in Tally: each becomes a Member when they create an account/,
    );

    await appLink("Customers").click();
    await page.locator("[data-sandbox-title]", { hasText: /^Customers$/ }).waitFor({ timeout: 15_000 });
    const grace = app().getByRole("row").filter({ hasText: "grace@example.com" });
    await grace.waitFor({ timeout: 15_000 });
    await expect(grace.textContent()).resolves.toMatch(/Grace Hopper.*300/);
    const katherine = app().getByRole("row").filter({ hasText: "katherine@example.com" });
    await expect(katherine.textContent()).resolves.toMatch(/75/);
    await expect(app().getByRole("row").filter({ hasText: "alan" }).count()).resolves.toBe(0);
    expect(env.sandbox.control.customerByEmail({ shop, email: "grace@example.com" })?.phone).toBe("+16135550199");
    expect(pageErrors).toEqual([]);
  });

  it("at 1400 px, shows what an update changes and every problem whole, then the customer's trail names the import", async () => {
    // Maya is already in Shopify (and in Tally, from the customers/create webhook).
    env.sandbox.control.createCustomer({ shop, email: "maya.demo@example.com", firstName: "Maya", lastName: "Okafor" });
    await env.sandbox.control.idle();
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 30_000 });
    const problems = Array.from(
      { length: 7 },
      (_, index) => `Row,${index},not-an-email-${index}-with-a-rather-long-local-part-and-no-domain-at-all,,,`,
    );
    const file = [
      "First Name,Last Name,Email,Phone,Accepts Email Marketing,Points",
      "Maya,Again,maya.demo@example.com,,,",
      ...problems,
      "",
    ];
    await appLink("Import").click();
    await app()
      .locator('input[data-testid="customers-file"]')
      .setInputFiles({ name: "maya.csv", mimeType: "text/csv", buffer: Buffer.from(file.join("\r\n")) });
    await app().getByRole("button", { name: "Check file" }).first().click();

    await app().getByText("1 customer Shopify has will be updated: Last name on 1").waitFor({ timeout: 20_000 });
    const change = app().getByTestId("import-changes").getByRole("row").filter({ hasText: "maya.demo@example.com" });
    await expect(change.textContent()).resolves.toContain("Last name: Okafor \u2192 Again");

    // Seven problems: every reason whole in its cell, no sideways scroll and no pager for the table.
    const table = app().getByTestId("import-problems");
    await table
      .getByText(/not-an-email-6/)
      .first()
      .waitFor();
    const { clipped, pager } = await table.evaluate((box) => {
      const shown = box.getBoundingClientRect();
      const cut = [...box.querySelectorAll("th, td")]
        .filter((cell) => {
          const rect = cell.getBoundingClientRect();
          return cell.scrollWidth > cell.clientWidth || rect.right > shown.right + 1;
        })
        .map((cell) => cell.textContent);
      const navigation = box.querySelector(".Polaris-DataTable__Navigation");
      return {
        clipped: cut,
        pager: navigation
          ? getComputedStyle(navigation).display !== "none" && navigation.getBoundingClientRect().height > 0
          : false,
      };
    });
    expect(clipped).toEqual([]);
    expect(pager).toBe(false);

    await app().getByRole("button", { name: "Import customers" }).click();
    await app().getByText("1 of 1 customer", { exact: true }).waitFor({ timeout: 30_000 });
    await appLink("Customers").click();
    const maya = app().getByRole("row").filter({ hasText: "maya.demo@example.com" });
    await maya.getByText("Maya Again").waitFor({ timeout: 15_000 });
    await maya.getByRole("link").first().click();
    const trail = app().locator("tr", { hasText: "Imported a customer from a file" });
    await trail.waitFor({ timeout: 15_000 });
    await expect(trail.textContent()).resolves.toMatch(/Last name: Okafor \u2192 Again, from maya\.csv \(import \d+\)/);
    expect(pageErrors).toEqual([]);
  });

  it("answers a large upload at once: the page counts the rows checked, then shows the preview and the Import button", async () => {
    const rows = 20_000;
    const lines = ["Email,First Name,Points"];
    // Long first names take the file past 1 MiB, the cap on any other request's body (a 3.4 MB file was refused).
    const name = `Big${"g".repeat(40)}`;
    for (let i = 0; i < rows; i++) lines.push(i % 250 === 7 ? `bad-${i},${name},1` : `big${i}@example.com,${name},1`);
    const file = Buffer.from(lines.join("\n"));
    expect(file.length).toBeGreaterThan(1024 * 1024);
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 30_000 });
    await appLink("Import").click();
    await app()
      .locator('input[data-testid="customers-file"]')
      .setInputFiles({ name: "big.csv", mimeType: "text/csv", buffer: file });
    // The page's asks for the check's progress say they are polls (?poll=1), as the sync card's do: a sync running
    // meanwhile keeps its pace (decision 030, sixth round).
    const asks: URLSearchParams[] = [];
    const onRequest = (request: { url: () => string }) => {
      const url = new URL(request.url());
      if (/^\/app\/import\/\d+\.data$/.test(url.pathname)) asks.push(url.searchParams);
    };
    page.on("request", onRequest);
    await app().getByRole("button", { name: "Check file" }).first().click();

    // The check runs in the background: its page counts the rows, with no Import button until the preview is made.
    const checking = app().getByTestId("import-checking");
    await checking.waitFor({ timeout: 15_000 });
    await expect(checking.textContent()).resolves.toMatch(/^Checking rows… [\d,]+( of 20,000)?$/);
    await expect(
      app()
        .getByRole("button", { name: /^Import / })
        .count(),
    ).resolves.toBe(0);

    await app().getByText("20,000 rows read: 19,920 ready, 80 with problems.").waitFor({ timeout: 60_000 });
    page.off("request", onRequest);
    // The preview came by a poll; the only ask of the import's loader that is not one is the page's own load after the
    // upload (the layout's loaders come in a request of their own: the page has a clientLoader, decision 054).
    const ofImport = (params: URLSearchParams) => (params.get("_routes") ?? "routes/app.import.$id").includes("import");
    expect(asks.filter((params) => params.get("poll") === "1").length).toBeGreaterThan(0);
    expect(asks.filter((params) => params.get("poll") !== "1" && ofImport(params)).length).toBeLessThanOrEqual(1);
    await app().getByText("19,920 customers will be created").waitFor();
    // The first new customers are named, the rest counted: the preview holds a page of them, not 19,920.
    const created = app().getByTestId("import-creates");
    await expect(created.locator("tbody tr").count()).resolves.toBe(20);
    await expect(created.locator("tbody tr").first().innerText()).resolves.toMatch(
      new RegExp(`^2\\s+${name}\\s+big0@example\\.com\\s+1$`),
    );
    await expect(app().getByTestId("import-creates-more").textContent()).resolves.toBe("and 19,900 more");
    await app().getByRole("button", { name: "Import customers" }).waitFor();
    await app().getByText('"bad-7" is not a valid email address').waitFor();
    // More problems than the page lists: it says so, and where the rest are.
    await app()
      .getByText(/The first 50 are shown here; the download has all 80\./)
      .waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("a file with only its header is refused in a whole sentence", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 30_000 });
    await appLink("Import").click();
    await app()
      .locator('input[data-testid="customers-file"]')
      .setInputFiles({
        name: "header.csv",
        mimeType: "text/csv",
        buffer: Buffer.from("First Name,Last Name,Email,Points\n"),
      });
    await app().getByRole("button", { name: "Check file" }).first().click();
    await app()
      .getByText(
        "No customers in this file: it has a header row and nothing under it. Add a row per customer and upload it again.",
        { exact: true },
      )
      .waitFor({ timeout: 20_000 });
  });

  it("a file whose check fails past its first row says so on its badge and once in its words, and stops asking", async () => {
    // The upload reads the header and the first row; the quote that line 4 opens is found by the background check.
    const file = ["Email,First name,Points", "p0@example.com,Ana,1", "p1@example.com,Ben,1", '"p2@example.com,Cleo,1'];
    file.push("p3@example.com,Dan,1", "");
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 30_000 });
    await appLink("Import").click();
    await app()
      .locator('input[data-testid="customers-file"]')
      .setInputFiles({ name: "quote.csv", mimeType: "text/csv", buffer: Buffer.from(file.join("\n")) });
    await app().getByRole("button", { name: "Check file" }).first().click();

    const words = app().getByTestId("import-check-failed");
    await words.waitFor({ timeout: 20_000 });
    await app().getByText("Check failed", { exact: true }).waitFor();
    await expect(app().getByText("Checking", { exact: true }).count()).resolves.toBe(0);
    const text = (await words.textContent()) ?? "";
    expect(text).toBe(
      'The file stops being a CSV: a quote (") opened by line 4 is never closed, so everything after it reads as one cell: close the quote or remove it, and upload the file again.',
    );
    expect(text.match(/upload (the file|it) again/g)).toHaveLength(1);
    // The page no longer asks the server for a check that is over.
    const asked: string[] = [];
    const onRequest = (request: { url: () => string }) => {
      // A revalidation is a single fetch of the route's data: /app/import/<id>.data
      if (/\/app\/import\/\d+\.data/.test(request.url())) asked.push(request.url());
    };
    page.on("request", onRequest);
    await page.waitForTimeout(2_500);
    page.off("request", onRequest);
    expect(asked).toEqual([]);
    await expect(
      app()
        .getByRole("button", { name: /^Import / })
        .count(),
    ).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("takes a file dropped on the page, refuses a picture and a form with no file in words under the field", async () => {
    await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
    await app().getByText("Points outstanding").waitFor({ timeout: 30_000 });
    await appLink("Import").click();
    await app().getByText("or drop a CSV file here").first().waitFor({ timeout: 15_000 });
    const frame = page.frames().find((each) => /\/app\/import(\?|$)/.test(each.url()))!;

    // Check file with nothing added: said under the field, nothing sent.
    await app().getByRole("button", { name: "Check file" }).first().click();
    await app().getByText("Choose a CSV file to check: add it or drop it above.").waitFor({ timeout: 10_000 });
    expect(frame.url()).toMatch(/\/app\/import(\?|$)/);

    /** Drops a file on the first DropZone, as a merchant drags one from the desktop. */
    const drop = async (name: string, type: string, text: string) => {
      const transfer = await frame.evaluateHandle(
        ([name, type, text]) => {
          const data = new DataTransfer();
          data.items.add(new File([text], name, { type }));
          return data;
        },
        [name, type, text] as const,
      );
      // The customers form's zone, whether it shows its hint or a file picked before.
      const zone = app().locator('form:has(input[name="intent"][value="customers"]) .Polaris-DropZone');
      await zone.dispatchEvent("dragenter", { dataTransfer: transfer });
      await zone.dispatchEvent("drop", { dataTransfer: transfer });
    };
    await drop("photo.png", "image/png", "not a list");
    await app()
      .getByText(
        '"photo.png" is not a CSV file. Save your list as CSV (comma or semicolon separated) from Excel, Numbers or Google Sheets, and add that file.',
      )
      .waitFor({ timeout: 10_000 });

    // Picked through the dialog instead, the same picture is refused the same way, and the form is not sent.
    await app()
      .locator('input[data-testid="customers-file"]')
      .setInputFiles({ name: "picked.png", mimeType: "image/png", buffer: Buffer.from("not a list") });
    await app().getByText('"picked.png" is not a CSV file.', { exact: false }).waitFor({ timeout: 10_000 });
    await app().getByRole("button", { name: "Check file" }).first().click();
    await page.waitForTimeout(1_000);
    expect(frame.url()).toMatch(/\/app\/import(\?|$)/);

    await drop("dropped.csv", "text/csv", "First Name,Last Name,Email\r\nAda,Lovelace,ada-dropped@example.com\r\n");
    await app().getByText("dropped.csv", { exact: true }).waitFor({ timeout: 10_000 });
    await expect(
      app()
        .getByText(/is not a CSV file/)
        .count(),
    ).resolves.toBe(0);
    await app().getByRole("button", { name: "Check file" }).first().click();
    await app().getByText("1 row read: 1 ready, 0 with problems.").waitFor({ timeout: 20_000 });
    expect(pageErrors).toEqual([]);
  });

  it("says in one sentence what a file does, offers a sample CSV, and keeps the column rules behind Columns Tally reads", async () => {
    await appLink("Import").click();
    await app()
      .getByText("Add or update customers in Shopify from a CSV file, such as Shopify's own customer export.", {
        exact: false,
      })
      .waitFor({ timeout: 15_000 });
    // The rules are there when asked for, not 110 words beside the form.
    const rule = app().getByText("Canadian, US and Australian province codes are checked", { exact: false });
    await expect(rule.isVisible()).resolves.toBe(false);
    const columns = app().getByRole("button", { name: "Columns Tally reads" });
    await columns.click();
    await rule.waitFor({ timeout: 5_000 });
    await app().getByText("a number abroad needs its country code (+44 20 7946 0958)", { exact: false }).waitFor();
    await expect(columns.getAttribute("aria-expanded")).resolves.toBe("true");

    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 15_000 }),
      app().getByRole("link", { name: "Download a sample CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("tally-sample-customers.csv");
    const lines = readFileSync((await download.path())!, "utf8")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^First Name,Last Name,Email,Phone,Tags,Tax Exempt,Accepts Email Marketing,Points,/);
    expect(lines).toHaveLength(3);

    // The sample, uploaded as it is, is taken whole.
    await app()
      .locator('input[data-testid="customers-file"]')
      .setInputFiles({ name: "sample.csv", mimeType: "text/csv", buffer: readFileSync((await download.path())!) });
    await app().getByRole("button", { name: "Check file" }).first().click();
    await app().getByText("2 rows read: 2 ready, 0 with problems.").waitFor({ timeout: 20_000 });
    expect(pageErrors).toEqual([]);
  });
});
