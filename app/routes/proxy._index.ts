import type { LoaderFunctionArgs } from "@remix-run/node";
import { withErrors } from "~/lib/errors.server";
import { authenticateStorefront } from "~/shopify/proxy/authenticate.server";
import { rewardsPageLiquid } from "~/shopify/proxy/rewards-page.server";

/**
 * The rewards page, `{proxy}/` (https://{shop}/apps/tally/): Liquid that Shopify renders inside the shop's theme,
 * with the panel the launcher opens. Cached by nobody: it says who is signed in.
 */
export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  await authenticateStorefront(request);
  const pathPrefix = new URL(request.url).searchParams.get("path_prefix") || "/apps/tally";
  return new Response(rewardsPageLiquid(pathPrefix), {
    headers: { "Content-Type": "application/liquid; charset=utf-8", "Cache-Control": "no-store" },
  });
});
