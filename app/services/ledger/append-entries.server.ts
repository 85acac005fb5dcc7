import { and, eq, sql } from "drizzle-orm";
import { forUpdate, storedBoolean } from "~/db/dialect";
import { prepared } from "~/db/prepared";
import {
  applyEntry,
  assertWithinLedgerBounds,
  isMovable,
  planMove,
  storedPoints,
  type LedgerEntry,
  type LedgerTotals,
  type MergeParty,
  type MovableRow,
} from "~/domain/ledger";
import { customers, ledgerEntries } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";

export function totalsOf(row: {
  pointsBalance: number;
  pointsPending: number;
  lifetimeEarned: number;
  lifetimeRedeemed: number;
}): LedgerTotals {
  return {
    balance: row.pointsBalance,
    pending: row.pointsPending,
    lifetimeEarned: row.lifetimeEarned,
    lifetimeRedeemed: row.lifetimeRedeemed,
  };
}

function sourceOf(entry: LedgerEntry): { sourceType: string | null; sourceGid: string | null } {
  switch (entry.kind) {
    case "earn":
      return { sourceType: entry.source, sourceGid: entry.orderGid ?? null };
    case "reverse":
      return { sourceType: entry.reason, sourceGid: entry.refundGid ?? entry.orderGid };
    case "release":
      return { sourceType: "order", sourceGid: entry.orderGid };
    case "referral":
      return { sourceType: "referral", sourceGid: entry.orderGid };
    case "redeem":
      return { sourceType: "reward", sourceGid: entry.rewardId };
    case "redemption_return":
      return { sourceType: "reward", sourceGid: entry.rewardId };
    case "adjust":
      return { sourceType: "staff", sourceGid: null };
    case "expire":
      return { sourceType: "expiry", sourceGid: null };
    case "correct":
      if (entry.importId) return { sourceType: "import_undo", sourceGid: null };
      return { sourceType: entry.orderGid ? "order" : "signup", sourceGid: entry.orderGid ?? null };
    case "move_in":
    case "move_out":
      // The moved entry's kind, so the row can be folded (recalculate) and moved again (a merge of the survivor).
      return { sourceType: entry.movedKind, sourceGid: entry.sourceGid };
  }
}

/** The ledger row an entry is stored as (appendEntries; a sync's new customers, apply-sync-sets.server.ts). */
export function ledgerRowOf(ctx: ServiceContext, customerId: number, entry: LedgerEntry) {
  return {
    shop: ctx.shop,
    customerId,
    kind: entry.kind,
    points: storedPoints(entry),
    held: "pending" in entry && entry.pending === true,
    ...sourceOf(entry),
    ruleVersion: entry.kind === "earn" ? entry.programVersion : null,
    idempotencyKey: entry.idempotencyKey,
    actor: entry.kind === "adjust" ? entry.actor : ctx.actor,
    actorName: ctx.actorName ?? null,
    note: entry.kind === "adjust" ? entry.reason : null,
    explanation: entry.explanation,
    createdAt: ctx.now.toISOString(),
  };
}

/**
 * Appends planned entries for one customer of the shop and moves the customer's figures by exactly the entries that
 * were new, in the caller's transaction. The unique (shop, idempotency key) index is the last guard against counting
 * an event twice: a key already present is skipped, and its points are not applied again. An entry past the ledger's
 * bounds (`assertWithinLedgerBounds`) throws DomainError("invalid_input") and the caller's transaction rolls back.
 */
