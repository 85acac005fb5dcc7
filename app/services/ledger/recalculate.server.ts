import { and, asc, eq, gt, inArray } from "drizzle-orm";
import {
  movableKindSchema,
  pointsFromStored,
  recalculate as foldEntries,
  type LedgerEntry,
  type LedgerTotals,
} from "~/domain/ledger";
import { customers, ledgerEntries } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";
import { totalsOf } from "./append-entries.server";

type Row = Pick<
  typeof ledgerEntries.$inferSelect,
  "kind" | "points" | "held" | "idempotencyKey" | "explanation" | "sourceType" | "sourceGid"
>;

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
    case "referral":
      return { ...common, kind: "referral", points, pending: row.held, referralId: "-", orderGid: "-" };
    case "redeem":
      return { ...common, kind: "redeem", points, rewardId: "-", optionId: "-" };
    case "redemption_return":
      return { ...common, kind: "redemption_return", points, rewardId: "-", orderGid: "-" };
    case "expire":
      return { ...common, kind: "expire", points };
    case "correct":
      return { ...common, kind: "correct", points: row.points, pending: row.held };
    case "move_in":
    case "move_out": {
      const movedKind = movableKindSchema.parse(row.sourceType);
      const stored = row.kind === "move_out" ? -row.points : row.points;
      return {
        ...common,
        kind: row.kind,
        movedKind,
        points: pointsFromStored(movedKind, stored),
        pending: row.held,
        counterpartGid: "-",
        sourceGid: row.sourceGid,
      };
    }
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
export async function recalculateTotals({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { repair: boolean };
}): Promise<Drift[]> {
  const drifts: Drift[] = [];
  // A chunk of customers per transaction, their entries in one query: a 1,000,000-customer shop is 1,000 small
  // transactions, not one that holds the write lock for minutes, nor a query per customer.
  for (let after = 0; ;) {
    const chunk = await inTransaction(ctx, async (tx) => {
      const people = await tx
        .select()
        .from(customers)
        .where(and(eq(customers.shop, ctx.shop), gt(customers.id, after)))
        .orderBy(asc(customers.id))
        .limit(CHUNK);
      if (people.length === 0) return people;
      const rows = await tx
        .select({
          customerId: ledgerEntries.customerId,
          kind: ledgerEntries.kind,
          points: ledgerEntries.points,
          held: ledgerEntries.held,
          idempotencyKey: ledgerEntries.idempotencyKey,
          explanation: ledgerEntries.explanation,
          sourceType: ledgerEntries.sourceType,
          sourceGid: ledgerEntries.sourceGid,
        })
        .from(ledgerEntries)
        .where(
          and(
            eq(ledgerEntries.shop, ctx.shop),
            inArray(
              ledgerEntries.customerId,
              people.map((p) => p.id),
            ),
          ),
        )
        .orderBy(asc(ledgerEntries.id));
      const byCustomer = new Map<number, typeof rows>();
      for (const row of rows) {
        const list = byCustomer.get(row.customerId);
        if (list) list.push(row);
        else byCustomer.set(row.customerId, [row]);
      }
      for (const person of people) {
        const recomputed = foldEntries((byCustomer.get(person.id) ?? []).map(entryOf));
        const stored = totalsOf(person);
        if (JSON.stringify(recomputed) === JSON.stringify(stored)) continue;
        drifts.push({ customerId: person.id, stored, recomputed });
        if (!input.repair) continue;
        await tx
          .update(customers)
          .set({
            pointsBalance: recomputed.balance,
            pointsPending: recomputed.pending,
            lifetimeEarned: recomputed.lifetimeEarned,
            lifetimeRedeemed: recomputed.lifetimeRedeemed,
            metafieldDirty: true,
            updatedAt: ctx.now.toISOString(),
          })
          .where(and(eq(customers.shop, ctx.shop), eq(customers.id, person.id)));
      }
      return people;
    });
    if (chunk.length < CHUNK) return drifts;
    after = chunk.at(-1)!.id;
  }
}

const CHUNK = 1000;
