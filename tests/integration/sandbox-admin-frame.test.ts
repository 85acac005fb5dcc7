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

  it("passes the app's whole query to its frame, every value of a repeated key in order, signed so the hmac verifies", async () => {
    const shop = newShop();
    const handle = shop.replace(".myshopify.com", "");
    // Email marketing ticked Subscribed, then Not subscribed; two countries; a tag with a space and a comma.
    const search =
      "?consent=SUBSCRIBED&consent=NOT_SUBSCRIBED&country=US&country=CA&tag=Wholesale%2C+EU&tag=VIP&q=petrova";
    const page = await (await fetch(`${sandbox.origin}/store/${handle}/apps/tally/customers${search}`)).text();
    const src = iframeSrc(page);
    expect(src.searchParams.getAll("consent")).toEqual(["SUBSCRIBED", "NOT_SUBSCRIBED"]);
    expect(src.searchParams.getAll("country")).toEqual(["US", "CA"]);
    expect(src.searchParams.getAll("tag")).toEqual(["Wholesale, EU", "VIP"]);
    expect(src.searchParams.getAll("q")).toEqual(["petrova"]);
    expect(src.searchParams.getAll("embedded")).toEqual(["1"]);
    expect(src.searchParams.getAll("shop")).toEqual([shop]);
    expect(src.searchParams.getAll("hmac")).toHaveLength(1);
    expect(await shopify.utils.validateHmac(src.searchParams)).toBe(true);
    // Signed, not only passed: a value changed, dropped or moved out of its order fails the check.
    for (const tampered of [
      src.search.replace("NOT_SUBSCRIBED", "SUBSCRIBED"),
      src.search.replace("&country=CA", ""),
      src.search.replace("country=US&country=CA", "country=CA&country=US"),
    ]) {
      expect(tampered).not.toBe(src.search);
      expect(await shopify.utils.validateHmac(new URLSearchParams(tampered))).toBe(false);
    }
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
