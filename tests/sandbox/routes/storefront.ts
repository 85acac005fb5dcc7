import { Router } from "express";
import type { AppConfig } from "../app-config";
import type { SandboxControl } from "../control/index";
import { decimalAmount, toMinorUnits } from "../money";
import { SandboxError } from "../operations/index";
import { normalizeShop, type ShopDirectory } from "../shops";
import type { OnlineStore } from "../theme/online-store";
import {
  cartCookie,
  CLEAR_DISCOUNT_COOKIE,
  DISCOUNT_COOKIE,
  readCart,
  renderStorefrontNotice,
} from "../theme/online-store-routes";
import { cookies, html, parseBody, readBody, requestUrl, route } from "./http";

/**
 * `/storefront?shop=`: the entry that picks the shop (the online store itself lives at Shopify's paths,
 * theme/online-store-routes.ts), and the POST shortcuts older tests use: `/storefront/sign-up|sign-in|sign-out`
 * and `/storefront/order` (one line; `discountCode`, else the cart's or a discount link's code; `shipping=standard`;
 * `useStoreCredit=on`). The signed-in customer and the shop live in cookies, as a storefront session does.
 */
export function storefrontRoutes(deps: {
  control: SandboxControl;
  shops: ShopDirectory;
  appConfig: AppConfig;
  origin: () => string;
  /** The shop's theme, which draws the page (theme/online-store.ts). */
  onlineStore: OnlineStore;
}) {
  const { control, shops } = deps;
  const router = Router({ caseSensitive: true, strict: true });
  router.all(
    /^\/storefront(?:\/.*)?$/,
    route(async (req, res) => {
      const url = requestUrl(req, deps.origin());
      const jar = cookies(req);
      const shopParam = url.searchParams.get("shop") ?? jar.sandbox_shop;
      if (!shopParam) return html(res, 400, "<p>Pass ?shop=your-shop.myshopify.com</p>");
      const shop = shops.find(normalizeShop(shopParam)) ?? shops.create({ shop: shopParam });
      const setCookies = [`sandbox_shop=${encodeURIComponent(shop.domain)}; Path=/; SameSite=Lax`];
      let message = "";
      let customerId = jar.sandbox_customer ?? "";
      let cart = readCart(jar);
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
            const discountCode =
              form.discountCode?.trim() || cart.discountCodes[0] || jar[DISCOUNT_COOKIE]?.split(",")[0]?.trim();
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
            // The order spent the discount code: it leaves the cart and the link's cookie.
            cart = { ...cart, discountCodes: [] };
            setCookies.push(cartCookie(cart), CLEAR_DISCOUNT_COOKIE);
          }
        } catch (error) {
          message = `Error: ${(error as Error).message}`;
        }
        setCookies.push(`sandbox_customer=${encodeURIComponent(customerId)}; Path=/; SameSite=Lax`);
      }
      const customer = customerId ? shop.store.customers.findById(customerId) : undefined;
      html(
        res,
        200,
        renderStorefrontNotice(deps.onlineStore, {
          shop,
          customer: customer ?? null,
          message,
          orderPath,
          cart,
        }),
        { "Set-Cookie": setCookies },
      );
    }),
  );
  return router;
}
