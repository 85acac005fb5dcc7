import path from "node:path";
import { fileURLToPath } from "node:url";
import { RequestedTokenType, type Shopify } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Shopper } from "../helpers/shopper";
import type { Sandbox } from "../sandbox/index";
import { newShop, sandboxWithClient } from "../sandbox/test-client";

// Theme app extensions rendered as Shopify renders them, on the fixture extension tests/sandbox/fixtures/extensions/
// sandbox-rewards: an app embed (launcher), a head embed, app blocks (balance, early access) and their snippets,
// assets, locales and schemas. The last test renders every block of Tally's own extensions.
const here = path.dirname(fileURLToPath(import.meta.url));
let sandbox: Sandbox;
let shopify: Shopify;
beforeAll(async () => {
  ({ sandbox, shopify } = await sandboxWithClient({
    appTomlPath: path.join(here, "../sandbox/fixtures/all-topics.app.toml"),
  }));
});
afterAll(() => sandbox.close());

function shopWith() {
  const shop = newShop();
  sandbox.control.createShop({ shop });
  return { shop, shopper: new Shopper(sandbox.origin, shop) };
}

/** The HTML of the app block with this id, its wrapper included (divs counted to find the wrapper's end). */
function blockHtml(page: string, id: string) {
  const start = page.indexOf(`<div id="shopify-block-${id}"`);
  if (start < 0) return null;
  const tags = /<div\b|<\/div>/g;
  tags.lastIndex = start;
  let depth = 0;
  for (let m = tags.exec(page); m; m = tags.exec(page)) {
    depth += m[0] === "</div>" ? -1 : 1;
    if (depth === 0) return page.slice(start, m.index + 6);
  }
  return null;
}

const PAGES = ["/", "/collections/all", "/products/ceramic-mug", "/cart", "/account/login", "/pages/about-us"];

describe("app embed blocks", () => {
  it("render on every storefront page once switched on, before </body>, with their assets in the head", async () => {
    const { shop, shopper } = shopWith();
    for (const path of PAGES) expect((await shopper.get(path)).text, path).not.toContain("data-launcher");

    const { blockId } = sandbox.control.setAppEmbed({ shop, handle: "launcher" });
    expect(sandbox.control.themeSettingsData({ shop }).current.blocks?.[blockId]).toMatchObject({
      type: expect.stringMatching(/^shopify:\/\/apps\/tally\/blocks\/launcher\/[0-9a-f-]{36}$/),
      disabled: false,
    });
    for (const path of PAGES) {
      const page = (await shopper.get(path)).text;
      const block = blockHtml(page, blockId);
      expect(block, path).toContain(`data-block-id="${blockId}"`);
      expect(page.indexOf(block!), path).toBeGreaterThan(page.indexOf("</footer>"));
      expect(page.indexOf(block!), path).toBeLessThan(page.indexOf("</body>"));
      const head = page.slice(0, page.indexOf("</head>"));
      expect(head, path).toMatch(
        /<link href="\/cdn\/extensions\/[0-9a-f-]+\/assets\/launcher\.css\?v=\w+" rel="stylesheet"/,
      );
      expect(head, path).toMatch(
        /<script src="\/cdn\/extensions\/[0-9a-f-]+\/assets\/launcher\.js\?v=\w+" defer="defer">/,
      );
    }
    // Shopify's checkout is not the theme: no app embed there.
    const mug = await shopper.get("/products/ceramic-mug");
    await shopper.post("/cart/add", { id: /name="id" value="(\d+)"/.exec(mug.text)![1]!, quantity: "1" });
    expect((await shopper.get("/checkout")).text).not.toContain("data-launcher");

    sandbox.control.setAppEmbed({ shop, handle: "launcher", enabled: false });
    expect((await shopper.get("/")).text).not.toContain("data-launcher");
  });

  it("get the schema's defaults (t: defaults translated) overridden by the merchant's settings", async () => {
    const { shop, shopper } = shopWith();
    const { blockId } = sandbox.control.setAppEmbed({ shop, handle: "launcher" });
    let block = blockHtml((await shopper.get("/")).text, blockId)!;
    expect(block).toContain("rewards-launcher--right");
    expect(block).toContain("--launcher-color: #5c6ac4");
    expect(block).toContain("<p data-launcher-program>Sandbox Rewards</p>");

    sandbox.control.setAppEmbed({ shop, handle: "launcher", settings: { position: "left", program_name: "Club" } });
    block = blockHtml((await shopper.get("/")).text, blockId)!;
    expect(block).toContain("rewards-launcher--left");
    expect(block).toContain("--launcher-color: #5c6ac4");
    expect(block).toContain("<p data-launcher-program>Club</p>");
  });

  it("target head renders in the head; settings_data naming no block of the app is refused", async () => {
    const { shop, shopper } = shopWith();
    sandbox.control.setAppEmbed({ shop, handle: "meta-tag" });
    const page = (await shopper.get("/cart")).text;
    const meta = page.indexOf(`<meta name="sandbox-rewards" content="${shop}">`);
    expect(meta).toBeGreaterThan(0);
    expect(meta).toBeLessThan(page.indexOf("</head>"));

    const refused = await fetch(`${sandbox.origin}/_sandbox/setThemeSettingsData`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        shop,
        settingsData: { current: { blocks: { "1": { type: "shopify://apps/tally/blocks/nope/abc", settings: {} } } } },
      }),
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({
      error: "Block 1: no app block has type shopify://apps/tally/blocks/nope/abc",
    });
    expect(() => sandbox.control.setAppEmbed({ shop, handle: "balance" })).toThrow(/is an app block/);
  });
});

