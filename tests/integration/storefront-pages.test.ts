import { readFileSync } from "node:fs";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { defaultSettings } from "~/domain/program";
import { saveProgram } from "~/services/program/save-program.server";
import { publishBalances } from "~/jobs/scheduled/publish-metafields.server";
import { publishProgramMetafields } from "~/jobs/scheduled/publish-program-metafields.server";
import { runShopJobs } from "~/jobs/scheduler.server";
import * as rewardsPage from "~/routes/proxy._index";
import { contextFor, unauthenticated } from "~/shopify.server";
import { installedSandboxShop, installThroughAdmin } from "../helpers/in-process-sandbox";
import { newShopDomain } from "../factories/shops";
import { useSandboxWithProxyApp } from "../helpers/proxy-app";
import { Shopper } from "../helpers/shopper";
import { signedProxyRequest } from "../helpers/app-proxy";
import { storefront } from "../helpers/referral-flow";

// The rewards page at {proxy}/ and the theme app extension's Liquid, as a shopper gets them from the sandbox
// storefront: Tally's Liquid answer rendered in the shop's theme, in each published language, and the launcher and
// balance block naming the program's points without a request.
const sandboxOf = useSandboxWithProxyApp();
const extension = path.resolve("extensions/tally-widget");
const locale = (file: string) =>
  JSON.parse(readFileSync(path.join(extension, "locales", file), "utf8")) as {
    panel: Record<string, string>;
    page: { title: string };
    accounts_off: { title: string; text: string };
    guests_earn: { join_text: string; accounts_off_text: string };
  };
const LANGUAGES = { "": "en.default.json", fr: "fr.json", de: "de.json", es: "es.json" } as const;
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const decodeHtml = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[name]!,
  );
/** Where a link of the page's balance block (by its class) takes the shopper, as a browser reads its href. */
const hrefOf = (page: string, className: string) =>
  decodeHtml(new RegExp(`<a class="${className}" href="([^"]*)"`).exec(page)?.[1] ?? "");

