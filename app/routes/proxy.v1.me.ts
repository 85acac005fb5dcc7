import type { LoaderFunctionArgs } from "@remix-run/node";
import { withErrors } from "~/lib/errors.server";
import { log } from "~/lib/log.server";
import { getStorefrontView } from "~/services/storefront/get-storefront-view.server";
import { meetStorefrontCustomer } from "~/services/storefront/meet-storefront-customer.server";
import { shopifyCustomerReader } from "~/shopify/admin/customer-reader.server";
import { authenticateStorefront } from "~/shopify/proxy/authenticate.server";
import { contextFor } from "~/shopify.server";

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { shop, customerGid, proxyPath, admin } = await authenticateStorefront(request);
  const ctx = contextFor(shop, "storefront");
  if (customerGid && admin) {
    // A shopper signed in before Tally heard of them, or whom Tally holds as a Guest (a first sign-in makes a Member),
    // is read from Shopify now, so this visit shows their points, status and referral link; Shopify out of reach
    // leaves them to their webhooks, and the view says "not known yet" or shows the Guest Tally holds.
    await meetStorefrontCustomer({ ctx, input: { customerGid }, shopify: shopifyCustomerReader(admin.graphql) }).catch(
      (error: unknown) => log.warn({ shop, customerGid, err: error }, "Could not read a signed-in customer"),
    );
  }
  const view = await getStorefrontView({ ctx, input: { customerGid, proxyPath } });
  // Points change with every order; a cached answer would show a stale balance after checkout.
  return Response.json(view, { headers: { "Cache-Control": "no-store" } });
});
