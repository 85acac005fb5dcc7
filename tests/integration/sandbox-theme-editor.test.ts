import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Shopper } from "../helpers/shopper";
import type { Sandbox } from "../sandbox/index";
import { newShop, sandboxWithClient, TEST_KEY } from "../sandbox/test-client";

// The deep links merchants follow to switch an app embed on or add an app block (App Store requirement 5.1.3;
// shopify.dev, theme app extensions "Deep linking"), the sandbox's theme editor they land in, and what App Bridge's
// shopify.app.extensions() then reports.
const here = path.dirname(fileURLToPath(import.meta.url));
let sandbox: Sandbox;
beforeAll(async () => {
  ({ sandbox } = await sandboxWithClient({ appTomlPath: path.join(here, "../sandbox/fixtures/all-topics.app.toml") }));
});
afterAll(() => sandbox.close());

/** What a browser posts for the editor's form: hidden inputs and checked boxes, then the button pressed. */
function formOf(page: string, button: Record<string, string>) {
  const form = page.slice(page.indexOf("<form"), page.indexOf("</form>"));
  const fields: Record<string, string> = {};
  for (const [input] of form.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input)?.[1];
    if (!name) continue;
    if (/type="checkbox"/.test(input)) {
      if (/\schecked/.test(input)) fields[name] = "on";
    } else fields[name] = (/value="([^"]*)"/.exec(input)?.[1] ?? "").replace(/&amp;/g, "&");
  }
  return { ...fields, ...button };
}

async function editor(shop: string, query: string) {
  const merchant = new Shopper(sandbox.origin, shop);
  const landing = await merchant.get(`/admin/themes/current/editor?${query}&shop=${shop}`);
  expect(landing.status).toBe(302);
  expect(landing.location).toMatch(new RegExp(`^/store/${shop.split(".")[0]}/themes/current/editor\\?`));
  return { merchant, page: await merchant.follow(landing), url: landing.location! };
}

const statusOf = (shop: string, handle: string) =>
  sandbox.control.appExtensions({ shop })[0]!.activations.find((a) => a.handle === handle)!;

