import { z } from "zod";
import { DomainError } from "~/domain/shared";
import { getInstallState } from "~/services/shops/get-shop.server";
import { authenticate, contextFor } from "~/shopify.server";
import { env } from "~/lib/env.server";
import { isShopDomain } from "~/lib/shop-domain";

/**
 * The app-proxy query as Shopify signs it: every parameter is signed, the shopper's own ones included, and a
 * parameter given twice is signed as its values joined by commas (shopify.dev, "Authenticate app proxies"). A reader
 * taking the first value would then act on something the signature never vouched for on its own: a shopper adding
 * `logged_in_customer_id=<victim>` ahead of Shopify's would be read as the victim. Tally's storefront API takes no
 * parameter twice, so any repeated name is refused before the signature is even checked, and every value Tally reads
 * comes from this one map, the same one the check saw.
 */
function singleValuedQuery(url: URL): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (params.has(name)) {
      throw new DomainError("bad_request", `The query parameter "${name}" appears more than once`);
    }
    params.set(name, value);
  }
  return params;
}

const signedParams = z.object({
  shop: z.string().refine((shop) => isShopDomain(shop, env().SHOP_CUSTOM_DOMAIN), "is not a myshopify.com domain"),
  // Empty when nobody is logged in; otherwise Shopify's numeric customer id, never anything else.
  logged_in_customer_id: z.union([z.literal(""), z.string().regex(/^[1-9]\d{0,19}$/)]).default(""),
  // Where the merchant placed the proxy (/apps/tally, /a/rewards...): links Tally gives out point there.
  path_prefix: z
    .string()
    .regex(/^\/(apps|a|community|tools)\/[A-Za-z0-9_-]{1,64}$/)
    .catch("/apps/tally")
    .default("/apps/tally"),
});

/**
 * Verifies an app-proxy request and names the shop and the storefront customer, read only from Shopify's signed
 * `shop` and `logged_in_customer_id`. Throws DomainError "bad_request" (400) for a repeated or malformed parameter and
 * "not_installed" (403) for a shop that never installed Tally or has uninstalled it; a bad signature is the library's
 * own thrown 400.
 */
export async function authenticateStorefront(request: Request) {
  const params = singleValuedQuery(new URL(request.url));
  const context = await authenticate.public.appProxy(request);
  const parsed = signedParams.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    throw new DomainError("bad_request", "Bad request", { issues });
  }
  const { shop, logged_in_customer_id: customerId, path_prefix: proxyPath } = parsed.data;
  if ((await getInstallState({ ctx: contextFor(shop, "storefront") })) !== "installed") {
    throw new DomainError("not_installed", "Tally is not installed on this store");
  }
  const customerGid = customerId ? `gid://shopify/Customer/${customerId}` : null;
  return { ...context, shop, customerGid, proxyPath };
}
