import { describe, expect, it } from "vitest";
import { isReversedRange, rangePillLabel, typedRangeStatus, type RangeEnds } from "~/domain/customers";

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
  it("says the applied range in the words of the other pills", () => {
    const applied = (from: string, to: string, label = "Points") =>
      rangePillLabel({ label, kind: "number", applied: ends(from, to), typed: ends(from, to), status: "applied" });
    expect(applied("5", "10")).toBe("Points: 5 to 10");
    expect(applied("5", "")).toBe("Points: at least 5");
    expect(applied("", "10")).toBe("Points: at most 10");
    expect(applied("$5.00", "", "Total spent")).toBe("Total spent: at least $5.00");
    expect(
      rangePillLabel({
        label: "Joined",
        kind: "date",
        applied: ends("2026-01-01", ""),
        typed: none,
        status: "applied",
      }),
    ).toBe("Joined since 2026-01-01");
    expect(
      rangePillLabel({
        label: "Joined",
        kind: "date",
        applied: ends("", "2026-01-01"),
        typed: none,
        status: "applied",
      }),
    ).toBe("Joined until 2026-01-01");
  });

  it("says what is typed and that it is not applied, and why", () => {
    expect(
      rangePillLabel({ label: "Points", kind: "number", applied: none, typed: ends("5", "2"), status: "reversed" }),
    ).toBe("Points: 5 to 2 (reversed, not applied)");
    expect(
      rangePillLabel({ label: "Orders", kind: "number", applied: none, typed: ends("5", ""), status: "typing" }),
    ).toBe("Orders: at least 5 (not applied yet)");
    expect(
      rangePillLabel({
        label: "Points",
        kind: "number",
        applied: none,
        typed: ends("", "99999999999999999999"),
        status: "unusable",
      }),
    ).toBe("Points: at most 99999999999999999999 (can't be used, not applied)");
    expect(
      rangePillLabel({
        label: "Joined",
        kind: "date",
        applied: none,
        typed: ends("2026-05-01", "2026-01-01"),
        status: "reversed",
      }),
    ).toBe("Joined 2026-05-01 to 2026-01-01 (reversed, not applied)");
  });

  it("says what the list is still filtered by before a typed range it could not apply", () => {
    expect(
      rangePillLabel({
        label: "Total spent",
        kind: "number",
        applied: ends("$5.00", ""),
        typed: ends("$5.00", "$2.00"),
        status: "reversed",
      }),
    ).toBe("Total spent: at least $5.00, typed $5.00 to $2.00 (reversed, not applied)");
  });
});