describe("theme editor deep links", () => {
  it("activateAppId opens the App embeds with the embed switched on; Save writes settings_data", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const { merchant, page, url } = await editor(
      shop,
      `context=apps&template=index&activateAppId=${TEST_KEY}/launcher`,
    );
    expect(page.status).toBe(200);
    expect(page.text).toMatch(
      /data-app-embed="launcher" data-enabled="false" data-pending>\s*<input type="checkbox" name="embed:launcher" checked>/,
    );
    expect(page.text).toContain("Rewards launcher");
    // Opening the link changes nothing yet: the merchant has not saved.
    expect(sandbox.control.themeSettingsData({ shop }).current.blocks).toEqual({});
    expect(statusOf(shop, "launcher").status).toBe("available");

    const saved = await merchant.post(url.split("?")[0]!, formOf(page.text, { save: "1" }));
    expect(saved.status).toBe(303);
    expect((await merchant.follow(saved)).text).toContain("data-editor-saved");
    const [key, block] = Object.entries(sandbox.control.themeSettingsData({ shop }).current.blocks ?? {})[0]!;
    expect(block).toMatchObject({ disabled: false, settings: { color: "#5c6ac4", position: "right" } });
    expect(statusOf(shop, "launcher")).toMatchObject({
      status: "active",
      target: "body",
      activations: [
        { target: `settings_data/${key}`, themeId: expect.stringMatching(/^gid:\/\/shopify\/OnlineStoreTheme\/\d+$/) },
      ],
    });
    expect((await new Shopper(sandbox.origin, shop).get("/")).text).toContain(`id="shopify-block-${key}"`);

    // Unticked and saved again: switched off, kept in settings_data as disabled, as the editor does.
    const again = await merchant.get(url.split("?")[0]!);
    const fields = formOf(again.text, { save: "1" });
    delete fields["embed:launcher"];
    await merchant.post(url.split("?")[0]!, fields);
    expect(sandbox.control.themeSettingsData({ shop }).current.blocks?.[key]?.disabled).toBe(true);
    expect(statusOf(shop, "launcher").status).toBe("available");
    expect((await new Shopper(sandbox.origin, shop).get("/")).text).not.toContain("data-launcher");
  });

  it("addAppBlockId with a target adds the block to that template on Save; Remove takes it out", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const { merchant, page, url } = await editor(
      shop,
      `template=customers/account&addAppBlockId=${TEST_KEY}/balance&target=mainSection`,
    );
    expect(page.text).toContain('data-app-block-pending="balance"');
    expect(
      sandbox.control.themeTemplate({ shop, template: "customers/account" })?.sections.main?.blocks,
    ).toBeUndefined();

    await merchant.post(url.split("?")[0]!, formOf(page.text, { save: "1" }));
    const main = sandbox.control.themeTemplate({ shop, template: "customers/account" })!.sections.main!;
    const blockId = main.block_order![0]!;
    expect(main.blocks?.[blockId]?.type).toMatch(/^shopify:\/\/apps\/tally\/blocks\/balance\//);
    expect(statusOf(shop, "balance")).toMatchObject({
      status: "active",
      target: "section",
      name: "Points balance",
      activations: [{ target: `template--customers/account/main/${blockId}` }],
    });

    const shown = await merchant.get(`${url.split("?")[0]}?template=customers/account`);
    expect(shown.text).toContain(`data-block-id="${blockId}"`);
    await merchant.post(
      url.split("?")[0]!,
      formOf(shown.text, { remove: `template:customers/account:main:${blockId}` }),
    );
    expect(statusOf(shop, "balance")).toMatchObject({ status: "available", activations: [] });
  });

  it("newAppsSection (the default target) adds an Apps section to the template", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const { merchant, page, url } = await editor(shop, `template=product&addAppBlockId=${TEST_KEY}/balance`);
    await merchant.post(url.split("?")[0]!, formOf(page.text, { save: "1" }));
    const product = sandbox.control.themeTemplate({ shop, template: "product" })!;
    expect(product.order).toEqual(["main", expect.stringMatching(/^apps_/)]);
    expect((await new Shopper(sandbox.origin, shop).get("/products/ceramic-mug")).text).toContain("data-balance");
  });

  it("says what is wrong with a link: another app's key, an unknown block, a block where an embed is expected", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const cases = [
      [
        `context=apps&activateAppId=someone-else/launcher`,
        "No app with API key someone-else is installed on this store.",
      ],
      [`context=apps&activateAppId=${TEST_KEY}/nope`, "Tally has no block nope."],
      [
        `context=apps&activateAppId=${TEST_KEY}/balance`,
        "balance is an app block: it is added to a section, not switched on.",
      ],
      [
        `addAppBlockId=${TEST_KEY}/launcher&target=mainSection`,
        "launcher is an app embed block: it is switched on, not added to a section.",
      ],
    ];
    for (const [query, message] of cases) {
      const { page } = await editor(shop, query!);
      expect(page.text, query).toContain(`<p role="alert" data-editor-error>${message}</p>`);
    }
    // A block the template refuses (enabled_on) is refused at Save, with the reason.
    const { merchant, page, url } = await editor(
      shop,
      `template=cart&addAppBlockId=${TEST_KEY}/balance&target=mainSection`,
    );
    const saved = await merchant.post(url.split("?")[0]!, formOf(page.text, { save: "1" }));
    expect(decodeURIComponent(saved.location!.replace(/\+/g, " "))).toContain("cannot be added to the cart template");
  });
});

describe("shopify.app.extensions() as the App Bridge stand-in asks the admin", () => {
  it("answers each theme app extension with every block's status and placements, for the app's origin", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    sandbox.control.setAppEmbed({ shop, handle: "meta-tag" });
    const placed = sandbox.control.addAppBlock({ shop, handle: "balance", template: "product", target: "mainSection" });
    const response = await fetch(`${sandbox.origin}/admin/app-extensions?shop=${shop}`, {
      headers: { Origin: "http://127.0.0.1:3311" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:3311");
    const themeId = expect.stringMatching(/^gid:\/\/shopify\/OnlineStoreTheme\/\d+$/);
    expect(await response.json()).toEqual([
      {
        handle: "sandbox-rewards",
        type: "theme_app_extension",
        activations: [
          {
            handle: "balance",
            name: "Points balance",
            target: "section",
            status: "active",
            activations: [{ target: `template--product/main/${placed.blockId}`, themeId }],
          },
          { handle: "early-access", name: "Early access", target: "section", status: "unavailable", activations: [] },
          { handle: "launcher", name: "Rewards launcher", target: "body", status: "available", activations: [] },
          {
            handle: "meta-tag",
            name: "Meta tag",
            target: "head",
            status: "active",
            activations: [{ target: expect.stringMatching(/^settings_data\/\d+$/), themeId }],
          },
        ],
      },
    ]);
  });
});
