import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { signAppProxyQuery } from "../sandbox/index";

/**
 * A storefront request as Shopify forwards it through the app proxy: path_prefix and logged_in_customer_id in the
 * query, then shop, timestamp and signature added and signed by the library's own test helper.
 */
export async function appProxyRequest(options: {
  shop: string;
  path: string;
  customerId?: string;
  method?: "GET" | "POST";
  body?: string;
  secret?: string;
}): Promise<Request> {
  const url = new URL(`${process.env.SHOPIFY_APP_URL}/proxy${options.path}`);
  url.searchParams.set("path_prefix", "/apps/tally");
  url.searchParams.set("logged_in_customer_id", options.customerId ?? "");
  const request = new Request(url, {
    method: options.method ?? "GET",
    ...(options.body !== undefined ? { body: options.body, headers: { "Content-Type": "application/json" } } : {}),
  });
  return setUpValidRequest(
    {
      type: RequestType.Public,
      // The helper appends .myshopify.com itself.
      store: options.shop.replace(/\.myshopify\.com$/, ""),
      apiSecretKey: options.secret ?? process.env.SHOPIFY_API_SECRET ?? "",
    },
    request,
  );
}

/**
 * A proxied request whose query is exactly `params`, in order and repeats included, signed as Shopify signs it
 * (sorted names, a repeated name's values joined with commas; shopify.dev, "Authenticate app proxies"). For playing a
 * shopper who adds parameters of their own: Shopify forwards them and signs them with its own.
 */
export function signedProxyRequest(options: {
  path: string;
  params: Array<[string, string]>;
  method?: "GET" | "POST";
  body?: string;
}): Request {
  const query = new URLSearchParams(options.params);
  query.append("signature", signAppProxyQuery(query, process.env.SHOPIFY_API_SECRET ?? ""));
  return new Request(`${process.env.SHOPIFY_APP_URL}/proxy${options.path}?${query.toString()}`, {
    method: options.method ?? "GET",
    ...(options.body !== undefined ? { body: options.body, headers: { "Content-Type": "application/json" } } : {}),
  });
}
