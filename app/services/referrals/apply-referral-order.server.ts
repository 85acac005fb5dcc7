import { createHash } from "node:crypto";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { OrderPointsState } from "~/domain/ledger";
import {
  detectSignals,
  discountCodeKey,
  IP_BURST_WINDOW_DAYS,
  normalizeAddress,
  planReferralOrder,
  referralOrderView,
  type OrderFigures,
  type FraudSignal,
  type PostalAddress,
  type ReferralPlan,
  type ReferralState,
} from "~/domain/referrals";
import { mulDivFloor } from "~/domain/shared";
import {
  customers,
  referralAddressFingerprints,
  referralAdvocates,
  referralRevenueOrders,
  referralRewards,
  referrals,
} from "~/db/schema";
import { prepared } from "~/db/prepared";
import type { ServiceContext, Tx } from "../context";
import { appendEntries } from "../ledger/append-entries.server";
import { columnsOf, hasPaidOrder, recordReferralEvents, sharesAddress } from "./referral-rows.server";
import { markDiscountVoid, reserveReferralDiscount } from "./referral-discounts.server";
import { getReferralProgram } from "./referral-program.server";
import { getShopTimeZone } from "../shops/get-shop.server";

type ReferralRow = typeof referrals.$inferSelect;
type CustomerRow = typeof customers.$inferSelect;

const dayMs = 24 * 60 * 60 * 1000;

/** An address as the one-way fingerprint Tally keeps (normalizeAddress, then SHA-256 with the shop): never the text. */
export function addressFingerprint(shop: string, address: PostalAddress | null | undefined): string | null {
  const normalized = normalizeAddress(address);
  return normalized ? createHash("sha256").update(`${shop}\n${normalized}`).digest("base64url") : null;
}

/**
 * Keeps the fingerprints of a customer's addresses (their default address, where their orders ship), in the caller's
 * transaction, for the shared-address signal; each once.
 */
export async function recordAddressFingerprints({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { customerId: number; addresses: ReadonlyArray<PostalAddress | null | undefined> };
}) {
  for (const address of input.addresses) {
    const fingerprint = addressFingerprint(ctx.shop, address);
    if (!fingerprint) continue;
    await prepared(tx, "address-fingerprint-insert", (db) =>
      db
        .insert(referralAddressFingerprints)
        .values({
          shop: sql.placeholder("shop"),
          customerId: sql.placeholder("customerId"),
          fingerprint: sql.placeholder("fingerprint"),
          seenAt: sql.placeholder("seenAt"),
        })
        .onConflictDoNothing()
        .prepare(),
    ).execute({ shop: ctx.shop, customerId: input.customerId, fingerprint, seenAt: ctx.now.toISOString() });
  }
}

/** What an order payload says that referrals read: its codes, buyer, addresses and figures. */
export interface ReferralOrderFacts extends OrderFigures {
  discountCodes: string[];
  customer: {
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    defaultAddress?: PostalAddress | null;
  } | null;
  shippingAddress?: PostalAddress | null;
}

/**
 * Carries out a referral plan in the caller's transaction: the referral row and its story, the advocate's ledger
 * entries and counters, the advocate's discount-code reward (held, reserved for the jobs to create, withdrawn or
 * marked for deactivation) and, when staff cancel, the friend's code. Returns what needs Shopify after the commit.
 */