describe("app blocks", () => {
  it("render where the theme's JSON templates place them, and nowhere else", async () => {
    const { shop, shopper } = shopWith();
    const placed = sandbox.control.addAppBlock({ shop, handle: "balance", template: "product", target: "mainSection" });
    expect(placed).toMatchObject({
      template: "product",
      sectionId: "main",
      blockId: expect.stringMatching(/^tally_balance_\w{6}$/),
    });
    const product = (await shopper.get("/products/ceramic-mug")).text;
    const main = product.slice(product.indexOf('id="shopify-section-template--1__main"'));
    expect(blockHtml(main, placed.blockId)).toContain("<h2>Your points</h2>");
    expect((await shopper.get("/")).text).not.toContain("data-balance");

    const apps = sandbox.control.addAppBlock({ shop, handle: "balance", template: "index" });
    expect(apps.sectionId).toMatch(/^apps_\w{6}$/);
    const home = (await shopper.get("/")).text;
    expect(home).toMatch(
      new RegExp(`<section id="shopify-section-template--1__${apps.sectionId}" class="shopify-section section">`),
    );
    expect(blockHtml(home, apps.blockId)).toContain("data-balance-signed-out");
    expect(sandbox.control.themeTemplate({ shop, template: "index" })?.order).toEqual([
      "hero",
      "featured",
      apps.sectionId,
    ]);

    // The schema's enabled_on keeps the block out of the cart, as the editor does not offer it there.
    expect(() => sandbox.control.addAppBlock({ shop, handle: "balance", template: "cart" })).toThrow(/enabled_on/);
    sandbox.control.removeAppBlock({ shop, template: "index", sectionId: apps.sectionId, blockId: apps.blockId });
    expect((await shopper.get("/")).text).not.toContain("data-balance");
    expect(sandbox.control.themeTemplate({ shop, template: "index" })?.order).toEqual(["hero", "featured"]);
  });

  it("render in a section group (header) when placed there", async () => {
    const { shop, shopper } = shopWith();
    const placed = sandbox.control.addAppBlock({ shop, handle: "early-access", target: "sectionGroup:header" });
    sandbox.control.setAppDataMetafield({
      shop,
      namespace: "features",
      key: "early_access",
      type: "boolean",
      value: "true",
    });
    const page = (await shopper.get("/cart")).text;
    const header = page.slice(0, page.indexOf("<main"));
    expect(header).toContain(`class="shopify-section shopify-section-group-header section"`);
    expect(blockHtml(header, placed.blockId)).toContain("You are in early access");
  });

  it("exist only while their available_if holds, on the app's own data metafield", async () => {
    const { shop, shopper } = shopWith();
    const placed = sandbox.control.addAppBlock({ shop, handle: "early-access", template: "index" });
    const status = () =>
      sandbox.control.appExtensions({ shop })[0]!.activations.find((a) => a.handle === "early-access")!.status;
    expect((await shopper.get("/")).text).not.toContain("data-early-access");
    expect(status()).toBe("unavailable");
    sandbox.control.setAppDataMetafield({
      shop,
      namespace: "features",
      key: "early_access",
      type: "boolean",
      value: "true",
    });
    expect(blockHtml((await shopper.get("/")).text, placed.blockId)).toContain("You are in early access");
    expect(status()).toBe("active");
  });
});

