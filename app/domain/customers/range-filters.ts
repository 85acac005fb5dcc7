import { parseTypedDay, type DayOrder } from "~/domain/shared/calendar-day";
import { asciiMinus, ungroupThousands } from "~/domain/shared/integers";

/*
 * A directory range filter (points, orders, total spent, date joined) as typed, beside the range the list is filtered
 * by. Typed ends reach the list after a pause in typing, and only when the directory can use them: a range typed
 * reversed, with an end it cannot use, or faster than the pause is on the fields and not in the list. Its pill says
 * what is typed and that it is not applied, and its Clear empties the fields (a newcomer typed "5" then "2" without a
 * pause: Clear stayed greyed under a pill reading only "Points").
 */

/**
 * A range's two ends as text, "" for an open end: numbers and amounts as typed, dates as typed ("Nov 28, 2026") or as
 * a link holds them (YYYY-MM-DD).
 */
export interface RangeEnds {
  from: string;
  to: string;
}

export type RangeKind = "number" | "date";

/**
 * Where a range's typed ends stand. `none`: nothing typed nor applied. `applied`: the list is filtered by what is
 * typed (or the fields were just emptied and the list follows after the pause). `typing`: usable, not applied yet.
 * `reversed`: "from" past "to". `unusable`: an end the directory cannot use (said on its field).
 */
export type TypedRangeStatus = "none" | "applied" | "typing" | "reversed" | "unusable";

const isEmpty = ({ from, to }: RangeEnds) => from.trim() === "" && to.trim() === "";

/**
 * A typed end as the directory's link holds it: a day the directory reads as YYYY-MM-DD ("Nov 28, 2026" is
 * "2026-11-28"; "11/28/2026" too when the staff member's `dayOrder` is month-first), a number with its minus as
 * ASCII ("−5" is "-5") and without its thousands' commas ("1,000.50" is "1000.50"; one out of place stays), anything
 * else trimmed; so an end typed either way is the same end, and one it cannot read
 * stays what was typed.
 */
export function rangeEnd(end: string, kind: RangeKind, dayOrder?: DayOrder): string {
  if (kind === "number") {
    const typed = asciiMinus(end);
    return ungroupThousands(typed) ?? typed;
  }
  if (end.trim() === "") return "";
  const parsed = parseTypedDay(end, dayOrder);
  return "day" in parsed ? parsed.day : end.trim();
}

/** Whether a range's "from" is past its "to" (numbers as numbers, dates as days); an open end never is. */
export function isReversedRange({ from, to }: RangeEnds, kind: RangeKind, dayOrder?: DayOrder): boolean {
  const [low, high] = [rangeEnd(from, kind, dayOrder), rangeEnd(to, kind, dayOrder)];
  if (low === "" || high === "") return false;
  return kind === "date" ? low > high : Number(low) > Number(high);
}

/**
 * The status of `typed` against `applied`, the ends the list is filtered by; `usable` is whether the directory can use
 * each typed end (a number within its bounds, an amount in the shop's currency, a real date).
 */
export function typedRangeStatus({
  typed,
  applied,
  usable,
  kind,
  dayOrder,
}: {
  typed: RangeEnds;
  applied: RangeEnds;
  usable: boolean;
  kind: RangeKind;
  /** The staff member's order of day and month, for days typed in numbers with the year last. */
  dayOrder?: DayOrder;
}): TypedRangeStatus {
  if (isEmpty(typed)) return isEmpty(applied) ? "none" : "applied";
  const same = (end: keyof RangeEnds) => rangeEnd(typed[end], kind, dayOrder) === rangeEnd(applied[end], kind);
  if (same("from") && same("to")) return "applied";
  if (!usable) return "unusable";
  return isReversedRange(typed, kind, dayOrder) ? "reversed" : "typing";
}

const notApplied: Record<TypedRangeStatus, string> = {
  none: "",
  applied: "",
  typing: "not applied yet",
  reversed: "reversed, not applied",
  unusable: "can't be used, not applied",
};

/** The most of a typed end a pill echoes: a 20-digit number made a pill wider than the filters' bar. */
export const ECHO_LENGTH = 12;

