import type { JwtPayload } from "@shopify/shopify-api";
import { DomainError, isDomainError } from "~/domain/shared";
import { env } from "~/lib/env.server";
import { responseForDomainError } from "~/lib/errors.server";
import { getInstallState } from "~/services/shops/get-shop.server";
import { authenticate, contextFor } from "~/shopify.server";
import { isShopDomain } from "~/lib/shop-domain";

export interface CustomerAccountRequest {
  shop: string;
  customerGid: string;
  params: Record<string, string | undefined>;
}

/**
 * The shop and the signed-in customer a verified customer account session token names. The library does not check
 * the audience of extension tokens, so Tally does: `aud` must be Tally's API key. `dest` is the shop (with or without
 * https://), `sub` the customer's GID (shopify.dev, Session Token API: present when a customer is signed in and the
 * app has protected customer data access). Throws DomainError "unauthenticated" (401) for another app's token or one
 * without a customer, "bad_request" (400) for a shop that is not a myshopify.com domain, "not_installed" (403).
 */
async function customerOf(token: JwtPayload): Promise<Omit<CustomerAccountRequest, "params">> {
  if (token.aud !== env().SHOPIFY_API_KEY) throw new DomainError("unauthenticated", "The session token is not Tally's");
  const shop = String(token.dest ?? "").replace(/^https:\/\//, "");
  if (!isShopDomain(shop, env().SHOP_CUSTOM_DOMAIN)) throw new DomainError("bad_request", "The token names no shop");
  const customerGid = typeof token.sub === "string" ? token.sub : "";
  if (!/^gid:\/\/shopify\/Customer\/[1-9]\d{0,19}$/.test(customerGid)) {
    throw new DomainError("unauthenticated", "Sign in to see your points");
  }
  if ((await getInstallState({ ctx: contextFor(shop, "customer-account") })) !== "installed") {
    throw new DomainError("not_installed", "Tally is not installed on this store");
  }
  return { shop, customerGid };
}

/**
 * A loader for Tally's customer account UI extension (extensions/tally-account), called cross-origin with the
 * extension's session token: `authenticate.public.customerAccount` verifies the HS256 signature and expiry and answers
 * a CORS preflight (204) or a bad token (401) itself; every answer after that, typed errors included, carries the
 * CORS headers the extension needs to read it.
 */
export function customerAccountLoader(handler: (input: CustomerAccountRequest) => Promise<Response>) {
  return async ({ request, params }: { request: Request; params: CustomerAccountRequest["params"] }) => {
    const { sessionToken, cors } = await authenticate.public.customerAccount(request);
    try {
      return cors(await handler({ ...(await customerOf(sessionToken)), params }));
    } catch (error) {
      if (isDomainError(error)) return cors(responseForDomainError(error));
      throw error;
    }
  };
}
