import path from "node:path";
import type { Request, Response } from "express";
import { Router } from "express";
import type { SandboxControl } from "../control/index";
import { toMinorUnits } from "../money";
import { SandboxError } from "../operations/index";
import { cookies, html, json, parseBody, readBody, redirect, requestUrl, route } from "../routes/http";
import { normalizeShop, type ShopDirectory, type ShopRecord } from "../shops";
import { CATALOG, type CustomerRecord } from "../store/index";
import type { FormResult } from "./engine";
import { parseLiquidFile } from "./liquid-files";
import { liquidCents } from "./money-format";
import { localePrefix, orderObject, productIndexByHandle, productObject } from "./objects";
import { SANDBOX_THEME_DIR, type CartState, type OnlineStore, type PageRequest } from "./online-store";
import { editorPage, handleEditorPost } from "./editor-page";
import { appExtensionsStatus } from "./theme-editor";

/** Pages the sandbox shop has besides its products (`/pages/{handle}`). */
const PAGES: Readonly<Record<string, { title: string; content: string }>> = {
  "about-us": { title: "About us", content: "<p>A sandbox shop: every order here is make-believe.</p>" },
};

const LOCALE_PATH = /^\/([a-z]{2}(?:-[a-z]{2,4})?)(\/.*)?$/i;

/** The shopper's cart in its cookie; anything unreadable is an empty cart. */
export function readCart(jar: Record<string, string>): CartState {
  try {
    const parsed = JSON.parse(jar.sandbox_cart ?? "") as CartState;
    if (Array.isArray(parsed.lines) && Array.isArray(parsed.discountCodes)) return parsed;
  } catch {
    // an absent or tampered cookie
  }
  return { lines: [], discountCodes: [] };
}

export const cartCookie = (cart: CartState) =>
  `sandbox_cart=${encodeURIComponent(JSON.stringify(cart))}; Path=/; SameSite=Lax`;

