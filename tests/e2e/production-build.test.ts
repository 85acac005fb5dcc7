import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProductionApp, type RunningApp } from "../helpers/app-server";
import { desktopUserAgent, launchChromium } from "../helpers/browser";

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startProductionApp(), launchChromium()]);
});

afterAll(async () => {
  await Promise.all([browser?.close(), app?.stop()]);
});

describe("the production build", () => {
  // Every way a visitor reaches Tally outside Shopify admin: the app URL, the library's login path, and the embedded
  // app itself opened without a shop (the library sends that to the login path).
  it.each(["/", "/auth/login", "/app"])(
    "shows %s as a page about Tally with its App Store link, and asks for no shop domain",
    async (path) => {
      const page = await browser.newPage({ userAgent: desktopUserAgent });
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));

      const response = await page.goto(`${app.url}${path}`);
      expect(response?.status()).toBe(200);
      await page.waitForSelector("html[data-hydrated='true']", { timeout: 15_000 });
      expect(new URL(page.url()).pathname).toBe(path === "/app" ? "/auth/login" : path);
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Tally");
      const install = page.getByRole("link", { name: "Install Tally from the Shopify App Store" });
      await expect(install.getAttribute("href")).resolves.toBe("https://apps.shopify.com/tally");
      await expect(page.locator("form, input, select, textarea, [contenteditable]").count()).resolves.toBe(0);
      await expect(page.locator("body").textContent()).resolves.not.toMatch(/myshopify\.com|shop domain/i);
      expect(pageErrors).toEqual([]);
      await page.close();
    },
  );

  it("sends /auth/login?shop= to that shop's admin, where Shopify installs or opens the app", async () => {
    const response = await fetch(`${app.url}/auth/login?shop=demo.myshopify.com`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(
      "https://admin.shopify.com/store/demo/oauth/install?client_id=tally-e2e-api-key",
    );
  });

  it("sends a visit that comes with ?shop= into the embedded app", async () => {
    const response = await fetch(`${app.url}/?shop=demo.myshopify.com&host=abc`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/app?shop=demo.myshopify.com&host=abc");
  });

  it("answers 401 to an unsigned webhook without recording it", async () => {
    const response = await fetch(`${app.url}/webhooks/app/uninstalled`, {
      method: "POST",
      body: "{}",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "app/uninstalled",
        "X-Shopify-Hmac-Sha256": "bm90LWEtc2lnbmF0dXJl",
        "X-Shopify-Shop-Domain": "demo.myshopify.com",
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": "e2e-1",
      },
    });
    expect(response.status).toBe(401);
  });
});
