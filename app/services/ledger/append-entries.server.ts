import { eq, sql } from "drizzle-orm";
import { prepared } from "~/db/prepared";
import { applyEntry, assertWithinLedgerBounds, type LedgerEntry, type LedgerTotals } from "~/domain/ledger";
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
  }
}

/** The signed effect on the spendable balance, as stored in `points` so the activity log reads naturally. */
function signedPoints(entry: LedgerEntry): number {
  switch (entry.kind) {
    case "reverse":
    case "redeem":
    case "expire":
      return -entry.points;
    default:
      return entry.points;
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
      points: signedPoints(entry),
      // Placeholders reach SQLite as they are, so the boolean is written as SQLite stores it.
      held: (entry.kind === "earn" || entry.kind === "reverse") && entry.pending ? 1 : 0,
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
  return { inserted, totals };
}
