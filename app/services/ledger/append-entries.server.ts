import { eq } from "drizzle-orm";
import { applyEntry, type LedgerEntry, type LedgerTotals } from "~/domain/ledger";
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
 * event twice: a key already present is skipped, and its points are not applied again.
 */
export function appendEntries({
  ctx,
  tx,
  customerId,
  entries,
}: {
  ctx: ServiceContext;
  tx: Tx;
  customerId: number;
  entries: readonly LedgerEntry[];
}): { inserted: LedgerEntry[]; totals: LedgerTotals } {
  const customer = tx
    .select({
      pointsBalance: customers.pointsBalance,
      pointsPending: customers.pointsPending,
      lifetimeEarned: customers.lifetimeEarned,
      lifetimeRedeemed: customers.lifetimeRedeemed,
    })
    .from(customers)
    .where(eq(customers.id, customerId))
    .get();
  if (!customer) throw new Error(`customer ${customerId} vanished inside its own transaction`);
  let totals = totalsOf(customer);
  const inserted: LedgerEntry[] = [];
  const now = ctx.now.toISOString();
  for (const entry of entries) {
    const rows = tx
      .insert(ledgerEntries)
      .values({
        shop: ctx.shop,
        customerId,
        kind: entry.kind,
        points: signedPoints(entry),
        held: (entry.kind === "earn" || entry.kind === "reverse") && entry.pending,
        ...sourceOf(entry),
        ruleVersion: entry.kind === "earn" ? entry.programVersion : null,
        idempotencyKey: entry.idempotencyKey,
        actor: entry.kind === "adjust" ? entry.actor : ctx.actor,
        note: entry.kind === "adjust" ? entry.reason : null,
        explanation: entry.explanation,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: ledgerEntries.id })
      .all();
    if (rows.length === 0) continue;
    inserted.push(entry);
    totals = applyEntry(totals, entry);
  }
  if (inserted.length > 0) {
    tx.update(customers)
      .set({
        pointsBalance: totals.balance,
        pointsPending: totals.pending,
        lifetimeEarned: totals.lifetimeEarned,
        lifetimeRedeemed: totals.lifetimeRedeemed,
        metafieldDirty: true,
        updatedAt: now,
      })
      .where(eq(customers.id, customerId))
      .run();
  }
  return { inserted, totals };
}
