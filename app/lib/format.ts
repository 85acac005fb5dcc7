import { currencyCodeSchema, dayOrderOf, formatAdminMoney, formatMinor, type DayOrder } from "~/domain/shared";
import { shopTimeZoneName } from "~/domain/shared/shop-time";

/**
 * How the admin writes numbers, points, money and dates: one formatter per request, built from the staff member's
 * locale (as Shopify gives it with the session) and the program's points names, used by every component.
 *
 * - Thousands separators and decimal marks come from the locale through `Intl`.
 * - Negative numbers always carry U+2212 (−), whatever sign the locale uses, so a debt reads the same in the
 *   directory, the profile and the activity log.
 * - Money is written by the domain's one admin money rule (`formatAdminMoney`, decision 052): "$5.00" in the store's
 *   currency, "$5.00 USD" in any other, the currency's own decimals (JPY 0, KWD 3), never through `minor / 100`.
 * - Points take the program's names with the locale's plural rules ("1 point", "2 points", "1 star").
 * - Dates and times are in the shop's time zone (Shopify's Settings > General, as the admin shows its own dates;
 *   UTC when none is given), never the machine's: the server renders a page and the browser hydrates it, and a date
 *   written in each one's own zone differed between them (React's hydration errors #418/#425 in any browser off UTC,
 *   and the page's chrome drawn twice: newcomer round 16).
 *
 * Pure: no clock, no I/O; the same inputs give the same text on the server and in the browser.
 */
export interface Formatter {
  readonly locale: string;
  /**
   * How the staff member writes a day in numbers with the year last ("11/28/2026" in en-US, "28/11/2026" in en-GB),
   * for the date fields that read one; undefined when the admin gave no locale (then the year is asked first).
   */
  readonly dayOrder: DayOrder | undefined;
  /** The IANA zone dates and times are written in ("America/Toronto"; "UTC"). */
  readonly timeZone: string;
  /** 1234 → "1,234"; −20 → "−20". */
  number(value: number): string;
  /** A change to a balance: +50 → "+50", −20 → "−20", 0 → "0". */
  delta(value: number): string;
  /** 1 → "1 point", 1250 → "1,250 points", −20 → "−20 points". */
  points(value: number): string;
  /** The points name alone, in the plural form that goes with `value` ("points" for 0 in English). */
  pointsUnit(value: number): string;
  /** A count with its noun in the form that goes with it: (1, customer) → "1 customer", 2006 → "2,006 customers". */
  count(value: number, noun: { one: string; other: string }): string;
  /** The store's currency, whose amounts are written without their code (decision 052); null when unknown. */
  readonly storeCurrency: string | null;
  /**
   * Whole minor units with their currency: (123456, "USD") → "$1,234.56" in a US store, "$1,234.56 USD" in any other;
   * (1500, "JPY") → "¥1,500" in a Japanese store.
   */
  money(amountMinor: number, currency: string | null | undefined): string;
  /** An ISO timestamp as a date ("Mar 4, 2026"); "—" when there is none. */
  date(iso: string | null | undefined): string;
  /**
   * A calendar day, YYYY-MM-DD, written as `date` writes one ("Nov 28, 2026") without moving it through a time zone: a
   * day typed in a date filter is already the shop's day (read through the shop's zone, "2026-11-28" at UTC midnight
   * was Nov 27 in Toronto). Text that is no such day is given back as it is; "—" when there is none.
   */
  day(day: string | null | undefined): string;
  /** An ISO timestamp as date and time ("Mar 4, 2026, 2:05 PM"); "—" when there is none. */
  dateTime(iso: string | null | undefined): string;
  /** An ISO timestamp's time of day ("2:05 PM"), for a table that writes the date above it; "—" when there is none. */
  time(iso: string | null | undefined): string;
  /** How long before `now` an ISO timestamp was, in the largest whole unit: "12 seconds ago", "5 minutes ago", "yesterday". */
  ago(iso: string, now: Date): string;
}

export interface PointsNames {
  /** "point" */
  singular: string;
  /** "points" */
  plural: string;
}

