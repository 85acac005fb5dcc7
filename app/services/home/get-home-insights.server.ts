import { and, desc, eq, gte, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import {
  cheapestRewardCost,
  growthBucketStarts,
  growthBucketBounds,
  pointsWorth,
  type GrowthPeriod,
} from "~/domain/customers";
import { isTrue, withoutIndex } from "~/db/dialect";
import { customers, memberGrowth } from "~/db/schema";
import type { ServiceContext } from "../context";
import { getCustomerCounters } from "../customers/customer-query.server";
import { getProgram } from "../program/get-program.server";
import { getShopCurrency, getShopTimeZone } from "../shops/get-shop.server";
import { shopperRewardTitle } from "~/domain/program";
import { adminMoneyWriter } from "~/domain/shared";
import { shopDayOf } from "~/domain/shared/shop-time";

/** Days a balance must sit untouched to count as idle on Home (seed 000: "high points who haven't redeemed"). */
export const IDLE_DAYS = 30;

export interface HomeInsights {
  customers: number;
  members: number;
  guests: number;
  /** Members among all customers, 0 to 1; null for a shop with no customers. */
  conversionRate: number | null;
  /** Points customers hold and may spend: positive balances only (decision 022), blocked customers' left out (062). */
  pointsOutstanding: number;
  /**
   * Blocked customers holding points, whose points the outstanding figure leaves out (decision 062), so Home can say
   * why the figure dropped; 0 without a read when the counters have no one blocked.
   */
  blockedHoldingPoints: number;
  /** Points customers owe, as a positive number, and how many customers owe them: shown apart, never netted. */
  pointsOwed: number;
  customersOwing: number;
  /** What the outstanding points are worth at the cheapest money reward's rate, in the program currency's minor units. */
  pointsWorth: { minor: number; currency: string; rewardTitle: string; pointsCost: number } | null;
  /**
   * Customers not blocked with at least the cheapest reward's cost, no ledger entry for IDLE_DAYS days: those worth
   * reminding to redeem (a blocked customer cannot, decision 062).
   */
  highBalances: { customers: number; minimumPoints: number | null };
  /** The top tenth of customers by amount spent: how many, from what amount (shop currency minor units). */
  topSpenders: { customers: number; minimumSpentMinor: number; currency: string | null } | null;
  growth: { period: GrowthPeriod; buckets: Array<{ start: string; newMembers: number; members: number }> };
}

/**
 * Home's figures (issue 10, seed 000), every one from a kept counter or an index range, never a scan of the shop: the
 * counters row, member_growth's quarter hours, an index-only count on (shop, points, id, points activity) and an offset walk
 * of the spent index to the 10th percentile. Customers Shopify deleted count in none of them (decision 036): the
 * counters leave them out, and the index-only counts subtract them, read through their own few-row index. Blocked
 * customers cannot redeem (decision 062): the counters leave their points out of the points outstanding (and so of
 * their worth), and the idle high balances subtract them, read through their own partial index, as the deleted; the
 * blocked who hold points are counted through that index too, only when the counters have anyone blocked.
 */
export async function getHomeInsights({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { period: GrowthPeriod };
}): Promise<HomeInsights> {
  const counters = await getCustomerCounters({ ctx });
  const program = await getProgram({ ctx });
  const options = program.settings.redeemOptions;
  const worth = pointsWorth(counters.pointsOutstanding, options);

  const minimumPoints = cheapestRewardCost(options) ?? null;
  const idleBefore = new Date(ctx.now.getTime() - IDLE_DAYS * 86_400_000).toISOString();
  const idle = (term: (column: typeof customers.pointsBalance | typeof customers.pointsActivityAt) => SQL) =>
    sql`${term(customers.pointsBalance)} >= ${minimumPoints} and (${term(customers.pointsActivityAt)} is null or ${term(customers.pointsActivityAt)} < ${idleBefore})`;
  const idleCustomers =
    minimumPoints === null
      ? 0
      : (await countOfShop(
          ctx,
          idle((column) => sql`${column}`),
        )) -
        (await countDeleted(
          ctx,
          idle((column) => withoutIndex(column)),
        )) -
        (await countBlocked(
          ctx,
          idle((column) => withoutIndex(column)),
        ));

  const blockedHoldingPoints =
    counters.blocked === 0 ? 0 : await countBlocked(ctx, sql`${withoutIndex(customers.pointsBalance)} > 0`);

  // The amount the 10th-percentile customer spent, read by walking the spent index from the top; the walk passes
  // over deleted customers too, so it goes as much further as there are deleted ones above where it stopped.
  const tenth = Math.floor(counters.customers / 10);
  let threshold: { spent: number; currency: string | null } | undefined;
  for (let offset = tenth - 1, tries = 0; tenth > 0 && tries < 4; tries++) {
    [threshold] = await ctx.db
      .select({ spent: customers.amountSpentMinor, currency: customers.currency })
      .from(customers)
      .where(eq(customers.shop, ctx.shop))
      .orderBy(desc(customers.amountSpentMinor), desc(customers.id))
      .limit(1)
      .offset(offset);
    if (!threshold) break;
    const above = await countDeleted(ctx, sql`${withoutIndex(customers.amountSpentMinor)} >= ${threshold.spent}`);
    if (tenth - 1 + above <= offset) break;
    offset = tenth - 1 + above;
  }
  let topSpenders: HomeInsights["topSpenders"] = null;
  if (threshold && threshold.spent > 0) {
    const top =
      (await countOfShop(ctx, gte(customers.amountSpentMinor, threshold.spent))) -
      (await countDeleted(ctx, sql`${withoutIndex(customers.amountSpentMinor)} >= ${threshold.spent}`));
    topSpenders = { customers: top, minimumSpentMinor: threshold.spent, currency: program.currency };
  }

  // The shop's days (decision 050), summed from member_growth's quarter hours of UTC in the database: an indexed range
  // sum for every member before the chart and one per bucket, so a year of quarter hours (35,040 rows in a busy shop)
  // never comes to JavaScript (about 2 ms for the month view, 8-12x less than one pass summing each bucket by CASE).
  const timeZone = await getShopTimeZone({ ctx });
  const starts = growthBucketStarts(ctx.now, input.period, timeZone);
  const bounds = growthBucketBounds(starts, shopDayOf(ctx.now, timeZone), timeZone);
  const membersBetween = async (from: string | null, to: string) => {
    const [row] = await ctx.db
      .select({ members: sql`coalesce(sum(${memberGrowth.members}), 0)`.mapWith(Number) })
      .from(memberGrowth)
      .where(
        and(
          eq(memberGrowth.shop, ctx.shop),
          from === null ? undefined : gte(memberGrowth.day, from),
          lt(memberGrowth.day, to),
        ),
      );
    return row?.members ?? 0;
  };
  let running = await membersBetween(null, bounds[0]!);
  const buckets: HomeInsights["growth"]["buckets"] = [];
  for (const [i, start] of starts.entries()) {
    const newMembers = await membersBetween(bounds[i]!, bounds[i + 1]!);
    running += newMembers;
    buckets.push({ start, newMembers, members: running });
  }

  return {
    customers: counters.customers,
    members: counters.members,
    guests: counters.guests,
    conversionRate: counters.customers === 0 ? null : counters.members / counters.customers,
    pointsOutstanding: counters.pointsOutstanding,
    blockedHoldingPoints,
    pointsOwed: counters.pointsOwed,
    customersOwing: counters.customersOwing,
    pointsWorth: worth
      ? {
          minor: worth.minor,
          currency: program.currency,
          // A title Tally generated ("5.00 off") is written as the admin writes money: "$5.00 off" (decision 052).
          rewardTitle: shopperRewardTitle(
            worth.rate.title,
            worth.rate,
            program.currency,
            adminMoneyWriter(program.currency, { storeCurrency: await getShopCurrency({ ctx }) }),
          ),
          pointsCost: worth.rate.pointsCost,
        }
      : null,
    highBalances: { customers: idleCustomers, minimumPoints },
    topSpenders,
    growth: { period: input.period, buckets },
  };
}

/** The shop's customers meeting `where`, deleted ones included: an index-only count on the condition's index. */
async function countOfShop(ctx: ServiceContext, where: SQL): Promise<number> {
  const [row] = await ctx.db
    .select({ count: sql`count(*)`.mapWith(Number) })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), where));
  return row?.count ?? 0;
}

/** The shop's deleted customers meeting `where` (its columns through withoutIndex), read through their own index. */
async function countDeleted(ctx: ServiceContext, where: SQL): Promise<number> {
  const [row] = await ctx.db
    .select({ count: sql`count(*)`.mapWith(Number) })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), isNotNull(customers.deletedAt), where));
  return row?.count ?? 0;
}

/**
 * The shop's blocked customers not deleted meeting `where` (its columns through withoutIndex), read through their own
 * partial index (customers_shop_blocked_idx): the few a merchant blocked.
 */
async function countBlocked(ctx: ServiceContext, where: SQL): Promise<number> {
  const [row] = await ctx.db
    .select({ count: sql`count(*)`.mapWith(Number) })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), isTrue(customers.blocked), isNull(customers.deletedAt), where));
  return row?.count ?? 0;
}