describe("Liquid inside blocks", () => {
  it("`t` reads the extension's locales in the shopper's locale, falling back to the default file", async () => {
    const { shop, shopper } = shopWith();
    const { blockId } = sandbox.control.setAppEmbed({ shop, handle: "launcher" });
    const english = blockHtml((await shopper.get("/")).text, blockId)!;
    expect(english).toContain(">Join the program</a>");
    expect(english).toContain("<p data-launcher-locale>en</p>");
    const french = blockHtml((await shopper.get("/fr/cart")).text, blockId)!;
    expect(french).toContain('<a href="/fr/account/register" data-launcher-join>Rejoindre le programme</a>');
    expect(french).toContain("<p data-launcher-locale>fr</p>");
    expect(french).toContain("<p data-launcher-fallback>Only in English</p>");
    // The theme's strings are the theme's: a block cannot read them.
    expect(french).toContain("<p data-launcher-theme-key>translation missing: fr.general.cart</p>");
    expect(french).toContain("<p data-launcher-money>$15.00</p>");
  });

  it("`customer` is the signed-in shopper, and the app's own metafields are readable as $app", async () => {
    const { shop, shopper } = shopWith();
    const { blockId } = sandbox.control.setAppEmbed({ shop, handle: "launcher" });
    const balance = sandbox.control.addAppBlock({
      shop,
      handle: "balance",
      template: "customers/account",
      target: "mainSection",
    });
    await shopper.post("/account", {
      form_type: "create_customer",
      "customer[first_name]": "Ana",
      "customer[email]": "ana@example.com",
    });
    const customerId = shopper.cookieValue("sandbox_customer")!;

    // The app writes the balance as Tally does: metafieldsSet with the $app namespace, through the Admin API.
    const { session } = await shopify.auth.tokenExchange({
      shop,
      sessionToken: sandbox.control.sessionToken({ shop }),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });
    const setPoints = async (points: number) => {
      const response = await fetch(`${sandbox.origin}/admin/api/2026-10/graphql.json`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Sandbox-Shop": shop,
          "X-Shopify-Access-Token": session.accessToken!,
        },
        body: JSON.stringify({
          query: `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }`,
          variables: {
            m: [
              {
                ownerId: `gid://shopify/Customer/${customerId}`,
                namespace: "$app",
                key: "points",
                type: "number_integer",
                value: String(points),
              },
            ],
          },
        }),
      });
      expect(await response.json()).toMatchObject({ data: { metafieldsSet: { userErrors: [] } } });
    };
    await setPoints(120);
    let page = (await shopper.get("/account")).text;
    expect(blockHtml(page, blockId)).toContain("<p data-launcher-greeting>Hi Ana!</p>");
    expect(blockHtml(page, blockId)).toContain('<span class="points">120</span>');
    expect(blockHtml(page, balance.blockId)).toContain("<p data-balance-points>120 points</p>");
    await setPoints(1);
    page = (await shopper.get("/fr/account")).text;
    expect(blockHtml(page, balance.blockId)).toContain("<p data-balance-points>1 point de fidélité</p>");
  });

  it("`app.metafields` reads the app's data metafields, set through currentAppInstallation", async () => {
    const { shop, shopper } = shopWith();
    const { blockId } = sandbox.control.setAppEmbed({ shop, handle: "launcher" });
    const { session } = await shopify.auth.tokenExchange({
      shop,
      sessionToken: sandbox.control.sessionToken({ shop }),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });
    const admin = async (query: string, variables: Record<string, unknown> = {}) =>
      (await (
        await fetch(`${sandbox.origin}/admin/api/2026-10/graphql.json`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Sandbox-Shop": shop,
            "X-Shopify-Access-Token": session.accessToken!,
          },
          body: JSON.stringify({ query, variables }),
        })
      ).json()) as { data: Record<string, { id?: string; userErrors?: unknown[] }> };
    const installation = (await admin("{ currentAppInstallation { id } }")).data.currentAppInstallation!.id!;
    expect(installation).toMatch(/^gid:\/\/shopify\/AppInstallation\/\d+$/);
    const set = await admin(
      `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }`,
      {
        m: [
          {
            ownerId: installation,
            namespace: "program",
            key: "name",
            type: "single_line_text_field",
            value: "Tally Club",
          },
        ],
      },
    );
    expect(set.data.metafieldsSet!.userErrors).toEqual([]);
    expect(blockHtml((await shopper.get("/")).text, blockId)).toContain("<p data-launcher-program>Tally Club</p>");
  });

  it("assets are served at the URLs asset_url writes, each with its content type", async () => {
    const { shop, shopper } = shopWith();
    sandbox.control.setAppEmbed({ shop, handle: "launcher" });
    const page = (await shopper.get("/")).text;
    const urls = [...page.matchAll(/(?:href|src)="(\/cdn\/extensions\/[^"]+)"/g)].map((m) => m[1]!);
    const types = await Promise.all(
      urls.map(async (url) => {
        const response = await fetch(`${sandbox.origin}${url}`);
        expect(response.status, url).toBe(200);
        return [url.split("/").pop()!.split("?")[0], response.headers.get("content-type")];
      }),
    );
    expect(Object.fromEntries(types)).toEqual({
      "launcher.css": "text/css; charset=utf-8",
      "launcher.js": "text/javascript; charset=utf-8",
      "star.svg": "image/svg+xml",
    });
    const theme = /href="(\/cdn\/shop\/t\/1\/assets\/base\.css\?v=\w+)"/.exec(page)![1]!;
    expect((await fetch(`${sandbox.origin}${theme}`)).headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect((await fetch(`${sandbox.origin}${urls[0]!.replace("launcher.css", "nope.css")}`)).status).toBe(404);
  });

  it("a design_mode request renders as in the theme editor", async () => {
    const { shop, shopper } = shopWith();
    const { blockId } = sandbox.control.setAppEmbed({ shop, handle: "launcher" });
    const live = (await shopper.get("/")).text;
    expect(live).not.toContain("data-shopify-editor-block");
    expect(live).not.toContain("Shopify.designMode");
    const editor = (await shopper.get("/?design_mode=1")).text;
    expect(editor).toContain("Shopify.designMode = true;");
    expect(blockHtml(editor, blockId)).toContain("<p data-launcher-design-mode>true</p>");
    const placed = sandbox.control.addAppBlock({ shop, handle: "balance", template: "index" });
    const attributes = `data-shopify-editor-block="{&quot;id&quot;:&quot;${placed.blockId}&quot;,&quot;type&quot;:&quot;`;
    expect((await shopper.get("/?design_mode=1")).text).toContain(attributes);
  });
});

describe("the app's own theme app extensions", () => {
  it("every block renders in the sandbox theme without a Liquid error", async () => {
    const { sandbox: own } = await sandboxWithClient();
    try {
      const shop = newShop();
      own.control.createShop({ shop });
      const [info] = own.control.appExtensions({ shop });
      expect(info?.activations.length).toBeGreaterThan(0);
      for (const extension of own.control.appExtensions({ shop }))
        for (const block of extension.activations) {
          if (block.target === "section") own.control.addAppBlock({ shop, handle: block.handle, template: "index" });
          else own.control.setAppEmbed({ shop, handle: block.handle });
        }
      const shopper = new Shopper(own.origin, shop);
      await shopper.post("/account", { form_type: "create_customer", "customer[email]": "own@example.com" });
      for (const path of ["/", "/fr/"]) {
        const page = (await shopper.get(path)).text;
        expect(page, path).toContain("shopify-app-block");
        expect(page, path).not.toMatch(/Liquid (syntax )?error|translation missing/);
      }
    } finally {
      await own.close();
    }
  });
});
