import { and, desc, eq, inArray } from "drizzle-orm";
import type { ReferralStatus } from "~/domain/referrals";
import { adminMoneyInText } from "~/domain/shared";
import { customers, referralEvents, referralRewards, referrals } from "~/db/schema";
import type { ServiceContext } from "../context";
import { getShopCurrency } from "../shops/get-shop.server";
import { getAdvocateSummary, type AdvocateSummary } from "./advocates.server";

export interface ReferralProfile {
  summary: AdvocateSummary & {
    /** What the customer's friends paid on the orders that completed their referrals (referee revenue). */
    refereeRevenueMinor: number;
    /** What the customer paid on their own orders using referral rewards (referrer revenue). */
    referrerRevenueMinor: number;
    currency: string;
  };
  /** The customer's referrals as the advocate, newest first, each with its story. */
  referrals: Array<{
    id: number;
    friendEmail: string | null;
    friendName: string | null;
    friendCustomerId: number | null;
    status: ReferralStatus;
    needsReview: boolean;
    reasons: string[];
    order: { name: string | null; totalMinor: number; currency: string } | null;
    rewardProgress: string;
    createdAt: string;
    events: Array<{ kind: string; explanation: string; actor: string; actorName: string | null; createdAt: string }>;
  }>;
  /** Who referred this customer, when they came as a friend. */
  referredBy: { referralId: number; advocateCustomerId: number; advocateName: string; status: ReferralStatus } | null;
  /** Referral discount codes the customer holds: the friend's offer, or rewards for their referrals. */
  rewards: Array<{
    id: number;
    code: string;
    title: string;
    role: "friend" | "advocate";
    /** Used: an order was paid with it. Unused: not yet (or it was withdrawn). */
    used: boolean;
    status: string;
    createdAt: string;
  }>;
}

const recent = 20;
const nameOf = (first: string | null, last: string | null) => [first, last].filter(Boolean).join(" ") || null;

/** The profile's Referrals card, referral activity and referral rewards (seed 002). */
export async function getReferralProfile({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number };
}): Promise<ReferralProfile> {
  const summary = await getAdvocateSummary({ ctx, input: { customerId: input.customerId } });
  const storeCurrency = await getShopCurrency({ ctx });
  const [figures] = await ctx.db
    .select({ referee: customers.refereeRevenueMinor, referrer: customers.referrerRevenueMinor })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
  const rows = await ctx.db
    .select({ referral: referrals, friendFirst: customers.firstName, friendLast: customers.lastName })
    .from(referrals)
    .leftJoin(customers, eq(customers.id, referrals.friendCustomerId))
    .where(and(eq(referrals.shop, ctx.shop), eq(referrals.advocateCustomerId, input.customerId)))
    .orderBy(desc(referrals.id))
    .limit(recent);
  const ids = rows.map((row) => row.referral.id);
  const events =
    ids.length > 0
      ? await ctx.db
          .select()
          .from(referralEvents)
          .where(and(eq(referralEvents.shop, ctx.shop), inArray(referralEvents.referralId, ids)))
          .orderBy(desc(referralEvents.id))
          .limit(500)
      : [];
  const [asFriend] = await ctx.db
    .select({
      id: referrals.id,
      advocateCustomerId: referrals.advocateCustomerId,
      status: referrals.status,
      first: customers.firstName,
      last: customers.lastName,
      email: customers.email,
    })
    .from(referrals)
    .innerJoin(customers, eq(customers.id, referrals.advocateCustomerId))
    .where(and(eq(referrals.shop, ctx.shop), eq(referrals.friendCustomerId, input.customerId)))
    .limit(1);
  const rewards = await ctx.db
    .select()
    .from(referralRewards)
    .where(and(eq(referralRewards.shop, ctx.shop), eq(referralRewards.customerId, input.customerId)))
    .orderBy(desc(referralRewards.id))
    .limit(recent);

  return {
    summary: {
      ...summary,
      refereeRevenueMinor: figures?.referee ?? 0,
      referrerRevenueMinor: figures?.referrer ?? 0,
      currency: storeCurrency,
    },
    referrals: rows.map(({ referral, friendFirst, friendLast }) => {
      const state = referral.state;
      return {
        id: referral.id,
        friendEmail: referral.friendEmail,
        friendName: nameOf(friendFirst, friendLast),
        friendCustomerId: referral.friendCustomerId,
        status: referral.status,
        needsReview: referral.status === "blocked" || referral.review === "flagged",
        reasons: state.signals.map((signal) => signal.reason),
        order: state.order
          ? { name: state.order.orderName, totalMinor: state.order.totalMinor, currency: state.order.currency }
          : null,
        rewardProgress: state.rewardProgress,
        createdAt: referral.createdAt,
        events: events
          .filter((event) => event.referralId === referral.id)
          .map(({ kind, explanation, actor, actorName, createdAt }) => ({
            kind,
            // The order's total ("69.16 CAD") as the admin writes money (decision 052).
            explanation: adminMoneyInText(explanation, { storeCurrency }),
            actor,
            actorName,
            createdAt,
          })),
      };
    }),
    referredBy: asFriend
      ? {
          referralId: asFriend.id,
          advocateCustomerId: asFriend.advocateCustomerId,
          advocateName:
            nameOf(asFriend.first, asFriend.last) ?? asFriend.email ?? `Customer #${asFriend.advocateCustomerId}`,
          status: asFriend.status,
        }
      : null,
    rewards: rewards.map((row) => ({
      id: row.id,
      code: row.code,
      title: row.title,
      role: row.role,
      used: row.status === "used",
      status: row.status,
      createdAt: row.createdAt,
    })),
  };
}
