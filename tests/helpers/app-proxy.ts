import { createHmac } from "node:crypto";

/**
 * A storefront request as Shopify forwards it through the app proxy: the query carries shop, path_prefix, timestamp
 * and logged_in_customer_id, signed with the app secret (hex HMAC-SHA256 of the sorted `key=value` pairs, no
 * separator), exactly as Shopify documents it.
 */
export function appProxyRequest(options: {
  shop: string;
  path: string;
  customerId?: string;
  method?: "GET" | "POST";
  body?: string;
  secret?: string;
}): Request {
  const params: Record<string, string> = {
    shop: options.shop,
    path_prefix: "/apps/tally",
    timestamp: String(Math.floor(Date.now() / 1000)),
    logged_in_customer_id: options.customerId ?? "",
  };
  const message = Object.keys(params)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("");
  const signature = createHmac("sha256", options.secret ?? process.env.SHOPIFY_API_SECRET ?? "")
    .update(message)
    .digest("hex");
  const query = new URLSearchParams({ ...params, signature });
  return new Request(`${process.env.SHOPIFY_APP_URL}/proxy${options.path}?${query}`, {
    method: options.method ?? "GET",
    ...(options.body !== undefined ? { body: options.body, headers: { "Content-Type": "application/json" } } : {}),
  });
}