export async function appendEntries({
  ctx,
  tx,
  customerId,
  entries,
}: {
  ctx: ServiceContext;
  tx: Tx;
  customerId: number;
  entries: readonly LedgerEntry[];
}): Promise<{ inserted: LedgerEntry[]; totals: LedgerTotals }> {
  // Locked until the transaction ends (on PostgreSQL; SQLite's single writer already is the lock): the totals below
  // are read, moved and written back, and a concurrent append must start from what this one writes.
  const [customer] = await prepared(tx, "ledger-totals", (db) =>
    forUpdate(
      db
        .select({
          pointsBalance: customers.pointsBalance,
          pointsPending: customers.pointsPending,
          lifetimeEarned: customers.lifetimeEarned,
          lifetimeRedeemed: customers.lifetimeRedeemed,
          mergedIntoId: customers.mergedIntoId,
        })
        .from(customers)
        .where(and(eq(customers.shop, sql.placeholder("shop")), eq(customers.id, sql.placeholder("id")))),
    ).prepare(),
  ).execute({ shop: ctx.shop, id: customerId });
  if (!customer) throw new Error(`customer ${customerId} vanished inside its own transaction`);
  let totals = totalsOf(customer);
  const inserted: LedgerEntry[] = [];
  const now = ctx.now.toISOString();
  const insert = prepared(tx, "ledger-insert", (db) =>
    db
      .insert(ledgerEntries)
      .values({
        shop: sql.placeholder("shop"),
        customerId: sql.placeholder("customerId"),
        kind: sql.placeholder("kind"),
        points: sql.placeholder("points"),
        held: sql.placeholder("held"),
        sourceType: sql.placeholder("sourceType"),
        sourceGid: sql.placeholder("sourceGid"),
        ruleVersion: sql.placeholder("ruleVersion"),
        idempotencyKey: sql.placeholder("idempotencyKey"),
        actor: sql.placeholder("actor"),
        actorName: sql.placeholder("actorName"),
        note: sql.placeholder("note"),
        explanation: sql.placeholder("explanation"),
        createdAt: sql.placeholder("createdAt"),
      })
      .onConflictDoNothing()
      .returning({ id: ledgerEntries.id })
      .prepare(),
  );
  for (const entry of entries) {
    assertWithinLedgerBounds(entry, applyEntry(totals, entry));
    const row = ledgerRowOf(ctx, customerId, entry);
    const rows = await insert.execute({ ...row, held: storedBoolean(row.held) });
    if (rows.length === 0) continue;
    inserted.push(entry);
    totals = applyEntry(totals, entry);
  }
  if (inserted.length > 0) {
    await prepared(tx, "ledger-totals-update", (db) =>
      db
        .update(customers)
        .set({
          pointsBalance: sql`${sql.placeholder("balance")}`,
          pointsPending: sql`${sql.placeholder("pending")}`,
          lifetimeEarned: sql`${sql.placeholder("lifetimeEarned")}`,
          lifetimeRedeemed: sql`${sql.placeholder("lifetimeRedeemed")}`,
          metafieldDirty: true,
          pointsActivityAt: sql`${sql.placeholder("now")}`,
          updatedAt: sql`${sql.placeholder("now")}`,
        })
        .where(and(eq(customers.shop, sql.placeholder("shop")), eq(customers.id, sql.placeholder("id"))))
        .prepare(),
    ).execute({ ...totals, now, shop: ctx.shop, id: customerId });
  }
  // Shopify merged this customer into another: whatever is written to it now (a late order, a refund) follows the
  // points it already moved, at once and with the same keys a redelivered merge would use.
  const forward = inserted.filter(isMovable);
  if (customer.mergedIntoId !== null && forward.length > 0) {
    await moveEntries({
      ctx,
      tx,
      input: { fromId: customerId, toId: customer.mergedIntoId, rows: forward.map((entry) => rowOf(entry)) },
    });
  }
  return { inserted, totals };
}

function rowOf(entry: LedgerEntry): MovableRow {
  const source = sourceOf(entry);
  return {
    kind: entry.kind,
    points: storedPoints(entry),
    held: "pending" in entry && entry.pending,
    idempotencyKey: entry.idempotencyKey,
    explanation: entry.explanation,
    sourceType: source.sourceType,
    sourceGid: source.sourceGid,
  };
}

async function partyOf(ctx: ServiceContext, tx: Tx, customerId: number): Promise<MergeParty> {
  const [row] = await tx
    .select({
      customerGid: customers.customerGid,
      email: customers.email,
      firstName: customers.firstName,
      lastName: customers.lastName,
    })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, customerId)));
  if (!row) throw new Error(`customer ${customerId} vanished inside its own transaction`);
  const name = [row.firstName, row.lastName].filter(Boolean).join(" ");
  return { customerGid: row.customerGid, label: row.email || name || `customer ${row.customerGid.split("/").pop()}` };
}

/**
 * Moves ledger rows from one customer to another in the caller's transaction: a move_out for each on `fromId`, a
 * move_in on `toId` (domain: merge.ts). Keys derive from each row's own key, so moving a row twice writes nothing the
 * second time. A survivor that was itself merged away passes the rows on (mergeCustomers refuses loops).
 */
export async function moveEntries({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { fromId: number; toId: number; rows: readonly MovableRow[] };
}) {
  const parties = { from: await partyOf(ctx, tx, input.fromId), to: await partyOf(ctx, tx, input.toId) };
  const moves = planMove(input.rows, parties);
  await appendEntries({ ctx, tx, customerId: input.fromId, entries: moves.out });
  await appendEntries({ ctx, tx, customerId: input.toId, entries: moves.in });
}
