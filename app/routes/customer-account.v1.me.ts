import { getStorefrontView } from "~/services/storefront/get-storefront-view.server";
import { customerAccountLoader } from "~/shopify/auth/customer-account.server";
import { contextFor } from "~/shopify.server";

/**
 * GET /customer-account/v1/me: the Profile block of Tally's customer account extension. The storefront widget's view
 * of the signed-in customer (README, storefront API), with the storefront rewards page to link to.
 */
export const loader = customerAccountLoader(async ({ shop, customerGid }) => {
  const view = await getStorefrontView({ ctx: contextFor(shop, "customer-account"), input: { customerGid } });
  return Response.json(
    { ...view, rewardsUrl: `https://${shop}/apps/tally/` },
    { headers: { "Cache-Control": "no-store" } },
  );
});