/** The cookie Shopify's shareable discount links (`/discount/{code}`) put the code in, for the cart and checkout. */
export const DISCOUNT_COOKIE = "discount_code";
export const CLEAR_DISCOUNT_COOKIE = `${DISCOUNT_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;

/** Where Shopify sends a shopper back (`return_to`, a discount link's `redirect`): a path on the shop, never another site. */
export const localPath = (value: string | null | undefined, fallback: string) =>
  value && value.startsWith("/") && !value.startsWith("//") && !value.includes("\\") ? value : fallback;

/** Shipping the sandbox checkout offers beside pickup: a flat 10 in the shop's currency, untaxed. */
const standardShippingCents = (currency: string) => toMinorUnits("10", currency);

const splitCodes = (text: string | undefined) => [
  ...new Set(
    (text ?? "")
      .split(",")
      .map((c) => c.trim())
      .filter(Boolean),
  ),
];

/**
 * The shop's online store at Shopify's own paths on the sandbox origin, which plays the shop's domain: `/`,
 * `/products/{handle}`, `/collections/all`, `/cart`, `/account/login|register|logout`, `/account`,
 * `/pages/{handle}`, each also under a published locale's prefix (`/fr/cart`); the checkout (`/checkout`, then
 * `/checkouts/c/{id}/thank-you`), which Shopify draws itself; the theme's and the extensions' assets under `/cdn/`;
 * and, in the admin, the theme editor (`/admin/themes/current/editor`) and the extensions' status App Bridge reads.
 * The shop is the `?shop=` of the request (remembered in the `sandbox_shop` cookie, as the app proxy reads it).
 */
export function onlineStoreRoutes(deps: {
  store: OnlineStore;
  shops: ShopDirectory;
  control: SandboxControl;
  origin: () => string;
}) {
  const { store, shops, control } = deps;
  const router = Router({ caseSensitive: true, strict: true });
  const checkoutPage = parseLiquidFile(
    store.theme.liquid,
    path.join(SANDBOX_THEME_DIR, "..", "checkout", "checkout.liquid"),
    "checkout.liquid",
  );
  const thankYouPage = parseLiquidFile(
    store.theme.liquid,
    path.join(SANDBOX_THEME_DIR, "..", "checkout", "thank-you.liquid"),
    "thank-you.liquid",
  );

  // ---- assets ----------------------------------------------------------------------------------------------------
  const sendAsset = (res: Response, asset: { contentType: string; body: Buffer } | undefined) => {
    if (!asset) return json(res, 404, { errors: "Not Found" });
    res.writeHead(200, {
      "Content-Type": asset.contentType,
      "Cache-Control": "no-cache",
      "Access-Control-Allow-Origin": "*",
    });
    res.end(asset.body);
  };
  router.get(/^\/cdn\/shop\/t\/\d+\/assets\/([^/]+)$/, (req, res) =>
    sendAsset(res, store.theme.assets.get(decodeURIComponent((req.params as Record<string, string>)[0]!))),
  );
  router.get(/^\/cdn\/extensions\/([^/]+)\/assets\/([^/]+)$/, (req, res) => {
    const params = req.params as Record<string, string>;
    const extension = store.extensions.find((e) => e.uuid === params[0]);
    sendAsset(res, extension?.assets.get(decodeURIComponent(params[1]!)));
  });
  router.get(/^\/cdn\/shop\/files\/([a-z0-9-]+)\.svg$/, (req, res) => {
    const index = productIndexByHandle((req.params as Record<string, string>)[0]!);
    if (index < 0) return json(res, 404, { errors: "Not Found" });
    const title = CATALOG[index]!.title.replace(/[&<>]/g, "");
    const hue = (index * 47) % 360;
    sendAsset(res, {
      contentType: "image/svg+xml",
      body: Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 800"><rect width="800" height="800" fill="hsl(${hue} 45% 88%)"/><text x="400" y="410" font-family="sans-serif" font-size="48" text-anchor="middle" fill="hsl(${hue} 45% 25%)">${title}</text></svg>`,
      ),
    });
  });

  // ---- admin: theme editor and App Bridge's app.extensions() -----------------------------------------------------
  const adminShop = (req: Request) => {
    const url = requestUrl(req, deps.origin());
    const value =
      url.searchParams.get("shop") ??
      (req.headers["x-sandbox-shop"] as string | undefined) ??
      cookies(req).sandbox_shop;
    return value ? (shops.find(normalizeShop(value)) ?? shops.create({ shop: value })) : null;
  };
  router.get(/^\/admin\/app-extensions$/, (req, res) => {
    const cors = { "Access-Control-Allow-Origin": req.headers.origin ?? "*", Vary: "Origin" };
    const shop = adminShop(req);
    if (!shop) return json(res, 400, { error: "shop is required" }, cors);
    return json(res, 200, appExtensionsStatus(store, shop), cors);
  });
  // `https://{shop}/admin/themes/current/editor?...`, the deep link apps give merchants, lands in the shop's admin.
  router.get(/^\/admin\/themes\/(current|\d+)\/editor$/, (req, res) => {
    const shop = adminShop(req);
    if (!shop) return html(res, 400, "<p>Which shop? Pass ?shop=your-shop.myshopify.com</p>");
    const url = requestUrl(req, deps.origin());
    url.searchParams.delete("shop");
    const theme = (req.params as Record<string, string>)[0]!;
    redirect(res, 302, `/store/${shop.handle}/themes/${theme}/editor${url.search}`);
  });
  router.all(
    /^\/store\/([a-z0-9][a-z0-9-]*)\/themes\/(current|\d+)\/editor$/,
    route(async (req, res) => {
      const handle = (req.params as Record<string, string>)[0]!;
      const shop = shops.find(`${handle}.myshopify.com`) ?? shops.create({ shop: `${handle}.myshopify.com` });
      const url = requestUrl(req, deps.origin());
      if (req.method === "POST") {
        const form = parseBody(await readBody(req), req.headers["content-type"]) as Record<string, string>;
        return redirect(res, 303, handleEditorPost(store, shop, form, url.pathname));
      }
      return html(res, 200, editorPage(store, shop, url));
    }),
  );

  // ---- storefront ------------------------------------------------------------------------------------------------
  // A shareable discount link: the code goes into the `discount_code` cookie, which the cart takes up, then on to the
  // path named; an unknown code is refused only at checkout, as on Shopify.
  router.get(/^\/discount\/([^/]+)$/, (req, res) => {
    const url = requestUrl(req, deps.origin());
    const code = decodeURIComponent((req.params as Record<string, string>)[0]!);
    const shop = url.searchParams.get("shop");
    res.writeHead(302, {
      Location: localPath(url.searchParams.get("redirect"), "/"),
      "Set-Cookie": [
        `${DISCOUNT_COOKIE}=${encodeURIComponent(code)}; Path=/; SameSite=Lax`,
        ...(shop ? [`sandbox_shop=${encodeURIComponent(normalizeShop(shop))}; Path=/; SameSite=Lax`] : []),
      ],
    });
    res.end();
  });
  router.all(
    /^\/(?:storefront(?:\/.*)?)?$|^\/(?:[a-z]{2}(?:-[a-z]{2,4})?\/?)?(?:products|collections|cart|account|customer_authentication|pages|checkout|checkouts|localization|search)(?:\/.*)?$|^\/[a-z]{2}(?:-[a-z]{2,4})?\/?$/i,
    route(async (req, res, next) => {
      const url = requestUrl(req, deps.origin());
      if (url.pathname.startsWith("/storefront")) return next();
      const jar = cookies(req);
      const shopParam =
        url.searchParams.get("shop") ?? (req.headers["x-sandbox-shop"] as string | undefined) ?? jar.sandbox_shop;
      if (!shopParam) return html(res, 400, "<p>Which shop? Open /storefront?shop=your-shop.myshopify.com first.</p>");
      const shop = shops.find(normalizeShop(shopParam)) ?? shops.create({ shop: shopParam });
      const setCookies = [`sandbox_shop=${encodeURIComponent(shop.domain)}; Path=/; SameSite=Lax`];

      let locale = store.stateOf(shop).locales.primary;
      let rest = url.pathname;
      const prefixed = LOCALE_PATH.exec(url.pathname);
      if (prefixed) {
        const published = store.publishedLocale(shop, prefixed[1]!);
        if (!published) return next();
        locale = published;
        rest = prefixed[2] ?? "/";
      }
      if (rest.length > 1 && rest.endsWith("/")) rest = rest.slice(0, -1);
      const prefix = localePrefix(store.stateOf(shop).locales, locale);
      let customer = jar.sandbox_customer ? (shop.store.customers.findById(jar.sandbox_customer) ?? null) : null;
      let cart = readCart(jar);
      const designMode = ["1", "true"].includes(url.searchParams.get("design_mode") ?? "");

      const base = { shop, locale, path: url.pathname + url.search, designMode } as const;
      const render = (status: number, page: Omit<PageRequest, "shop" | "locale" | "path" | "customer">) =>
        html(res, status, store.renderPage({ ...base, customer, cart, ...page }), { "Set-Cookie": setCookies });
      const go = (location: string) => {
        res.writeHead(302, { Location: location, "Set-Cookie": setCookies });
        res.end();
      };
      const signIn = (c: CustomerRecord | null) => {
        customer = c;
        setCookies.push(`sandbox_customer=${encodeURIComponent(c?.id ?? "")}; Path=/; SameSite=Lax`);
      };
      const saveCart = (next: CartState) => {
        cart = next;
        setCookies.push(cartCookie(next));
      };
      const safeReturn = (value: string | undefined, fallback: string) => localPath(value, fallback);

      const post =
        req.method === "POST"
          ? (parseBody(await readBody(req), req.headers["content-type"]) as Record<string, string>)
          : null;

      // Customer accounts ------------------------------------------------------------------------------------------
      // New customer accounts (`createShop({legacyCustomerAccounts: false})`): Shopify's own sign-in, not the theme's.
      // `/customer_authentication/login?return_to=` (routes.storefront_login_url) signs the shopper in by email, a first
      // sign-in making her account (there is no sign-up form) or enabling the Guest she was, and "redirects to the storefront page the customer was
      // on": `return_to`, a path on the shop. `/customer_authentication/redirect` (routes.account_login_url there) and
      // the classic pages, which "redirect to customer accounts", sign her in to her account, whatever they were given.
      // A classic shop's `/customer_authentication/login` goes to its own login page, leaving `return_to` behind.
      if (rest === "/customer_authentication/login" || rest === "/customer_authentication/redirect") {
        if (shop.legacyCustomerAccounts) return go(`${prefix}/account/login`);
        const returnTo =
          rest === "/customer_authentication/login"
            ? localPath(post ? post.return_to : url.searchParams.get("return_to"), "") || undefined
            : undefined;
        if (post) {
          const email = (post.email ?? "").trim();
          if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
            return html(res, 200, customerAuthenticationPage({ returnTo, error: "Enter a valid email" }), {
              "Set-Cookie": setCookies,
            });
          const signedIn = control.signInToCustomerAccounts({ shop: shop.domain, email, locale });
          signIn(shop.store.customers.findById(signedIn.id) ?? null);
          return go(safeReturn(returnTo, `${prefix}/account`));
        }
        return html(res, 200, customerAuthenticationPage({ returnTo }), { "Set-Cookie": setCookies });
      }
      if (!shop.legacyCustomerAccounts && (rest === "/account/login" || rest === "/account/register"))
        return go(`/customer_authentication/redirect?locale=${encodeURIComponent(locale)}`);
      if (rest === "/account/login") {
        // `return_url` (Shopify's, on the link a theme or an app gives): after signing in, back to that path on the
        // shop; anything else (another site, `//host`) is dropped and the shopper lands on the account page.
        const returnUrl = localPath(post ? post.return_url : url.searchParams.get("return_url"), "") || undefined;
        const loginPage = { template: "customers/login", pageTitle: "Login", ...(returnUrl ? { returnUrl } : {}) };
        if (post) {
          const email = (post["customer[email]"] ?? "").trim();
          const found = email ? shop.store.customers.findByEmail(email) : undefined;
          if (!found || found.state !== "ENABLED") {
            const forms: Record<string, FormResult> = {
              customer_login: {
                errors: { email: translateTheme(store, locale, "customer.login_page.unknown_email") },
                values: { email },
                postedSuccessfully: false,
              },
            };
            return render(200, { ...loginPage, forms });
          }
          signIn(found);
          return go(safeReturn(post.return_to ?? returnUrl ?? post.checkout_url, `${prefix}/account`));
        }
        return render(200, loginPage);
      }
      // `return_url`, as on the login page: the `create_customer` form carries it, and the new account lands there.
      const registerReturn = localPath(url.searchParams.get("return_url"), "") || undefined;
      if (rest === "/account/register")
        return render(200, {
          template: "customers/register",
          pageTitle: "Create account",
          ...(registerReturn ? { returnUrl: registerReturn } : {}),
        });
      if (rest === "/account" && post) {
        const email = (post["customer[email]"] ?? "").trim();
        const values = {
          email,
          first_name: post["customer[first_name]"] ?? "",
          last_name: post["customer[last_name]"] ?? "",
        };
        const existing = email ? shop.store.customers.findByEmail(email) : undefined;
        const error = !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
          ? "Email is invalid."
          : existing?.state === "ENABLED"
            ? "This email address is already associated with an account."
            : null;
        const returnUrl = localPath(post.return_url, "") || undefined;
        if (error) {
          const forms = { create_customer: { errors: { email: error }, values, postedSuccessfully: false } };
          return render(200, {
            template: "customers/register",
            pageTitle: "Create account",
            forms,
            ...(returnUrl ? { returnUrl } : {}),
          });
        }
        const created = control.createCustomerAccount({
          shop: shop.domain,
          email,
          firstName: values.first_name,
          lastName: values.last_name,
          acceptsMarketing: ["true", "on"].includes(post["customer[accepts_marketing]"] ?? ""),
          locale,
        });
        signIn(shop.store.customers.findById(created.id) ?? null);
        return go(safeReturn(post.return_to ?? returnUrl, prefix || "/"));
      }
      if (rest === "/account") {
        if (!customer) return go(`${prefix}/account/login`);
        return render(200, { template: "customers/account", pageTitle: "Account" });
      }
      if (rest === "/account/logout") {
        signIn(null);
        return go(prefix || "/");
      }

      // Cart and checkout -------------------------------------------------------------------------------------------
      if (rest === "/cart/add" && post) {
        const variantId = post.id ?? "";
        const index = CATALOG.findIndex((_, i) => shop.store.id("ProductVariant", i) === variantId);
        if (index < 0) return render(404, { template: "404", pageTitle: "Not found" });
        const quantity = Math.max(1, Math.floor(Number(post.quantity ?? 1)) || 1);
        const lines = [...cart.lines];
        const line = lines.find((l) => l.productIndex === index);
        if (line) line.quantity += quantity;
        else lines.push({ productIndex: index, quantity });
        saveCart({ ...cart, lines });
        return go(safeReturn(post.return_to, `${prefix}/cart`));
      }
      if (rest === "/cart/change") {
        const line = Number(url.searchParams.get("line") ?? post?.line ?? 0);
        const quantity = Math.max(0, Number(url.searchParams.get("quantity") ?? post?.quantity ?? 0) || 0);
        saveCart({
          ...cart,
          lines: cart.lines.map((l, i) => (i + 1 === line ? { ...l, quantity } : l)).filter((l) => l.quantity > 0),
        });
        return go(`${prefix}/cart`);
      }
      if (rest === "/cart/clear" && post) {
        saveCart({ lines: [], discountCodes: cart.discountCodes });
        return go(`${prefix}/cart`);
      }
      if ((rest === "/cart" || rest === "/cart/update") && post) {
        const updates = Object.entries(post)
          .filter(([key]) => key === "updates[]" || key.startsWith("updates["))
          .map(([, value]) => Math.max(0, Math.floor(Number(value)) || 0));
        const lines = updates.length
          ? cart.lines.map((l, i) => ({ ...l, quantity: updates[i] ?? l.quantity })).filter((l) => l.quantity > 0)
          : cart.lines;
        const discountCodes = "discount" in post ? splitCodes(post.discount) : cart.discountCodes;
        saveCart({ lines, discountCodes });
        return go("checkout" in post ? `${prefix}/checkout` : `${prefix}/cart`);
      }
      // A code the shopper arrived with (`/discount/{code}` sets Shopify's `discount_code` cookie) joins the cart,
      // which keeps it from then on: taken out of the cart, it does not come back.
      if (jar[DISCOUNT_COOKIE] !== undefined && (rest === "/cart" || rest === "/checkout")) {
        const arrived = splitCodes(jar[DISCOUNT_COOKIE]).filter((code) => !cart.discountCodes.includes(code));
        if (arrived.length) saveCart({ ...cart, discountCodes: [...cart.discountCodes, ...arrived] });
        setCookies.push(CLEAR_DISCOUNT_COOKIE);
      }
      if (rest === "/cart") return render(200, { template: "cart", pageTitle: "Your cart" });
      if (rest === "/checkout") {
        const lines = cart.lines.filter((l) => CATALOG[l.productIndex] && l.quantity > 0);
        // Delivery is asked only when something ships: a cart of gift cards has none.
        const ships = lines.some((l) => !CATALOG[l.productIndex]!.giftCard);
        const shippingCents = standardShippingCents(shop.currency);
        const scope = {
          checkout_action: `${prefix}/checkout`,
          checkout_error: null as string | null,
          checkout_email: "",
          checkout_shipping: "pickup",
          checkout_use_store_credit: false,
          shipping_rates: ships
            ? [
                { handle: "pickup", title: "Pick up in store", price: 0 },
                { handle: "standard", title: "Standard shipping", price: liquidCents(shippingCents, shop.currency) },
              ]
            : [],
        };
        if (post) {
          const discountCodes = splitCodes(post.discount);
          const standard = ships && post.shipping === "standard";
          const useStoreCredit = ["on", "true", "1"].includes(post.use_store_credit ?? "");
          try {
            if (!lines.length) throw new SandboxError("Your cart is empty");
            if (discountCodes.length > 1) throw new SandboxError("Only one discount code applies at checkout");
            const order = control.placeOrder({
              shop: shop.domain,
              ...(customer ? { customerId: customer.id } : { email: (post.email ?? "").trim() }),
              lines,
              ...(discountCodes[0] ? { discountCode: discountCodes[0] } : {}),
              ...(standard ? { shippingCents } : {}),
              ...(useStoreCredit ? { useStoreCredit: true } : {}),
            });
            saveCart({ lines: [], discountCodes: [] });
            setCookies.push(CLEAR_DISCOUNT_COOKIE);
            return go(`${prefix}/checkouts/c/${order.id}/thank-you`);
          } catch (error) {
            scope.checkout_error = (error as Error).message;
            scope.checkout_email = post.email ?? "";
            scope.checkout_shipping = standard ? "standard" : "pickup";
            scope.checkout_use_store_credit = useStoreCredit;
            saveCart({ ...cart, discountCodes });
          }
        }
        const page = store.renderSystemPage(checkoutPage, { ...base, customer, cart, template: "checkout" }, scope);
        return html(res, 200, page, { "Set-Cookie": setCookies });
      }
      const thankYou = /^\/checkouts\/c\/(\d+)\/thank-you$/.exec(rest);
      if (thankYou) {
        const order = shop.store.orders.findById(thankYou[1]!);
        if (!order) return render(404, { template: "404", pageTitle: "Not found" });
        const scope = {
          order: { ...orderObject(shop, order, prefix), currency: order.currency ?? shop.currency },
          admin_order_path: `/store/${shop.handle}/orders/${order.id}`,
        };
        const page = store.renderSystemPage(thankYouPage, { ...base, customer, cart, template: "checkout" }, scope);
        return html(res, 200, page, { "Set-Cookie": setCookies });
      }

      // Localization form: the language picked, back on the page the shopper was on ----------------------------------
      if (rest === "/localization" && post) {
        const target = store.publishedLocale(shop, post.locale_code ?? "") ?? locale;
        const back = safeReturn(post.return_to, "/");
        const unprefixed = ((): string => {
          const m = LOCALE_PATH.exec(back);
          return m && store.publishedLocale(shop, m[1]!) ? (m[2] ?? "/") : back;
        })();
        const nextPrefix = localePrefix(store.stateOf(shop).locales, target);
        return go(`${nextPrefix}${unprefixed === "/" && nextPrefix ? "" : unprefixed}` || "/");
      }

      // Pages ----------------------------------------------------------------------------------------------------------
      if (rest === "/") return render(200, { template: "index" });
      if (rest === "/collections" || rest === "/collections/all")
        return render(200, { template: "collection", pageTitle: "Products" });
      const product = /^\/products\/([a-z0-9-]+)$/.exec(rest);
      if (product) {
        const index = productIndexByHandle(product[1]!);
        if (index < 0) return render(404, { template: "404", pageTitle: "Not found" });
        const view = url.searchParams.get("view");
        return render(200, {
          template: "product",
          templateSuffix: view,
          pageTitle: CATALOG[index]!.title,
          objects: { product: productObject(shop, index, prefix, store.identity) },
        });
      }
      const pageMatch = /^\/pages\/([a-z0-9-]+)$/.exec(rest);
      if (pageMatch && PAGES[pageMatch[1]!]) {
        const data = PAGES[pageMatch[1]!]!;
        return render(200, {
          template: "page",
          pageTitle: data.title,
          objects: { page: { ...data, handle: pageMatch[1], url: `${prefix}/pages/${pageMatch[1]}` } },
        });
      }
      return render(404, { template: "404", pageTitle: "Not found" });
    }),
  );
  return router;
}