/**
 * An end the directory cannot use, as a pill echoes it: in quotes, as typed, cut after `ECHO_LENGTH` characters
 * ("“1e”", "“999999999999…”"), so it reads as text typed and not as a figure.
 */
export function echoTyped(text: string): string {
  const typed = text.trim();
  return `“${typed.length > ECHO_LENGTH ? `${typed.slice(0, ECHO_LENGTH)}…` : typed}”`;
}

/** The range the list is filtered by: "100 to 700", "at least 100", "at most 700"; days "since …", "until …". */
function appliedWords({ from, to }: RangeEnds, kind: RangeKind): string {
  const [low, high] = [from.trim(), to.trim()];
  if (low && high) return `${low} to ${high}`;
  if (low) return `${kind === "date" ? "since" : "at least"} ${low}`;
  return `${kind === "date" ? "until" : "at most"} ${high}`;
}

/**
 * What is typed and not applied, as typed and never as a condition: "typed 5 to 2", "typed from “1e”", "typed to
 * “1e”" (a pill read "at most 1e" for a "to" it could not use: a condition it was not applying).
 */
function typedWords({ from, to }: RangeEnds): string {
  const [low, high] = [from.trim(), to.trim()];
  if (low && high) return `typed ${low} to ${high}`;
  return low ? `typed from ${low}` : `typed to ${high}`;
}

/**
 * A range filter's pill, "<the filter's label>: <the range>", as the directory's other pills: "Points: at least 100",
 * "Points: 100 to 700", "Date joined: since Nov 28, 2026", "Number of orders: at most 5". A typed range the list is
 * not filtered by says what is typed and why it is not applied, after what the list is filtered by when anything:
 * "Points: typed 5 to 2 (reversed, not applied)", "Points: typed to “1e” (can't be used, not applied)", "Total spent:
 * at least $5.00, typed $5.00 to $2.00 (reversed, not applied)". The ends come written as the list writes them (money
 * with its currency, days as "Nov 28, 2026", numbers grouped with a true minus), an end the directory cannot use
 * through `echoTyped`.
 */
export function rangePillLabel({
  label,
  kind,
  applied,
  typed,
  status,
}: {
  label: string;
  kind: RangeKind;
  applied: RangeEnds;
  typed: RangeEnds;
  status: TypedRangeStatus;
}): string {
  if (status === "applied" || status === "none") return `${label}: ${appliedWords(applied, kind)}`;
  const pending = `${typedWords(typed)} (${notApplied[status]})`;
  return `${label}: ${isEmpty(applied) ? pending : `${appliedWords(applied, kind)}, ${pending}`}`;
}

/**
 * What a reversed range's fields say, its ends written as its pill writes them: "The range is reversed: “from”
 * (Nov 28, 2026) is after “to” (Nov 1, 2026). Swap them to filter."
 */
export function reversedRangeMessage({ from, to }: RangeEnds, kind: RangeKind): string {
  const past = kind === "date" ? "after" : "more than";
  return `The range is reversed: “from” (${from.trim()}) is ${past} “to” (${to.trim()}). Swap them to filter.`;
}

/**
 * The Points activity filter's pill (`idle_days`, decision 019): "No points activity in the last 30 days". Days typed
 * and not applied are said as a range's are: "No points activity in the last 30 days, typed 45 (not applied yet)",
 * "No points activity: typed “abc” (can't be used, not applied)". `applied` and `typed` come written as the list
 * writes numbers ("1,000"), an unusable one through `echoTyped`; `applied` is "" when the list is not filtered by it.
 */
export function pointsActivityPillLabel({
  applied,
  typed,
  status,
}: {
  applied: string;
  typed: string;
  status: TypedRangeStatus;
}): string {
  const label = "No points activity";
  const within = applied ? `${label} in the last ${applied} ${applied === "1" ? "day" : "days"}` : label;
  if (status === "applied" || status === "none") return within;
  return `${applied ? within : label}${applied ? "," : ":"} typed ${typed} (${notApplied[status]})`;
}
