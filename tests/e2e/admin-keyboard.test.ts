import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminChrome,
  appAxeViolations,
  merchantPage,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";

// The admin by keyboard alone, and axe over its pages (newcomer round 21: F18, F19, F21).
let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-keyboard.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
  await openAdmin(page, { env, shop });
  for (const [firstName, lastName, state] of [
    ["Maya", "Okafor", "ENABLED"],
    ["Maria", "Rossi", "ENABLED"],
    ["Paolo", "Rossi", "DISABLED"],
  ] as const)
    env.sandbox.control.createCustomer({ shop, firstName, lastName, email: `${firstName}@keyboard.example`, state });
  await env.sandbox.control.idle();
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const { app, appLink, adminTitle } = adminChrome(() => page);
/** What has focus in Tally's frame: "body", or the element's tag, accessible label or text. */
const appFocus = () =>
  app()
    .locator("body")
    .evaluate(() => {
      const at = document.activeElement;
      if (!at || at === document.body) return "body";
      return `${at.tagName.toLowerCase()} ${at.getAttribute("aria-label") ?? at.textContent?.trim() ?? ""}`.trim();
    });

async function openDirectory() {
  await appLink("Customers").click();
  await app().getByText("Maria@keyboard.example").waitFor({ timeout: 20_000 });
}

describe("the admin by keyboard", () => {
  it("closes only a filter's popover on Escape, focus back on its pill; a second Escape leaves the filters", async () => {
    await openDirectory();
    await app().getByRole("button", { name: "Search and filter results" }).focus();
    await page.keyboard.press("Enter");
    const search = app().getByPlaceholder("Search by name, email or phone");
    await expect.poll(() => search.evaluate((field) => field === document.activeElement)).toBe(true);
    await page.keyboard.type("rossi");
    await app().getByText("Maya@keyboard.example").waitFor({ state: "detached", timeout: 15_000 });
    await app().getByText("Paolo@keyboard.example").waitFor({ timeout: 5_000 });

    await app().getByRole("button", { name: "Status", exact: true }).focus();
    await page.keyboard.press("Enter");
    const member = app().getByRole("radio", { name: "Member" });
    await member.waitFor({ timeout: 5_000 });
    await member.focus();
    await page.keyboard.press("Space");
    await app().getByText("Paolo@keyboard.example").waitFor({ state: "detached", timeout: 15_000 });
    await page.keyboard.press("Escape");
    await member.waitFor({ state: "detached", timeout: 5_000 });
    // The filter bar stays, with the search and the pill; focus is on the pill, not on the page's body.
    await expect(search.isVisible()).resolves.toBe(true);
    await expect.poll(appFocus).toMatch(/^button Status/);
    await expect(app().getByText("Maria@keyboard.example").count()).resolves.toBe(1);

    // From the pill, Escape leaves the filters as Polaris does; the search and filter stay applied.
    await page.keyboard.press("Escape");
    await search.waitFor({ state: "hidden", timeout: 5_000 });
    await expect(app().getByText("Maria@keyboard.example").count()).resolves.toBe(1);
    await expect(app().getByText("Paolo@keyboard.example").count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("puts focus in a bulk action's form as it opens, closes it on Escape and gives focus back to the bulk actions", async () => {
    await appLink("Jobs").click();
    await app().getByText("Long work runs in the background").waitFor({ timeout: 15_000 });
    await openDirectory();
    const row = app().locator("tbody tr").filter({ hasText: "Maya@keyboard.example" });
    await row.getByRole("checkbox").focus();
    await page.keyboard.press("Space");
    await app().getByText("1 selected").first().waitFor({ timeout: 10_000 });
    const moreActions = app().getByRole("button", { name: "More actions" });

    /** Opens `action` from "More actions" by keyboard, as a merchant without a mouse does. */
    const openFromMenu = async (action: string) => {
      await moreActions.focus();
      await page.keyboard.press("Enter");
      const item = app()
        .getByRole("menuitem", { name: action })
        .or(app().getByRole("button", { name: action }));
      await item.first().waitFor({ timeout: 5_000 });
      for (let press = 0; press < 12 && (await appFocus()) !== `button ${action}`; press++)
        await page.keyboard.press("Tab");
      await expect(appFocus()).resolves.toBe(`button ${action}`);
      await page.keyboard.press("Enter");
    };

    await openFromMenu("Adjust points");
    const points = app().locator("#bulk-action-panel").getByLabel("Points", { exact: true });
    await points.waitFor({ timeout: 5_000 });
    await expect.poll(() => points.evaluate((field) => field === document.activeElement)).toBe(true);
    await page.keyboard.type("5");
    await page.keyboard.press("Escape");
    await points.waitFor({ state: "detached", timeout: 5_000 });
    await expect.poll(appFocus).toBe("button More actions");
    // Escape was Cancel: no job started, the row still ticked.
    await expect(page.evaluate(() => location.pathname)).resolves.not.toMatch(/\/jobs/);
    await app().getByText("1 selected").first().waitFor({ timeout: 5_000 });

    // A form with no field: its heading takes focus, and its Cancel, by keyboard, gives focus back the same way.
    await openFromMenu("Send referral invitation");
    const heading = app().locator("#bulk-action-panel [data-bulk-panel-heading]");
    await heading.waitFor({ timeout: 5_000 });
    await expect.poll(() => heading.evaluate((box) => box === document.activeElement)).toBe(true);
    await app().locator("#bulk-action-panel").getByRole("button", { name: "Cancel" }).focus();
    await page.keyboard.press("Enter");
    await heading.waitFor({ state: "detached", timeout: 5_000 });
    await expect.poll(appFocus).toBe("button More actions");
    expect(pageErrors).toEqual([]);
  });
});

describe("the admin's pages", () => {
  it("each title the app's document after the page, and give axe nothing to find but Polaris' own markup", async () => {
    const pages: [link: string, title: string][] = [
      ["Customers", "Customers · Tally"],
      ["Groups", "Groups · Tally"],
      ["Referrals", "Referrals · Tally"],
      ["Import", "Import · Tally"],
      ["Jobs", "Jobs · Tally"],
      ["Audit log", "Audit log · Tally"],
      ["Settings", "Settings · Tally"],
    ];
    const documentTitle = () =>
      app()
        .locator("body")
        .evaluate(() => document.title);
    for (const [link, title] of pages) {
      await appLink(link).click();
      await adminTitle(link);
      await expect.poll(documentTitle, { message: link }).toBe(title);
      await expect(appAxeViolations(page), link).resolves.toEqual([]);
    }
    // The directory with its filter bar open, and a profile, titled by the customer's name.
    await openDirectory();
    await app().getByRole("button", { name: "Search and filter results" }).click();
    await app().getByPlaceholder("Search by name, email or phone").waitFor({ timeout: 5_000 });
    // Polaris fades the filter bar in, and axe finds its half-faded text short of contrast until it is in.
    await expect.poll(() => appAxeViolations(page), { message: "Customers, filtering" }).toEqual([]);
    await app().locator("tbody tr").filter({ hasText: "Maya@keyboard.example" }).getByRole("link").first().click();
    await adminTitle("Maya Okafor");
    await expect.poll(documentTitle).toBe("Maya Okafor · Customers · Tally");
    await expect(appAxeViolations(page), "a profile").resolves.toEqual([]);
    await page.locator("[data-sandbox-app-home]").click();
    await app().getByText("Points outstanding").waitFor({ timeout: 15_000 });
    await expect.poll(documentTitle).toBe("Home · Tally");
    expect(pageErrors).toEqual([]);
  });
});
