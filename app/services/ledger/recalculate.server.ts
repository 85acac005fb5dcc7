import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import {
  movableKindSchema,
  pointsFromStored,
  recalculate as foldEntries,
  type LedgerEntry,
  type LedgerTotals,
} from "~/domain/ledger";
import { customers, ledgerEntries } from "~/db/schema";
import { inTransaction, type ServiceContext, type Tx } from "../context";
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

export interface CustomerDrift extends Drift {
  customerGid: string;
}

/**
 * The next chunk of the shop's customers in id order after `afterId`, at most `limit`: how many and the last id, or
 * undefined when none is left. Read outside any transaction, so a task can fix its chunk's range (and so its next
 * checkpoint) before the chunk's transaction opens.
 */
export async function nextCustomerRange({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { afterId: number; limit: number };
}): Promise<{ lastId: number; count: number } | undefined> {
  const ids = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), gt(customers.id, input.afterId)))
    .orderBy(asc(customers.id))
    .limit(input.limit);
  return ids.length === 0 ? undefined : { lastId: ids.at(-1)!.id, count: ids.length };
}

/** How many customers the shop has in Tally (an index count: about 50 ms at 1,000,000). */
export async function countCustomers({ ctx }: { ctx: ServiceContext }): Promise<number> {
  const [row] = await ctx.db
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(customers)
    .where(eq(customers.shop, ctx.shop));
  return row?.count ?? 0;
}

/**
 * Recomputes the totals of the shop's customers with ids in (afterId, throughId] from their ledger rows, in the
 * caller's transaction (so no entry can land between the reading and the repair), and reports each drift; with
 * `repair`, sets the stored figures to the recomputed ones and marks the balance for republishing. The rows are the
 * truth; a drift means a bug wrote the customer row outside appendEntries. Answers how many customers it checked.
 */
export async function recalculateCustomerRange({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { afterId: number; throughId: number; repair: boolean };
}): Promise<{ checked: number; drifts: CustomerDrift[] }> {
  const people = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), gt(customers.id, input.afterId), lte(customers.id, input.throughId)))
    .orderBy(asc(customers.id));
  if (people.length === 0) return { checked: 0, drifts: [] };
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
  const drifts: CustomerDrift[] = [];
  for (const person of people) {
    const recomputed = foldEntries((byCustomer.get(person.id) ?? []).map(entryOf));
    const stored = totalsOf(person);
    if (JSON.stringify(recomputed) === JSON.stringify(stored)) continue;
    drifts.push({ customerId: person.id, customerGid: person.customerGid, stored, recomputed });
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
  return { checked: people.length, drifts };
}

/**
 * Recomputes every customer's figures from their ledger rows and reports (and, with `repair`, fixes) any drift, in
 * one call: for checks and tests. Staff run it as the "Recalculate points" background task
 * (app/jobs/tasks/kinds/recalculate-points.server.ts), which goes chunk by chunk with progress and results.
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
    const range = await nextCustomerRange({ ctx, input: { afterId: after, limit: CHUNK } });
    if (!range) return drifts;
    const chunk = await inTransaction(ctx, (tx) =>
      recalculateCustomerRange({ ctx, tx, input: { afterId: after, throughId: range.lastId, repair: input.repair } }),
    );
    drifts.push(...chunk.drifts.map(({ customerId, stored, recomputed }) => ({ customerId, stored, recomputed })));
    after = range.lastId;
  }
}

const CHUNK = 1000;
