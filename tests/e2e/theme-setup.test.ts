import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  merchantPage,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";
import { sandboxCredentials } from "../helpers/sandbox-and-app";

// A merchant sets up the storefront from inside the app, in a real browser: App Bridge's shopify.app.extensions()
// reports the app's blocks, the theme editor deep link (App Store requirement 5.1.3) lands in the sandbox's editor,
// Save places the block, and the storefront and App Bridge both show it.
let env: SandboxAndApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const shop = "e2e-theme.myshopify.com";

interface Block {
  handle: string;
  target: string;
  status: string;
  activations: { target: string; themeId: string }[];
}

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  page = await merchantPage(browser, pageErrors);
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

async function appFrame(): Promise<Frame> {
  await openAdmin(page, { env, shop });
  return page.frames().find((f) => f.url().startsWith(env.app.url))!;
}

const extensionBlocks = (frame: Frame) =>
  frame.evaluate(async () => {
    const shopify = (window as unknown as { shopify: { app: { extensions(): Promise<{ activations: Block[] }[]> } } })
      .shopify;
    return (await shopify.app.extensions()).flatMap((e) => e.activations);
  });

describe("setting up the storefront from the app", () => {
  it("follows the deep link to the theme editor, saves the block, and App Bridge reports it active", async () => {
    let frame = await appFrame();
    const before = await extensionBlocks(frame);
    const block = before.find((b) => b.target === "section")!;
    expect(block).toMatchObject({ status: "available", activations: [] });

    // What the app's "Add to theme" link does: open Shopify's editor on the shop's domain, at the top level.
    const link = `https://${shop}/admin/themes/current/editor?template=index&addAppBlockId=${sandboxCredentials.apiKey}/${block.handle}&target=newAppsSection`;
    await frame.evaluate((url) => window.open(url, "_top"), link);
    await page.locator(`[data-app-block-pending="${block.handle}"]`).waitFor({ timeout: 10_000 });
    await page.locator("[data-editor-save]").click();
    await page.locator("[data-editor-saved]").waitFor({ timeout: 10_000 });
    await expect(page.locator(`[data-app-block="${block.handle}"]`).count()).resolves.toBe(1);
    // The editor's preview is the storefront in design mode, the block placed.
    const preview = page.frameLocator("iframe[data-editor-preview]");
    await preview.locator(".shopify-app-block").first().waitFor({ timeout: 10_000 });

    frame = await appFrame();
    const after = (await extensionBlocks(frame)).find((b) => b.handle === block.handle)!;
    expect(after.status).toBe("active");
    expect(after.activations).toEqual([
      { target: expect.stringMatching(/^template--index\/apps_\w+\//), themeId: expect.any(String) },
    ]);

    await page.goto(`${env.sandbox.origin}/storefront?shop=${shop}`);
    await expect(page.locator(".shopify-app-block").count()).resolves.toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
