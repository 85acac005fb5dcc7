import { and, eq, inArray, or, sql } from "drizzle-orm";
import { smaller } from "~/db/dialect";
import { foldEmail } from "~/domain/referrals";
import {
  customers,
  referralAddressFingerprints,
  referralAdvocates,
  referralClaimAttempts,
  referralEvents,
  referralProgramVersions,
  referralRevenueOrders,
  referralRewards,
  referrals,
} from "~/db/schema";
import type { ServiceContext, Tx } from "../context";

/**
 * customers/merge (mergeCustomers' seam), in its transaction: the merged customer's referral life follows to the one
 * kept. Their codes keep working for the kept customer (as codes brought by a merge; the kept customer's own code stays
 * the one shown), referrals they made or were referred in, their referral codes, the fingerprints of where their orders
 * shipped, their referrer revenue orders, and the counters on the customer row (and the date they joined the program),
 * which end at zero (and null) on the merged one.
 * Idempotent: moved rows are found no more, and zeroed counters add nothing.
 */
export async function moveReferrals({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { fromId: number; toId: number };
}): Promise<{ referrals: number }> {
  const { fromId, toId } = input;
  if (fromId === toId) return { referrals: 0 };
  await tx
    .update(referralAdvocates)
    .set({
      customerId: toId,
      mergedFromCustomerId: sql`coalesce(${referralAdvocates.mergedFromCustomerId}, ${fromId})`,
    })
    .where(and(eq(referralAdvocates.shop, ctx.shop), eq(referralAdvocates.customerId, fromId)));
  // The codes moved, so the kept customer has joined since the earlier of the two dates (the directory's filter).
  const [joined] = await tx
    .select({ at: customers.referralJoinedAt })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, fromId)));
  if (joined?.at) {
    await tx
      .update(customers)
      .set({ referralJoinedAt: smaller(sql`coalesce(${customers.referralJoinedAt}, ${joined.at})`, joined.at) })
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, toId)));
    await tx
      .update(customers)
      .set({ referralJoinedAt: null })
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, fromId)));
  }
  const moved = await tx
    .update(referrals)
    .set({ advocateCustomerId: toId, updatedAt: ctx.now.toISOString() })
    .where(and(eq(referrals.shop, ctx.shop), eq(referrals.advocateCustomerId, fromId)))
    .returning({ id: referrals.id });
  await tx
    .update(referrals)
    .set({ friendCustomerId: toId, updatedAt: ctx.now.toISOString() })
    .where(and(eq(referrals.shop, ctx.shop), eq(referrals.friendCustomerId, fromId)));
  await tx
    .update(referralRewards)
    .set({ customerId: toId, updatedAt: ctx.now.toISOString() })
    .where(and(eq(referralRewards.shop, ctx.shop), eq(referralRewards.customerId, fromId)));
  await tx
    .update(referralRevenueOrders)
    .set({ advocateCustomerId: toId })
    .where(and(eq(referralRevenueOrders.shop, ctx.shop), eq(referralRevenueOrders.advocateCustomerId, fromId)));
  const addresses = await tx
    .select({ fingerprint: referralAddressFingerprints.fingerprint, seenAt: referralAddressFingerprints.seenAt })
    .from(referralAddressFingerprints)
    .where(and(eq(referralAddressFingerprints.shop, ctx.shop), eq(referralAddressFingerprints.customerId, fromId)));
  for (const address of addresses) {
    await tx
      .insert(referralAddressFingerprints)
      .values({ shop: ctx.shop, customerId: toId, ...address })
      .onConflictDoNothing();
  }
  await tx
    .delete(referralAddressFingerprints)
    .where(and(eq(referralAddressFingerprints.shop, ctx.shop), eq(referralAddressFingerprints.customerId, fromId)));

  const [from] = await tx
    .select({
      successful: customers.successfulReferrals,
      referrer: customers.referrerRevenueMinor,
      referee: customers.refereeRevenueMinor,
    })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, fromId)));
  if (from && (from.successful !== 0 || from.referrer !== 0 || from.referee !== 0)) {
    await tx
      .update(customers)
      .set({
        successfulReferrals: sql`${customers.successfulReferrals} + ${from.successful}`,
        referrerRevenueMinor: sql`${customers.referrerRevenueMinor} + ${from.referrer}`,
        refereeRevenueMinor: sql`${customers.refereeRevenueMinor} + ${from.referee}`,
      })
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, toId)));
    await tx
      .update(customers)
      .set({ successfulReferrals: 0, referrerRevenueMinor: 0, refereeRevenueMinor: 0 })
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, fromId)));
  }
  return { referrals: moved.length };
}

/**
 * customers/redact, in its transaction: erases the referral data that identifies the customer. The email a friend
 * typed (and its folded and search forms) on referrals they were referred in, found by customer or by email, and the
 * fingerprints of where their orders shipped. Referrals, codes and figures stay, anonymous: reasons and the referral's
 * story name no one (fraud.ts).
 */
export async function redactReferralData({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { customerId: number | null; emails: readonly string[] };
}) {
  const keys = input.emails.map(foldEmail);
  const matches = [
    input.customerId !== null ? eq(referrals.friendCustomerId, input.customerId) : undefined,
    keys.length > 0 ? inArray(referrals.friendEmailKey, keys) : undefined,
  ].filter((match) => match !== undefined);
  if (matches.length > 0) {
    await tx
      .update(referrals)
      .set({ friendEmail: null, friendEmailKey: null, friendSearch: null, updatedAt: ctx.now.toISOString() })
      .where(and(eq(referrals.shop, ctx.shop), or(...matches)));
  }
  if (input.customerId !== null) {
    await tx
      .delete(referralAddressFingerprints)
      .where(
        and(
          eq(referralAddressFingerprints.shop, ctx.shop),
          eq(referralAddressFingerprints.customerId, input.customerId),
        ),
      );
  }
}

/** The referral data a customer's data request hands over: their codes, referrals on either side, and codes held. */
export async function exportReferralData({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { customerId: number };
}) {
  return {
    referralCodes: await tx
      .select()
      .from(referralAdvocates)
      .where(and(eq(referralAdvocates.shop, ctx.shop), eq(referralAdvocates.customerId, input.customerId))),
    referrals: await tx
      .select()
      .from(referrals)
      .where(
        and(
          eq(referrals.shop, ctx.shop),
          or(eq(referrals.advocateCustomerId, input.customerId), eq(referrals.friendCustomerId, input.customerId)),
        ),
      ),
    referralDiscountCodes: await tx
      .select()
      .from(referralRewards)
      .where(and(eq(referralRewards.shop, ctx.shop), eq(referralRewards.customerId, input.customerId))),
  };
}

/** shop/redact, in its transaction: every referral row of the shop, children first. */
export async function redactShopReferrals({ ctx, tx }: { ctx: ServiceContext; tx: Tx }) {
  await tx.delete(referralEvents).where(eq(referralEvents.shop, ctx.shop));
  await tx.delete(referralRewards).where(eq(referralRewards.shop, ctx.shop));
  await tx.delete(referralRevenueOrders).where(eq(referralRevenueOrders.shop, ctx.shop));
  await tx.delete(referrals).where(eq(referrals.shop, ctx.shop));
  await tx.delete(referralClaimAttempts).where(eq(referralClaimAttempts.shop, ctx.shop));
  await tx.delete(referralAddressFingerprints).where(eq(referralAddressFingerprints.shop, ctx.shop));
  await tx.delete(referralAdvocates).where(eq(referralAdvocates.shop, ctx.shop));
  await tx.delete(referralProgramVersions).where(eq(referralProgramVersions.shop, ctx.shop));
}