export async function persistReferralPlan({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { referral: ReferralRow; plan: ReferralPlan; friendCustomerId?: number | null };
}): Promise<{ voidCodes: boolean }> {
  const { referral, plan } = input;
  const before = referral.state;
  await tx
    .update(referrals)
    .set({
      ...columnsOf(plan.state),
      ...(input.friendCustomerId && referral.friendCustomerId === null
        ? { friendCustomerId: input.friendCustomerId }
        : {}),
      updatedAt: ctx.now.toISOString(),
    })
    .where(and(eq(referrals.shop, ctx.shop), eq(referrals.id, referral.id)));
  await recordReferralEvents(ctx, tx, referral.id, plan.events);
  if (plan.entries.length > 0) {
    await appendEntries({ ctx, tx, customerId: referral.advocateCustomerId, entries: plan.entries });
  }
  const { successfulReferrals, refereeRevenueMinor } = plan.counters;
  if (successfulReferrals !== 0 || refereeRevenueMinor !== 0) {
    await tx
      .update(customers)
      .set({
        successfulReferrals: sql`${customers.successfulReferrals} + ${successfulReferrals}`,
        refereeRevenueMinor: sql`${customers.refereeRevenueMinor} + ${refereeRevenueMinor}`,
        updatedAt: ctx.now.toISOString(),
      })
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, referral.advocateCustomerId)));
  }
  // Referral points the advocate holds, from which their own orders' referrer revenue is attributed.
  const pointsDelta = referralPointsDelta(before, plan.state);
  if (pointsDelta !== 0) {
    await tx
      .update(referralAdvocates)
      .set({ referralPointsEarned: sql`${referralAdvocates.referralPointsEarned} + ${pointsDelta}` })
      .where(and(eq(referralAdvocates.shop, ctx.shop), eq(referralAdvocates.id, referral.advocateId)));
  }
  await applyAdvocateDiscount(ctx, tx, referral, plan);
  let voidCodes = plan.advocateDiscount === "void";
  if (plan.voidFriendCode) {
    voidCodes =
      (await markDiscountVoid({ ctx, tx, input: { referralId: referral.id, role: "friend" } })) === "voiding" ||
      voidCodes;
  }
  return { voidCodes };
}

/** Points the advocate's referral reward added (completion) or took back, between two states of a referral. */
function referralPointsDelta(before: ReferralState, after: ReferralState): number {
  const points = after.reward.kind === "points" ? after.reward.points : 0;
  const counts = (state: ReferralState) => state.rewardProgress === "held" || state.rewardProgress === "released";
  return (counts(after) ? points : 0) - (counts(before) ? points : 0);
}

async function applyAdvocateDiscount(ctx: ServiceContext, tx: Tx, referral: ReferralRow, plan: ReferralPlan) {
  const reward = plan.state.reward;
  if (reward.kind === "points") return;
  const [existing] = await tx
    .select()
    .from(referralRewards)
    .where(
      and(
        eq(referralRewards.shop, ctx.shop),
        eq(referralRewards.referralId, referral.id),
        eq(referralRewards.role, "advocate"),
      ),
    );
  const becameHeld = plan.state.rewardProgress === "held" && referral.state.rewardProgress !== "held";
  if (!existing && (becameHeld || plan.advocateDiscount === "issue")) {
    const program = await getReferralProgram({ ctx, tx, input: { version: referral.programVersion } });
    await reserveReferralDiscount({
      ctx,
      tx,
      input: {
        referralId: referral.id,
        role: "advocate",
        customerId: referral.advocateCustomerId,
        reward,
        currency: program.currency,
        status: plan.advocateDiscount === "issue" ? "reserved" : "held",
      },
    });
    return;
  }
  if (!existing) return;
  if (plan.advocateDiscount === "issue" && existing.status === "held") {
    await tx
      .update(referralRewards)
      .set({ status: "reserved", updatedAt: ctx.now.toISOString() })
      .where(and(eq(referralRewards.shop, ctx.shop), eq(referralRewards.id, existing.id)));
  } else if (plan.advocateDiscount === "withdraw" || plan.advocateDiscount === "void") {
    await markDiscountVoid({ ctx, tx, input: { referralId: referral.id, role: "advocate" } });
  }
}

/**
 * The fraud signals an order raises against its referral: the advocate's own customer record placing it, a friend
 * who had paid for an order before, the friend's name being the advocate's, the order shipping where the advocate's
 * orders went, and claims from the friend's network (from seven days before the claim until now).
 */
