import { createHash } from "node:crypto";
import panelJs from "~extensions/tally-widget/assets/tally-panel.js?raw";
import loaderJs from "~extensions/tally-widget/assets/tally.js?raw";
import css from "~extensions/tally-widget/assets/tally.css?raw";
import { byLanguage, type StorefrontLocale as Locale } from "./storefront-locales";

/*
 * The rewards page at {proxy}/: a Liquid answer Shopify renders in the shop's theme (shopify.dev, "App proxies":
 * Content-Type application/liquid), holding the same panel the app embed opens, drawn by the same script from the
 * same locale files. The theme app extension's assets and strings are read from extensions/tally-widget at build time,
 * so there is one copy of each; the page does not depend on the merchant having switched the embed on.
 */

/** The extension's assets, served through the app proxy for this page, each with a content version for caching. */
export const storefrontAssets: ReadonlyMap<string, { body: string; type: string; version: string }> = new Map(
  (
    [
      ["tally.js", loaderJs, "text/javascript; charset=utf-8"],
      ["tally-panel.js", panelJs, "text/javascript; charset=utf-8"],
      ["tally.css", css, "text/css; charset=utf-8"],
    ] as const
  ).map(([file, body, type]) => [
    file,
    { body, type, version: createHash("sha256").update(body).digest("hex").slice(0, 10) },
  ]),
);

const escapeAttribute = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const attributeName = (key: string) => `data-s-${key.replaceAll("_", "-")}`;

const raw = (text: string) => `{% raw %}${text}{% endraw %}`;

/**
 * The panel's strings as the extension's tally-config snippet writes them, raw so Liquid leaves them alone; where the
 * shop shows no login links, the join box's title and text say rewards need an account (decision 063). Where guest
 * orders earn, its text says so, with or without login links (decision 074): the server knows the program here, where
 * the extension reads the `guests_earn` metafield.
 */
function strings(locale: Locale, guestsEarn: boolean): string {
  const accountsOff: Partial<Record<string, string>> = {
    join_title: locale.accounts_off.title,
    join_text: guestsEarn ? locale.guests_earn.accounts_off_text : locale.accounts_off.text,
  };
  const panel: Record<string, string> = guestsEarn
    ? { ...locale.panel, join_text: locale.guests_earn.join_text }
    : locale.panel;
  return Object.entries(panel)
    .map(([key, value]) => {
      const shown = raw(escapeAttribute(value));
      const off = accountsOff[key];
      const text =
        off === undefined
          ? shown
          : `{% if shop.customer_accounts_enabled %}${shown}{% else %}${raw(escapeAttribute(off))}{% endif %}`;
      return `${attributeName(key)}="${text}"`;
    })
    .join(" ");
}

const assetUrl = (pathPrefix: string, file: string) =>
  escapeAttribute(`${pathPrefix}/assets/${file}?v=${storefrontAssets.get(file)?.version ?? ""}`);

/**
 * Liquid printing where a signed-out shopper signs in (`login`) or creates an account (`register`) and comes back to
 * the page, escaped for an attribute: the theme app extension's snippets/tally-account-url.liquid, which an app proxy
 * answer cannot render. New customer accounts: `routes.storefront_login_url` ("Redirects to the storefront page the
 * customer was on", shopify.dev, Liquid objects: routes); classic: the login or register page with `return_url`
 * (decision 060). Nothing where the shop shows no login links (`shop.customer_accounts_enabled`, decision 063).
 */
function accountUrlLiquid(to: "login" | "register"): string {
  const classic = to === "login" ? "routes.account_login_url" : "routes.account_register_url";
  return [
    `{% if shop.customer_accounts_enabled %}`,
    `{% if routes.account_login_url contains '/customer_authentication/' %}{{ routes.storefront_login_url | escape }}`,
    `{% else %}{% assign account_url = ${classic} %}{% if account_url contains '?' %}`,
    `{% assign account_url = account_url | append: '&return_url=' %}{% else %}`,
    `{% assign account_url = account_url | append: '?return_url=' %}{% endif %}`,
    `{% assign here = request.path | url_encode %}{{ account_url | append: here | escape }}{% endif %}`,
    `{% endif %}`,
  ].join("");
}

