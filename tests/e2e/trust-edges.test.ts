import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  installApp,
  openAdmin,
  startSandboxAppAndBrowser,
  stopSandboxAppAndBrowser,
  type SandboxAndApp,
} from "../helpers/admin-e2e";
import { freePort } from "../helpers/app-server";
import { desktopUserAgent } from "../helpers/browser";

// The trust edges of issue 7 against the production build inside the sandbox Shopify: what a page may be framed by,
// the headers every answer carries, the app proxy as Shopify forwards a shopper's own parameters, and uninstall.
let env: SandboxAndApp;
let browser: Browser;
const shop = "e2e-trust.myshopify.com";

beforeAll(async () => {
  ({ env, browser } = await startSandboxAppAndBrowser({ shop }));
  // Opening Tally in the admin installs it, as a merchant does.
  await installApp(browser, { env, shop });
});

afterAll(() => stopSandboxAppAndBrowser({ env, browser }));

/** GET {proxy}/v1/me through the sandbox storefront, as the widget does, with extra query text a shopper added. */
async function me(options: { as?: string; extra?: string }) {
  const query = `sandbox_shop=${shop}${options.as ? `&sandbox_customer=${options.as}` : ""}${options.extra ?? ""}`;
  const response = await fetch(`${env.sandbox.origin}/apps/tally/v1/me?${query}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("framing", () => {
  it("/ and /auth/login refuse to be framed, in a real browser", async () => {
    for (const pathname of ["/", "/auth/login"]) {
      const response = await fetch(`${env.app.url}${pathname}`);
      expect(response.headers.get("x-frame-options"), pathname).toBe("DENY");
      expect(response.headers.get("content-security-policy"), pathname).toBe("frame-ancestors 'none';");
    }
    const page = await browser.newPage({ userAgent: desktopUserAgent });
    // Another origin (the sandbox's) frames both pages: Chromium must refuse to render them.
    await page.goto(`${env.sandbox.origin}/storefront?shop=${shop}`);
    await page.evaluate((appUrl) => {
      for (const pathname of ["/", "/auth/login"]) {
        const frame = document.createElement("iframe");
        frame.src = `${appUrl}${pathname}`;
        frame.name = pathname;
        document.body.append(frame);
      }
    }, env.app.url);
    await page.waitForTimeout(1500);
    const framed = page.frames().filter((frame) => frame !== page.mainFrame());
    expect(framed).toHaveLength(2);
    for (const frame of framed) {
      // Chromium replaces a refused frame with its own error page: nothing of Tally's is rendered in it.
      expect(frame.url(), frame.name()).toBe("chrome-error://chromewebdata/");
      await expect(frame.getByText("Tally").count()).resolves.toBe(0);
    }
    await page.close();
  });

  it("embedded pages keep the shop admin's frame-ancestors", async () => {
    const page = await browser.newPage({ userAgent: desktopUserAgent });
    const documents: Array<{ url: string; csp: string | null; xfo: string | null }> = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "document" && response.url().startsWith(env.app.url)) {
        documents.push({
          url: response.url(),
          csp: response.headers()["content-security-policy"] ?? null,
          xfo: response.headers()["x-frame-options"] ?? null,
        });
      }
    });
    await openAdmin(page, { env, shop });
    const app = documents.find((d) => new URL(d.url).pathname === "/app");
    expect(app?.csp).toContain(`frame-ancestors ${env.sandbox.origin} https://${shop} https://admin.shopify.com`);
    expect(app?.xfo).toBeNull();
    await page.close();
  });
});

