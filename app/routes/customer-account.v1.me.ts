import { log } from "~/lib/log.server";
import { getStorefrontView } from "~/services/storefront/get-storefront-view.server";
import { meetStorefrontCustomer } from "~/services/storefront/meet-storefront-customer.server";
import { shopifyCustomerReader } from "~/shopify/admin/customer-reader.server";
import { customerAccountLoader } from "~/shopify/auth/customer-account.server";
import { contextFor, unauthenticated } from "~/shopify.server";

/**
 * GET /customer-account/v1/me: the Profile block of Tally's customer account extension. The storefront widget's view
 * of the signed-in customer (README, storefront API), with the storefront rewards page to link to. A customer Tally
 * has not heard of yet, or holds as a Guest, is read from Shopify first, as the widget's /v1/me does.
 */
export const loader = customerAccountLoader(async ({ shop, customerGid }) => {
  const ctx = contextFor(shop, "customer-account");
  // The Admin client (the shop's offline session) is looked up only for a customer Tally lacks or holds as a Guest.
  const shopify = {
    customer: async (gid: string) =>
      shopifyCustomerReader((await unauthenticated.admin(shop)).admin.graphql).customer(gid),
  };
  await meetStorefrontCustomer({ ctx, input: { customerGid }, shopify }).catch((error: unknown) =>
    log.warn({ shop, customerGid, err: error }, "Could not read a signed-in customer"),
  );
  const view = await getStorefrontView({ ctx, input: { customerGid } });
  return Response.json(
    { ...view, rewardsUrl: `https://${shop}/apps/tally/` },
    { headers: { "Cache-Control": "no-store" } },
  );
});
