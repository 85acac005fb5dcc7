import { and, eq, inArray } from "drizzle-orm";
import {
  planReferralApproval,
  planReferralCancellation,
  referralOrderView,
  type ReferralOrderView,
} from "~/domain/referrals";
import { DomainError } from "~/domain/shared";
import { orders, referralRewards, referrals } from "~/db/schema";
import { recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { getShopTimeZone } from "../shops/get-shop.server";
import { persistReferralPlan } from "./apply-referral-order.server";
import { voidReferralDiscount, type ReferralDiscountGateway } from "./referral-discounts.server";

type ReferralRow = typeof referrals.$inferSelect;

async function getReferral(ctx: ServiceContext, tx: Tx, referralId: number): Promise<ReferralRow> {
  const [row] = await tx
    .select()
    .from(referrals)
    .where(and(eq(referrals.shop, ctx.shop), eq(referrals.id, referralId)));
  if (!row) throw new DomainError("not_found", "No such referral");
  return row;
}

async function orderViewOf(ctx: ServiceContext, tx: Tx, referral: ReferralRow): Promise<ReferralOrderView | null> {
  if (!referral.orderGid) return null;
  const [order] = await tx
    .select({ state: orders.pointsState, processedAt: orders.processedAt, name: orders.name, total: orders.totalMinor })
    .from(orders)
    .where(and(eq(orders.shop, ctx.shop), eq(orders.orderGid, referral.orderGid)));
  if (!order) return null;
  return referralOrderView(
    referral.orderGid,
    order.state,
    { processedAt: order.processedAt, totalMinor: order.total, name: order.name ?? "" },
    ctx.now,
  );
}

/** Who acted, as the referral's story names them. */
const staffName = (ctx: ServiceContext) => ctx.actorName ?? "a staff member";

/**
 * Approve, from the review queue: a blocked or flagged referral's signals no longer stop it. With its order it
 * completes and rewards the advocate (once, whatever is clicked twice); without one it is Pending again and the
 * friend's next claim gets their code. Recorded with the staff member. Throws DomainError "not_found" (404), or
 * "conflict" (409) when the referral is not waiting for review or its order was since refunded or cancelled.
 */
export async function approveReferral({ ctx, input }: { ctx: ServiceContext; input: { referralId: number } }) {
  return inTransaction(ctx, async (tx) => {
    const referral = await getReferral(ctx, tx, input.referralId);
    const plan = planReferralApproval(referral.state, await orderViewOf(ctx, tx, referral), {
      now: ctx.now,
      staff: staffName(ctx),
      timeZone: await getShopTimeZone({ ctx, tx }),
    });
    await persistReferralPlan({ ctx, tx, input: { referral, plan } });
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "referral.approve",
        subject: `Referral of ${referral.friendEmail ?? "an erased friend"}`,
        customerId: referral.advocateCustomerId,
        before: { status: referral.status },
        after: { status: plan.state.status },
      },
    });
    return { status: plan.state.status };
  });
}

/**
 * Cancel, from the review queue or a referral's page: the referral ends Cancelled, recorded with the staff member;
 * the advocate's reward is taken back (points, or their code deactivated if unused), and the friend's unused code is
 * deactivated in Shopify (discountCodeDeactivate) after the commit. A code Shopify does not confirm is left for the
 * jobs; the referral is cancelled either way.
 */
export async function cancelReferral({
  ctx,
  input,
  gateway,
}: {
  ctx: ServiceContext;
  input: { referralId: number };
  gateway: ReferralDiscountGateway;
}): Promise<{ status: "cancelled"; codesDeactivated: number; codesPending: number }> {
  await inTransaction(ctx, async (tx) => {
    const referral = await getReferral(ctx, tx, input.referralId);
    const plan = planReferralCancellation(referral.state, { staff: staffName(ctx) });
    await persistReferralPlan({ ctx, tx, input: { referral, plan } });
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "referral.cancel",
        subject: `Referral of ${referral.friendEmail ?? "an erased friend"}`,
        customerId: referral.advocateCustomerId,
        before: { status: referral.status },
        after: { status: plan.state.status },
      },
    });
  });
  const voiding = await ctx.db
    .select()
    .from(referralRewards)
    .where(
      and(
        eq(referralRewards.shop, ctx.shop),
        eq(referralRewards.referralId, input.referralId),
        inArray(referralRewards.status, ["voiding"]),
      ),
    );
  let codesDeactivated = 0;
  let codesPending = 0;
  for (const row of voiding) {
    try {
      const done = await voidReferralDiscount({ ctx, input: { row }, gateway });
      if (done.status === "voided") codesDeactivated += 1;
      else codesPending += 1;
    } catch {
      codesPending += 1;
    }
  }
  return { status: "cancelled", codesDeactivated, codesPending };
}
