/*
 * A calendar day as a merchant types it into a date field ("2026-11-28", "Nov 28, 2026", "28 November 2026"), read by
 * our own rule rather than the browser's date input: Chromium's hands the page "" for a day it cannot read (02/30/2026,
 * a six-digit year), so nothing could be said about it (newcomer round 17). Days are kept as YYYY-MM-DD, a calendar
 * day with no time zone: the shop's zone turns it into instants where a query needs them (shop-time.ts).
 */

/** The years a typed day may fall in: a four-digit year, from the first one Tally's time zone data reads well. */
export const DAY_YEARS = { min: 1900, max: 9999 } as const;

const months = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
] as const;

const monthNames = months.map((name) => name[0]!.toUpperCase() + name.slice(1));

/** A month's number (1–12) from its English name or a leading part of it of three letters or more ("Nov", "Sept"). */
function monthOf(word: string): number | undefined {
  const lower = word.toLowerCase().replace(/\.$/, "");
  if (lower.length < 3) return undefined;
  const index = months.findIndex((name) => name.startsWith(lower));
  return index < 0 ? undefined : index + 1;
}

/** Days in a month of the proleptic Gregorian calendar (`month` 1–12). */
function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/**
 * How a staff member writes a day in numbers with the year last: the month first ("11/28/2026", US English: en-US
 * and "en", which Intl and Shopify's admin read as US English) or the day first (en-GB, fr, de, es and every other
 * locale: "28/11/2026", "28.11.2026"). Told by how Intl writes a day in numbers in the locale: month before day is
 * `month-first`; day before month, and the year-first locales (ja, zh, sv…), whose year-last form is the European
 * one, are `day-first`.
 */
export type DayOrder = "month-first" | "day-first";

/** The locale's `DayOrder`, or undefined when no locale is known or Intl does not know it (then "11/28/2026" is ambiguous). */
export function dayOrderOf(locale: string | null | undefined): DayOrder | undefined {
  if (!locale) return undefined;
  try {
    const [tag] = Intl.DateTimeFormat.supportedLocalesOf(locale.replace(/_/g, "-"));
    if (!tag) return undefined;
    const parts = new Intl.DateTimeFormat(tag, { year: "numeric", month: "numeric", day: "numeric", timeZone: "UTC" })
      .formatToParts(Date.UTC(2026, 10, 28))
      .map((part) => part.type);
    return parts.indexOf("month") < parts.indexOf("day") && parts.indexOf("year") > parts.indexOf("day")
      ? "month-first"
      : "day-first";
  } catch {
    return undefined;
  }
}

/** What a day typed in numbers with the year last is asked to be, in the order's own words. */
const orderExample: Record<DayOrder, string> = {
  "month-first": "Write it as month/day/year, e.g. 11/28/2026",
  "day-first": "Write it as day/month/year, e.g. 28/11/2026",
};

/**
 * A day field's placeholder in the order `parseTypedDay` reads numbers in: "MM/DD/YYYY" (month-first), "DD/MM/YYYY"
 * (day-first), "YYYY-MM-DD" when no order is known (the year first is the only form read then).
 */
export function typedDayPlaceholder(order: DayOrder | undefined): string {
  return order === "month-first" ? "MM/DD/YYYY" : order === "day-first" ? "DD/MM/YYYY" : "YYYY-MM-DD";
}

/** The example every message gives, in both forms a day is taken in. */
const DAY_EXAMPLE = "Enter a date like 2026-11-28 or Nov 28, 2026";

/**
 * A typed day as YYYY-MM-DD, or why it cannot be used, in words for the field. Taken: the year first with "-", "/" or
 * "." between ("2026-11-28", "2026/1/5"), the month by name either side of the day ("Nov 28, 2026", "28 Nov 2026",
 * "November 28th 2026"), and numbers with the year last read in the staff member's `order` ("11/28/2026" in en-US,
 * "28/11/2026" or "28.11.2026" in en-GB, fr, de). Refused: a year outside `DAY_YEARS`, a month or day the calendar
 * does not have ("February 2026 has 28 days"), a month past 12 in the order ("13/28/2026" in en-US: "Write it as
 * month/day/year, e.g. 11/28/2026"), and numbers with the year last when no order is known, which read as another
 * day in a shop that writes the day first. "" (an open end) is the caller's to handle: it is refused here like any
 * other text.
 */
export function parseTypedDay(text: string, order?: DayOrder): { day: string } | { problem: string } {
  const typed = text.trim().replace(/\s+/g, " ");
  let parts: { year: string; month: number; day: string } | undefined;
  const yearFirst = /^(\d+)([-/.])(\d{1,2})\2(\d{1,2})$/.exec(typed);
  if (yearFirst && yearFirst[1]!.length > 2) {
    parts = { year: yearFirst[1]!, month: Number(yearFirst[3]), day: yearFirst[4]! };
  } else if (/^\d{1,2}[-/.]\d{1,2}[-/.]\d+$/.test(typed)) {
    if (!order) {
      return {
        problem: "Write the year first, like 2026-11-28: day and month come in either order in other countries",
      };
    }
    const [first, second, year] = typed.split(/[-/.]/);
    const [month, day] = order === "month-first" ? [first!, second!] : [second!, first!];
    if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31) {
      return { problem: orderExample[order] };
    }
    parts = { year: year!, month: Number(month), day };
  } else {
    const monthFirst = /^([a-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?,? (\d+)$/i.exec(typed);
    const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+\.?),? (\d+)$/i.exec(typed);
    const [word, day, year] = monthFirst
      ? [monthFirst[1]!, monthFirst[2]!, monthFirst[3]!]
      : dayFirst
        ? [dayFirst[2]!, dayFirst[1]!, dayFirst[3]!]
        : [];
    const month = word === undefined ? undefined : monthOf(word);
    if (month !== undefined) parts = { year: year!, month, day: day! };
  }
  if (!parts) return { problem: DAY_EXAMPLE };
  const year = Number(parts.year);
  const day = Number(parts.day);
  if (parts.year.length !== 4 || year < DAY_YEARS.min || year > DAY_YEARS.max) {
    return { problem: `Enter a year from ${DAY_YEARS.min} to ${DAY_YEARS.max}` };
  }
  if (parts.month < 1 || parts.month > 12) return { problem: "Enter a month from 1 to 12, like 2026-11-28" };
  const last = daysIn(year, parts.month);
  if (day < 1 || day > last) return { problem: `${monthNames[parts.month - 1]} ${year} has ${last} days` };
  return { day: `${pad(year, 4)}-${pad(parts.month)}-${pad(day)}` };
}