/** A string of the theme's storefront locales, for messages the sandbox puts in forms. */
function translateTheme(store: OnlineStore, locale: string, key: string): string {
  const value = store.theme.locales.lookup(locale, key);
  return typeof value === "string" ? value : key;
}

/** The legacy `/storefront` page: a shopper action's outcome, shown as a page of the theme. */
export function renderStorefrontNotice(
  store: OnlineStore,
  input: {
    shop: ShopRecord;
    customer: CustomerRecord | null;
    message: string;
    orderPath: string | null;
    cart?: CartState;
  },
): string {
  const escape = (s: string) =>
    s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
  const content = input.message
    ? `<p data-storefront-message role="status">${escape(input.message)}${
        input.orderPath
          ? ` <a href="${escape(input.orderPath)}" data-storefront-order>Open it in the admin to refund it</a>`
          : ""
      }</p>`
    : "";
  const locales = store.stateOf(input.shop).locales;
  return store.renderPage({
    shop: input.shop,
    customer: input.customer,
    locale: locales.primary,
    path: "/storefront",
    template: content ? "page" : "index",
    pageTitle: input.shop.name,
    cart: input.cart ?? { lines: [], discountCodes: [] },
    objects: { page: { title: input.shop.name, content, handle: "storefront", url: "/storefront" } },
  });
}

/**
 * Shopify's sign-in page for new customer accounts, which Shopify draws itself (no theme): an email, then signed in.
 * The sandbox asks for no code; `return_to` rides along in the form.
 */
function customerAuthenticationPage(input: { returnTo: string | undefined; error?: string }): string {
  const escape = (s: string) =>
    s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
  return [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body>`,
    `<main data-customer-authentication><h1>Sign in</h1>`,
    input.error ? `<p role="alert">${escape(input.error)}</p>` : "",
    `<form method="post" action="/customer_authentication/login">`,
    input.returnTo ? `<input type="hidden" name="return_to" value="${escape(input.returnTo)}" />` : "",
    `<label>Email <input type="email" name="email" autocomplete="email" /></label>`,
    `<button type="submit">Continue</button></form></main></body></html>`,
  ].join("");
}
