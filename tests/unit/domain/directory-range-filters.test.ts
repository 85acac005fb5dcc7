import { describe, expect, it } from "vitest";
import {
  directoryParamProblem,
  echoTyped,
  isReversedRange,
  leftOutParamWords,
  pointsActivityPillLabel,
  rangeEnd,
  rangePillLabel,
  reversedRangeMessage,
  typedRangeStatus,
  type RangeEnds,
} from "~/domain/customers";

const ends = (from: string, to: string): RangeEnds => ({ from, to });
const none = ends("", "");

describe("a directory range filter as typed", () => {
  it("is reversed only when both ends are there and from is past to, numbers as numbers and dates as dates", () => {
    expect(isReversedRange(ends("5", "2"), "number")).toBe(true);
    expect(isReversedRange(ends("9", "10"), "number")).toBe(false);
    expect(isReversedRange(ends("5", "5"), "number")).toBe(false);
    expect(isReversedRange(ends("5", ""), "number")).toBe(false);
    expect(isReversedRange(ends("2026-05-01", "2026-01-01"), "date")).toBe(true);
    expect(isReversedRange(ends("2026-01-01", "2026-05-01"), "date")).toBe(false);
    // A day typed in words is that day: "Nov 28" is after "Nov 1", not before it as text.
    expect(isReversedRange(ends("Nov 28, 2026", "2026-11-01"), "date")).toBe(true);
    expect(isReversedRange(ends("2026-1-5", "2026-01-10"), "date")).toBe(false);
  });

  it("holds a typed day as the link does, and anything else as typed", () => {
    expect(rangeEnd(" Nov 28, 2026 ", "date")).toBe("2026-11-28");
    expect(rangeEnd("2026/11/28", "date")).toBe("2026-11-28");
    expect(rangeEnd("02/30/2026", "date")).toBe("02/30/2026");
    expect(rangeEnd(" 12 ", "number")).toBe("12");
    // A day typed in words, then applied as YYYY-MM-DD, is what the list is filtered by: not "not applied yet".
    expect(
      typedRangeStatus({
        typed: ends("Nov 28, 2026", ""),
        applied: ends("2026-11-28", ""),
        usable: true,
        kind: "date",
      }),
    ).toBe("applied");
  });

  it("stands as nothing, applied, typed and not applied yet, reversed, or unusable", () => {
    const status = (typed: RangeEnds, applied: RangeEnds, usable = true) =>
      typedRangeStatus({ typed, applied, usable, kind: "number" });
    expect(status(none, none)).toBe("none");
    expect(status(ends(" ", ""), none)).toBe("none");
    expect(status(ends("5", ""), ends("5", ""))).toBe("applied");
    expect(status(ends(" 5 ", ""), ends("5", ""))).toBe("applied");
    // Emptied fields: the list is filtered by the old range until the pause applies the empty one.
    expect(status(none, ends("5", ""))).toBe("applied");
    // "5" then "2" typed without a pause: neither end ever reached the list.
    expect(status(ends("5", "2"), none)).toBe("reversed");
    expect(status(ends("5", "2"), ends("5", ""))).toBe("reversed");
    expect(status(ends("5", "9"), ends("5", ""))).toBe("typing");
    expect(status(ends("", "99999999999999999999"), none, false)).toBe("unusable");
    expect(
      typedRangeStatus({ typed: ends("2026-05-01", "2026-01-01"), applied: none, usable: true, kind: "date" }),
    ).toBe("reversed");
  });
});

describe("a range filter's pill", () => {
  const pill = (
    label: string,
    typed: RangeEnds,
    status: Parameters<typeof rangePillLabel>[0]["status"],
    applied: RangeEnds = none,
    kind: "number" | "date" = "number",
  ) => rangePillLabel({ label, kind, applied, typed, status });

  it("says the applied range as '<the filter's label>: <the range>', dates as the Points pill does", () => {
    const applied = (label: string, from: string, to: string, kind: "number" | "date" = "number") =>
      pill(label, ends(from, to), "applied", ends(from, to), kind);
    expect(applied("Points", "100", "700")).toBe("Points: 100 to 700");
    expect(applied("Points", "100", "")).toBe("Points: at least 100");
    expect(applied("Points", "", "\u2212332")).toBe("Points: at most \u2212332");
    expect(applied("Total spent", "$5.00", "")).toBe("Total spent: at least $5.00");
    // The filter's own label (a pill read "Orders" under "Number of orders"; "Joined since 2026-01-01").
    expect(applied("Number of orders", "", "5")).toBe("Number of orders: at most 5");
    expect(applied("Date joined", "Nov 28, 2026", "Dec 1, 2026", "date")).toBe(
      "Date joined: Nov 28, 2026 to Dec 1, 2026",
    );
    expect(applied("Date joined", "Nov 28, 2026", "", "date")).toBe("Date joined: since Nov 28, 2026");
    expect(applied("Date joined", "", "Dec 1, 2026", "date")).toBe("Date joined: until Dec 1, 2026");
  });

  it("says what is typed and why it is not applied, never as a condition, with one, the other or both ends", () => {
    expect(pill("Points", ends("5", "2"), "reversed")).toBe("Points: typed 5 to 2 (reversed, not applied)");
    expect(pill("Number of orders", ends("5", ""), "typing")).toBe("Number of orders: typed from 5 (not applied yet)");
    // A "to" the filter cannot use read "Points: at most 1e": a condition it was not applying.
    expect(pill("Points", ends("", echoTyped("1e")), "unusable")).toBe(
      "Points: typed to “1e” (can't be used, not applied)",
    );
    expect(pill("Points", ends(echoTyped("1e"), ""), "unusable")).toBe(
      "Points: typed from “1e” (can't be used, not applied)",
    );
    expect(pill("Points", ends("5", echoTyped("1e")), "unusable")).toBe(
      "Points: typed 5 to “1e” (can't be used, not applied)",
    );
    expect(pill("Total spent", ends("CA$5.00", echoTyped("12.345")), "unusable")).toBe(
      "Total spent: typed CA$5.00 to “12.345” (can't be used, not applied)",
    );
    expect(pill("Date joined", ends("Nov 28, 2026", "Nov 1, 2026"), "reversed", none, "date")).toBe(
      "Date joined: typed Nov 28, 2026 to Nov 1, 2026 (reversed, not applied)",
    );
    expect(pill("Date joined", ends(echoTyped("02/30/2026"), ""), "unusable", none, "date")).toBe(
      "Date joined: typed from “02/30/2026” (can't be used, not applied)",
    );
  });

  it("echoes an end it cannot use in quotes, cut after 12 characters", () => {
    expect(echoTyped(" 1e ")).toBe("“1e”");
    expect(echoTyped("123456789012")).toBe("“123456789012”");
    expect(echoTyped("99999999999999999999")).toBe("“999999999999…”");
    expect(pill("Points", ends("", echoTyped("99999999999999999999")), "unusable")).toBe(
      "Points: typed to “999999999999…” (can't be used, not applied)",
    );
  });

  it("says what the list is still filtered by before a typed range it could not apply", () => {
    expect(pill("Total spent", ends("$5.00", "$2.00"), "reversed", ends("$5.00", ""))).toBe(
      "Total spent: at least $5.00, typed $5.00 to $2.00 (reversed, not applied)",
    );
    expect(pill("Points", ends("100", echoTyped("1e")), "unusable", ends("100", ""))).toBe(
      "Points: at least 100, typed 100 to “1e” (can't be used, not applied)",
    );
  });
});

