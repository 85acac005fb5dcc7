import { and, asc, eq, isNotNull, lt, lte } from "drizzle-orm";
import { planReferralRelease } from "~/domain/referrals";
import { referralClaimAttempts, referrals } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";
import { persistReferralPlan } from "./apply-referral-order.server";
import { settleReferralDiscounts, type ReferralDiscountGateway } from "./referral-discounts.server";

const KEEP_CLAIM_ATTEMPTS_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Makes held referral rewards the advocate's once the pending period after the friend's order is over: held points
 * are released (`release:referral:<key>`), a held discount code is reserved for Shopify. Each referral is its own
 * transaction, so a crash mid-batch or a second run releases nothing twice.
 */
export async function releaseReferralRewards({ ctx, input }: { ctx: ServiceContext; input: { limit: number } }) {
  const due = await ctx.db
    .select({ id: referrals.id })
    .from(referrals)
    .where(
      and(
        eq(referrals.shop, ctx.shop),
        isNotNull(referrals.releaseAt),
        lte(referrals.releaseAt, ctx.now.toISOString()),
      ),
    )
    .orderBy(asc(referrals.releaseAt))
    .limit(input.limit);
  let released = 0;
  for (const { id } of due) {
    await inTransaction(ctx, async (tx) => {
      const [referral] = await tx
        .select()
        .from(referrals)
        .where(and(eq(referrals.shop, ctx.shop), eq(referrals.id, id)));
      if (!referral) return;
      const plan = planReferralRelease(referral.state, ctx.now);
      if (plan.events.length === 0) return;
      await persistReferralPlan({ ctx, tx, input: { referral, plan } });
      released += 1;
    });
  }
  return { checked: due.length, released };
}

/**
 * Everything referrals do off the request path for one shop: release rewards whose pending period ended, create and
 * confirm referral codes in Shopify (advocates' rewards due, friends' codes a lost answer left reserved), deactivate
 * codes of cancelled referrals, and forget claim attempts older than the rate limits look.
 */
export async function runReferralJobs({ ctx, gateway }: { ctx: ServiceContext; gateway: ReferralDiscountGateway }) {
  const release = await releaseReferralRewards({ ctx, input: { limit: 500 } });
  const codes = await settleReferralDiscounts({ ctx, input: { olderThanMs: 120_000, limit: 200 }, gateway });
  const cutoff = new Date(ctx.now.getTime() - KEEP_CLAIM_ATTEMPTS_MS).toISOString();
  await inTransaction(ctx, (tx) =>
    tx
      .delete(referralClaimAttempts)
      .where(and(eq(referralClaimAttempts.shop, ctx.shop), lt(referralClaimAttempts.createdAt, cutoff))),
  );
  return { ...release, codes };
}
