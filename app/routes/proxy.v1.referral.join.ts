import type { ActionFunctionArgs } from "@remix-run/node";
import { DomainError } from "~/domain/shared";
import { withErrors } from "~/lib/errors.server";
import { joinFromStorefront } from "~/services/referrals/referral-storefront.server";
import { authenticateStorefront } from "~/shopify/proxy/authenticate.server";
import { readStorefrontJson } from "~/shopify/proxy/read-json.server";
import { contextFor } from "~/shopify.server";

/**
 * The logged-in shopper joins the referral program: 200 `{"referral": {...}}`, idempotent; 401 not logged in, 403
 * blocked, 404 when the program is off (README, storefront API).
 */
export const action = withErrors(async ({ request }: ActionFunctionArgs) => {
  const { shop, customerGid, proxyPath } = await authenticateStorefront(request);
  if (!customerGid) throw new DomainError("unauthenticated", "Log in to get your referral link");
  await readStorefrontJson(request, "{}");
  const referral = await joinFromStorefront({ ctx: contextFor(shop, customerGid), input: { customerGid, proxyPath } });
  return Response.json({ referral }, { headers: { "Cache-Control": "no-store" } });
});
