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
 * A writer of times in the shop's zone as `YYYY-MM-DD HH:MM:SS` (to the second, no zone suffix): the form Excel,
 * Numbers and Google Sheets read as a date and time, where an ISO time with a "Z" stays text (newcomer round 14). The
 * file or screen using it names the zone (`shopTimeZoneName`). Unknown zone: UTC. Empty, missing or unreadable times
 * give "". The zone's offset is asked of `Intl` twice per UTC day met and kept (offsets change on the hour; a day
 * whose first and last hours differ is asked hour by hour), so a 1,000,000-row export pays a map lookup a cell, not a
 * formatter call (about 12 µs each).
 */
export function shopTimeWriter(timeZone: string | null | undefined): (at: string | null | undefined) => string {
  const zone = knownTimeZone(timeZone);
  const parts = zone
    ? new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      })
    : null;
  const zoneOffset = (at: number): number => {
    const field = Object.fromEntries(parts!.formatToParts(at).map((part) => [part.type, Number(part.value)]));
    return Date.UTC(field.year!, field.month! - 1, field.day!, field.hour!, field.minute!, field.second!) - at;
  };
  // By UTC day: one offset when the day's first and last hours agree (every day but a change's), else by hour.
  const offsets = new Map<number, number | Map<number, number>>();
  const offsetAt = (ms: number): number => {
    if (!parts) return 0;
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