/**
 * The panel's configuration for a proxy mounted at `pathPrefix`, one hidden element per language: what the theme app
 * extension's tally-config.liquid writes, read by the panel script the same way. `guestsEarn`: whether a guest's
 * order earns now (guestOrdersEarn), which the signed-out join box says.
 */
function panelConfigLiquid(pathPrefix: string, guestsEarn: boolean): string {
  const config = [
    `data-proxy="${escapeAttribute(pathPrefix)}"`,
    `data-panel-src="${assetUrl(pathPrefix, "tally-panel.js")}"`,
    `data-locale="{{ request.locale.iso_code }}{% if localization.country.iso_code %}-{{ localization.country.iso_code }}{% endif %}"`,
    `data-shop="{{ shop.name | escape }}"`,
    `data-signed-in="{% if customer %}true{% endif %}"`,
    `{% if customer.store_credit_account %}data-credit="{% if customer.store_credit_account.balance > 0 %}{{ customer.store_credit_account.balance | money_with_currency }}{% endif %}"{% endif %}`,
    // Back to this page once signed in or signed up (`request.path` is the storefront's, /apps/tally/ or /fr/apps/tally/).
    `data-login="${accountUrlLiquid("login")}"`,
    `data-register="${accountUrlLiquid("register")}"`,
    `data-cart="{{ routes.cart_url }}"`,
    `data-root="{{ routes.root_url }}"`,
  ].join(" ");
  return byLanguage((locale) => `<div hidden data-tally-config ${config} ${strings(locale, guestsEarn)}></div>`);
}

/**
 * The rewards page's Liquid for a proxy mounted at `pathPrefix` (Shopify's signed `path_prefix`, "/apps/tally"). The
 * theme supplies the layout, `customer`, `routes`, `shop` and the shopper's language; the panel script reads the
 * configuration from the page exactly as in the theme app extension (tally-config.liquid). No referral box for a
 * signed-out shopper where the shop shows no login links: she could not get a link (decision 063). `guestsEarn`
 * (guestOrdersEarn of the program): the join box then says orders earn as a guest too (decision 074).
 */
export function rewardsPageLiquid(pathPrefix: string, { guestsEarn }: { guestsEarn: boolean }): string {
  return [
    `<link rel="stylesheet" href="${assetUrl(pathPrefix, "tally.css")}">`,
    `<div class="tally tally-page page-width" data-tally-page>`,
    `<h1 class="tally-card__title">${byLanguage((locale) => escapeAttribute(locale.page.title))}</h1>`,
    `<div class="tally-card"><div class="tally-inline tally-inline--page" data-tally-inline data-heading="2" data-sections="status,code,redeem,rewards,earn{% if customer or shop.customer_accounts_enabled %},referral{% endif %},activity"></div></div>`,
    panelConfigLiquid(pathPrefix, guestsEarn),
    `</div>`,
    `<script src="${assetUrl(pathPrefix, "tally.js")}" defer></script>`,
  ].join("\n");
}

/**
 * The panel's referral box alone (the link, Copy, email, WhatsApp and X, what friends and the customer get), drawn
 * under an h1 as on the rewards page, for the referral landing page opened by its own advocate. `fallback` (Liquid,
 * already safe) stands in the box until the script draws it.
 */
export function referralShareLiquid(pathPrefix: string, fallback: string): string {
  return [
    `<link rel="stylesheet" href="${assetUrl(pathPrefix, "tally.css")}">`,
    `<div class="tally tally-card" data-tally-share>`,
    `<div class="tally-inline tally-inline--referral" data-tally-inline data-heading="2" data-sections="referral">${fallback}</div>`,
    // Its advocate is signed in and the box has no join: the join text's wording is never drawn here.
    panelConfigLiquid(pathPrefix, false),
    `</div>`,
    `<script src="${assetUrl(pathPrefix, "tally.js")}" defer></script>`,
  ].join("\n");
}
