/*
 * Times as a merchant reads them: in the shop's own time zone (Shopify's Settings > General > Time zone, the
 * `ianaTimezone` a shop/update webhook and the Shop object carry), as Shopify admin shows them.
 */

/** A time zone name `Intl` knows, else null (an empty, unknown or misspelled one). */
function knownTimeZone(timeZone: string | null | undefined): string | null {
  if (!timeZone) return null;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    return null;
  }
}

/** The zone a shop's times are written in: its IANA name ("America/Toronto"), or "UTC" when the shop has none known. */
export function shopTimeZoneName(timeZone: string | null | undefined): string {
  return knownTimeZone(timeZone) ?? "UTC";
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * How far a known zone's clocks are ahead of UTC at an instant, in ms (negative west of Greenwich), read from `Intl`
 * (about 12 µs a call: callers keep what they read). Each zone's formatter is made once.
 */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneOffsetAt(zone: string, at: number): number {
  let parts = zoneFormats.get(zone);
  if (!parts) {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    zoneFormats.set(zone, parts);
  }
  const field = Object.fromEntries(parts.formatToParts(at).map((part) => [part.type, Number(part.value)]));
  // setUTCFullYear, not Date.UTC, which reads a year below 100 as 19xx.
  const local = new Date(0);
  local.setUTCFullYear(field.year!, field.month! - 1, field.day!);
  return local.setUTCHours(field.hour!, field.minute!, field.second!) - at;
}

/**
 * A writer of times in the shop's zone as `YYYY-MM-DD HH:MM:SS` (to the second, no zone suffix): the form Excel,
 * Numbers and Google Sheets read as a date and time, where an ISO time with a "Z" stays text (newcomer round 14). The
 * file or screen using it names the zone (`shopTimeZoneName`). Unknown zone: UTC. Empty, missing or unreadable times
 * give "". The zone's offset is asked of `Intl` twice per UTC day met and kept (offsets change on the hour; a day
 * whose first and last hours differ is asked hour by hour), so a 1,000,000-row export pays a map lookup a cell, not a
 * formatter call (about 12 µs each).
 */
export function shopTimeWriter(timeZone: string | null | undefined): (at: string | null | undefined) => string {
  const zone = knownTimeZone(timeZone);
  const zoneOffset = (at: number) => zoneOffsetAt(zone!, at);
  // By UTC day: one offset when the day's first and last hours agree (every day but a change's), else by hour.
  const offsets = new Map<number, number | Map<number, number>>();
  const offsetAt = (ms: number): number => {
    if (!zone) return 0;
    const day = Math.floor(ms / 86_400_000);
    let known = offsets.get(day);
    if (known === undefined) {
      const first = zoneOffset(day * 86_400_000);
      known = first === zoneOffset(day * 86_400_000 + 23 * 3_600_000) ? first : new Map<number, number>();
      offsets.set(day, known);
    }
    if (typeof known === "number") return known;
    const hour = Math.floor(ms / 3_600_000);
    let offset = known.get(hour);
    if (offset === undefined) {
      offset = zoneOffset(hour * 3_600_000);
      known.set(hour, offset);
    }
    return offset;
  };
  return (at) => {
    const ms = at ? Date.parse(at) : NaN;
    if (Number.isNaN(ms)) return "";
    const local = new Date(Math.floor(ms / 1000) * 1000 + offsetAt(ms));
    return (
      `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
      `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
    );
  };
}

/**
 * A time as ISO 8601 in UTC to the second (`2026-11-30T23:20:10Z`), whatever precision it was stored with; "" for none.
 * How exports wrote times before they were written in the shop's zone: a file begun so is finished so.
 */
export function isoSecond(at: string | null | undefined): string {
  const ms = at ? Date.parse(at) : NaN;
  return Number.isNaN(ms) ? "" : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The instant a calendar day ("2026-11-28") begins in the shop's zone, as ISO 8601 in UTC with milliseconds
 * ("2026-11-28T05:00:00.000Z" in Toronto): a day a merchant types in a date filter is their shop's day, as Shopify's
 * segments read `customer_added_date`. A day that begins inside a daylight-saving gap begins when the clocks resume.
 * Unknown zone: UTC. Throws RangeError for a day that is no calendar date.
 */
export function shopDayStart(day: string, timeZone: string | null | undefined): string {
  return isoWithin(dayStartMs(utcMidnight(day), timeZone));
}

/** UTC midnight of a YYYY-MM-DD day, in ms (setUTCFullYear: Date.UTC reads 0001 as 1901). */
function utcMidnight(day: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const midnight = new Date(0);
  if (match) midnight.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (!match || midnight.toISOString().slice(0, 10) !== day) throw new RangeError(`Not a calendar day: ${day}`);
  return midnight.getTime();
}

/** The instants ISO 8601's four-digit years write; past them toISOString writes "+010000-…" or "-000001-…". */
const [FIRST_ISO_MS, LAST_ISO_MS] = [new Date("0000-01-01T00:00:00.000Z"), new Date("9999-12-31T23:59:59.999Z")].map(
  (at) => at.getTime(),
) as [number, number];
const isoWithin = (ms: number) => new Date(Math.min(Math.max(ms, FIRST_ISO_MS), LAST_ISO_MS)).toISOString();

function dayStartMs(midnight: number, timeZone: string | null | undefined): number {
  const zone = knownTimeZone(timeZone);
  if (!zone) return midnight;
  const offsetAt = (at: number) => zoneOffsetAt(zone, at);
  // Guessed from the offset at UTC midnight, then from the offset at that guess; the earlier that reads midnight
  // locally wins (a midnight the clocks repeat), and when neither does (the clocks skip midnight) the later, which is
  // when they resume.
  const first = midnight - offsetAt(midnight);
  const second = midnight - offsetAt(first);
  const exact = [first, second].filter((at) => at + offsetAt(at) === midnight);
  return exact.length > 0 ? Math.min(...exact) : Math.max(first, second);
}

/**
 * The last millisecond of a calendar day in the shop's zone (the next day's start less 1 ms), as `shopDayStart`. The
 * end of 9999-12-31 west of UTC falls in the year 10000: it is written as the last instant of 9999, which no stored
 * time is past.
 */
export function shopDayEnd(day: string, timeZone: string | null | undefined): string {
  return isoWithin(dayStartMs(utcMidnight(day) + 86_400_000, timeZone) - 1);
}

/**
 * The calendar day ("2026-11-28") an instant falls on in the shop's zone: the shop's "today" for `now`. Unknown zone:
 * UTC. Throws RangeError for a time that is none.
 */
export function shopDayOf(at: Date | string, timeZone: string | null | undefined): string {
  const ms = typeof at === "string" ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Not a time: ${String(at)}`);
  const zone = knownTimeZone(timeZone);
  return new Date(ms + (zone ? zoneOffsetAt(zone, ms) : 0)).toISOString().slice(0, 10);
}

/**
 * A writer of days in the shop's zone as the admin's formatter writes them ("Dec 17, 2026": `Intl`'s medium date, in
 * English), for lines the server words itself and the page shows as written (the activity log's, a job's): an ISO
 * day wrapped as "2026-" / "12-17" in a narrow column and read unlike the cards beside it. Unknown zone: UTC. Empty,
 * missing or unreadable times give "".
 */
export function shopDateWriter(timeZone: string | null | undefined): (at: string | null | undefined) => string {
  const days = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: shopTimeZoneName(timeZone) });
  return (at) => {
    const ms = at ? Date.parse(at) : NaN;
    return Number.isNaN(ms) ? "" : days.format(ms);
  };
}
