import { Script } from "node:vm";
import type { Shopify } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../sandbox/index";
import { newShop, sandboxWithClient } from "../sandbox/test-client";

let sandbox: Sandbox;
let shopify: Shopify;
beforeAll(async () => {
  ({ sandbox, shopify } = await sandboxWithClient({ appUrl: "http://127.0.0.1:3311" }));
});
afterAll(async () => sandbox.close());

function iframeSrc(page: string): URL {
  const match = /<iframe data-sandbox-app[^>]*src="([^"]+)"/.exec(page);
  if (!match) throw new Error("no app iframe");
  return new URL(match[1]!.replace(/&amp;/g, "&"));
}

describe("sandbox admin frame", () => {
  it("sends /admin?shop= to the store's app page and embeds the app as Shopify's admin does", async () => {
    const shop = newShop();
    const handle = shop.replace(".myshopify.com", "");
    const redirect = await fetch(`${sandbox.origin}/admin?shop=${shop}`, { redirect: "manual" });
    expect(redirect.headers.get("location")).toBe(`/store/${handle}/apps/tally`);

    const page = await (await fetch(`${sandbox.origin}/store/${handle}/apps/tally/customers?tab=members`)).text();
    expect(page).toContain("data-sandbox-nav");
    expect(page).toContain("data-sandbox-toasts");
    const src = iframeSrc(page);
    expect(src.origin + src.pathname).toBe("http://127.0.0.1:3311/app/customers");
    expect(src.searchParams.get("tab")).toBe("members");
    expect(src.searchParams.get("embedded")).toBe("1");
    expect(src.searchParams.get("shop")).toBe(shop);
    expect(shopify.utils.sanitizeShop(src.searchParams.get("shop")!)).toBe(shop);
    expect(shopify.utils.sanitizeHost(src.searchParams.get("host")!)).toBeTruthy();
    expect(Buffer.from(src.searchParams.get("host")!, "base64").toString()).toBe(`admin.shopify.com/store/${handle}`);
    const payload = await shopify.session.decodeSessionToken(src.searchParams.get("id_token")!);
    expect(payload.dest).toBe(`https://${shop}`);
    expect(await shopify.utils.validateHmac(Object.fromEntries(src.searchParams))).toBe(true);
  });

  it("serves fresh session tokens to the App Bridge stand-in, cross-origin", async () => {
    const shop = newShop();
    const response = await fetch(`${sandbox.origin}/admin/session-token?shop=${shop}`, {
      headers: { Origin: "http://127.0.0.1:3311" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:3311");
    const { token, exp } = (await response.json()) as { token: string; exp: number };
    expect((await shopify.session.decodeSessionToken(token)).exp).toBe(exp);
  });

  it("serves an App Bridge stand-in that parses as a classic script", async () => {
    const response = await fetch(`${sandbox.origin}/cdn/app-bridge.js`);
    expect(response.headers.get("content-type")).toContain("javascript");
    const source = await response.text();
    expect(() => new Script(source)).not.toThrow();
    for (const needle of [
      "idToken",
      "toast",
      "ui-nav-menu",
      "shopify:navigate",
      "shopify-reload",
      "X-Shopify-Retry-Invalid-Session-Request",
      "modal-frame-ready",
      "leaveConfirmation",
      "title-bar-click",
    ]) {
      expect(source).toContain(needle);
    }
  });

  it("shows admin resource pages that shopify://admin links land on", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const customer = sandbox.control.createCustomerAccount({ shop, email: "ada@example.com", firstName: "Ada" });
    const page = await (
      await fetch(`${sandbox.origin}/store/${shop.replace(".myshopify.com", "")}/customers/${customer.id}`)
    ).text();
    expect(page).toContain("ada@example.com");
  });
});
