import { and, asc, eq, inArray } from "drizzle-orm";
import { customers, earningSkips, ledgerEntries, rewards } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { moveEntries } from "../ledger/append-entries.server";
import { moveReferrals } from "../referrals/referral-customers.server";
import { ensureCustomer } from "./customer-rows.server";

/**
 * customers/merge (status "completed"): Shopify merged the customer `mergedGid` into `keptGid`. In the caller's
 * transaction, everything Tally holds for the merged customer follows to the one kept:
 *
 * - its ledger, entry by entry (move_out / move_in, domain merge.ts), so the kept customer's balance, held points and
 *   lifetime figures include the merged one's and its activity log explains each line, while the merged customer ends
 *   at zero with each line saying where it went;
 * - its rewards (codes it redeemed stay usable by the person, now under the kept customer) and its "points not earned";
 * - its referral life: codes, referrals on either side, referral codes held and the referral counters (moveReferrals).
 *
 * Orders stay with the customer who placed them (an order's earning is judged on who its buyer was); the kept
 * customer's profile lists them, and anything an order of the merged customer writes later is moved on as it is
 * written (appendEntries). Idempotent: a redelivery, or a merge arriving before or after the merged customer's
 * customers/delete, moves each thing once. A merge that would make a loop (A into B after B into A) is refused.
 */
export async function mergeCustomers({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { keptGid: string; mergedGid: string; mergedAt: string };
}): Promise<{ moved: number }> {
  if (input.keptGid === input.mergedGid) return { moved: 0 };
  const kept = await ensureCustomer({ ctx, tx }, { customerGid: input.keptGid });
  const merged = await ensureCustomer({ ctx, tx }, { customerGid: input.mergedGid });
  if ((await survivorChain(ctx, tx, kept.id)).includes(merged.id)) {
    throw new Error(`${input.mergedGid} cannot be merged into ${input.keptGid}: the kept customer was merged into it`);
  }
  if (merged.mergedIntoId === null) {
    await tx
      .update(customers)
      .set({ mergedIntoId: kept.id, mergedAt: input.mergedAt, updatedAt: ctx.now.toISOString() })
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, merged.id)));
  }
  const target = merged.mergedIntoId ?? kept.id;

  const rows = await tx
    .select({
      kind: ledgerEntries.kind,
      points: ledgerEntries.points,
      held: ledgerEntries.held,
      idempotencyKey: ledgerEntries.idempotencyKey,
      explanation: ledgerEntries.explanation,
      sourceType: ledgerEntries.sourceType,
      sourceGid: ledgerEntries.sourceGid,
    })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.shop, ctx.shop), eq(ledgerEntries.customerId, merged.id)))
    .orderBy(asc(ledgerEntries.id));
  await moveEntries({ ctx, tx, input: { fromId: merged.id, toId: target, rows } });

  await tx
    .update(rewards)
    .set({ customerId: target, updatedAt: ctx.now.toISOString() })
    .where(and(eq(rewards.shop, ctx.shop), eq(rewards.customerId, merged.id)));
  await tx
    .update(earningSkips)
    .set({ customerId: target })
    .where(and(eq(earningSkips.shop, ctx.shop), eq(earningSkips.customerId, merged.id)));
  await moveReferrals({ ctx, tx, input: { fromId: merged.id, toId: target } });
  return { moved: rows.length };
}

/** The customer and everyone it was merged into, in order. */
async function survivorChain(ctx: ServiceContext, tx: Tx, customerId: number): Promise<number[]> {
  const chain = [customerId];
  for (let id: number | null = customerId; chain.length < 50;) {
    const [row]: Array<{ next: number | null }> = await tx
      .select({ next: customers.mergedIntoId })
      .from(customers)
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, id)));
    id = row?.next ?? null;
    if (id === null || chain.includes(id)) break;
    chain.push(id);
  }
  return chain;
}

/** Customers merged into `customerId`, directly or through others: their orders belong on its profile. */
export async function mergedCustomerIds({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number };
}): Promise<number[]> {
  const found: number[] = [];
  for (let frontier = [input.customerId]; frontier.length > 0 && found.length < 1000;) {
    const rows = await ctx.db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.shop, ctx.shop), inArray(customers.mergedIntoId, frontier)));
    const next = rows.map((row) => row.id).filter((id) => !found.includes(id) && id !== input.customerId);
    found.push(...next);
    frontier = next;
  }
  return found;
}
