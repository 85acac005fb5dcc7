import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  adjustEntry,
  applyEntry,
  balanceDelta,
  expireEntry,
  importEntry,
  ledgerEntrySchema,
  ledgerKeys,
  planRedemption,
  recalculate,
  zeroTotals,
  type LedgerEntry,
  type LedgerTotals,
} from "~/domain/ledger";
import { defaultProgram, type Program } from "~/domain/program";
import { DomainError } from "~/domain/shared";

const start: LedgerTotals = { balance: 1000, pending: 200, lifetimeEarned: 1500, lifetimeRedeemed: 300 };
const base = { idempotencyKey: "k", explanation: "" };

describe("applyEntry", () => {
  it.each<[string, LedgerEntry, LedgerTotals]>([
    [
      "earn",
      { ...base, kind: "earn", source: "order", points: 50, pending: false, programVersion: 1 },
      { balance: 1050, pending: 200, lifetimeEarned: 1550, lifetimeRedeemed: 300 },
    ],
    [
      "held earn",
      { ...base, kind: "earn", source: "order", points: 50, pending: true, programVersion: 1 },
      { balance: 1000, pending: 250, lifetimeEarned: 1550, lifetimeRedeemed: 300 },
    ],
    [
      "release",
      { ...base, kind: "release", points: 50, orderGid: "o" },
      { balance: 1050, pending: 150, lifetimeEarned: 1500, lifetimeRedeemed: 300 },
    ],
    [
      "reverse",
      { ...base, kind: "reverse", reason: "refund", points: 50, pending: false, orderGid: "o" },
      { balance: 950, pending: 200, lifetimeEarned: 1450, lifetimeRedeemed: 300 },
    ],
    [
      "held reverse",
      { ...base, kind: "reverse", reason: "cancel", points: 50, pending: true, orderGid: "o" },
      { balance: 1000, pending: 150, lifetimeEarned: 1450, lifetimeRedeemed: 300 },
    ],
    [
      "adjust down",
      { ...base, kind: "adjust", points: -50, reason: "r", actor: "a" },
      { balance: 950, pending: 200, lifetimeEarned: 1500, lifetimeRedeemed: 300 },
    ],
    [
      "redeem",
      { ...base, kind: "redeem", points: 500, rewardId: "r", optionId: "o" },
      { balance: 500, pending: 200, lifetimeEarned: 1500, lifetimeRedeemed: 800 },
    ],
    [
      "redemption return",
      { ...base, kind: "redemption_return", points: 500, rewardId: "r", orderGid: "o" },
      { balance: 1500, pending: 200, lifetimeEarned: 1500, lifetimeRedeemed: -200 },
    ],
    [
      "expire",
      { ...base, kind: "expire", points: 50 },
      { balance: 950, pending: 200, lifetimeEarned: 1500, lifetimeRedeemed: 300 },
    ],
  ])("moves the figures for %s", (_name, entry, expected) => {
    expect(applyEntry(start, entry)).toEqual(expected);
    expect(ledgerEntrySchema.parse(entry)).toEqual(entry);
  });

  it("agrees with recalculate over any list of entries", () => {
    const entry = fc.oneof(
      fc.record({
        ...fcBase(),
        kind: fc.constant("earn" as const),
        source: fc.constantFrom("order" as const, "signup" as const, "import" as const),
        points: fc.integer({ min: 1, max: 1000 }),
        pending: fc.boolean(),
        programVersion: fc.constant(1),
      }),
      fc.record({
        ...fcBase(),
        kind: fc.constant("redeem" as const),
        points: fc.integer({ min: 1, max: 1000 }),
        rewardId: fc.constant("r"),
        optionId: fc.constant("o"),
      }),
      fc.record({
        ...fcBase(),
        kind: fc.constant("adjust" as const),
        points: fc.integer({ min: -500, max: 500 }).filter((p) => p !== 0),
        reason: fc.constant("x"),
        actor: fc.constant("a"),
      }),
      fc.record({ ...fcBase(), kind: fc.constant("expire" as const), points: fc.integer({ min: 1, max: 1000 }) }),
    );
    fc.assert(
      fc.property(fc.array(entry), (entries) => {
        let folded: LedgerTotals = { ...zeroTotals };
        for (const each of entries) folded = applyEntry(folded, each);
        expect(recalculate(entries)).toEqual(folded);
        expect(folded.balance).toBe(entries.reduce((sum, each) => sum + balanceDelta(each), 0));
      }),
    );
  });
});

function fcBase() {
  return { idempotencyKey: fc.string({ minLength: 1 }), explanation: fc.constant("") };
}

