import { and, desc, eq, inArray } from "drizzle-orm";
import type { ReferralState } from "~/domain/referrals";
import { orders, referralAddressFingerprints, referralEvents, type customers } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";

/*
 * What the referral services share about a referral's rows: its story, the columns its state decides, and the facts
 * fraud checks read (paid orders, address fingerprints).
 */

type CustomerRow = typeof customers.$inferSelect;

/** The referral events a step wrote, in the referral's own ledger. */
export async function recordReferralEvents(
  ctx: ServiceContext,
  tx: Tx,
  referralId: number,
  events: ReadonlyArray<{ kind: string; explanation: string }>,
) {
  for (const event of events) {
    await tx.insert(referralEvents).values({
      shop: ctx.shop,
      referralId,
      kind: event.kind,
      actor: ctx.actor,
      actorName: ctx.actorName ?? null,
      explanation: event.explanation,
      createdAt: ctx.now.toISOString(),
    });
  }
}

/** Whether the customer has paid for an order at this store (Shopify's count, or an order Tally saw paid). */
export async function hasPaidOrder(ctx: ServiceContext, tx: Tx, customer: CustomerRow, before?: string) {
  if (!before && (customer.ordersCount > 0 || customer.amountSpentMinor > 0)) return true;
  const rows = await tx
    .select({ processedAt: orders.processedAt, state: orders.pointsState })
    .from(orders)
    .where(and(eq(orders.shop, ctx.shop), eq(orders.customerId, customer.id)))
    .orderBy(desc(orders.processedAt))
    .limit(50);
  return rows.some(
    (row) =>
      row.state.paid !== null &&
      (!before || (row.processedAt !== null && Date.parse(row.processedAt) < Date.parse(before))),
  );
}

/** Whether two customers' orders shipped to a common address (by fingerprint). */
export async function sharesAddress(ctx: ServiceContext, tx: Tx, advocateId: number, fingerprints: string[]) {
  if (fingerprints.length === 0) return false;
  const [row] = await tx
    .select({ id: referralAddressFingerprints.id })
    .from(referralAddressFingerprints)
    .where(
      and(
        eq(referralAddressFingerprints.shop, ctx.shop),
        eq(referralAddressFingerprints.customerId, advocateId),
        inArray(referralAddressFingerprints.fingerprint, fingerprints),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** The fingerprints of where a customer lives or ships to. */
export async function fingerprintsOf(ctx: ServiceContext, tx: Tx, customerId: number): Promise<string[]> {
  const rows = await tx
    .select({ fingerprint: referralAddressFingerprints.fingerprint })
    .from(referralAddressFingerprints)
    .where(and(eq(referralAddressFingerprints.shop, ctx.shop), eq(referralAddressFingerprints.customerId, customerId)))
    .limit(20);
  return rows.map((row) => row.fingerprint);
}

/** The columns a referral's state decides, written with it. */
export function columnsOf(state: ReferralState) {
  return {
    status: state.status,
    review: state.review,
    score: state.signals
      .filter((signal) => !state.approvedSignals.includes(signal.code))
      .reduce((sum, signal) => sum + signal.weight, 0),
    state,
    orderGid: state.order?.orderGid ?? null,
    orderTotalMinor: state.order?.totalMinor ?? null,
    currency: state.order?.currency ?? null,
    releaseAt: state.rewardProgress === "held" ? state.releaseAt : null,
    completedAt: state.completedAt,
  };
}