async function completionSignals(
  ctx: ServiceContext,
  tx: Tx,
  referral: ReferralRow,
  buyer: CustomerRow | undefined,
  facts: ReferralOrderFacts | null,
): Promise<FraudSignal[]> {
  const [advocate] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, referral.advocateCustomerId)));
  if (!advocate) return [];
  const shipping = addressFingerprint(ctx.shop, facts?.shippingAddress);
  const [network] = referral.clientFingerprint
    ? await tx
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(referrals)
        .where(
          and(
            eq(referrals.shop, ctx.shop),
            eq(referrals.clientFingerprint, referral.clientFingerprint),
            gte(
              referrals.createdAt,
              new Date(Date.parse(referral.createdAt) - IP_BURST_WINDOW_DAYS * dayMs).toISOString(),
            ),
          ),
        )
    : [];
  const isAdvocate = buyer?.id === advocate.id;
  return detectSignals(
    advocate,
    {
      email: buyer?.email ?? facts?.customer?.email ?? referral.friendEmail,
      customerGid: buyer?.customerGid ?? null,
      firstName: buyer?.firstName ?? facts?.customer?.firstName,
      lastName: buyer?.lastName ?? facts?.customer?.lastName,
      alreadyCustomer:
        buyer && !isAdvocate ? await hasPaidOrder(ctx, tx, buyer, facts?.processedAt ?? undefined) : false,
      sharesAdvocateAddress: !isAdvocate && shipping ? await sharesAddress(ctx, tx, advocate.id, [shipping]) : false,
      claimsFromNetwork: network?.n ?? 0,
    },
    "completion",
  );
}

/**
 * Referrals' part of an order webhook, in its transaction (called by applyOrderEvent with the order's new points
 * state). Keeps the fingerprints of the addresses the buyer's orders ship to; moves the referral whose friend's code
 * the order carries (or that the order already completed) to where the order now puts it; marks a referral code
 * used; and counts an advocate's own order paid with a referral reward as referrer revenue (seed 002), once per order.
 */
export async function applyReferralOrder({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: {
    orderGid: string;
    facts: ReferralOrderFacts | null;
    state: OrderPointsState;
    customerId: number | null;
    /** The points reward whose code paid part of this order, on its payment. */
    redemption: { rewardId: string; points: number } | null;
    /** The event is the order's payment (orders/paid, reconciliation replaying it, or an order paid before install). */
    payment?: boolean;
  };
}): Promise<void> {
  const { orderGid, facts, state, customerId } = input;
  // Once per order, at its payment: where it ships is what a later friend's order is compared with.
  if (input.payment && facts && customerId !== null) {
    await recordAddressFingerprints({
      ctx,
      tx,
      input: { customerId, addresses: [facts.shippingAddress, facts.customer?.defaultAddress] },
    });
  }

  const codes = facts ? [...new Set(facts.discountCodes.map(discountCodeKey))] : [];
  const codeRows =
    codes.length > 0
      ? await tx
          .select()
          .from(referralRewards)
          .where(and(eq(referralRewards.shop, ctx.shop), inArray(referralRewards.codeKey, codes)))
      : [];
  const friendCode = codeRows.find((row) => row.role === "friend");
  const [referral] = friendCode
    ? await tx
        .select()
        .from(referrals)
        .where(and(eq(referrals.shop, ctx.shop), eq(referrals.id, friendCode.referralId)))
    : // Read on every order webhook, so prepared, and without `limit ?` (a bound limit costs SQLite ~9 µs a query):
      // an order completes at most a referral or two, and the first is taken as before.
      await prepared(tx, "referral-by-order", (db) =>
        db
          .select()
          .from(referrals)
          .where(and(eq(referrals.shop, sql.placeholder("shop")), eq(referrals.orderGid, sql.placeholder("gid"))))
          .prepare(),
      ).execute({ shop: ctx.shop, gid: orderGid });

  if (referral) {
    const [buyer] =
      customerId === null
        ? []
        : await tx
            .select()
            .from(customers)
            .where(and(eq(customers.shop, ctx.shop), eq(customers.id, customerId)));
    const linking = referral.state.order === null && state.paid !== null;
    const signals = linking ? await completionSignals(ctx, tx, referral, buyer, facts) : [];
    const plan = planReferralOrder(referral.state, referralOrderView(orderGid, state, facts, ctx.now), {
      signals,
      now: ctx.now,
      timeZone: await getShopTimeZone({ ctx, tx }),
    });
    const friendId = buyer && buyer.id !== referral.advocateCustomerId ? buyer.id : null;
    await persistReferralPlan({ ctx, tx, input: { referral, plan, friendCustomerId: friendId } });
  }

  // A referral code on a paid order is used, whatever became of its referral.
  for (const row of codeRows) {
    if (!state.paid || row.status === "used") continue;
    await tx
      .update(referralRewards)
      .set({
        status: "used",
        usedOnOrderGid: orderGid,
        ...(row.customerId === null && customerId !== null ? { customerId } : {}),
        updatedAt: ctx.now.toISOString(),
      })
      .where(and(eq(referralRewards.shop, ctx.shop), eq(referralRewards.id, row.id)));
  }

  if (state.paid && customerId !== null) {
    await countReferrerRevenue(ctx, tx, {
      orderGid,
      customerId,
      totalMinor: state.paid.totalMinor ?? facts?.totalMinor ?? state.paid.subtotalMinor,
      currency: state.paid.currency,
      advocateCode: codeRows.find((row) => row.role === "advocate" && row.customerId === customerId),
      redemption: input.redemption,
    });
  }
}

