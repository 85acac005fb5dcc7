import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { guestOrdersEarn } from "~/domain/program";
import { withErrors } from "~/lib/errors.server";
import { parseOr400 } from "~/lib/parse.server";
import { authenticateStorefront } from "~/shopify/proxy/authenticate.server";
import { getProgram } from "~/services/program/get-program.server";
import { rewardsPageLiquid } from "~/shopify/proxy/rewards-page.server";
import { contextFor } from "~/shopify.server";

// Shopify's signed mount point ("/apps/tally", or the merchant's own subpath). It is written into Liquid, so only a
// path of unreserved URL characters is taken: nothing in it can open a Liquid tag or an HTML attribute.
const querySchema = z.object({
  path_prefix: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)+$/, "must be the app proxy's path, like /apps/tally")
    .default("/apps/tally"),
});

/**
 * The rewards page, `{proxy}/` (https://{shop}/apps/tally/): Liquid that Shopify renders inside the shop's theme,
 * with the panel the launcher opens, its join box worded by whether guest orders earn now. Cached by nobody: it says
 * who is signed in, and follows the program.
 */
export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await authenticateStorefront(request);
  const { path_prefix: pathPrefix } = parseOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const { settings } = await getProgram({ ctx: contextFor(shop, "storefront") });
  return new Response(rewardsPageLiquid(pathPrefix, { guestsEarn: guestOrdersEarn(settings) }), {
    headers: { "Content-Type": "application/liquid; charset=utf-8", "Cache-Control": "no-store" },
  });
});
