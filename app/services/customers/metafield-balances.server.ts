import { and, asc, eq, isNull } from "drizzle-orm";
import { customers } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";

export interface BalanceToPublish {
  id: number;
  customerGid: string;
  pointsBalance: number;
}

/** Customers whose balance changed since it was last written to Shopify, oldest first. */
export async function listBalancesToPublish({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { limit: number };
}): Promise<BalanceToPublish[]> {
  return ctx.db
    .select({ id: customers.id, customerGid: customers.customerGid, pointsBalance: customers.pointsBalance })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.metafieldDirty, true), isNull(customers.deletedAt)))
    .orderBy(asc(customers.id))
    .limit(input.limit);
}

/**
 * Clears the mark for the balances Shopify now holds. A balance that moved again while the call was in flight stays
 * marked, so the next run publishes the newer figure.
 */
export async function markBalancesPublished({ ctx, input }: { ctx: ServiceContext; input: BalanceToPublish[] }) {
  await inTransaction(ctx, async (tx) => {
    for (const row of input) {
      await tx
        .update(customers)
        .set({ metafieldDirty: false })
        .where(
          and(eq(customers.shop, ctx.shop), eq(customers.id, row.id), eq(customers.pointsBalance, row.pointsBalance)),
        );
    }
  });
  return { published: input.length, ids: input.map((row) => row.id) };
}

/** Stops retrying balances Shopify refused (a customer it no longer has): one bad row must not block the shop. */
export async function markBalancesRefused({ ctx, input }: { ctx: ServiceContext; input: BalanceToPublish[] }) {
  await inTransaction(ctx, async (tx) => {
    for (const row of input) {
      await tx
        .update(customers)
        .set({ metafieldDirty: false })
        .where(and(eq(customers.shop, ctx.shop), eq(customers.id, row.id)));
    }
  });
}
