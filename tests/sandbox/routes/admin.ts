import { Router } from "express";
import { adminPage, adminResourcePage, embeddedAppUrl } from "../admin-frame";
import { appBridgeScript } from "../app-bridge-script";
import type { SandboxControl } from "../control/index";
import { mintSessionToken } from "../jwt";
import { decimalAmount, toMinorUnits } from "../money";
import { normalizeShop, type ShopDirectory } from "../shops";
import { html, json, parseBody, readBody, redirect, requestUrl, route } from "./http";

export interface AdminRouteDeps {
  shops: ShopDirectory;
  control: SandboxControl;
  credentials: { apiKey: string; apiSecret: string };
  app: { url: string; handle: string; name: string };
  origin: () => string;
}

/**
 * Shopify admin as a merchant sees it: `/admin?shop=` and `/store/{handle}/apps/{app}/...` frame the embedded app
 * (admin-frame.ts), `/store/{handle}/customers|orders/{id}` are the pages `shopify://admin` links land on, and the
 * App Bridge stand-in and fresh session tokens are served for the app's frame.
 */
export function adminRoutes(deps: AdminRouteDeps) {
  const { shops, control, credentials, app } = deps;
  const router = Router({ caseSensitive: true, strict: true });

  router.all(/^\/cdn\/app-bridge\.js$/, (_req, res) => {
    res.writeHead(200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "no-store",
      "Access-Control-Allow-Origin": "*",
    });
    res.end(appBridgeScript(deps.origin()));
  });

  router.all(/^\/admin\/session-token$/, (req, res) => {
    const url = requestUrl(req, deps.origin());
    const cors = { "Access-Control-Allow-Origin": req.headers.origin ?? "*", Vary: "Origin" };
    const shopParam = url.searchParams.get("shop");
    if (!shopParam) return json(res, 400, { error: "shop is required" }, cors);
    const token = control.sessionToken({
      shop: shopParam,
      ...(url.searchParams.get("user_id") ? { userId: url.searchParams.get("user_id")! } : {}),
    });
    const exp = (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { exp: number }).exp;
    return json(res, 200, { token, exp }, cors);
  });

  router.all(/^\/admin\/?$/, (req, res) => {
    const shop = requestUrl(req, deps.origin()).searchParams.get("shop");
    if (!shop) return html(res, 400, "<p>Pass ?shop=your-shop.myshopify.com</p>");
    const handleName = normalizeShop(shop).replace(/\.myshopify\.com$/, "");
    redirect(res, 302, `/store/${handleName}/apps/${app.handle}`);
  });

  const frameFor = (shopDomain: string, appPath: string) => {
    const shop = shops.find(shopDomain) ?? shops.create({ shop: shopDomain });
    const staff = shop.staff[0]!;
    const sessionId = `sandbox-${shop.handle}-${staff.id}`;
    const idToken = mintSessionToken({
      shop: shop.domain,
      apiKey: credentials.apiKey,
      apiSecret: credentials.apiSecret,
      userId: staff.id,
      sessionId,
    });
    return adminPage({
      shop: shop.domain,
      shopName: shop.name,
      appName: app.name,
      appHandle: app.handle,
      appOrigin: app.url,
      staffName: `${staff.firstName} ${staff.lastName}`,
      iframeSrc: embeddedAppUrl({
        appUrl: app.url,
        appPath,
        shop: shop.domain,
        idToken,
        sessionId,
        apiSecret: credentials.apiSecret,
      }),
    });
  };

  router.all(
    /^\/store\/([a-z0-9][a-z0-9-]*)(\/.*)?$/,
    route(async (req, res) => {
      const url = requestUrl(req, deps.origin());
      const params = req.params as Record<string, string | undefined>;
      const shopDomain = `${params[0]}.myshopify.com`;
      const rest = params[1] ?? "";
      const appPrefix = `/apps/${app.handle}`;
      if (rest === appPrefix || rest.startsWith(`${appPrefix}/`)) {
        const appPath = `/app${rest.slice(appPrefix.length)}${url.search}`;
        return html(res, 200, frameFor(shopDomain, appPath));
      }
      const shop = shops.find(shopDomain) ?? shops.create({ shop: shopDomain });
      const refundPath = /^\/orders\/(\d+)\/refund$/.exec(rest);
      if (refundPath && req.method === "POST") {
        const form = parseBody(await readBody(req), req.headers["content-type"]) as Record<string, string>;
        let notice: string;
        try {
          const amount = form.amount?.trim() ? toMinorUnits(form.amount, shop.currency) : undefined;
          const after = control.refund({
            shop: shop.domain,
            orderId: refundPath[1]!,
            ...(amount !== undefined ? { amountCents: amount } : {}),
          });
          notice = `Refunded ${decimalAmount(after.refunds.at(-1)!.amountCents, shop.currency)} ${shop.currency}.`;
        } catch (error) {
          notice = `Error: ${(error as Error).message}`;
        }
        return redirect(res, 303, `/store/${shop.handle}/orders/${refundPath[1]}?notice=${encodeURIComponent(notice)}`);
      }
      const resource = /^\/(customers|orders|discounts)(?:\/(\d+))?$/.exec(rest);
      let content = `<h1>${shop.name}</h1><p>Sandbox admin home.</p>`;
      if (resource?.[1] === "customers" && resource[2]) {
        const c = shop.store.customers.findById(resource[2]);
        content = c
          ? adminResourcePage(`${c.firstName ?? ""} ${c.lastName ?? ""}`.trim() || c.email || c.id, [
              ["Email", c.email ?? ""],
              ["State", c.state],
              ["Tags", c.tags.join(", ")],
              ["Orders", String(shop.store.orders.statsOf(c.index).count)],
            ])
          : "<h1>Customer not found</h1>";
      } else if (resource?.[1] === "orders" && resource[2]) {
        const o = shop.store.orders.findById(resource[2]);
        content = o
          ? adminResourcePage(
              `Order #${o.number}`,
              [
                ["Email", o.email ?? ""],
                ["Total", decimalAmount(o.totalCents, shop.currency)],
                ["Refunded", decimalAmount(o.refundedCents, shop.currency)],
                ["Status", o.financialStatus],
              ],
              {
                notice: url.searchParams.get("notice"),
                refundAction: `/store/${shop.handle}/orders/${o.id}/refund`,
              },
            )
          : "<h1>Order not found</h1>";
      } else if (resource) {
        content = `<h1 data-sandbox-admin-section>${resource[1]}</h1>`;
      }
      const staff = shop.staff[0]!;
      return html(
        res,
        200,
        adminPage({
          shop: shop.domain,
          shopName: shop.name,
          appName: app.name,
          appHandle: app.handle,
          appOrigin: app.url,
          iframeSrc: null,
          adminContent: content,
          staffName: `${staff.firstName} ${staff.lastName}`,
        }),
      );
    }),
  );
  return router;
}
