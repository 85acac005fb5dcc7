import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Shopper } from "../helpers/shopper";
import type { Sandbox } from "../sandbox/index";
import { newShop, sandboxWithClient } from "../sandbox/test-client";

// An app proxy answer with `Content-Type: application/liquid` is rendered by Shopify as Liquid in the shop's theme
// (shopify.dev, "App proxies"): the storefront's objects, the signed-in shopper as `customer`, the theme's layout
// unless the body starts with `{% layout none %}`. Other content types pass through untouched.
const here = path.dirname(fileURLToPath(import.meta.url));
let app: Server;
let sandbox: Sandbox;
const seen: string[] = [];

/** What the fake app answers on each proxied path: a content type and a body. */
const ANSWERS: Record<string, [string, string]> = {
  "/proxy/": [
    "application/liquid",
    `<h1 data-rewards-title>Rewards at {{ shop.name }}</h1>
{% if customer %}<p data-who>Hello {{ customer.first_name }} ({{ customer.email }})</p>{% else %}<p data-who>Hello guest</p>{% endif %}
<p data-price>{{ 1250 | money_with_currency }}</p>
<p data-locale>{{ request.locale.iso_code }} {{ 'general.cart' | t }} {{ routes.account_login_url }}</p>`,
  ],
  "/proxy/bare": ["application/liquid; charset=utf-8", "{% layout none %}<p data-bare>{{ shop.name }}</p>"],
  "/proxy/json": ["application/json", '{"liquid":"{{ shop.name }}"}'],
  "/proxy/html": ["text/html; charset=utf-8", "<p>{{ shop.name }} stays as the app wrote it</p>"],
  "/proxy/broken": ["application/liquid", "<p>before</p>{% if %}"],
};

beforeAll(async () => {
  app = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://app.test");
    if (!url.pathname.startsWith("/proxy")) return void res.writeHead(200).end();
    seen.push(url.pathname);
    const [type, body] = ANSWERS[url.pathname] ?? ["text/plain", "unknown"];
    res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" }).end(body);
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  ({ sandbox } = await sandboxWithClient({
    appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
    appTomlPath: path.join(here, "../sandbox/fixtures/all-topics.app.toml"),
  }));
});
afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => app.close(resolve));
});

describe("app proxy Liquid answers", () => {
  it("renders the answer inside the theme's layout, as the signed-in shopper sees it", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop, name: "Proxy Shop" });
    const shopper = new Shopper(sandbox.origin, shop);
    const guest = await shopper.get("/apps/tally/");
    expect(guest.status).toBe(200);
    expect(guest.contentType).toBe("text/html; charset=utf-8");
    expect(guest.text).toContain('<html lang="en">');
    expect(guest.text).toContain(`Shopify.shop = "${shop}";`);
    expect(guest.text).toContain('<a class="header__heading" href="/">Proxy Shop</a>');
    expect(guest.text).toMatch(/<main[^>]*>\s*<h1 data-rewards-title>Rewards at Proxy Shop<\/h1>/);
    expect(guest.text).toContain("<p data-who>Hello guest</p>");
    expect(guest.text).toContain("<p data-price>$12.50 CAD</p>");

    await shopper.post("/account", {
      form_type: "create_customer",
      "customer[first_name]": "Ana",
      "customer[email]": "ana@example.com",
    });
    const member = await shopper.get("/apps/tally/");
    expect(member.text).toContain("<p data-who>Hello Ana (ana@example.com)</p>");
    expect(member.text).toContain("Signed in as ana@example.com");
  });

  it("renders without the layout when the answer starts with {% layout none %}", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop, name: "Bare Shop" });
    const page = await new Shopper(sandbox.origin, shop).get("/apps/tally/bare");
    expect(page.text).toBe("<p data-bare>Bare Shop</p>");
  });

  it("serves the proxy under a published locale's prefix, forwarding the path without it", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    seen.length = 0;
    const page = await new Shopper(sandbox.origin, shop).get("/fr/apps/tally/");
    expect(seen).toEqual(["/proxy/"]);
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain("<p data-locale>fr Panier /fr/account/login</p>");
    expect((await new Shopper(sandbox.origin, shop).get("/it/apps/tally/")).status).toBe(404);
  });

  it("passes every other content type through as the app wrote it", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const shopper = new Shopper(sandbox.origin, shop);
    expect(await shopper.get("/apps/tally/json")).toMatchObject({
      contentType: "application/json",
      text: '{"liquid":"{{ shop.name }}"}',
    });
    expect((await shopper.get("/apps/tally/html")).text).toBe("<p>{{ shop.name }} stays as the app wrote it</p>");
  });

  it("shows a Liquid syntax error in the page, as Shopify does, rather than failing the request", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const page = await new Shopper(sandbox.origin, shop).get("/apps/tally/broken");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Liquid syntax error (app proxy response)");
    expect(page.text).toContain("</html>");
  });

  it("injects the app embeds the merchant switched on, as on every storefront page", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const shopper = new Shopper(sandbox.origin, shop);
    expect((await shopper.get("/apps/tally/")).text).not.toContain("data-launcher");
    const { blockId } = sandbox.control.setAppEmbed({ shop, handle: "launcher" });
    const page = await shopper.get("/apps/tally/");
    expect(page.text).toMatch(
      new RegExp(`<div id="shopify-block-${blockId}" class="shopify-block shopify-app-block"><div[^>]*data-launcher`),
    );
  });
});
