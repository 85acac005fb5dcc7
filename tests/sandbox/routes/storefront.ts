import { Router } from "express";
import type { AppConfig } from "../app-config";
import type { SandboxControl } from "../control/index";
import { decimalAmount } from "../money";
import { SandboxError } from "../operations/index";
import { normalizeShop, type ShopDirectory } from "../shops";
import type { OnlineStore } from "../theme/online-store";
import { readCart, renderStorefrontNotice } from "../theme/online-store-routes";
import { cookies, html, parseBody, readBody, requestUrl, route } from "./http";

/**
 * `/storefront?shop=`: the shop's online store, where a person or a browser test plays the shopper. The signed-in
 * customer and the shop live in cookies, as a storefront session does.
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
            const order = control.placeOrder({
              shop: shop.domain,
              ...(customerId ? { customerId } : { email: form.email ?? "" }),
              lines: [{ productIndex: Number(form.productIndex ?? 0), quantity: Number(form.quantity ?? 1) }],
              ...(form.discountCode ? { discountCode: form.discountCode } : {}),
            });
            message = `Order #${order.number} placed: ${decimalAmount(order.totalCents, shop.currency)} ${shop.currency}.`;
            orderPath = `/store/${shop.handle}/orders/${order.id}`;
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
          cart: readCart(jar),
        }),
        { "Set-Cookie": setCookies },
      );
    }),
  );
  return router;
}
