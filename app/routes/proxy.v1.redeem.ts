import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { isDomainError } from "~/domain/shared";
import { responseForDomainError } from "~/lib/errors.server";
import { parseOr400 } from "~/lib/parse.server";
import { redeemPoints, RewardIssueFailed, RewardIssueUnconfirmed } from "~/services/rewards/redeem-points.server";
import { findCustomerIdByGid, getStorefrontView } from "~/services/storefront/get-storefront-view.server";
import { authenticateStorefront } from "~/shopify/app-proxy.server";
import { shopifyRewardIssuer } from "~/shopify/rewards.server";
import { contextFor } from "~/shopify.server";

const bodySchema = z.object({ optionId: z.string().min(1).max(40) });

async function readJson(request: Request): Promise<unknown> {
  // JSON only: a cross-site form post (text/plain) cannot be made to spend a shopper's points without a preflight.
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    throw Response.json({ error: "Send the body as application/json" }, { status: 415 });
  }
  try {
    return await request.json();
  } catch {
    throw Response.json({ error: 'The body must be JSON like {"optionId": "five-off"}' }, { status: 400 });
  }
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, customerGid, admin } = await authenticateStorefront(request);
  if (!customerGid) return Response.json({ error: "Log in to redeem points" }, { status: 401 });
  const { optionId } = parseOr400(bodySchema, await readJson(request));
  if (!admin) return Response.json({ error: "Tally is not installed on this store" }, { status: 503 });
  const ctx = contextFor(shop, customerGid);
  const customerId = await findCustomerIdByGid({ ctx, input: { customerGid } });
  if (customerId === undefined) {
    return Response.json({ error: "You have no points to redeem yet", code: "insufficient_points" }, { status: 409 });
  }
  try {
    const reward = await redeemPoints({
      ctx,
      input: { customerId, optionId },
      issue: shopifyRewardIssuer(admin.graphql),
    });
    const { customer } = await getStorefrontView({ ctx, input: { customerGid } });
    return Response.json({
      reward: { code: reward.code, title: reward.title, used: false, createdAt: reward.createdAt },
      points: customer?.known ? customer.points : 0,
    });
  } catch (error) {
    if (isDomainError(error)) return responseForDomainError(error);
    if (error instanceof RewardIssueFailed) return Response.json({ error: error.message }, { status: 502 });
    if (error instanceof RewardIssueUnconfirmed) return Response.json({ error: error.message }, { status: 503 });
    throw error;
  }
};
