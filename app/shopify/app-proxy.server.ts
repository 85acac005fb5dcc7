import { authenticate } from "~/shopify.server";

/**
 * Verifies an app-proxy request (the library answers a bad signature itself) and names the storefront customer, taken
 * only from Shopify's signed `logged_in_customer_id`, never from anything else the browser sends.
 */
export async function authenticateStorefront(request: Request) {
  const context = await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop") ?? "";
  const customerId = url.searchParams.get("logged_in_customer_id");
  const customerGid = customerId && /^\d+$/.test(customerId) ? `gid://shopify/Customer/${customerId}` : null;
  return { ...context, shop, customerGid };
}