const args = (request: Request) => ({ request, params: {}, context: {} }) as LoaderFunctionArgs;
/** A route's answer, its thrown Response (the errors' edge) included. */
async function answer(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const installedShop = () => installedSandboxShop(sandboxOf());

/**
 * A customer account on `shop`, whose theme has the launcher and a points-balance block on its home page, with the
 * balances and the program's names published to the storefront as Tally publishes them.
 */
async function accountWithBalanceBlock(shop: string, email: string) {
  const created = sandboxOf().control.createCustomerAccount({ shop, email });
  await sandboxOf().control.idle();
  sandboxOf().control.setAppEmbed({ shop, handle: "launcher" });
  const block = sandboxOf().control.addAppBlock({ shop, handle: "points-balance", template: "index" });
  const { admin } = await unauthenticated.admin(shop);
  await publishBalances({ shop, graphql: admin.graphql });
  await publishProgramMetafields({ shop, graphql: admin.graphql });
  return { created, block };
}

describe("the rewards page at /apps/tally/", () => {
  it("renders in the shop's theme with the panel, its configuration and the extension's own script and styles", async () => {
    const shop = await installedShop();
    const shopper = new Shopper(sandboxOf().origin, shop);
    const page = await shopper.get("/apps/tally/");
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    // The theme's layout around it: its header and footer sections, and the main content landmark.
    expect(page.text).toContain('<main id="MainContent"');
    expect(page.text).toContain("shopify-section-group-header");
    expect(page.text).toContain('<h1 class="tally-card__title">Rewards</h1>');
    expect(page.text).toContain('data-sections="status,code,redeem,rewards,earn,referral,activity"');
    expect(page.text).toMatch(/data-signed-in=""/);
    expect(page.text).toContain('data-login="/account/login?return_url=%2Fapps%2Ftally%2F"');
    expect(page.text).toContain('data-register="/account/register?return_url=%2Fapps%2Ftally%2F"');

    for (const file of ["tally.js", "tally.css", "tally-panel.js"]) {
      const url = new RegExp(`"(/apps/tally/assets/${file.replace(".", "\\.")}\\?v=[0-9a-f]{10})"`).exec(
        page.text,
      )?.[1];
      expect(url, file).toBeDefined();
      const asset = await fetch(`${sandboxOf().origin}${url}`, { headers: { Cookie: shopper.cookie } });
      expect(asset.status).toBe(200);
      expect(asset.headers.get("content-type")).toBe(
        file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
      );
      expect(asset.headers.get("cache-control")).toContain("immutable");
      expect(await asset.text()).toBe(readFileSync(path.join(extension, "assets", file), "utf8"));
    }
    expect((await shopper.get("/apps/tally/assets/nope.js")).status).toBe(404);
  });

  it("holds every panel string of the shopper's language, escaped once and left alone by Liquid", async () => {
    const shop = await installedShop();
    const shopper = new Shopper(sandboxOf().origin, shop);
    for (const [prefix, file] of Object.entries(LANGUAGES)) {
      const strings = locale(file);
      const page = (await shopper.get(`${prefix ? `/${prefix}` : ""}/apps/tally/`)).text;
      expect(page, file).toContain(`<h1 class="tally-card__title">${escapeHtml(strings.page.title)}</h1>`);
      // Tally's install defaults let guest orders earn: the join box says so (decision 074).
      const panel = { ...strings.panel, join_text: strings.guests_earn.join_text };
      for (const [key, value] of Object.entries(panel)) {
        expect(page, `${file} ${key}`).toContain(`data-s-${key.replaceAll("_", "-")}="${escapeHtml(value)}"`);
      }
      expect(page).toContain(`data-root="${prefix ? `/${prefix}` : "/"}"`);
      const here = `${prefix ? `/${prefix}` : ""}/apps/tally/`;
      expect(page).toContain(
        `data-login="${prefix ? `/${prefix}` : ""}/account/login?return_url=${encodeURIComponent(here)}"`,
      );
    }
  });

  it("signs a shopper in from the page and brings her back to it, in her language; never to another site", async () => {
    const shop = await installedShop();
    sandboxOf().control.createCustomerAccount({ shop, email: "ines@example.com" });
    const ines = new Shopper(sandboxOf().origin, shop);
    const page = (await ines.get("/fr/apps/tally/")).text;
    const signIn = /data-login="([^"]+)"/.exec(page)?.[1] ?? "";
    expect(signIn).toBe("/fr/account/login?return_url=%2Ffr%2Fapps%2Ftally%2F");
    // Shopify's login page carries the path in its form; signing in lands back on the rewards page.
    const login = (await ines.get(signIn)).text;
    const returnUrl = /<input type="hidden" name="return_url" value="([^"]*)"/.exec(login)?.[1];
    expect(returnUrl).toBe("/fr/apps/tally/");
    const signedIn = await ines.post("/fr/account/login", {
      form_type: "customer_login",
      return_url: returnUrl!,
      "customer[email]": "ines@example.com",
    });
    expect(signedIn).toMatchObject({ status: 302, location: "/fr/apps/tally/" });
    expect((await ines.follow(signedIn)).text).toContain('data-signed-in="true"');

    // An absolute URL to elsewhere is not a path on the shop: dropped from the form, and the sign-in goes to the account.
    const elsewhere = new Shopper(sandboxOf().origin, shop);
    const evil = (await elsewhere.get(`/fr/account/login?return_url=${encodeURIComponent("https://evil.example/")}`))
      .text;
    expect(evil).not.toContain('name="return_url"');
    const posted = await elsewhere.post("/fr/account/login", {
      form_type: "customer_login",
      return_url: "https://evil.example/",
      "customer[email]": "ines@example.com",
    });
    expect(posted).toMatchObject({ status: 302, location: "/fr/account" });
    const protocolRelative = await elsewhere.post("/account/login", {
      form_type: "customer_login",
      return_url: "//evil.example/apps/tally/",
      "customer[email]": "ines@example.com",
    });
    expect(protocolRelative).toMatchObject({ status: 302, location: "/account" });
  });

  it("knows the signed-in shopper", async () => {
    const shop = await installedShop();
    const created = sandboxOf().control.createCustomerAccount({ shop, email: "ana@example.com", firstName: "Ana" });
    const shopper = new Shopper(sandboxOf().origin, shop);
    shopper.setCookie("sandbox_customer", String(created.id).replace(/\D/g, ""));
    expect((await shopper.get("/apps/tally/")).text).toContain('data-signed-in="true"');
  });

  it("is drawn for the mount point Shopify signs, and refuses one that could carry Liquid or markup", async () => {
    const shop = await installedShop();
    const page = (prefix: string) =>
      answer(() =>
        rewardsPage.loader(
          args(
            signedProxyRequest({
              path: "/",
              params: [
                ["shop", shop],
                ["logged_in_customer_id", ""],
                ["path_prefix", prefix],
                ["timestamp", String(Math.floor(Date.now() / 1000))],
              ],
            }),
          ),
        ),
      );
    // A merchant may mount the proxy elsewhere (prefix and subpath are theirs to change in the app's settings).
    const own = await page("/community/loyalty-club");
    expect(own.status).toBe(200);
    const liquid = await own.text();
    expect(liquid).toContain('data-proxy="/community/loyalty-club"');
    expect(liquid).toMatch(/src="\/community\/loyalty-club\/assets\/tally\.js\?v=[0-9a-f]{10}"/);

    for (const prefix of ["/apps/{{ shop.metafields }}", '/apps/tally"><script>alert(1)</script>', "apps/tally", ""]) {
      const refused = await page(prefix);
      expect(refused.status, prefix).toBe(400);
      expect(await refused.text()).toContain("path_prefix");
    }
  });
});

