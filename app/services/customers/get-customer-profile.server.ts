import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { financialStatusOf, normalizeOrderState, orderRefundedMinor } from "~/domain/ledger";
import { rewardRowTitle } from "~/domain/program";
import {
  adminMoneyInText,
  adminMoneyWriter,
  currencyCodeSchema,
  DomainError,
  writePhone,
  type CustomerStatus,
} from "~/domain/shared";
import { customers, earningSkips, ledgerEntries, orders } from "~/db/schema";
import type { ServiceContext } from "../context";
import { listRewards } from "../rewards/redeem-points.server";
import { getShopCountry, getShopCurrency } from "../shops/get-shop.server";
import { mergedCustomerIds } from "./merge-customers.server";

export interface CustomerProfile {
  customer: {
    id: number;
    customerGid: string;
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    /** As staff of the shop's country write it ("(613) 555-0123"; writePhone), not Shopify's stored E.164. */
    phone: string | null;
    status: CustomerStatus;
    blocked: boolean;
    joinedAt: string | null;
    city: string | null;
    province: string | null;
    countryCode: string | null;
    ordersCount: number;
    amountSpentMinor: number;
    currency: string | null;
    tags: string[];
    deletedAt: string | null;
    redactedAt: string | null;
    /** Shopify merged this customer into another: where its points went. */
    mergedInto: { id: number; label: string; at: string | null } | null;
    /** How many customers Shopify merged into this one; their orders are listed here too. */
    mergedFrom: number;
  };
  /**
   * The points summary, in points. It adds up for every customer: balance + pending = lifetimeEarned −
   * lifetimeRedeemed + adjusted − expired, where `adjusted` is what staff added or removed by hand (adjustments,
   * their undos, points moved in as adjustments) and `expired` the points that ran out.
   */
  totals: {
    balance: number;
    pending: number;
    lifetimeEarned: number;
    lifetimeRedeemed: number;
    adjusted: number;
    expired: number;
  };
  orders: Array<{
    id: number;
    orderGid: string;
    name: string | null;
    processedAt: string | null;
    subtotalMinor: number | null;
    /** Shopify's current total (after edits and returned lines), in minor units of `currency`. */
    totalMinor: number | null;
    /** Money the order's refunds gave back, shipping included; 0 when none. */
    refundedMinor: number;
    currency: string | null;
    /** Shopify's financial status, moved on by refunds its newest snapshot predates ("partially_refunded"). */
    financialStatus: string | null;
    cancelled: boolean;
    /** The first fulfilment (the order shipped), as Shopify reported it; null until then. */
    shippedAt: string | null;
    /** Shopify's fulfilment status ("fulfilled", "partial", "unfulfilled"). */
    fulfillmentStatus: string | null;
    /** What earned: "120.00 less 20.00 tax", null until orders/paid is seen. */
    earningBasis: string | null;
    /** Points earned at payment and by later edits; null until orders/paid is seen. */
    pointsEarned: number | null;
    /** Why the order earned nothing (blocked, guest, before_install...), when it did. */
    skippedReason: string | null;
    pointsReversed: number;
  }>;
  rewards: Array<{
    id: number;
    code: string | null;
    title: string;
    points: number;
    status: "reserved" | "issued" | "used" | "failed" | "returned";
    createdAt: string;
  }>;
  skips: Array<{ id: number; reason: string; wouldHaveEarned: number; explanation: string; createdAt: string }>;
}

const recentLimit = 20;

