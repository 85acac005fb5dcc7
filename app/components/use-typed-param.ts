import { useEffect, useRef, useState } from "react";
import { rangeEnd, type RangeEnds, type RangeKind } from "~/domain/customers";
import type { DayOrder } from "~/domain/shared";

/** Typing waits this long before the URL (and so the loader) follows; each keystroke would be a request otherwise. */
export const TYPING_DELAY_MS = 300;

/*
 * A field's commits on their way to the URL, oldest first. Each commit starts a navigation, and the URL arrives at
 * them one by one, late: the page loaded "1" while "12" was already committed and "123" typed. The URL arriving at any
 * of them is the field's own (it and those before it are taken; the keys typed since stay), not only at the latest:
 * following the earlier one wrote it over the field ("12345" typed at 350 ms a key kept 1235 at load 8). The URL
 * arriving anywhere else (Back, a saved view, Clear all) is followed.
 */

/**
 * A text field whose value reaches the URL after a pause in typing (TYPING_DELAY_MS), and follows the URL on back and
 * forward. The pause ends in the latest render's `commit`, not the one of the keystroke: the URL (and a range's other
 * end) may have moved since, and a stale commit would write the old one back. The URL arriving at what this field
 * itself committed, the latest commit or an earlier one, is not followed: the merchant may have typed on while the
 * page loaded ("1" committed, "12" typed since), and following it dropped those keys ("12345" typed at 350 ms a key
 * became 134: found by a newcomer; 1235 at load 8). The text typed since is committed after its own pause.
 * Returns [what the field shows, its onChange]; `value` is the URL's, `commit` receives the trimmed text.
 */
export function useTypedParam(value: string, commit: (next: string) => void): [string, (next: string) => void] {
  const latestCommit = useRef(commit);
  useEffect(() => {
    latestCommit.current = commit;
  });
  const [onTheirWay, setOnTheirWay] = useState<string[]>([]);
  const [typed, setTyped] = useState(value);
  const [followed, setFollowed] = useState(value);
  if (followed !== value) {
    setFollowed(value);
    // Our own commit arriving is taken once; a later arrival at the same value (Back) is followed again.
    const arrived = onTheirWay.indexOf(value.trim());
    if (arrived >= 0) setOnTheirWay(onTheirWay.slice(arrived + 1));
    else {
      setOnTheirWay([]);
      setTyped(value);
    }
  }
  const latest = onTheirWay.at(-1);
  useEffect(() => {
    const next = typed.trim();
    // Already on its way: committing it again while the page loads would ask the same page twice.
    if (next === value.trim() || next === latest) return;
    const timer = setTimeout(() => {
      setOnTheirWay((list) => [...list, next]);
      latestCommit.current(next);
    }, TYPING_DELAY_MS);
    return () => clearTimeout(timer);
    // Re-arming on every render would restart the delay.
  }, [typed, value, latest]);
  return [typed, setTyped];
}

const sameEnds = (a: RangeEnds, b: RangeEnds) => a.from === b.from && a.to === b.to;

/**
 * useTypedParam for a from/to pair: both ends reach the URL together, as the link writes them (`rangeEnd`: a day typed
 * "Nov 28, 2026" is 2026-11-28), after a pause in typing either; the URL arriving at what the pair itself committed
 * (the latest commit or an earlier one) is not followed, so keys typed meanwhile stay, and so does a day typed in
 * words. `low` and `high` are the URL's ends. `commit` says whether it committed (it refuses a range the directory
 * cannot use). `clear` empties both ends at once, committing the empty range when the URL holds one, unless
 * `committedElsewhere` (Clear all writes the whole URL).
 */
export function useTypedRange(
  low: string,
  high: string,
  kind: RangeKind,
  dayOrder: DayOrder | undefined,
  commit: (from: string, to: string) => boolean,
): {
  typed: RangeEnds;
  setTyped: (next: RangeEnds) => void;
  clear: (committedElsewhere?: boolean) => void;
} {
  const latestCommit = useRef(commit);
  useEffect(() => {
    latestCommit.current = commit;
  });
  const [onTheirWay, setOnTheirWay] = useState<RangeEnds[]>([]);
  const [typed, setTyped] = useState({ from: low, to: high });
  const [followed, setFollowed] = useState({ low, high });
  if (followed.low !== low || followed.high !== high) {
    setFollowed({ low, high });
    const url = { from: low.trim(), to: high.trim() };
    const arrived = onTheirWay.findIndex((ends) => sameEnds(ends, url));
    if (arrived >= 0) setOnTheirWay(onTheirWay.slice(arrived + 1));
    else {
      setOnTheirWay([]);
      setTyped({ from: low, to: high });
    }
  }
  const latest = onTheirWay.at(-1);
  useEffect(() => {
    const ends = { from: rangeEnd(typed.from, kind, dayOrder), to: rangeEnd(typed.to, kind, dayOrder) };
    if (ends.from === low.trim() && ends.to === high.trim()) return;
    // Already on its way: committing it again while the page loads would write the URL the page had before.
    if (latest && sameEnds(latest, ends)) return;
    const timer = setTimeout(() => {
      if (latestCommit.current(ends.from, ends.to)) setOnTheirWay((list) => [...list, ends]);
    }, TYPING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed, low, high, latest, kind, dayOrder]);
  const clear = (committedElsewhere = false) => {
    setTyped({ from: "", to: "" });
    if (low.trim() === "" && high.trim() === "") return;
    setOnTheirWay((list) => [...list, { from: "", to: "" }]);
    if (!committedElsewhere) latestCommit.current("", "");
  };
  return { typed, setTyped, clear };
}
