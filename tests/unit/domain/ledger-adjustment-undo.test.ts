import { describe, expect, it } from "vitest";
import {
  balanceDelta,
  balanceEffectOf,
  hasSpentAdjustment,
  storedPoints,
  type LedgerEntry,
  type StoredMovement,
} from "~/domain/ledger";

const base = { idempotencyKey: "k", explanation: "" };
const redeem = (points: number): StoredMovement => ({ kind: "redeem", points: -points, held: false });
const expire = (points: number): StoredMovement => ({ kind: "expire", points: -points, held: false });
const earn = (points: number, held = false): StoredMovement => ({ kind: "earn", points, held });
const staff = (points: number): StoredMovement => ({ kind: "adjust", points, held: false });
const refund = (points: number): StoredMovement => ({ kind: "reverse", points: -points, held: false });

describe("whether a customer spent points of an adjustment", () => {
  it("is not spending to owe points: a customer who owed 99,332 before a gift of 7 and did nothing since", () => {
    expect(hasSpentAdjustment({ points: 7, balance: -99_325, since: [] })).toBe(false);
  });

  it("is a redemption the gift paid for: 450 of their own, 100 given, 500 redeemed", () => {
    expect(hasSpentAdjustment({ points: 100, balance: 50, since: [redeem(500)] })).toBe(true);
  });

  it("is not a redemption paid for from their own points, nor what they earned and redeemed after the gift", () => {
    expect(hasSpentAdjustment({ points: 100, balance: 200, since: [redeem(500)] })).toBe(false);
    // Owed 500, given 7, then earned 600 and redeemed 100 of it: 7 left, the gift untouched.
    expect(hasSpentAdjustment({ points: 7, balance: 7, since: [earn(600), redeem(100)] })).toBe(false);
  });

  it("looks at the balance each redemption left, not today's: points earned after the redemption do not refill the gift", () => {
    expect(hasSpentAdjustment({ points: 100, balance: 130, since: [redeem(120), earn(100)] })).toBe(true);
  });

  it("counts points of the gift lost to expiry", () => {
    expect(hasSpentAdjustment({ points: 50, balance: 0, since: [expire(150)] })).toBe(true);
    expect(hasSpentAdjustment({ points: 50, balance: 70, since: [expire(80)] })).toBe(false);
  });

  it("does not count a refund or a staff change as spending, nor held points as spendable", () => {
    expect(hasSpentAdjustment({ points: 100, balance: -10, since: [refund(80), staff(-30)] })).toBe(false);
    // 0 held before; a held earn of 400 never reached the balance, so the redemption of 100 took 100 of the gift's 100.
    expect(hasSpentAdjustment({ points: 100, balance: 0, since: [earn(400, true), redeem(100)] })).toBe(true);
  });

  it("is never so for an adjustment that took points away: its undo gives them back", () => {
    expect(hasSpentAdjustment({ points: -100, balance: -600, since: [redeem(500)] })).toBe(false);
  });

  it("reads each stored row's effect on the balance as applyEntry does", () => {
    const entries: LedgerEntry[] = [
      { ...base, kind: "earn", source: "order", points: 50, pending: false, programVersion: 1 },
      { ...base, kind: "earn", source: "order", points: 50, pending: true, programVersion: 1 },
      { ...base, kind: "release", points: 50, orderGid: "o" },
      { ...base, kind: "reverse", reason: "refund", points: 30, pending: false, orderGid: "o" },
      { ...base, kind: "reverse", reason: "refund", points: 30, pending: true, orderGid: "o" },
      { ...base, kind: "adjust", points: -40, reason: "x", actor: "a" },
      { ...base, kind: "redeem", points: 500, rewardId: "r", optionId: "o" },
      { ...base, kind: "redemption_return", points: 500, rewardId: "r", orderGid: "o" },
      { ...base, kind: "expire", points: 20 },
      { ...base, kind: "correct", points: -15, pending: false },
      { ...base, kind: "referral", points: 200, pending: true, referralId: "f", orderGid: "o" },
      {
        ...base,
        kind: "move_out",
        movedKind: "redeem",
        points: 500,
        pending: false,
        counterpartGid: "c",
        sourceGid: null,
      },
      { ...base, kind: "move_in", movedKind: "earn", points: 70, pending: true, counterpartGid: "c", sourceGid: null },
    ];
    for (const entry of entries) {
      const held = "pending" in entry && entry.pending;
      expect([entry.kind, balanceEffectOf({ points: storedPoints(entry), held })]).toEqual([
        entry.kind,
        balanceDelta(entry),
      ]);
    }
  });
});