describe("a reversed range's message", () => {
  it("writes its ends as the pill does", () => {
    expect(reversedRangeMessage(ends("CA$5.00", "CA$1.50"), "number")).toBe(
      "The range is reversed: “from” (CA$5.00) is more than “to” (CA$1.50). Swap them to filter.",
    );
    expect(reversedRangeMessage(ends("Nov 28, 2026", "Nov 1, 2026"), "date")).toBe(
      "The range is reversed: “from” (Nov 28, 2026) is after “to” (Nov 1, 2026). Swap them to filter.",
    );
  });
});

describe("a Date joined range typed in the staff member's order of day and month", () => {
  it("holds the typed day as the link does, and stands as applied when the link holds that day", () => {
    expect(rangeEnd("11/28/2026", "date", "month-first")).toBe("2026-11-28");
    expect(rangeEnd("28/11/2026", "date", "day-first")).toBe("2026-11-28");
    // Unread in no order, or impossible in this one: kept as typed.
    expect(rangeEnd("11/28/2026", "date")).toBe("11/28/2026");
    expect(rangeEnd("13/28/2026", "date", "month-first")).toBe("13/28/2026");
    const applied = { from: "2026-11-28", to: "" };
    const typed = { from: "28/11/2026", to: "" };
    expect(typedRangeStatus({ typed, applied, usable: true, kind: "date", dayOrder: "day-first" })).toBe("applied");
    expect(isReversedRange({ from: "12/1/2026", to: "11/28/2026" }, "date", "month-first")).toBe(true);
    expect(isReversedRange({ from: "1/12/2026", to: "28/11/2026" }, "date", "day-first")).toBe(true);
  });
});

describe("the Points activity filter's days", () => {
  it("are refused on the field in the link's words: a whole number of days from 1", () => {
    expect(directoryParamProblem("idle_days", "30")).toBeNull();
    expect(directoryParamProblem("idle_days", "1,000")).toBeNull();
    // Below 1 is one message, 0 as -3, as a minus in Number of orders is "Can't be below 0".
    expect(directoryParamProblem("idle_days", "0")).toBe("Can't be below 1");
    expect(directoryParamProblem("idle_days", "-3")).toBe("Can't be below 1");
    expect(directoryParamProblem("idle_days", "2.5")).toBe("Enter a whole number, like 50");
    expect(directoryParamProblem("idle_days", "a month")).toBe("Enter a whole number, like 50");
    expect(directoryParamProblem("idle_days", "99999")).toBe("Enter a whole number from 1 to 36,500");
    expect(leftOutParamWords("idle_days", "Can't be below 1")).toBe("Points activity: Can't be below 1");
    expect(leftOutParamWords("idle_days", directoryParamProblem("idle_days", "0") ?? undefined)).toBe(
      "Points activity: Can't be below 1",
    );
  });

  it("read on their pill as what the list is filtered by, and what is typed and not applied, as a range's do", () => {
    expect(pointsActivityPillLabel({ applied: "30", typed: "30", status: "applied" })).toBe(
      "No points activity in the last 30 days",
    );
    expect(pointsActivityPillLabel({ applied: "1", typed: "1", status: "applied" })).toBe(
      "No points activity in the last 1 day",
    );
    expect(pointsActivityPillLabel({ applied: "30", typed: "45", status: "typing" })).toBe(
      "No points activity in the last 30 days, typed 45 (not applied yet)",
    );
    expect(pointsActivityPillLabel({ applied: "", typed: echoTyped("abc"), status: "unusable" })).toBe(
      "No points activity: typed “abc” (can't be used, not applied)",
    );
  });
});