describe("headers on every answer", () => {
  it("sets X-Content-Type-Options and Referrer-Policy on pages, redirects, JSON, assets, 404s and webhooks", async () => {
    const answers = await Promise.all([
      fetch(`${env.app.url}/`),
      fetch(`${env.app.url}/auth/login`),
      fetch(`${env.app.url}/?shop=${shop}`, { redirect: "manual" }),
      fetch(`${env.app.url}/proxy/v1/me?shop=${shop}`),
      fetch(`${env.app.url}/no/such/page`),
      fetch(`${env.app.url}/webhooks/orders/paid`, { method: "POST", body: "{}" }),
      fetch(`${env.app.url}/favicon.ico`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 302, 400, 404, 401, 404]);
    for (const answer of answers) {
      expect(answer.headers.get("x-content-type-options"), answer.url).toBe("nosniff");
      expect(answer.headers.get("referrer-policy"), answer.url).toBe("same-origin");
    }
  });
});

describe("the app proxy as Shopify forwards a shopper's own parameters", () => {
  it("refuses a shopper who adds the victim's logged_in_customer_id, logged out or logged in", async () => {
    const victim = env.sandbox.control.createCustomerAccount({ shop, email: "victim@example.com", firstName: "Vic" });
    const victimId = String(victim.id).replace(/\D/g, "");
    env.sandbox.control.placeOrder({ shop, customerId: String(victim.id) });
    await until(
      async () => (((await me({ as: victimId })).body.customer as { points?: number } | null)?.points ?? 0) > 100,
      "the victim's points",
    );
    const mallory = env.sandbox.control.createCustomerAccount({ shop, email: "mallory@example.com", firstName: "Mal" });
    const malloryId = String(mallory.id).replace(/\D/g, "");

    const loggedOut = await me({ extra: `&logged_in_customer_id=${victimId}` });
    const loggedIn = await me({ as: malloryId, extra: `&logged_in_customer_id=${victimId}` });
    for (const attack of [loggedOut, loggedIn]) {
      expect(attack.status).toBe(400);
      expect(JSON.stringify(attack.body)).not.toContain("victim");
      expect(attack.body.customer).toBeUndefined();
    }
    const redeem = await fetch(
      `${env.sandbox.origin}/apps/tally/v1/redeem?sandbox_shop=${shop}&logged_in_customer_id=${victimId}`,
      { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"optionId":"five-off"}' },
    );
    expect(redeem.status).toBe(400);
    expect(env.sandbox.control.discountCodes({ shop })).toEqual([]);
    // The victim's own view is untouched.
    expect((await me({ as: victimId })).status).toBe(200);
  });
});

describe("uninstall", () => {
  it("stops the storefront API and order earning for the shop", async () => {
    const shopper = env.sandbox.control.createCustomerAccount({ shop, email: "late@example.com", firstName: "Late" });
    const shopperId = String(shopper.id).replace(/\D/g, "");
    await until(
      async () => ((await me({ as: shopperId })).body.customer as { known?: boolean } | null)?.known === true,
      "the shopper",
    );
    const before = (await me({ as: shopperId })).body.customer as { points: number };

    env.sandbox.control.uninstall({ shop });
    await until(async () => (await me({ as: shopperId })).status === 403, "the uninstall");
    expect((await me({ as: shopperId })).body).toEqual({
      error: "Tally is not installed on this store",
      code: "not_installed",
    });

    const order = env.sandbox.control.placeOrder({ shop, customerId: String(shopper.id) });
    const attemptsAtTally = () =>
      env.sandbox.control
        .deliveries({ shop, topic: "orders/paid" })
        .filter((delivery) => delivery.body.includes(String(order.id)))
        .flatMap((delivery) => delivery.attempts.map((attempt) => attempt.status));
    await until(async () => attemptsAtTally().length > 0, "the order's delivery");
    expect(attemptsAtTally()[0]).toBe(403);
    expect(before.points).toBeGreaterThan(0);
  });
});

describe("boot", () => {
  it("a production boot without TALLY_ENCRYPTION_KEY stops with a message naming it", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.resolve("server.js")], {
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        PORT: String(port),
        HOST: "127.0.0.1",
        SHOPIFY_API_KEY: "k",
        SHOPIFY_API_SECRET: "s",
        SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
        SCOPES: "read_customers",
        DATABASE_PATH: path.join(mkdtempSync(path.join(tmpdir(), "tally-boot-")), "t.sqlite"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).not.toBe(0);
    expect(output).toContain("TALLY_ENCRYPTION_KEY: is missing");
    expect(output).not.toContain("Tally listening");
  });
});
