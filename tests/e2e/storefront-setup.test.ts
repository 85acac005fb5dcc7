import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appFrame,
  merchantPage,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";
import { desktopUserAgent } from "../helpers/browser";

// A new merchant sets up the storefront from Home (App Store requirement 5.1.3): the card reads the published theme
// through App Bridge's shopify.app.extensions(), its deep links open the theme editor with the embed switched on or
// the block being added, and after Save the card shows the step done.
let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-setup.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

const app = () => appFrame(page);
const step = (handle: string) => app().locator(`[data-setup-step="${handle}"]`);

async function home() {
  await page.goto(`${env.sandbox.origin}/admin?shop=${shop}`);
  await app().getByText("Set up your storefront").waitFor({ timeout: 20_000 });
  await app().locator("[data-setup-step][data-setup-status='unknown']").first().waitFor({ state: "detached" });
}

describe("Home's storefront setup", () => {
  it("lists every step not done, with a deep link into the theme editor", async () => {
    await home();
    await expect(app().getByText("0 of 2 required steps done in your published theme").count()).resolves.toBe(1);
    for (const handle of ["launcher", "points-balance", "rewards", "referral"]) {
      await expect(step(handle).getAttribute("data-setup-status")).resolves.toBe("available");
    }
    const href = (handle: string) => step(handle).getByRole("link").getAttribute("href");
    const apiKey = "tally-e2e-api-key";
    await expect(href("launcher")).resolves.toBe(
      `shopify://admin/themes/current/editor?context=apps&activateAppId=${apiKey}/launcher`,
    );
    await expect(href("points-balance")).resolves.toBe(
      `shopify://admin/themes/current/editor?template=customers/account&addAppBlockId=${apiKey}/points-balance&target=mainSection`,
    );
    await expect(
      app()
        .getByRole("link", { name: `${shop}/apps/tally` })
        .getAttribute("href"),
    ).resolves.toBe(`https://${shop}/apps/tally/`);
  });

  it("switches the launcher on through the theme editor, and Home shows it on", async () => {
    await step("launcher").getByRole("link", { name: "Turn on in theme editor" }).click();
    await page.locator('[data-app-embed="launcher"][data-pending]').waitFor({ timeout: 10_000 });
    await page.locator("[data-editor-save]").click();
    await page.locator("[data-editor-saved]").waitFor({ timeout: 10_000 });
    await expect(page.locator('[data-app-embed="launcher"]').getAttribute("data-enabled")).resolves.toBe("true");

    await home();
    await expect(step("launcher").getAttribute("data-setup-status")).resolves.toBe("active");
    await expect(step("launcher").getByText("On", { exact: true }).count()).resolves.toBe(1);
    await expect(step("launcher").getByRole("link").count()).resolves.toBe(0);
    await expect(app().getByText("1 of 2 required steps done in your published theme").count()).resolves.toBe(1);
    // And the storefront has it.
    const store = await browser.newPage({ userAgent: desktopUserAgent });
    await store.goto(`${env.sandbox.origin}/storefront?shop=${shop}`);
    await store.locator("[data-tally-trigger]").waitFor({ state: "visible" });
    await store.close();
  });

  it("adds the points balance to the account page's main section through the theme editor", async () => {
    await step("points-balance").getByRole("link", { name: "Add to account page" }).click();
    await page.locator('[data-app-block-pending="points-balance"]').waitFor({ timeout: 10_000 });
    await page.locator("[data-editor-save]").click();
    await page.locator("[data-editor-saved]").waitFor({ timeout: 10_000 });
    const account = env.sandbox.control.themeTemplate({ shop, template: "customers/account" });
    expect(
      Object.values(account?.sections.main?.blocks ?? {}).map(
        (block) => block.type.split("/blocks/")[1]?.split("/")[0],
      ),
    ).toEqual(["points-balance"]);

    await home();
    await expect(step("points-balance").getAttribute("data-setup-status")).resolves.toBe("active");
    // Both required steps done: a page of the merchant's own for earning and redeeming is optional, as the rewards
    // page at /apps/tally is live already.
    await expect(app().getByText("2 of 2 required steps done in your published theme").count()).resolves.toBe(1);
    await expect(step("rewards").getByText("Optional", { exact: true }).count()).resolves.toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it("puts each step's badge beside its title at 1024 px and 1440 px, with or without a button", async () => {
    for (const width of [1024, 1440]) {
      await page.setViewportSize({ width, height: 800 });
      await home();
      for (const handle of ["launcher", "points-balance", "rewards", "referral"]) {
        const title = await step(handle).getByRole("heading").boundingBox();
        const badge = await step(handle).locator(".Polaris-Badge").boundingBox();
        const gap = badge!.x - (title!.x + title!.width);
        expect(gap, `${width}px, ${handle}: the badge is ${Math.round(gap)} px from the title`).toBeLessThan(16);
      }
    }
    expect(pageErrors).toEqual([]);
  });
});
