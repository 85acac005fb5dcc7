import { eq, sql } from "drizzle-orm";
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
    case "redeem":
      return { sourceType: "reward", sourceGid: entry.rewardId };
    case "redemption_return":
      return { sourceType: "reward", sourceGid: entry.rewardId };
    case "adjust":
      return { sourceType: "staff", sourceGid: null };
    case "expire":
      return { sourceType: "expiry", sourceGid: null };
    case "correct":
      return { sourceType: entry.orderGid ? "order" : "signup", sourceGid: entry.orderGid ?? null };
    case "move_in":
    case "move_out":
      // The moved entry's kind, so the row can be folded (recalculate) and moved again (a merge of the survivor).
      return { sourceType: entry.movedKind, sourceGid: entry.sourceGid };
  }
}

/**
 * Appends planned entries for one customer and moves the customer's figures by exactly the entries that were new.
 * Runs inside the caller's transaction. The unique (shop, idempotency key) index is the last guard against counting an
 * event twice: a key already present is skipped, and its points are not applied again. An entry past the ledger's
 * bounds (`assertWithinLedgerBounds`) throws DomainError("invalid_input") and the caller's transaction rolls back.
 */
export function appendEntries({
  ctx,
  // Taken as proof that the caller holds a transaction: the queries below are prepared on ctx.db and run inside it.
  tx: _tx,
  customerId,
  entries,
}: {
  ctx: ServiceContext;
  tx: Tx;
  customerId: number;
  entries: readonly LedgerEntry[];
}): { inserted: LedgerEntry[]; totals: LedgerTotals } {
  const customer = prepared(ctx.db, "ledger-totals", (db) =>
    db
      .select({
        pointsBalance: customers.pointsBalance,
        pointsPending: customers.pointsPending,
        lifetimeEarned: customers.lifetimeEarned,
        lifetimeRedeemed: customers.lifetimeRedeemed,
        mergedIntoId: customers.mergedIntoId,
      })
      .from(customers)
      .where(eq(customers.id, sql.placeholder("id")))
      .prepare(),
  ).get({ id: customerId });
  if (!customer) throw new Error(`customer ${customerId} vanished inside its own transaction`);
  let totals = totalsOf(customer);
  const inserted: LedgerEntry[] = [];
  const now = ctx.now.toISOString();
  const insert = prepared(ctx.db, "ledger-insert", (db) =>
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
    const rows = insert.all({
      shop: ctx.shop,
      customerId,
      kind: entry.kind,
      points: storedPoints(entry),
      // Placeholders reach SQLite as they are, so the boolean is written as SQLite stores it.
      held: "pending" in entry && entry.pending ? 1 : 0,
      ...sourceOf(entry),
      ruleVersion: entry.kind === "earn" ? entry.programVersion : null,
      idempotencyKey: entry.idempotencyKey,
      actor: entry.kind === "adjust" ? entry.actor : ctx.actor,
      actorName: ctx.actorName ?? null,
      note: entry.kind === "adjust" ? entry.reason : null,
      explanation: entry.explanation,
      createdAt: now,
    });
    if (rows.length === 0) continue;
    inserted.push(entry);
    totals = applyEntry(totals, entry);
  }
  if (inserted.length > 0) {
    prepared(ctx.db, "ledger-totals-update", (db) =>
      db
        .update(customers)
        .set({
          pointsBalance: sql`${sql.placeholder("balance")}`,
          pointsPending: sql`${sql.placeholder("pending")}`,
          lifetimeEarned: sql`${sql.placeholder("lifetimeEarned")}`,
          lifetimeRedeemed: sql`${sql.placeholder("lifetimeRedeemed")}`,
          metafieldDirty: true,
          updatedAt: sql`${sql.placeholder("now")}`,
        })
        .where(eq(customers.id, sql.placeholder("id")))
        .prepare(),
    ).run({ ...totals, now, id: customerId });
  }
  // Shopify merged this customer into another: whatever is written to it now (a late order, a refund) follows the
  // points it already moved, at once and with the same keys a redelivered merge would use.
  const forward = inserted.filter(isMovable);
  if (customer.mergedIntoId !== null && forward.length > 0) {
    moveEntries({
      ctx,
      tx: _tx,
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

function partyOf(ctx: ServiceContext, customerId: number): MergeParty {
  const row = ctx.db
    .select({
      customerGid: customers.customerGid,
      email: customers.email,
      firstName: customers.firstName,
      lastName: customers.lastName,
    })
    .from(customers)
    .where(eq(customers.id, customerId))
    .get();
  if (!row) throw new Error(`customer ${customerId} vanished inside its own transaction`);
  const name = [row.firstName, row.lastName].filter(Boolean).join(" ");
  return { customerGid: row.customerGid, label: row.email || name || `customer ${row.customerGid.split("/").pop()}` };
}

/**
 * Moves ledger rows from one customer to another in the caller's transaction: a move_out for each on `fromId`, a
 * move_in on `toId` (domain: merge.ts). Keys derive from each row's own key, so moving a row twice writes nothing the
 * second time. A survivor that was itself merged away passes the rows on (mergeCustomers refuses loops).
 */
export function moveEntries({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { fromId: number; toId: number; rows: readonly MovableRow[] };
}) {
  const parties = { from: partyOf(ctx, input.fromId), to: partyOf(ctx, input.toId) };
  const moves = planMove(input.rows, parties);
  appendEntries({ ctx, tx, customerId: input.fromId, entries: moves.out });
  appendEntries({ ctx, tx, customerId: input.toId, entries: moves.in });
}
