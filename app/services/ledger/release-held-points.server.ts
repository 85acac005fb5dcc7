import { and, asc, eq, isNotNull, lte } from "drizzle-orm";
import { orderReleaseAt, planOrderRelease } from "~/domain/ledger";
import { customers, orders } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";
import { appendEntries, totalsOf } from "./append-entries.server";

/**
 * Makes held points spendable once their pending period after fulfilment is over. Each order is its own transaction,
 * keyed `release:order:<gid>`, so a crash mid-batch or a second run releases nothing twice.
 */
export async function releaseHeldPoints({ ctx, input }: { ctx: ServiceContext; input: { limit: number } }) {
  const due = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.shop, ctx.shop), isNotNull(orders.releaseAt), lte(orders.releaseAt, ctx.now.toISOString())))
    .orderBy(asc(orders.releaseAt))
    .limit(input.limit);
  let released = 0;
  for (const { id } of due) {
    await inTransaction(ctx, async (tx) => {
      const [order] = await tx
        .select()
        .from(orders)
        .where(and(eq(orders.shop, ctx.shop), eq(orders.id, id)));
      if (!order) return;
      const [owner] =
        order.customerId === null
          ? []
          : await tx
              .select()
              .from(customers)
              .where(and(eq(customers.shop, ctx.shop), eq(customers.id, order.customerId)));
      const plan = planOrderRelease(order.pointsState, {
        now: ctx.now,
        totals: owner ? totalsOf(owner) : { balance: 0, pending: 0, lifetimeEarned: 0, lifetimeRedeemed: 0 },
      });
      if (owner) {
        released += (await appendEntries({ ctx, tx, customerId: owner.id, entries: plan.entries })).inserted.length;
      }
      await tx
        .update(orders)
        .set({ pointsState: plan.state, releaseAt: orderReleaseAt(plan.state)?.toISOString() ?? null })
        .where(and(eq(orders.shop, ctx.shop), eq(orders.id, order.id)));
    });
  }
  return { ordersChecked: due.length, released };
}