describe("the theme app extension in the storefront", () => {
  it("names the points as the program does and shows the balance, with no request to Tally", async () => {
    const shop = await installedShop();
    await saveProgram({
      ctx: contextFor(shop, "staff"),
      input: { ...defaultSettings("CAD"), pointsName: "Sterne", pointName: "Stern" },
    });
    const created = sandboxOf().control.createCustomerAccount({ shop, email: "lena@example.com" });
    await sandboxOf().control.idle();
    sandboxOf().control.setAppEmbed({ shop, handle: "launcher" });
    const block = sandboxOf().control.addAppBlock({
      shop,
      handle: "points-balance",
      template: "customers/account",
      target: "mainSection",
    });
    const { admin } = await unauthenticated.admin(shop);
    await publishBalances({ shop, graphql: admin.graphql });
    expect(await publishProgramMetafields({ shop, graphql: admin.graphql })).toEqual({ published: true });
    expect(await publishProgramMetafields({ shop, graphql: admin.graphql })).toEqual({ published: false });

    const shopper = new Shopper(sandboxOf().origin, shop);
    shopper.setCookie("sandbox_customer", String(created.id).replace(/\D/g, ""));
    const account = (await shopper.get("/de/account")).text;
    const balance = account.slice(account.indexOf(`shopify-block-${block.blockId}`));
    expect(balance).toContain('<h2 class="tally-card__title">Deine Sterne</h2>');
    expect(balance).toMatch(/data-tally-number="100">100<\/span>\s*<span data-tally-name>Sterne<\/span>/);
    const launcher = account.slice(account.indexOf("data-tally-launcher"));
    expect(launcher).toContain('<span class="tally-launcher__label">Prämien</span>');
    expect(launcher).toMatch(
      /data-tally-number="100">100<\/span>\s*<span class="tally-visually-hidden" data-tally-name>Sterne<\/span>/,
    );

    // A new name reaches the storefront with the scheduler's next tick for the shop.
    await saveProgram({
      ctx: contextFor(shop, "staff"),
      input: { ...defaultSettings("CAD"), pointsName: "Herzen", pointName: "Herz" },
    });
    expect((await shopper.get("/de/account")).text).toMatch(/100<\/span>\s*<span data-tally-name>Sterne/);
    await runShopJobs(shop);
    expect((await shopper.get("/de/account")).text).toMatch(/100<\/span>\s*<span data-tally-name>Herzen/);
  });

  it("writes every line that names the points with the program's name, in each language, the singular for 1", async () => {
    const shop = await installedShop();
    await saveProgram({
      ctx: contextFor(shop, "staff"),
      input: { ...defaultSettings("CAD"), pointsName: "stars ⭐", pointName: "star ⭐", signupBonus: 1 },
    });
    const { created, block } = await accountWithBalanceBlock(shop, "noor@example.com");

    const visitor = new Shopper(sandboxOf().origin, shop);
    const signedOut = {
      "": "Sign in to see your stars ⭐.",
      de: "Melde dich an, um deine stars ⭐ zu sehen.",
      fr: "Connectez-vous pour voir vos stars ⭐.",
      es: "Inicia sesión para ver tus stars ⭐.",
    };
    for (const [prefix, sentence] of Object.entries(signedOut)) {
      const page = (await visitor.get(`${prefix ? `/${prefix}` : ""}/`)).text;
      expect(page, prefix).toContain(`<p>${sentence}</p>`);
      // The block's own words (its strings for the script, after data-tally-config, keep the translated default).
      const shown = page.slice(page.indexOf(`shopify-block-${block.blockId}`)).split("data-tally-config")[0];
      expect(shown, prefix).not.toMatch(/\b(points|Punkte|puntos)\b/);
    }

    // Noor has the one sign-up star: the heading says the plural, the balance the singular.
    const noor = new Shopper(sandboxOf().origin, shop);
    noor.setCookie("sandbox_customer", String(created.id).replace(/\D/g, ""));
    const home = (await noor.get("/")).text;
    const balance = home.slice(home.indexOf(`shopify-block-${block.blockId}`));
    expect(balance).toContain('<h2 class="tally-card__title">Your stars ⭐</h2>');
    expect(balance).toMatch(/data-tally-number="1">1<\/span>\s*<span data-tally-name>star ⭐<\/span>/);
    expect(home).toMatch(/<span class="tally-visually-hidden" data-tally-name>star ⭐<\/span>/);
    expect((await noor.get("/es/")).text).toContain('<h2 class="tally-card__title">Tus stars ⭐</h2>');
  });

  it("says the shopper's own word for points while the program keeps the names it starts with", async () => {
    const shop = await installedShop();
    // Published as the program starts: "points" and "point", the merchant's English defaults.
    const { created, block } = await accountWithBalanceBlock(shop, "jonas@example.com");
    const jonas = new Shopper(sandboxOf().origin, shop);
    jonas.setCookie("sandbox_customer", String(created.id).replace(/\D/g, ""));
    const page = (await jonas.get("/de/")).text;
    const balance = page.slice(page.indexOf(`shopify-block-${block.blockId}`));
    expect(balance).toContain('<h2 class="tally-card__title">Deine Punkte</h2>');
    expect(balance).toMatch(/data-tally-number="100">100<\/span>\s*<span data-tally-name>Punkte<\/span>/);
    expect(page).toMatch(/<span class="tally-visually-hidden" data-tally-name>Punkte<\/span>/);
  });

  it("signed out, the balance block offers Shopify's sign-in and sign-up links in the shopper's language", async () => {
    const shop = await installedShop();
    sandboxOf().control.addAppBlock({ shop, handle: "points-balance", template: "index" });
    const page = (await new Shopper(sandboxOf().origin, shop).get("/fr/")).text;
    expect(page).toContain("<p>Connectez-vous pour voir vos points.</p>");
    expect(page).toContain('<a class="tally-btn" href="/fr/account/login?return_url=%2Ffr%2F">Se connecter</a>');
    expect(page).toContain('<a class="tally-link" href="/fr/account/register?return_url=%2Ffr%2F">S&#39;inscrire</a>');
  });

  it("on classic accounts, a shopper who joins from the balance block is signed up and back on the page she was on", async () => {
    const shop = await installedShop();
    sandboxOf().control.addAppBlock({ shop, handle: "points-balance", template: "page" });
    const lena = new Shopper(sandboxOf().origin, shop);
    const join = hrefOf((await lena.get("/fr/pages/about-us")).text, "tally-link");
    expect(join).toBe("/fr/account/register?return_url=%2Ffr%2Fpages%2Fabout-us");
    // The theme's register page carries the path in its form; the new account lands back on it.
    const register = (await lena.get(join)).text;
    const returnUrl = /<input type="hidden" name="return_url" value="([^"]*)"/.exec(register)?.[1];
    expect(returnUrl).toBe("/fr/pages/about-us");
    const joined = await lena.post("/fr/account", {
      form_type: "create_customer",
      return_url: returnUrl!,
      "customer[first_name]": "Lena",
      "customer[email]": "lena@example.com",
    });
    expect(joined).toMatchObject({ status: 302, location: "/fr/pages/about-us" });
    expect((await lena.follow(joined)).text).toContain('data-signed-in="true"');
  });

  it("on new customer accounts, Sign in and Join go through Shopify's sign-in and back to the page, its query kept", async () => {
    const shop = await installedSandboxShop(sandboxOf(), { legacyCustomerAccounts: false });
    sandboxOf().control.createCustomerAccount({ shop, email: "ines@example.com" });
    sandboxOf().control.addAppBlock({ shop, handle: "points-balance", template: "page" });
    const ines = new Shopper(sandboxOf().origin, shop);
    const page = (await ines.get("/fr/pages/about-us?utm_source=mail")).text;
    // routes.storefront_login_url: "Redirects to the storefront page the customer was on" (shopify.dev). Signing up is
    // signing in there, so Join goes the same way.
    const expected = "/customer_authentication/login?return_to=%2Ffr%2Fpages%2Fabout-us%3Futm_source%3Dmail&locale=fr";
    expect(hrefOf(page, "tally-btn")).toBe(expected);
    expect(hrefOf(page, "tally-link")).toBe(expected);
    expect(page).toContain(`data-login="${escapeHtml(expected)}"`);
    expect(page).toContain(`data-register="${escapeHtml(expected)}"`);

    const signInPage = (await ines.get(expected)).text;
    const returnTo = /<input type="hidden" name="return_to" value="([^"]*)"/.exec(signInPage)?.[1];
    const signedIn = await ines.post("/customer_authentication/login", {
      return_to: returnTo!,
      email: "ines@example.com",
    });
    expect(signedIn).toMatchObject({ status: 302, location: "/fr/pages/about-us?utm_source=mail" });
    expect((await ines.follow(signedIn)).text).toContain('data-signed-in="true"');

    // A first-time shopper's sign-in makes her account, and she too lands back on the page.
    const noor = new Shopper(sandboxOf().origin, shop);
    const join = hrefOf((await noor.get("/fr/pages/about-us")).text, "tally-link");
    const joined = await noor.post("/customer_authentication/login", {
      return_to: new URL(join, "https://x.example").searchParams.get("return_to")!,
      email: "noor@example.com",
    });
    expect(joined).toMatchObject({ status: 302, location: "/fr/pages/about-us" });
    expect((await noor.follow(joined)).text).toContain('data-signed-in="true"');
  });

  it("on new customer accounts, a Guest who signs in is a Member who can redeem at once, before Shopify's webhooks say so, and they add nothing", async () => {
    const shop = await installedSandboxShop(sandboxOf(), { legacyCustomerAccounts: false });
    const guest = sandboxOf().control.createCustomer({ shop, email: "greta@example.com", state: "DISABLED" });
    const order = sandboxOf().control.placeOrder({
      shop,
      customerId: String(guest.id),
      lines: [{ productIndex: 0, quantity: 6 }],
    });
    await sandboxOf().control.idle();
    const earned = Math.floor(order.subtotalCents / 100);
    const greta = new Shopper(sandboxOf().origin, shop);
    const me = async () => JSON.parse((await greta.get("/apps/tally/v1/me")).text) as { customer: unknown };

    // Shopify enables her at her first sign-in; its customers/update and customers/enable are slow to come.
    sandboxOf().control.injectFault({ kind: "delay", topic: "customers/update", ms: 4_000 });
    sandboxOf().control.injectFault({ kind: "delay", topic: "customers/enable", ms: 4_000 });
    const signedIn = await greta.post("/customer_authentication/login", {
      return_to: "/apps/tally/",
      email: "greta@example.com",
    });
    expect(signedIn).toMatchObject({ status: 302, location: "/apps/tally/" });
    // The widget tells a Guest her points wait for her account to be confirmed; she is a Member with her sign-up bonus.
    expect((await me()).customer).toMatchObject({
      status: "member",
      points: earned + 100,
      lifetimeEarned: earned + 100,
    });
    const redeemed = await fetch(new URL("/apps/tally/v1/redeem", sandboxOf().origin), {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: greta.cookie },
      body: JSON.stringify({ optionId: "five-off" }),
    });
    expect(redeemed.status).toBe(200);
    // The sign-in's own deliveries, the newest of each topic (her order sent a customers/update before).
    const signInWebhooks = () =>
      ["customers/update", "customers/enable"].map(
        (topic) => sandboxOf().control.deliveries({ shop, topic }).at(-1)?.state,
      );
    expect(signInWebhooks()).toEqual(["pending", "pending"]);

    await sandboxOf().control.idle();
    expect(signInWebhooks()).toEqual(["delivered", "delivered"]);
    expect((await me()).customer).toMatchObject({
      status: "member",
      points: earned + 100 - 500,
      lifetimeEarned: earned + 100,
    });
  });

  it("on new customer accounts, the rewards page's sign-in comes back to the rewards page", async () => {
    const shop = await installedSandboxShop(sandboxOf(), { legacyCustomerAccounts: false });
    sandboxOf().control.createCustomerAccount({ shop, email: "sami@example.com" });
    const sami = new Shopper(sandboxOf().origin, shop);
    const page = (await sami.get("/de/apps/tally/")).text;
    const signIn = decodeHtml(/data-login="([^"]+)"/.exec(page)?.[1] ?? "");
    expect(signIn).toBe("/customer_authentication/login?return_to=%2Fde%2Fapps%2Ftally%2F&locale=de");
    expect(decodeHtml(/data-register="([^"]+)"/.exec(page)?.[1] ?? "")).toBe(signIn);
    const signedIn = await sami.post("/customer_authentication/login", {
      return_to: new URL(signIn, "https://x.example").searchParams.get("return_to")!,
      email: "sami@example.com",
    });
    expect(signedIn).toMatchObject({ status: 302, location: "/de/apps/tally/" });
    expect((await sami.follow(signedIn)).text).toContain('data-signed-in="true"');
  });

  it("where the shop shows no sign-in links, offers none: a line that rewards need an account, and no referral box", async () => {
    const shop = await installedSandboxShop(sandboxOf(), { loginLinks: false });
    const created = sandboxOf().control.createCustomerAccount({ shop, email: "lea@example.com" });
    await sandboxOf().control.idle();
    sandboxOf().control.setAppEmbed({ shop, handle: "launcher" });
    const balance = sandboxOf().control.addAppBlock({ shop, handle: "points-balance", template: "index" });
    const referral = sandboxOf().control.addAppBlock({ shop, handle: "referral", template: "index" });
    const { admin } = await unauthenticated.admin(shop);
    await publishProgramMetafields({ shop, graphql: admin.graphql });
    const french = locale("fr.json");
    const title = escapeHtml(french.accounts_off.title);
    // Guest orders earn (the install defaults): the box says they are kept for the email, and what an account is for,
    // offering none (decision 074); the balance block keeps its one line that rewards need an account.
    const text = escapeHtml(french.guests_earn.accounts_off_text);
    const blockText = escapeHtml(french.accounts_off.text);

    const visitor = new Shopper(sandboxOf().origin, shop);
    const home = (await visitor.get("/fr/")).text;
    const block = home.slice(home.indexOf(`shopify-block-${balance.blockId}`)).split("data-tally-config")[0]!;
    expect(block).toContain(`<p>${blockText}</p>`);
    expect(block).not.toContain("<a ");
    // The referral block's wrapper is Shopify's; the block itself draws nothing.
    const referralBlock = home.slice(home.indexOf(`shopify-block-${referral.blockId}`));
    expect(referralBlock).not.toContain('data-tally-block="referral"');
    // The panel's join box (the script draws its links only from data-login) and its sections, without the referral box.
    expect(home).toContain('data-login=""');
    expect(home).toContain('data-register=""');
    expect(home).toContain(`data-s-join-title="${title}"`);
    expect(home).toContain(`data-s-join-text="${text}"`);
    expect(home).toContain('data-sections="status,code,redeem,rewards,earn,activity,more"');
    expect(home).not.toContain("/account/login");
    expect(home).not.toContain("/account/register");

    // The rewards page says the same.
    const page = (await visitor.get("/fr/apps/tally/")).text;
    expect(page).toContain('data-login=""');
    expect(page).toContain('data-register=""');
    expect(page).toContain(`data-s-join-title="${title}"`);
    expect(page).toContain(`data-s-join-text="${text}"`);
    expect(page).toContain('data-sections="status,code,redeem,rewards,earn,activity"');

    // A customer signed in all the same (an account made before the links were hidden) keeps her balance and her box.
    const lea = new Shopper(sandboxOf().origin, shop);
    lea.setCookie("sandbox_customer", String(created.id).replace(/\D/g, ""));
    const hers = (await lea.get("/fr/")).text;
    expect(hers).toContain('data-tally-block="referral"');
    expect(hers).toContain('data-sections="status,code,redeem,rewards,earn,referral,activity,more"');
    expect(hers).toContain("data-tally-balance");
    expect((await lea.get("/fr/apps/tally/")).text).toContain(
      'data-sections="status,code,redeem,rewards,earn,referral,activity"',
    );
  });

  it("tells a signed-out shopper her orders earn as a guest too where guest orders earn, in every language, and not where they don't", async () => {
    const shop = await installedShop();
    sandboxOf().control.setAppEmbed({ shop, handle: "launcher" });
    const { admin } = await unauthenticated.admin(shop);
    const visitor = new Shopper(sandboxOf().origin, shop);
    const joinText = async (path: string) =>
      decodeHtml(/data-s-join-text="([^"]*)"/.exec((await visitor.get(path)).text)![1]!);
    const expectJoinText = async (pick: (strings: ReturnType<typeof locale>) => string) => {
      for (const [prefix, file] of Object.entries(LANGUAGES)) {
        const root = prefix ? `/${prefix}` : "";
        // The launcher's panel (the app embed on the home page) and the rewards page say the same.
        await expect(joinText(`${root}/`), `${file} launcher`).resolves.toBe(pick(locale(file)));
        await expect(joinText(`${root}/apps/tally/`), `${file} rewards page`).resolves.toBe(pick(locale(file)));
      }
    };

    // Tally's install defaults: "Guests earn points" ticked, published by the jobs.
    await publishProgramMetafields({ shop, graphql: admin.graphql });
    await expectJoinText((strings) => strings.guests_earn.join_text);
    expect(locale("en.default.json").guests_earn.join_text).toBe(
      "Every order earns {name}, as a guest too: they're kept for the email you use at checkout. " +
        "Create an account with that email to see and redeem them.",
    );

    // The merchant unticks it: an account is what earns, as the box said before.
    await saveProgram({ ctx: contextFor(shop, "staff"), input: { ...defaultSettings("CAD"), guestsEarn: false } });
    await expect(publishProgramMetafields({ shop, graphql: admin.graphql })).resolves.toEqual({ published: true });
    await expectJoinText((strings) => strings.panel.join_text!);
    expect(locale("en.default.json").panel.join_text).toBe(
      "Create an account to earn {name} on every order and turn them into rewards.",
    );

    // A paused program earns nobody anything: no promise of guest points either.
    await saveProgram({
      ctx: contextFor(shop, "staff"),
      input: { ...defaultSettings("CAD"), guestsEarn: true, enabled: false },
    });
    await publishProgramMetafields({ shop, graphql: admin.graphql });
    await expectJoinText((strings) => strings.panel.join_text!);
  });
});

