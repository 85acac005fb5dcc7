import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  defaultProgram,
  pointsForOrder,
  pointsForBase,
  refundedBase,
  refundPoints,
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
      explanation: "+120: order #1042 paid, 120.00 USD at 1 point per 1.00 USD",
    });
  });

  it("earns on the base and says what was left out of the subtotal", () => {
    expect(
      pointsForOrder({
        program: usd,
        subtotalMinor: 12000,
        deductions: [{ kind: "tax", amountMinor: 2000 }],
        currency: "USD",
        orderName: "#1042",
        ...member,
      }),
    ).toMatchObject({
      points: 100,
      explanation: "+100: order #1042 paid, 120.00 USD less 20.00 USD tax, at 1 point per 1.00 USD",
    });
    expect(
      pointsForOrder({
        program: usd,
        subtotalMinor: 17000,
        deductions: [
          { kind: "gift_cards", amountMinor: 5000 },
          { kind: "tax", amountMinor: 2000 },
        ],
        currency: "USD",
        ...member,
      }).explanation,
    ).toBe("+100: order paid, 170.00 USD less 50.00 USD gift cards and 20.00 USD tax, at 1 point per 1.00 USD");
    expect(
      pointsForOrder({
        program: usd,
        subtotalMinor: 5000,
        deductions: [{ kind: "gift_cards", amountMinor: 5000 }],
        currency: "USD",
        ...member,
      }),
    ).toMatchObject({
      points: 0,
      explanation: "0: order paid, 50.00 USD less 50.00 USD gift cards, at 1 point per 1.00 USD",
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
      "+12: order paid, 10.49 USD at 3 points per 2.50 USD",
    );
  });

  it("works in currencies without minor units", () => {
    const jpy = defaultProgram("JPY");
    expect(
      pointsForOrder({ program: jpy, subtotalMinor: 4980, currency: "JPY", orderName: "#7", ...member }),
    ).toMatchObject({
      points: 4980,
      explanation: "+4980: order #7 paid, 4980 JPY at 1 point per 1 JPY",
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
      explanation:
        "0: order #1 paid, the customer is blocked (would have earned 120: 120.00 USD at 1 point per 1.00 USD)",
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
  const rate = { pointsPerUnit: 1, unitMinor: 100 };

  it("take back the refunded share of the base at the payment's rate, rounding down", () => {
    // 100.00 of goods with 13.00 tax: 56.50 back is half the goods money, so half the 100 points.
    expect(refundPoints({ goodsBackMinor: 5650, goodsPaidMinor: 11300, baseMinor: 10000, rate })).toBe(50);
    expect(refundedBase({ goodsBackMinor: 5650, goodsPaidMinor: 11300, baseMinor: 10000 })).toBe(5000);
    expect(refundPoints({ goodsBackMinor: 333, goodsPaidMinor: 1099, baseMinor: 1099, rate })).toBe(3);
    expect(refundPoints({ goodsBackMinor: 0, goodsPaidMinor: 1099, baseMinor: 1099, rate })).toBe(0);
  });

  it("take the money as base when nothing was paid for earning goods (a gift-card-only order edited later)", () => {
    expect(refundPoints({ goodsBackMinor: 3000, goodsPaidMinor: 0, baseMinor: 0, rate })).toBe(30);
  });

  it("use the payment's rate, not the program's today", () => {
    const perTwoFifty = { pointsPerUnit: 3, unitMinor: 250 };
    expect(refundPoints({ goodsBackMinor: 1000, goodsPaidMinor: 1000, baseMinor: 1000, rate: perTwoFifty })).toBe(12);
  });

  const scenario = fc
    .record({
      base: fc.integer({ min: 1, max: 1_000_000 }),
      taxPercent: fc.integer({ min: 0, max: 30 }),
      pointsPerUnit: fc.integer({ min: 1, max: 5 }),
      unitMinor: fc.constantFrom(1, 100, 250, 1000),
    })
    .chain((order) => {
      const goods = order.base + Math.floor((order.base * order.taxPercent) / 100);
      return fc.record({
        order: fc.constant({ ...order, goods }),
        cuts: fc.array(fc.integer({ min: 0, max: goods }), { maxLength: 6 }),
        full: fc.boolean(),
      });
    });

  it("never take back more than earned across partial refunds, and exactly everything on a full one", () => {
    fc.assert(
      fc.property(scenario, ({ order, cuts, full }) => {
        const rate = { pointsPerUnit: order.pointsPerUnit, unitMinor: order.unitMinor };
        const earned = pointsForBase(rate, order.base);
        const points = [...cuts, ...(full ? [order.goods] : [])].sort((a, b) => a - b);
        let shares = 0;
        let previous = 0;
        for (const cumulative of points) {
          shares += refundPoints({
            goodsBackMinor: cumulative - previous,
            goodsPaidMinor: order.goods,
            baseMinor: order.base,
            rate,
          });
          previous = cumulative;
          // Independent shares never run ahead of the points the whole refunded money stands for.
          const together = refundPoints({
            goodsBackMinor: cumulative,
            goodsPaidMinor: order.goods,
            baseMinor: order.base,
            rate,
          });
          expect(shares).toBeLessThanOrEqual(together);
          expect(together).toBeLessThanOrEqual(earned);
        }
        expect(
          refundPoints({ goodsBackMinor: order.goods, goodsPaidMinor: order.goods, baseMinor: order.base, rate }),
        ).toBe(earned);
      }),
    );
  });

  it("keep reversalTarget as the proportional bound on cumulative refunds", () => {
    expect(reversalTarget({ earnedForOrder: 10, earningBaseMinor: 1099, refundedBaseMinorCumulative: 1099 })).toBe(10);
    expect(reversalTarget({ earnedForOrder: 100, earningBaseMinor: 10000, refundedBaseMinorCumulative: 5000 })).toBe(
      50,
    );
  });
});
