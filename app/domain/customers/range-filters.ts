/*
 * A directory range filter (points, orders, total spent, date joined) as typed, beside the range the list is filtered
 * by. Typed ends reach the list after a pause in typing, and only when the directory can use them: a range typed
 * reversed, with an end it cannot use, or faster than the pause is on the fields and not in the list. Its pill says
 * what is typed and that it is not applied, and its Clear empties the fields (a newcomer typed "5" then "2" without a
 * pause: Clear stayed greyed under a pill reading only "Points").
 */

/** A range's two ends as text, "" for an open end: numbers and amounts as typed, dates as YYYY-MM-DD. */
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

/** Whether a range's "from" is past its "to" (numbers as numbers, dates as YYYY-MM-DD text); an open end never is. */
export function isReversedRange({ from, to }: RangeEnds, kind: RangeKind): boolean {
  if (from.trim() === "" || to.trim() === "") return false;
  return kind === "date" ? from.trim() > to.trim() : Number(from) > Number(to);
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
}: {
  typed: RangeEnds;
  applied: RangeEnds;
  usable: boolean;
  kind: RangeKind;
}): TypedRangeStatus {
  if (isEmpty(typed)) return isEmpty(applied) ? "none" : "applied";
  if (typed.from.trim() === applied.from.trim() && typed.to.trim() === applied.to.trim()) return "applied";
  if (!usable) return "unusable";
  return isReversedRange(typed, kind) ? "reversed" : "typing";
}

const notApplied: Record<TypedRangeStatus, string> = {
  none: "",
  applied: "",
  typing: "not applied yet",
  reversed: "reversed, not applied",
  unusable: "can't be used, not applied",
};

/** "5 to 2", "at least 5", "until 2026-01-01". */
function rangeWords({ from, to }: RangeEnds, kind: RangeKind): string {
  const [low, high] = [from.trim(), to.trim()];
  if (low && high) return `${low} to ${high}`;
  if (low) return `${kind === "date" ? "since" : "at least"} ${low}`;
  return `${kind === "date" ? "until" : "at most"} ${high}`;
}

/**
 * A range filter's pill, in the words of the directory's other pills: "Points: at least 5", "Joined since 2026-01-01".
 * A typed range the list is not filtered by says so, after what the list is filtered by when anything: "Points: 5 to
 * 2 (reversed, not applied)", "Total spent: at least $5.00, typed $5.00 to $2.00 (reversed, not applied)". `label`
 * names the filter ("Points", "Joined"); the ends are written as the pill shows them (an amount with its currency).
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
  const named = (words: string) => `${label}${kind === "date" ? " " : ": "}${words}`;
  if (status === "applied" || status === "none") return named(rangeWords(applied, kind));
  const pending = `${rangeWords(typed, kind)} (${notApplied[status]})`;
  return named(isEmpty(applied) ? pending : `${rangeWords(applied, kind)}, typed ${pending}`);
}