describe("the referral landing page in the shopper's language", () => {
  it("speaks German under /de/, and its form and its code's link stay on the German storefront", async () => {
    const shop = await installedShop();
    const created = sandboxOf().control.createCustomerAccount({ shop, email: "ana@example.com", firstName: "Ana" });
    // The join races the account's customers/create, as a shopper joining at once does (dcc9ac9); the advocate's name
    // comes with that webhook, so the page is read once it has landed (read before, it said "Jemand": 1 run in 40).
    const joined = await storefront.join(shop, String(created.id).replace(/\D/g, ""));
    await sandboxOf().control.idle();
    const { code } = ((await joined.json()) as { referral: { code: string } }).referral;
    const friend = new Shopper(sandboxOf().origin, shop);

    const landing = await friend.get(`/de/apps/tally/r/${code}`);
    expect(landing.status).toBe(200);
    expect(landing.text).toContain("<h1>Ana hat dir ein Geschenk geschickt</h1>");
    // The offer is worded from data in German: "10 %" as German writes percentages, the amount as the shop writes it.
    expect(landing.text).toMatch(
      /lädt dich zu .+ ein: <strong>10\s%\sRabatt auf deine erste Bestellung ab \$20\.00 CAD<\/strong>\./,
    );
    expect(landing.text).toContain("Meinen Code erhalten");
    expect(landing.text).not.toContain("sent you a gift");
    expect(landing.text).toContain(`action="/de/apps/tally/r/${code}"`);

    const refused = await friend.post(`/de/apps/tally/r/${code}`, { email: "not an email" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("Das ist keine E-Mail-Adresse.");
    const own = await friend.post(`/de/apps/tally/r/${code}`, { email: "ana+1@example.com" });
    expect(own.status).toBe(409);
    expect(own.text).toContain("Du kannst deinen eigenen Empfehlungslink nicht nutzen.");

    const claimed = await friend.post(`/de/apps/tally/r/${code}`, { email: "freund@example.de" });
    expect(claimed.status).toBe(200);
    expect(claimed.text).toContain("<h1>Dein Code ist bereit</h1>");
    expect(claimed.text).toMatch(/href="\/discount\/FRIEND-[\w-]+\?redirect=\/de">Jetzt mit deinem Code einkaufen</);
  });

  it("stays English on the primary storefront, its links without a prefix", async () => {
    const shop = await installedShop();
    const created = sandboxOf().control.createCustomerAccount({ shop, email: "ana@example.com", firstName: "Ana" });
    const joined = await storefront.join(shop, String(created.id).replace(/\D/g, ""));
    await sandboxOf().control.idle();
    const { code } = ((await joined.json()) as { referral: { code: string } }).referral;
    const landing = await new Shopper(sandboxOf().origin, shop).get(`/apps/tally/r/${code}`);
    expect(landing.text).toContain("<h1>Ana sent you a gift</h1>");
    expect(landing.text).toContain(`action="/apps/tally/r/${code}"`);
    const unknown = await new Shopper(sandboxOf().origin, shop).get(`/es/apps/tally/r/NOPE2-NOPE2`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain("Este enlace de recomendación no lleva a ninguna oferta.");
    // A link cut wrong or padded (500 characters) is no code either: the same page, not a JSON refusal, read or posted.
    const padded = `/apps/tally/r/${"K7QX3".repeat(100)}`;
    for (const answer of [
      await new Shopper(sandboxOf().origin, shop).get(padded),
      await new Shopper(sandboxOf().origin, shop).post(padded, { email: "friend@example.com" }),
    ]) {
      expect(answer.status).toBe(404);
      expect(answer.text).toContain("This referral link doesn&#39;t lead to an offer.");
      expect(answer.text).not.toContain('"error"');
    }
  });

  it("shows its own advocate, signed in, how to share it instead of the friend's form, in the theme and her language", async () => {
    const shop = await installedShop();
    const created = sandboxOf().control.createCustomerAccount({ shop, email: "ana@example.com", firstName: "Ana" });
    const anaId = String(created.id).replace(/\D/g, "");
    const joined = await storefront.join(shop, anaId);
    await sandboxOf().control.idle();
    const { code, url } = ((await joined.json()) as { referral: { code: string; url: string } }).referral;
    const ana = new Shopper(sandboxOf().origin, shop);
    ana.setCookie("sandbox_customer", anaId);

    // A newcomer's own link opened "Ana sent you a gift" and a form that refused her own email.
    const own = await ana.get(`/fr/apps/tally/r/${code}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain('<main id="MainContent"');
    expect(own.text).toContain("<h1>Voici votre lien</h1>");
    expect(own.text).not.toContain("vous offre un cadeau");
    expect(own.text).not.toContain('name="email"');
    // The panel's referral box, drawn by the widget's script with the French words: the link, Copy, e-mail, WhatsApp, X.
    expect(own.text).toMatch(
      /data-tally-inline data-heading="2" data-sections="referral"><p><a href="([^"]+)">\1<\/a>/,
    );
    // Her link as she shares it from the French storefront keeps "/fr", so her friend lands there too.
    expect(url).toBe(`https://${shop}/apps/tally/r/${code}`);
    const french = `https://${shop}/fr/apps/tally/r/${code}`;
    expect(own.text).toContain(`<a href="${french}">${french}</a>`);
    expect(own.text).toContain('data-signed-in="true"');
    expect(own.text).toContain('data-s-copy="Copier"');
    expect(own.text).toMatch(/<script src="\/apps\/tally\/assets\/tally\.js\?v=[0-9a-f]{10}" defer>/);

    // Anyone else, signed in or not, gets the friend's page.
    const ben = sandboxOf().control.createCustomerAccount({ shop, email: "ben@example.com", firstName: "Ben" });
    const friend = new Shopper(sandboxOf().origin, shop);
    friend.setCookie("sandbox_customer", String(ben.id).replace(/\D/g, ""));
    for (const visitor of [friend, new Shopper(sandboxOf().origin, shop)]) {
      const page = await visitor.get(`/apps/tally/r/${code}`);
      expect(page.text).toContain("<h1>Ana sent you a gift</h1>");
      expect(page.text).toContain('name="email"');
      expect(page.text).not.toContain('data-sections="referral"');
    }
  });
});

describe("the shopper's store credit, as Shopify's Liquid has it when the page renders", () => {
  /** Every store credit figure a page gives the widget (data-credit on its configuration); none without the attribute. */
  const credits = (page: string) => [...new Set([...page.matchAll(/data-credit="([^"]*)"/g)].map((m) => m[1]))];
  async function signedInShopper(shop: string, email: string) {
    const created = sandboxOf().control.createCustomerAccount({ shop, email });
    sandboxOf().control.setAppEmbed({ shop, handle: "launcher" });
    const id = String(created.id).replace(/\D/g, "");
    const shopper = new Shopper(sandboxOf().origin, shop);
    shopper.setCookie("sandbox_customer", id);
    const pages = async () => [(await shopper.get("/")).text, (await shopper.get("/apps/tally/")).text];
    return { id, gid: `gid://shopify/Customer/${id}`, pages };
  }

  it("follows credit spent or deducted in Shopify with no read by Tally, in the shop's money format", async () => {
    const shop = await installedShop();
    const rosa = await signedInShopper(shop, "rosa@example.com");
    // No account: nothing from Liquid, so the panel keeps v1/me's figure.
    for (const page of await rosa.pages()) expect(credits(page)).toEqual([]);

    sandboxOf().control.creditStoreCredit({ shop, customerId: rosa.id, amountCents: 1500 });
    for (const page of await rosa.pages()) expect(credits(page)).toEqual(["$15.00 CAD"]);
    sandboxOf().control.placeOrder({ shop, customerId: rosa.id, useStoreCredit: 500 });
    for (const page of await rosa.pages()) expect(credits(page)).toEqual(["$10.00 CAD"]);

    // Staff (or another app) deducts the rest through the Admin API: the account stays, with nothing in it.
    const { admin } = await unauthenticated.admin(shop);
    const debit = await admin.graphql(
      `mutation Debit($id: ID!, $input: StoreCreditAccountDebitInput!) {
        storeCreditAccountDebit(id: $id, debitInput: $input) { userErrors { code } }
      }`,
      { variables: { id: rosa.gid, input: { debitAmount: { amount: "10.00", currencyCode: "CAD" } } } },
    );
    expect(await debit.json()).toMatchObject({ data: { storeCreditAccountDebit: { userErrors: [] } } });
    for (const page of await rosa.pages()) expect(credits(page)).toEqual([""]);
  });

  it("writes yen as yen: Liquid's balance is in hundredths of a unit even for a currency without decimals", async () => {
    const shop = await installedSandboxShop(sandboxOf(), { currency: "JPY" });
    const kenji = await signedInShopper(shop, "kenji@example.com");
    sandboxOf().control.creditStoreCredit({ shop, customerId: kenji.id, amountCents: 1000 });
    for (const page of await kenji.pages()) expect(credits(page)).toEqual(["¥1,000 JPY"]);
  });

  it("has none for a shopper whose credit is in another currency than the one she shops in", async () => {
    const shop = await newShopDomain();
    sandboxOf().control.createShop({ shop, currency: "CAD", presentmentCurrencies: ["USD"] });
    await installThroughAdmin(sandboxOf(), shop);
    const ruth = await signedInShopper(shop, "ruth@example.com");
    sandboxOf().control.creditStoreCredit({ shop, customerId: ruth.id, amountCents: 2000, currency: "USD" });
    for (const page of await ruth.pages()) expect(credits(page)).toEqual([]);
  });
});
