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
  it("serves the landing page and hydrates it in a real browser", async () => {
    const page = await browser.newPage({ userAgent: desktopUserAgent });
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));

    const response = await page.goto(`${app.url}/`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector("html[data-hydrated='true']", { timeout: 15_000 });
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toContain("Tally");
    expect(pageErrors).toEqual([]);
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