const MINUS = "\u2212";

/** A BCP 47 tag Intl accepts, or "en". Shopify sends tags like "en", "fr", "pt-BR"; anything else falls back. */
export function supportedLocale(tag: string | null | undefined): string {
  if (!tag) return "en";
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.replace(/_/g, "-"));
    return canonical && Intl.NumberFormat.supportedLocalesOf(canonical).length > 0 ? canonical : "en";
  } catch {
    return "en";
  }
}

export function createFormatter({
  locale,
  knownLocale = true,
  pointsNames,
  timeZone,
  storeCurrency = null,
}: {
  locale: string;
  /** False when `locale` is only the fallback: no order of day and month is assumed then. */
  knownLocale?: boolean;
  pointsNames: PointsNames;
  /** The store's currency (Shopify's shop.currencyCode); amounts in another carry their ISO code. */
  storeCurrency?: string | null;
  /** The shop's IANA time zone; UTC when absent or unknown to Intl. */
  timeZone?: string | null;
}): Formatter {
  const tag = supportedLocale(locale);
  const zone = shopTimeZoneName(timeZone);
  const integer = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const signed = new Intl.NumberFormat(tag, { maximumFractionDigits: 0, signDisplay: "exceptZero" });
  const plurals = new Intl.PluralRules(tag);
  const plainMoney = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const dateFormat = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeZone: zone });
  const dayFormat = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeZone: "UTC" });
  const dateTimeFormat = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone: zone });
  const timeFormat = new Intl.DateTimeFormat(tag, { timeStyle: "short", timeZone: zone });

  const withMinus = (format: Intl.NumberFormat, value: number | Intl.StringNumericLiteral) =>
    format
      .formatToParts(value)
      .map((part) => (part.type === "minusSign" ? MINUS : part.value))
      .join("");

  const relativeSeconds = new Intl.RelativeTimeFormat(tag, { numeric: "always" });
  const relative = new Intl.RelativeTimeFormat(tag, { numeric: "auto" });
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ["year", 365 * 86_400],
    ["month", 30 * 86_400],
    ["week", 7 * 86_400],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];

  const pointsUnit = (value: number) => (plurals.select(value) === "one" ? pointsNames.singular : pointsNames.plural);

  return {
    locale: tag,
    dayOrder: knownLocale ? dayOrderOf(tag) : undefined,
    timeZone: zone,
    storeCurrency,
    number: (value) => withMinus(integer, value),
    delta: (value) => withMinus(signed, value),
    points: (value) => `${withMinus(integer, value)} ${pointsUnit(value)}`,
    pointsUnit,
    count: (value, noun) => `${withMinus(integer, value)} ${plurals.select(value) === "one" ? noun.one : noun.other}`,
    money(amountMinor, currency) {
      const code = currencyCodeSchema.safeParse(currency);
      // An amount whose currency Shopify never sent is shown as a plain two-decimal number, not guessed.
      if (code.success) return formatAdminMoney(amountMinor, code.data, { storeCurrency, locale: tag });
      return withMinus(plainMoney, formatMinor(amountMinor, "XXX") as Intl.StringNumericLiteral);
    },
    date: (iso) => (iso ? dateFormat.format(new Date(iso)) : "—"),
    day(day) {
      if (!day) return "—";
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
      const midnight = new Date(0);
      // setUTCFullYear, not Date.UTC, which reads a year below 100 as 19xx.
      if (match) midnight.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
      return match && midnight.toISOString().slice(0, 10) === day ? dayFormat.format(midnight) : day;
    },
    dateTime: (iso) => (iso ? dateTimeFormat.format(new Date(iso)) : "—"),
    time: (iso) => (iso ? timeFormat.format(new Date(iso)) : "—"),
    ago(iso, now) {
      const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 1000));
      const unit = units.find(([, size]) => seconds >= size);
      if (!unit) return relativeSeconds.format(-Math.max(1, seconds), "second");
      return relative.format(-Math.floor(seconds / unit[1]), unit[0]);
    },
  };
}