/** Everything the profile page shows about one customer except the activity log, which pages on its own. */
export async function getCustomerProfile({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number };
}): Promise<CustomerProfile> {
  const [row] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
  if (!row) throw new DomainError("not_found", "No such customer", { customerId: input.customerId });

  const mergedIds = await mergedCustomerIds({ ctx, input: { customerId: row.id } });
  const [survivor] = row.mergedIntoId
    ? await ctx.db
        .select({
          id: customers.id,
          email: customers.email,
          firstName: customers.firstName,
          lastName: customers.lastName,
        })
        .from(customers)
        .where(and(eq(customers.shop, ctx.shop), eq(customers.id, row.mergedIntoId)))
    : [];

  const orderRows = await ctx.db
    .select({
      id: orders.id,
      orderGid: orders.orderGid,
      name: orders.name,
      processedAt: orders.processedAt,
      subtotalMinor: orders.subtotalMinor,
      totalMinor: orders.totalMinor,
      currency: orders.currency,
      financialStatus: orders.financialStatus,
      fulfillmentStatus: orders.fulfillmentStatus,
      cancelledAt: orders.cancelledAt,
      pointsState: orders.pointsState,
    })
    .from(orders)
    .where(and(eq(orders.shop, ctx.shop), inArray(orders.customerId, [row.id, ...mergedIds])))
    .orderBy(desc(orders.processedAt), desc(orders.id))
    .limit(recentLimit);

  const skipRows = await ctx.db
    .select({
      id: earningSkips.id,
      reason: earningSkips.reason,
      wouldHaveEarned: earningSkips.wouldHaveEarned,
      explanation: earningSkips.explanation,
      createdAt: earningSkips.createdAt,
    })
    .from(earningSkips)
    .where(and(eq(earningSkips.shop, ctx.shop), eq(earningSkips.customerId, row.id)))
    .orderBy(desc(earningSkips.id))
    .limit(recentLimit);
  // Expiry rows store negative points (entries.ts, storedPoints); one indexed sum over the customer's rows.
  const [expiry] = await ctx.db
    .select({ stored: sql<number | string | null>`sum(${ledgerEntries.points})` })
    .from(ledgerEntries)
    .where(
      and(eq(ledgerEntries.shop, ctx.shop), eq(ledgerEntries.customerId, row.id), eq(ledgerEntries.kind, "expire")),
    );
  const expired = 0 - Number(expiry?.stored ?? 0) || 0;
  const rewardRows = await listRewards({ ctx, input: { customerId: row.id, limit: recentLimit } });
  const storeCurrency = await getShopCurrency({ ctx });
  const shopCountry = await getShopCountry({ ctx });

  return {
    customer: {
      id: row.id,
      customerGid: row.customerGid,
      firstName: row.firstName,
      lastName: row.lastName,
      email: row.email,
      phone: row.phone && writePhone(row.phone, shopCountry),
      status: row.status,
      blocked: row.blocked,
      joinedAt: row.joinedAt,
      city: row.city,
      province: row.province,
      countryCode: row.countryCode,
      ordersCount: row.ordersCount,
      amountSpentMinor: row.amountSpentMinor,
      // As the directory: the shop's currency until Shopify gives the customer an amount spent (listCustomers).
      currency: row.currency ?? storeCurrency,
      tags: row.tags,
      deletedAt: row.deletedAt,
      redactedAt: row.redactedAt,
      mergedInto: survivor
        ? {
            id: survivor.id,
            label:
              survivor.email ||
              [survivor.firstName, survivor.lastName].filter(Boolean).join(" ") ||
              `customer #${survivor.id}`,
            at: row.mergedAt,
          }
        : null,
      mergedFrom: mergedIds.length,
    },
    totals: {
      balance: row.pointsBalance,
      pending: row.pointsPending,
      lifetimeEarned: row.lifetimeEarned,
      lifetimeRedeemed: row.lifetimeRedeemed,
      // The rest of what moved the balance: every other kind is counted in earned or redeemed (entries.ts, applyEntry).
      adjusted: row.pointsBalance + row.pointsPending - row.lifetimeEarned + row.lifetimeRedeemed + expired,
      expired,
    },
    orders: orderRows.map((order) => {
      const state = normalizeOrderState(order.pointsState);
      return {
        id: order.id,
        orderGid: order.orderGid,
        name: order.name ?? state.orderName,
        processedAt: order.processedAt,
        subtotalMinor: order.subtotalMinor,
        totalMinor: order.totalMinor,
        refundedMinor: orderRefundedMinor(state),
        currency: order.currency ?? state.paid?.currency ?? null,
        financialStatus: financialStatusOf(state, order.financialStatus),
        cancelled: order.cancelledAt !== null || state.cancelled,
        shippedAt: state.fulfilledAt,
        fulfillmentStatus: order.fulfillmentStatus,
        earningBasis: state.paid?.basis ?? null,
        pointsEarned: state.paid ? state.paid.earned + state.editEarned : null,
        skippedReason: state.paid?.skippedReason ?? null,
        pointsReversed: state.reversed,
      };
    }),
    rewards: rewardRows.map((reward) => ({
      id: reward.id,
      code: reward.code,
      // A title Tally generated ("5.00 off") is written as the admin writes money: "$5.00 off", "$5.00 USD off".
      title: rewardRowTitle(reward, adminMoneyWriter(currencyCodeSchema.parse(reward.currency), { storeCurrency })),
      points: reward.points,
      status: reward.status,
      createdAt: reward.createdAt,
    })),
    // Money in the skips' records as the admin writes it (decision 052).
    skips: skipRows.map((skip) => ({ ...skip, explanation: adminMoneyInText(skip.explanation, { storeCurrency }) })),
  };
}
