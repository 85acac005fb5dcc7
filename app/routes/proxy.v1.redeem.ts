import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { DomainError, isDomainError } from "~/domain/shared";
import { responseForDomainError, withErrors } from "~/lib/errors.server";
import { parseOr400 } from "~/lib/parse.server";
import { redeemPoints } from "~/services/rewards/redeem-points.server";
import { findCustomerIdByGid, getStorefrontView } from "~/services/storefront/get-storefront-view.server";
import { authenticateStorefront } from "~/shopify/proxy/authenticate.server";
import { readStorefrontJson } from "~/shopify/proxy/read-json.server";
import { shopifyRewardIssuer } from "~/shopify/admin/rewards.server";
import { contextFor } from "~/shopify.server";

const bodySchema = z.object({ optionId: z.string().min(1).max(40) });

/**
 * Redeems points for a reward; every refusal is a typed error with its status (README, storefront API). Both the
 * reward and a refusal of the ledger's come with `view`, the shopper's v1/me as it now stands: a panel drawn before
 * a redemption in another tab redraws her balance and rewards from it (decision 055).
 */
export const action = withErrors(async ({ request }: ActionFunctionArgs) => {
  const { shop, customerGid, proxyPath, admin } = await authenticateStorefront(request);
  if (!customerGid) throw new DomainError("unauthenticated", "Log in to redeem points");
  // JSON only: a cross-site form post cannot be made to spend a shopper's points without a preflight.
  const { optionId } = parseOr400(bodySchema, await readStorefrontJson(request, '{"optionId": "five-off"}'));
  if (!admin) throw new DomainError("shopify_unavailable", "Tally is not installed on this store");
  const ctx = contextFor(shop, customerGid);
  const viewNow = () => getStorefrontView({ ctx, input: { customerGid, proxyPath } });
  try {
    const customerId = await findCustomerIdByGid({ ctx, input: { customerGid } });
    if (customerId === undefined) {
      // Named as the panel's reward row names it ("$5.00 CAD off"), as redeemPoints' refusals are.
      const { program } = await viewNow();
      const reward = program.redeem.find((row) => row.id === optionId)?.title;
      throw new DomainError("insufficient_points", `You have no points to redeem${reward ? ` for ${reward}` : ""} yet`);
    }
    const reward = await redeemPoints({
      ctx,
      input: { customerId, optionId },
      issue: shopifyRewardIssuer(admin.graphql),
    });
    const view = await viewNow();
    // Titled as the panel's rewards list titles it ("$5.00 CAD off", with its terms for the shopper's language), not
    // as stored ("$5.00 off"): the panel and this answer name one reward one way.
    const shown = view.rewards.find((row) => row.code === reward.code);
    return Response.json({
      reward: shown ?? {
        code: reward.code,
        title: reward.title,
        titleTerms: null,
        used: false,
        createdAt: reward.createdAt,
        kind: reward.kind,
      },
      points: view.customer?.known ? view.customer.points : 0,
      view,
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    // The refusal stands even when the view cannot be read; the panel then keeps what it shows.
    throw responseForDomainError(error, { view: await viewNow().catch(() => undefined) });
  }
});
