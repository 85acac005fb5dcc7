import { describe, expect, it } from "vitest";
import { bucketStart, growthBucketStarts, growthPeriods, growthBucketBounds } from "~/domain/customers/insights";
import { shopDayOf } from "~/domain/shared/shop-time";

/**
 * Every quarter hour of UTC (as member_growth keys them, "2026-11-12T14:45") of the days around the year's edges and
 * its clock changes (northern and southern, Lord Howe's half hour), and of every tenth day between: a zone look-up each
 * is what the reader saves, so the test reads only these.
 */
function slotsToCheck(): string[] {
  const first = Date.parse("2025-11-28T00:00:00Z");
  const near = [
    "2025-11-2",
    "2025-11-30",
    "2025-12-0",
    "2026-03-0",
    "2026-03-2",
    "2026-04-0",
    "2026-10-0",
    "2026-10-2",
    "2026-10-3",
    "2026-11-0",
    "2026-11-2",
    "2026-11-30",
    "2026-12-0",
  ];
  const slots: string[] = [];
  for (let day = 0; day < 372; day++) {
    const date = new Date(first + day * 86_400_000).toISOString().slice(0, 10);
    if (day % 10 !== 0 && !near.some((prefix) => date.startsWith(prefix))) continue;
    for (let i = 0; i < 96; i++)
      slots.push(new Date(first + day * 86_400_000 + i * 900_000).toISOString().slice(0, 16));
  }
  return slots;
}

/** Each checked slot with the shop's day its clock showed, read once per zone for the three periods' tests. */
const shopDays = new Map<string | null, [string, string][]>();
function shopDaysOf(timeZone: string | null): [string, string][] {
  if (!shopDays.has(timeZone)) {
    shopDays.set(
      timeZone,
      slotsToCheck().map((slot) => [slot, shopDayOf(`${slot}:00.000Z`, timeZone)]),
    );
  }
  return shopDays.get(timeZone)!;
}

describe("Home's member growth reads its quarter hours into the shop's days, weeks and months (decision 050)", () => {
  const zones = [
    "America/Toronto",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    null,
  ];
  it.each(zones.flatMap((timeZone) => growthPeriods.map((period) => [timeZone, period] as const)))(
    "places every quarter hour in the bucket of the day the shop's clock showed (%s, %s)",
    (timeZone, period) => {
      const now = new Date("2026-11-30T15:00:00Z");
      const today = shopDayOf(now, timeZone);
      const starts = growthBucketStarts(now, period, timeZone);
      const bounds = growthBucketBounds(starts, today, timeZone);
      // What the range sums read: bucket i holds the slots in [bounds[i], bounds[i + 1]).
      const bucketOf = (slot: string) => {
        const i = bounds.findIndex((bound, j) => j < starts.length && slot >= bound && slot < bounds[j + 1]!);
        return i === -1 ? null : starts[i]!;
      };
      for (const [slot, day] of shopDaysOf(timeZone)) {
        const start = bucketStart(day, period);
        expect(bucketOf(slot), slot).toBe(day >= starts[0]! && day <= today ? start : null);
      }
    },
    30_000,
  );
});