describe("staff, import and expiry entries", () => {
  it("adjusts with a reason and notes a debt when the balance goes below zero", () => {
    const { entry, totals } = adjustEntry({
      customerGid: "gid://shopify/Customer/1",
      requestId: "req-1",
      points: -120,
      reason: "duplicate order",
      actor: "staff@shop",
      totals: { ...zeroTotals, balance: 100 },
    });
    expect(entry).toMatchObject({
      kind: "adjust",
      idempotencyKey: "adjust:gid://shopify/Customer/1:req-1",
      points: -120,
    });
    expect(entry.explanation).toBe(
      "\u2212120: adjusted by staff (duplicate order); balance now \u221220, repaid from future points",
    );
    expect(totals.balance).toBe(-20);
  });

  it("refuses a zero adjustment or one without a reason", () => {
    expect(() =>
      adjustEntry({
        customerGid: "gid://shopify/Customer/1",
        requestId: "r",
        points: 0,
        reason: "x",
        actor: "a",
        totals: zeroTotals,
      }),
    ).toThrowError(DomainError);
    expect(() =>
      adjustEntry({
        customerGid: "gid://shopify/Customer/1",
        requestId: "r",
        points: 5,
        reason: " ",
        actor: "a",
        totals: zeroTotals,
      }),
    ).toThrowError(/needs a reason/);
  });

  it("imports a balance once per import and customer", () => {
    const { entry } = importEntry({
      importId: "csv-7",
      customerGid: "gid://shopify/Customer/1",
      points: 300,
      from: "moved from Smile",
      totals: zeroTotals,
    });
    expect(entry).toMatchObject({
      kind: "earn",
      source: "import",
      idempotencyKey: "earn:import:csv-7:gid://shopify/Customer/1",
      explanation: "+300: moved from Smile",
    });
  });

  it("expires at most the positive balance", () => {
    expect(
      expireEntry({ customerGid: "c", period: "2025", points: 500, totals: { ...zeroTotals, balance: 120 } })?.entry
        .points,
    ).toBe(120);
    expect(
      expireEntry({ customerGid: "c", period: "2025", points: 500, totals: { ...zeroTotals, balance: -5 } }),
    ).toBeUndefined();
  });
});

describe("planRedemption", () => {
  const program = defaultProgram("USD");
  const member = { status: "member" as const, blocked: false };
  const rich = { ...zeroTotals, balance: 600, pending: 1000 };

  it("spends the option's cost, keyed by the reward", () => {
    const plan = planRedemption({ program, optionId: "five-off", rewardId: "rw_1", customer: member, totals: rich });
    expect(plan.entry).toEqual({
      kind: "redeem",
      idempotencyKey: ledgerKeys.redeem("rw_1"),
      points: 500,
      rewardId: "rw_1",
      optionId: "five-off",
      explanation: "\u2212500: redeemed for 5.00 USD off",
    });
    expect(plan.totals).toMatchObject({ balance: 100, lifetimeRedeemed: 500 });
  });

  it.each<[string, Partial<Parameters<typeof planRedemption>[0]>, string]>([
    ["an unknown option", { optionId: "nope" }, "not_found"],
    ["a blocked customer", { customer: { status: "member", blocked: true } }, "blocked"],
    ["a guest", { customer: { status: "guest", blocked: false } }, "guest_cannot_redeem"],
    ["held points only", { totals: { ...zeroTotals, balance: 499, pending: 5000 } }, "insufficient_points"],
    ["a balance in debt", { totals: { ...zeroTotals, balance: -20 } }, "insufficient_points"],
    [
      "a program that is off",
      { program: { ...program, settings: { ...program.settings, enabled: false } } as Program },
      "program_disabled",
    ],
  ])("refuses %s", (_name, patch, code) => {
    expect(() =>
      planRedemption({ program, optionId: "five-off", rewardId: "rw", customer: member, totals: rich, ...patch }),
    ).toThrowError(expect.objectContaining({ code }));
  });

  it("names the reward in a refusal as the shopper's reward row does, amounts by the writer given", () => {
    const short = { ...zeroTotals, balance: 499 };
    const refusal = (money?: (amountMinor: number) => string) => {
      try {
        planRedemption({ program, optionId: "five-off", rewardId: "rw", customer: member, totals: short, money });
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(refusal((amountMinor) => `${amountMinor} cents`)).toBe("500 cents off costs 500 points; the balance is 499");
    expect(refusal()).toBe("5.00 USD off costs 500 points; the balance is 499");
  });

  it("lets guests redeem when the merchant allows it", () => {
    const open = { ...program, settings: { ...program.settings, guestsRedeem: true } };
    expect(
      planRedemption({
        program: open,
        optionId: "five-off",
        rewardId: "rw",
        customer: { status: "guest", blocked: false },
        totals: rich,
      }).entry.points,
    ).toBe(500);
  });
});
