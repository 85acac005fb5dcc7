import { Router } from "express";
import type { AppConfig } from "../app-config";
import type { SandboxControl } from "../control/index";
import { decimalAmount } from "../money";
import { type Operations, SandboxError } from "../operations/index";
import { normalizeShop, type ShopDirectory } from "../shops";
import { storefrontPage } from "../storefront";
import { toMinorUnits } from "../money";
import { cookies, html, parseBody, readBody, requestUrl, route } from "./http";

/** The cookie Shopify's shareable discount links (`/discount/{code}`) put the code in, for the cart's checkout. */
const DISCOUNT_COOKIE = "discount_code";

/** A redirect target Shopify accepts after a discount link: a path on the shop, never another site. */
const localPath = (target: string | null) =>
  target && target.startsWith("/") && !target.startsWith("//") && !target.includes("\\") ? target : "/";

/**
 * `/storefront?shop=`: the shop's online store, where a person or a browser test plays the shopper. The signed-in
 * customer and the shop live in cookies, as a storefront session does.
 */
export function storefrontRoutes(deps: {
  control: SandboxControl;
  ops: Operations;
  shops: ShopDirectory;
  appConfig: AppConfig;
  origin: () => string;
}) {
  const { control, shops, appConfig } = deps;
  const router = Router({ caseSensitive: true, strict: true });
  // A shareable discount link: the code goes into the shopper's cart (a cookie), then on to the page named, where
  // checkout applies it; an unknown code is only refused at checkout, as on Shopify.
  router.get(/^\/discount\/([^/]+)$/, (req, res) => {
    const url = requestUrl(req, deps.origin());
    const code = decodeURIComponent((req.params as Record<string, string>)[0]!);
    const shop = url.searchParams.get("shop");
    res.writeHead(302, {
      Location: localPath(url.searchParams.get("redirect")),
      "Set-Cookie": [
        `${DISCOUNT_COOKIE}=${encodeURIComponent(code)}; Path=/; SameSite=Lax`,
        ...(shop ? [`sandbox_shop=${encodeURIComponent(normalizeShop(shop))}; Path=/; SameSite=Lax`] : []),
      ],
    });
    res.end();
  });
  router.all(
    /^\/(?:storefront(?:\/.*)?)?$/,
    route(async (req, res) => {
      const url = requestUrl(req, deps.origin());
      const jar = cookies(req);
      const shopParam = url.searchParams.get("shop") ?? jar.sandbox_shop;
      if (!shopParam) return html(res, 400, "<p>Pass ?shop=your-shop.myshopify.com</p>");
      const shop = shops.find(normalizeShop(shopParam)) ?? shops.create({ shop: shopParam });
      const setCookies = [`sandbox_shop=${encodeURIComponent(shop.domain)}; Path=/; SameSite=Lax`];
      let message = "";
      let customerId = jar.sandbox_customer ?? "";
      let cartCode = jar[DISCOUNT_COOKIE] ?? "";
      let orderPath: string | null = null;
      if (req.method === "POST") {
        const form = parseBody(await readBody(req), req.headers["content-type"]) as Record<string, string>;
        try {
          if (url.pathname === "/storefront/sign-up") {
            const c = control.createCustomerAccount({
              shop: shop.domain,
              email: form.email ?? "",
              firstName: form.firstName ?? "",
              lastName: form.lastName ?? "",
              acceptsMarketing: form.acceptsMarketing === "on",
            });
            customerId = c.id;
            message = `Welcome, ${c.firstName ?? c.email}! You are signed in.`;
          } else if (url.pathname === "/storefront/sign-in") {
            const c = shop.store.customers.findByEmail(form.email ?? "");
            if (!c) throw new SandboxError("No account with that email");
            customerId = c.id;
            message = `Signed in as ${c.email}.`;
          } else if (url.pathname === "/storefront/sign-out") {
            customerId = "";
            message = "Signed out.";
          } else if (url.pathname === "/storefront/order") {
            const discountCode = form.discountCode?.trim() || cartCode;
            const order = control.placeOrder({
              shop: shop.domain,
              ...(customerId ? { customerId } : { email: form.email ?? "" }),
              lines: [{ productIndex: Number(form.productIndex ?? 0), quantity: Number(form.quantity ?? 1) }],
              ...(discountCode ? { discountCode } : {}),
              ...(form.shipping === "standard" ? { shippingCents: toMinorUnits("10", shop.currency) } : {}),
              ...(form.useStoreCredit === "on" ? { useStoreCredit: true } : {}),
            });
            const credit = order.payments?.find((p) => p.gateway === "shopify_store_credit");
            message = `Order #${order.number} placed: ${decimalAmount(order.totalCents, shop.currency)} ${shop.currency}${credit ? `, ${decimalAmount(credit.amountCents, shop.currency)} ${shop.currency} of it paid with store credit` : ""}.`;
            orderPath = `/store/${shop.handle}/orders/${order.id}`;
            // The cart is spent: its discount code goes with it.
            cartCode = "";
            setCookies.push(`${DISCOUNT_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`);
          }
        } catch (error) {
          message = `Error: ${(error as Error).message}`;
        }
        setCookies.push(`sandbox_customer=${encodeURIComponent(customerId)}; Path=/; SameSite=Lax`);
      }
      const customer = customerId ? shop.store.customers.findById(customerId) : undefined;
      const storeCredit = customer ? deps.ops.storeCredit.describe(shop, customer.id) : null;
      html(
        res,
        200,
        storefrontPage({
          shop,
          customer: customer ?? null,
          message,
          orderPath,
          cartDiscountCode: cartCode || null,
          storeCredit: storeCredit?.account.balanceCents ? storeCredit.text : null,
          proxyPrefix: appConfig.appProxy?.storefrontPrefix ?? null,
        }),
        { "Set-Cookie": setCookies },
      );
    }),
  );
  return router;
}
