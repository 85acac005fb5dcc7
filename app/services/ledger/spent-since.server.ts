import { and, eq, gte, inArray, lt } from "drizzle-orm";
import { customers, ledgerEntries } from "~/db/schema";
import type { ServiceContext } from "../context";

/**
 * Of `customerIds`, those who may have spent points of an adjustment of `points` made before ledger entry id
 * `since` (ISO 8601): a redemption or an expiry since it, or a balance now below the points it gave. Used to refuse undoing
 * a bulk adjustment (decision 026): reversing points a customer already spent would take them below what they earned.
 */
export async function findCustomersWhoSpent({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerIds: readonly number[]; since: string; points: number };
}): Promise<Set<number>> {
  const spent = new Set<number>();
  if (input.points <= 0) return spent;
  for (let at = 0; at < input.customerIds.length; at += 500) {
    const ids = input.customerIds.slice(at, at + 500);
    const moved = await ctx.db
      .selectDistinct({ id: ledgerEntries.customerId })
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.shop, ctx.shop),
          inArray(ledgerEntries.customerId, ids),
          gte(ledgerEntries.createdAt, input.since),
          inArray(ledgerEntries.kind, ["redeem", "expire"]),
        ),
      );
    for (const row of moved) spent.add(row.id);
    const low = await ctx.db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.shop, ctx.shop), inArray(customers.id, ids), lt(customers.pointsBalance, input.points)));
    for (const row of low) spent.add(row.id);
  }
  return spent;
}
