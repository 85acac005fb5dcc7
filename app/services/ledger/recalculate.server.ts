import { and, asc, eq } from "drizzle-orm";
import { recalculate as foldEntries, type LedgerEntry, type LedgerTotals } from "~/domain/ledger";
import { customers, ledgerEntries } from "~/db/schema";
import type { ServiceContext } from "../context";
import { totalsOf } from "./append-entries.server";

type Row = Pick<typeof ledgerEntries.$inferSelect, "kind" | "points" | "held" | "idempotencyKey" | "explanation">;

/** Rebuilds the domain entry from a stored row, enough for the totals to be folded again. */
function entryOf(row: Row): LedgerEntry {
  const common = { idempotencyKey: row.idempotencyKey, explanation: row.explanation };
  const points = Math.abs(row.points);
  switch (row.kind) {
    case "earn":
      return { ...common, kind: "earn", source: "order", points, pending: row.held, programVersion: null };
    case "reverse":
      return { ...common, kind: "reverse", reason: "refund", points, pending: row.held, orderGid: "-" };
    case "release":
      return { ...common, kind: "release", points, orderGid: "-" };
    case "redeem":
      return { ...common, kind: "redeem", points, rewardId: "-", optionId: "-" };
    case "redemption_return":
      return { ...common, kind: "redemption_return", points, rewardId: "-", orderGid: "-" };
    case "expire":
      return { ...common, kind: "expire", points };
    default:
      return { ...common, kind: "adjust", points: row.points, reason: "-", actor: "-" };
  }
}

export interface Drift {
  customerId: number;
  stored: LedgerTotals;
  recomputed: LedgerTotals;
}

/**
 * Recomputes every customer's figures from their ledger rows and reports (and, with `repair`, fixes) any drift. The
 * rows are the truth; a drift means a bug wrote the customer row outside appendEntries.
 */
export function recalculateTotals({ ctx, input }: { ctx: ServiceContext; input: { repair: boolean } }): Drift[] {
  return ctx.db.transaction((tx) => {
    const drifts: Drift[] = [];
    const people = tx.select().from(customers).where(eq(customers.shop, ctx.shop)).all();
    for (const person of people) {
      const rows = tx
        .select({
          kind: ledgerEntries.kind,
          points: ledgerEntries.points,
          held: ledgerEntries.held,
          idempotencyKey: ledgerEntries.idempotencyKey,
          explanation: ledgerEntries.explanation,
        })
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.shop, ctx.shop), eq(ledgerEntries.customerId, person.id)))
        .orderBy(asc(ledgerEntries.id))
        .all();
      const recomputed = foldEntries(rows.map(entryOf));
      const stored = totalsOf(person);
      if (JSON.stringify(recomputed) === JSON.stringify(stored)) continue;
      drifts.push({ customerId: person.id, stored, recomputed });
      if (input.repair) {
        tx.update(customers)
          .set({
            pointsBalance: recomputed.balance,
            pointsPending: recomputed.pending,
            lifetimeEarned: recomputed.lifetimeEarned,
            lifetimeRedeemed: recomputed.lifetimeRedeemed,
          })
          .where(eq(customers.id, person.id))
          .run();
      }
    }
    return drifts;
  });
}
