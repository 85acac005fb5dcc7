import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  defaultProgram,
  pointsForOrder,
  pointsToReverse,
  refundShare,
  reversalTarget,
  signupBonus,
  type Program,
} from "~/domain/program";
import { DomainError } from "~/domain/shared";

const usd = defaultProgram("USD");
const member = { customerTags: [], blocked: false, status: "member" as const };

function withSettings(program: Program, patch: Partial<Program["settings"]>): Program {
  return { ...program, settings: { ...program.settings, ...patch } };
}

describe("pointsForOrder", () => {
  it("earns 1 point per 1.00 of subtotal by default and explains the sum", () => {
    expect(
      pointsForOrder({ program: usd, subtotalMinor: 12000, currency: "USD", orderName: "#1042", ...member }),
    ).toEqual({
      points: 120,
      wouldHaveEarned: 120,
      explanation: "+120: order #1042 paid, 120.00 \u00d7 1/1.00",
    });
  });

  it("rounds down: 120.99 earns 120 and 0.99 earns nothing", () => {
    expect(pointsForOrder({ program: usd, subtotalMinor: 12099, currency: "USD", ...member }).points).toBe(120);
    expect(pointsForOrder({ program: usd, subtotalMinor: 99, currency: "USD", ...member }).points).toBe(0);
  });

  it("applies a custom rate: 3 points per 2.50", () => {
    const program = withSettings(usd, { pointsPerUnit: 3, unitMinor: 250 });
    // 10.00 is four whole units of 2.50; 10.49 is still four.
    expect(pointsForOrder({ program, subtotalMinor: 1000, currency: "USD", ...member }).points).toBe(12);
    expect(pointsForOrder({ program, subtotalMinor: 1049, currency: "USD", ...member }).points).toBe(12);
    expect(pointsForOrder({ program, subtotalMinor: 1049, currency: "USD", ...member }).explanation).toBe(
      "+12: order paid, 10.49 \u00d7 3/2.50",
    );
  });

  it("works in currencies without minor units", () => {
    const jpy = defaultProgram("JPY");
    expect(
      pointsForOrder({ program: jpy, subtotalMinor: 4980, currency: "JPY", orderName: "#7", ...member }),
    ).toMatchObject({
      points: 4980,
      explanation: "+4980: order #7 paid, 4980 \u00d7 1/1",
    });
    const perHundredYen = withSettings(jpy, { unitMinor: 100 });
    expect(pointsForOrder({ program: perHundredYen, subtotalMinor: 4980, currency: "JPY", ...member }).points).toBe(49);
  });

  it("refuses an amount in another currency than the program's", () => {
    expect(() => pointsForOrder({ program: usd, subtotalMinor: 1000, currency: "EUR", ...member })).toThrowError(
      DomainError,
    );
  });

  it("gives blocked customers nothing but reports what they would have earned", () => {
    expect(
      pointsForOrder({
        program: usd,
        subtotalMinor: 12000,
        currency: "USD",
        ...member,
        blocked: true,
        orderName: "#1",
      }),
    ).toEqual({
      points: 0,
      wouldHaveEarned: 120,
      skippedReason: "blocked",
      explanation: "0: order #1 paid, the customer is blocked (would have earned 120: 120.00 \u00d7 1/1.00)",
    });
  });

  it("gives customers with an excluded tag nothing, whatever the tag's case", () => {
    const program = withSettings(usd, { excludedTags: ["wholesale"] });
    const earning = pointsForOrder({
      program,
      subtotalMinor: 5000,
      currency: "USD",
      ...member,
      customerTags: ["Wholesale "],
    });
    expect(earning).toMatchObject({ points: 0, wouldHaveEarned: 50, skippedReason: "excluded_tag" });
  });

  it("lets guests earn by default, and not when the merchant turns it off", () => {
    const guest = { ...member, status: "guest" as const };
    expect(pointsForOrder({ program: usd, subtotalMinor: 5000, currency: "USD", ...guest }).points).toBe(50);
    const program = withSettings(usd, { guestsEarn: false });
    expect(pointsForOrder({ program, subtotalMinor: 5000, currency: "USD", ...guest })).toMatchObject({
      points: 0,
      skippedReason: "guest",
    });
  });

  it("earns nothing while the program is off", () => {
    const program = withSettings(usd, { enabled: false });
    expect(pointsForOrder({ program, subtotalMinor: 5000, currency: "USD", ...member }).skippedReason).toBe(
      "program_off",
    );
  });
});

describe("signupBonus", () => {
  it("is 100 by default and skipped for blocked or excluded customers", () => {
    expect(signupBonus({ program: usd, customerTags: [], blocked: false })).toMatchObject({ points: 100 });
    expect(signupBonus({ program: usd, customerTags: [], blocked: true })).toMatchObject({
      points: 0,
      wouldHaveEarned: 100,
      skippedReason: "blocked",
    });
    const program = withSettings(usd, { excludedTags: ["staff"] });
    expect(signupBonus({ program, customerTags: ["staff"], blocked: false }).skippedReason).toBe("excluded_tag");
  });
});

describe("refund reversal rules", () => {
  it("reverse in proportion to the refunded share, rounding partial refunds down", () => {
    expect(
      pointsToReverse({
        earnedForOrder: 100,
        alreadyReversed: 0,
        earningBaseMinor: 10000,
        refundedBaseMinorCumulative: 5000,
      }),
    ).toBe(50);
    expect(
      pointsToReverse({
        earnedForOrder: 10,
        alreadyReversed: 0,
        earningBaseMinor: 1099,
        refundedBaseMinorCumulative: 333,
      }),
    ).toBe(3);
    expect(
      pointsToReverse({
        earnedForOrder: 10,
        alreadyReversed: 3,
        earningBaseMinor: 1099,
        refundedBaseMinorCumulative: 1099,
      }),
    ).toBe(7);
    expect(refundShare({ earnedForOrder: 10, earningBaseMinor: 1099, refundedBaseMinor: 433 })).toBe(3);
  });

  const scenario = fc
    .record({ earned: fc.nat(100_000), base: fc.integer({ min: 1, max: 1_000_000 }) })
    .chain(({ earned, base }) =>
      fc.record({
        earned: fc.constant(earned),
        base: fc.constant(base),
        cuts: fc.array(fc.integer({ min: 0, max: base }), { maxLength: 6 }),
        full: fc.boolean(),
      }),
    );

  it("never take back more than earned across partial refunds, and everything on a full refund", () => {
    fc.assert(
      fc.property(scenario, ({ earned, base, cuts, full }) => {
        const points = [...cuts, ...(full ? [base] : [])].sort((a, b) => a - b);
        let reversed = 0;
        let sumOfShares = 0;
        let previous = 0;
        for (const cumulative of points) {
          reversed += pointsToReverse({
            earnedForOrder: earned,
            alreadyReversed: reversed,
            earningBaseMinor: base,
            refundedBaseMinorCumulative: cumulative,
          });
          sumOfShares += refundShare({
            earnedForOrder: earned,
            earningBaseMinor: base,
            refundedBaseMinor: cumulative - previous,
          });
          previous = cumulative;
          const target = reversalTarget({
            earnedForOrder: earned,
            earningBaseMinor: base,
            refundedBaseMinorCumulative: cumulative,
          });
          expect(reversed).toBe(target);
          expect(reversed).toBeLessThanOrEqual(earned);
          expect(sumOfShares).toBeLessThanOrEqual(target);
        }
        if (full) expect(reversed).toBe(earned);
      }),
    );
  });
});
