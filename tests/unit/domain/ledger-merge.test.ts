import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  planMove,
  recalculate,
  storedPoints,
  zeroTotals,
  type LedgerEntry,
  type LedgerTotals,
  type MovableRow,
} from "~/domain/ledger";

const parties = {
  from: { customerGid: "gid://shopify/Customer/1", label: "ana@example.com" },
  to: { customerGid: "gid://shopify/Customer/2", label: "ben@example.com" },
};

/** An entry as the ledger stores it, the shape a merge reads back. */
function rowOf(entry: LedgerEntry): MovableRow {
  return {
    kind: entry.kind,
    points: storedPoints(entry),
    held: "pending" in entry && entry.pending,
    idempotencyKey: entry.idempotencyKey,
    explanation: entry.explanation,
    sourceType: entry.kind === "move_in" || entry.kind === "move_out" ? entry.movedKind : null,
    sourceGid: null,
  };
}

const entryArb: fc.Arbitrary<LedgerEntry> = fc
  .tuple(fc.nat({ max: 1_000_000 }), fc.integer({ min: 1, max: 900 }), fc.boolean())
  .chain(([id, points, pending]) =>
    fc.constantFrom<LedgerEntry>(
      {
        kind: "earn",
        source: "order",
        idempotencyKey: `earn:${id}`,
        points,
        pending,
        programVersion: 1,
        explanation: `+${points}`,
      },
      {
        kind: "reverse",
        reason: "refund",
        idempotencyKey: `rev:${id}`,
        points,
        pending,
        orderGid: "o",
        explanation: "r",
      },
      { kind: "release", idempotencyKey: `rel:${id}`, points, orderGid: "o", explanation: "rel" },
      { kind: "adjust", idempotencyKey: `adj:${id}`, points: -points, reason: "x", actor: "staff", explanation: "adj" },
      { kind: "redeem", idempotencyKey: `red:${id}`, points, rewardId: "r", optionId: "o", explanation: "red" },
      {
        kind: "redemption_return",
        idempotencyKey: `ret:${id}`,
        points,
        rewardId: "r",
        orderGid: "o",
        explanation: "ret",
      },
      { kind: "expire", idempotencyKey: `exp:${id}`, points, explanation: "exp" },
      {
        kind: "correct",
        idempotencyKey: `cor:${id}`,
        points: -points,
        pending,
        explanation: "cor; balance now \u221220, repaid from future points",
      },
    ),
  );

describe("moving a merged customer's ledger", () => {
  it("moves exactly each entry's effect on every figure: A ends at zero, B at the sum, each line explained", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(entryArb, { selector: (entry) => entry.idempotencyKey, maxLength: 12 }),
        fc.uniqueArray(entryArb, { selector: (entry) => entry.idempotencyKey, maxLength: 6 }),
        (aEntries, bEntries) => {
          const moves = planMove(aEntries.map(rowOf), parties);
          const a = recalculate([...aEntries, ...moves.out]);
          const b = recalculate([...bEntries, ...moves.in]);
          expect(a).toEqual(zeroTotals);
          const sum = (x: LedgerTotals, y: LedgerTotals) => ({
            balance: x.balance + y.balance,
            pending: x.pending + y.pending,
            lifetimeEarned: x.lifetimeEarned + y.lifetimeEarned,
            lifetimeRedeemed: x.lifetimeRedeemed + y.lifetimeRedeemed,
          });
          expect(b).toEqual(sum(recalculate(aEntries), recalculate(bEntries)));
          for (const entry of moves.in)
            expect(entry.explanation).toMatch(/^Moved from a merged customer \(ana@example\.com\): /);
          for (const entry of moves.in) expect(entry.explanation).not.toMatch(/balance now/);

          // B merged on into C: the moved entries move again, still exactly.
          const again = planMove(moves.in.map(rowOf), { from: parties.to, to: parties.from });
          expect(recalculate([...bEntries, ...moves.in, ...again.out])).toEqual(recalculate(bEntries));
          expect(recalculate(again.in)).toEqual(recalculate(aEntries));
          // What a move took off is never moved again.
          expect(planMove(moves.out.map(rowOf), parties).in).toEqual([]);
          expect(new Set([...moves.in, ...moves.out].map((entry) => entry.idempotencyKey)).size).toBe(
            moves.in.length * 2,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