/**
 * Referrer revenue (seed 002: what the advocate paid on orders using rewards earned from referrals), once per order:
 * the whole order when it used the advocate's referral discount code; with a points reward, the share of the order
 * its points paid for that the advocate's referral points, not yet attributed to an earlier order, cover (referral
 * points are spent first: "300 of 500 points from referrals" counts 3/5 of the order).
 */
async function countReferrerRevenue(
  ctx: ServiceContext,
  tx: Tx,
  input: {
    orderGid: string;
    customerId: number;
    totalMinor: number;
    currency: string;
    advocateCode: typeof referralRewards.$inferSelect | undefined;
    redemption: { rewardId: string; points: number } | null;
  },
) {
  let amountMinor = 0;
  let basis = "";
  let attributed = 0;
  let advocateRow: number | undefined;
  if (input.advocateCode) {
    amountMinor = input.totalMinor;
    basis = `the referral reward ${input.advocateCode.code}`;
  } else if (input.redemption) {
    const rows = await tx
      .select({
        id: referralAdvocates.id,
        earned: referralAdvocates.referralPointsEarned,
        attributed: referralAdvocates.referralPointsAttributed,
        merged: referralAdvocates.mergedFromCustomerId,
      })
      .from(referralAdvocates)
      .where(and(eq(referralAdvocates.shop, ctx.shop), eq(referralAdvocates.customerId, input.customerId)));
    const open = rows.reduce((sum, row) => sum + row.earned - row.attributed, 0);
    if (open <= 0) return;
    attributed = Math.min(open, input.redemption.points);
    amountMinor = mulDivFloor(input.totalMinor, attributed, input.redemption.points);
    basis = `${attributed} of ${input.redemption.points} points from referrals`;
    advocateRow = (rows.find((row) => row.merged === null) ?? rows[0])?.id;
  } else {
    return;
  }
  const inserted = await tx
    .insert(referralRevenueOrders)
    .values({
      shop: ctx.shop,
      orderGid: input.orderGid,
      advocateCustomerId: input.customerId,
      amountMinor,
      currency: input.currency,
      basis,
      createdAt: ctx.now.toISOString(),
    })
    .onConflictDoNothing()
    .returning({ id: referralRevenueOrders.id });
  if (inserted.length === 0) return;
  await tx
    .update(customers)
    .set({ referrerRevenueMinor: sql`${customers.referrerRevenueMinor} + ${amountMinor}` })
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
  if (attributed > 0 && advocateRow !== undefined) {
    await tx
      .update(referralAdvocates)
      .set({ referralPointsAttributed: sql`${referralAdvocates.referralPointsAttributed} + ${attributed}` })
      .where(and(eq(referralAdvocates.shop, ctx.shop), eq(referralAdvocates.id, advocateRow)));
  }
}
