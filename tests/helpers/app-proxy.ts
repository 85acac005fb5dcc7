import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";

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
