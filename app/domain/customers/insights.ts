import type { RedeemOption } from "~/domain/program";
import { shopDayOf, shopDayStart } from "~/domain/shared/shop-time";

/*
 * Home's insights (issue 10, seed 000): what a merchant watches to judge the program. Pure arithmetic over figures
 * the services read from kept counters and indexes.
 */

export const growthPeriods = ["day", "week", "month"] as const;
export type GrowthPeriod = (typeof growthPeriods)[number];

/** How many buckets of each period the chart shows: a month of days, a quarter of weeks, a year of months. */
export const growthBuckets: Record<GrowthPeriod, number> = { day: 30, week: 13, month: 12 };

/** The first member_growth key (quarter hour of UTC) inside the shop's `day`: where that day's members begin. */
export function growthSlotOfDayStart(day: string, timeZone: string | null | undefined): string {
  return shopDayStart(day, timeZone).slice(0, 16);
}

/**
 * Where each of the chart's buckets begins among member_growth's keys (quarter hours of UTC), and where the last one
 * ends: `starts` are the buckets' first days, oldest first (`growthBucketStarts`), the last bucket ending with the
 * shop's `today`. Bucket i holds the slots from bounds[i] up to, not including, bounds[i + 1]; every zone's day
 * begins on a quarter hour, so a slot lies wholly inside one bucket. One zone look-up per bucket.
 */
export function growthBucketBounds(starts: string[], today: string, timeZone: string | null | undefined): string[] {
  const dayAfter = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return [...starts, dayAfter].map((day) => growthSlotOfDayStart(day, timeZone));
}

/** The calendar day (YYYY-MM-DD) a bucket of `period` containing `day` starts on: Mondays for weeks, the 1st for months. */
export function bucketStart(day: string, period: GrowthPeriod): string {
  if (period === "day") return day;
  if (period === "month") return `${day.slice(0, 7)}-01`;
  const date = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The first day of each of the last `growthBuckets[period]` buckets up to `now`, oldest first: the shop's days
 * (decision 050), so the last bucket is the shop's today (unknown zone: UTC).
 */
export function growthBucketStarts(now: Date, period: GrowthPeriod, timeZone: string | null | undefined): string[] {
  const starts: string[] = [];
  let current = bucketStart(shopDayOf(now, timeZone), period);
  for (let i = 0; i < growthBuckets[period]; i++) {
    starts.unshift(current);
    const date = new Date(`${current}T00:00:00Z`);
    if (period === "day") date.setUTCDate(date.getUTCDate() - 1);
    else if (period === "week") date.setUTCDate(date.getUTCDate() - 7);
    else date.setUTCMonth(date.getUTCMonth() - 1);
    current = date.toISOString().slice(0, 10);
  }
  return starts;
}

/** Redeem options worth money (an amount off, store credit), with their value in minor units of the program currency. */
function moneyValueOf(option: RedeemOption): number | undefined {
  return option.kind === "fixed_amount_off" || option.kind === "store_credit" ? option.amountMinor : undefined;
}

/**
 * The fewest points any reward costs: a balance at least this is "enough for a reward". Undefined without options.
 */
export function cheapestRewardCost(options: readonly RedeemOption[]): number | undefined {
  const costs = options.map((option) => option.pointsCost);
  return costs.length > 0 ? Math.min(...costs) : undefined;
}

/**
 * What `points` are worth at the cheapest reward's rate: of the rewards worth money, the one that costs fewest points,
 * its value per point (minor units, rounded down). Undefined when no reward is worth money (percent off, shipping).
 */
export function pointsWorth(
  points: number,
  options: readonly RedeemOption[],
): { minor: number; rate: RedeemOption } | undefined {
  const valued = options.filter((option) => moneyValueOf(option) !== undefined);
  if (valued.length === 0) return undefined;
  const rate = valued.reduce((best, option) => (option.pointsCost < best.pointsCost ? option : best));
  return { minor: Math.floor((Math.max(points, 0) * moneyValueOf(rate)!) / rate.pointsCost), rate };
}
