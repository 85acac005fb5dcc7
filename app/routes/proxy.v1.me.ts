import type { LoaderFunctionArgs } from "@remix-run/node";
import { withErrors } from "~/lib/errors.server";
import { getStorefrontView } from "~/services/storefront/get-storefront-view.server";
import { authenticateStorefront } from "~/shopify/proxy/authenticate.server";
import { contextFor } from "~/shopify.server";

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { shop, customerGid, proxyPath } = await authenticateStorefront(request);
  const view = await getStorefrontView({ ctx: contextFor(shop, "storefront"), input: { customerGid, proxyPath } });
  // Points change with every order; a cached answer would show a stale balance after checkout.
  return Response.json(view, { headers: { "Cache-Control": "no-store" } });
});
