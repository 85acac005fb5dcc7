import { shopDayOf, shopDayStart, shopTimeZoneName } from "../shared/shop-time";

/*
 * The range of a "Points for past orders" (decision 050): the day the merchant chooses is their shop's, as every date
 * they type is, so the orders read are those paid from the start of that day in the shop's zone (it was UTC midnight:
 * "from Nov 1" in Toronto took orders paid from Oct 31, 8 pm). The other end is the install: only orders paid before
 * it earn nothing yet.
 */

/** What a backfill from a day reads: `since`, the start of the shop's day (ISO, UTC), and its title, naming the zone. */
export interface BackfillRange {
  since: string;
  /** "Orders since Nov 1, 2026 (America/Toronto time)": the import's name on its page, the job's and the audit's. */
  title: string;
}

const dayWords = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

/**
 * The range from a calendar day ("2026-11-01") in the shop's zone (unknown zone: UTC). Throws RangeError for a day
 * that is no calendar date; answers null for a day after the shop's today (no order is paid there yet).
 */
export function backfillRangeFrom(day: string, timeZone: string | null, now: Date): BackfillRange | null {
  const since = shopDayStart(day, timeZone);
  if (day > shopDayOf(now, timeZone)) return null;
  return {
    since,
    title: `Orders since ${dayWords.format(Date.parse(`${day}T00:00:00.000Z`))} (${shopTimeZoneName(timeZone)} time)`,
  };
}
