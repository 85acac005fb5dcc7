import { createHmac } from "node:crypto";
import { Router } from "express";
import type { AppConfig } from "../app-config";
import { normalizeShop } from "../shops";
import type { AppProxyLiquid } from "../theme/app-proxy-liquid";
import { cookies, json, readBody, requestUrl, route } from "./http";

/** The signature Shopify puts on app proxy requests: hex HMAC-SHA256 of the sorted `key=value` pairs, no separators. */
export function signAppProxyQuery(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) if (key !== "signature") grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The app proxy: `{storefrontPrefix}/*` on the shop's domain forwarded to `{appUrl}{appPath}/*`, signed as Shopify
 * signs it, with the method, body and content type; the app's status, headers and redirects come back as they were.
 */
export function appProxyRoutes(deps: {
  appUrl: string;
  appConfig: AppConfig;
  apiSecret: string;
  origin: () => string;
  /** Renders `application/liquid` answers in the shop's theme (theme/app-proxy-liquid.ts). */
  onlineStore: AppProxyLiquid;
}) {
  const router = Router({ caseSensitive: true, strict: true });
  const proxy = deps.appConfig.appProxy;
  if (!proxy) return router;
  router.all(
    // A published locale's prefix (`/fr/apps/tally/...`) reaches the same proxy, in that locale.
    new RegExp(`^(?:/([a-zA-Z]{2}(?:-[a-zA-Z]{2,4})?))?${escapeRegExp(proxy.storefrontPrefix)}(?:/.*)?$`),
    route(async (req, res, next) => {
      const url = requestUrl(req, deps.origin());
      const localePrefix = (req.params as Record<string, string | undefined>)[0];
      const jar = cookies(req);
      const shopParam =
        (req.headers["x-sandbox-shop"] as string | undefined) ??
        url.searchParams.get("sandbox_shop") ??
        jar.sandbox_shop;
      if (!shopParam) return json(res, 400, { error: "Which shop? Set the sandbox_shop cookie or ?sandbox_shop=" });
      const shop = normalizeShop(shopParam);
      // A link that names its shop (`?sandbox_shop=`, as README tells a newcomer to add once) is remembered as the
      // storefront remembers `?shop=`: the page's own forms and scripts then post without it, as on a shop's domain.
      const remember =
        url.searchParams.get("sandbox_shop") !== null && jar.sandbox_shop !== shop
          ? { "set-cookie": `sandbox_shop=${encodeURIComponent(shop)}; Path=/; SameSite=Lax` }
          : {};
      const locale = deps.onlineStore.localeOf(shop, localePrefix);
      if (locale === null) return next();
      const proxiedPath = url.pathname.slice(localePrefix ? localePrefix.length + 1 : 0);
      const customerId = url.searchParams.get("sandbox_customer") ?? jar.sandbox_customer ?? "";
      // As Shopify does: the shopper's own query parameters are forwarded as they came, Shopify's are appended after
      // them (a shopper's `logged_in_customer_id` is not removed: both arrive, signed as one comma-joined value).
      const params = new URLSearchParams();
      for (const [key, value] of url.searchParams)
        if (key !== "sandbox_shop" && key !== "sandbox_customer") params.append(key, value);
      params.append("shop", shop);
      params.append("logged_in_customer_id", customerId.replace(/^gid:\/\/shopify\/Customer\//, ""));
      params.append("path_prefix", proxy.storefrontPrefix);
      params.append("timestamp", String(Math.floor(Date.now() / 1000)));
      params.append("signature", signAppProxyQuery(params, deps.apiSecret));
      const target = `${deps.appUrl}${proxy.appPath}${proxiedPath.slice(proxy.storefrontPrefix.length)}?${params.toString()}`;
      const headers = new Headers();
      for (const name of ["content-type", "accept", "accept-language", "user-agent"]) {
        const value = req.headers[name];
        if (typeof value === "string") headers.set(name, value);
      }
      // As Shopify's proxy does: the shopper's address first, then whatever a proxy in front of the sandbox added.
      // A test plays a shopper on another network with `X-Sandbox-Client-Ip`.
      const client = (req.headers["x-sandbox-client-ip"] as string | undefined) ?? req.socket.remoteAddress ?? "";
      const forwarded = req.headers["x-forwarded-for"];
      headers.set(
        "x-forwarded-for",
        [client, ...(typeof forwarded === "string" ? [forwarded] : [])].filter(Boolean).join(", "),
      );
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const upstream = await fetch(target, {
        method: req.method ?? "GET",
        headers,
        ...(hasBody ? { body: new Uint8Array(await readBody(req)) } : {}),
        redirect: "manual",
      });
      const out: Record<string, string> = {};
      upstream.headers.forEach((value, key) => {
        if (!["content-encoding", "content-length", "transfer-encoding", "connection", "set-cookie"].includes(key))
          out[key] = value;
      });
      // Shopify renders an `application/liquid` answer as Liquid in the shop's theme (shopify.dev, "App proxies").
      if (/^application\/liquid\b/i.test(upstream.headers.get("content-type") ?? "")) {
        const body = await upstream.text();
        const page = deps.onlineStore.render({
          shop,
          customerId,
          locale,
          path: url.pathname + url.search,
          body,
          cookies: jar,
        });
        res.writeHead(upstream.status, { ...out, ...remember, "content-type": "text/html; charset=utf-8" });
        return void res.end(page);
      }
      res.writeHead(upstream.status, { ...out, ...remember });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    }),
  );
  return router;
}
