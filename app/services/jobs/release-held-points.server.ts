import { and, asc, eq, isNotNull, lte } from "drizzle-orm";
import { orderReleaseAt, planOrderRelease } from "~/domain/ledger";
import { customers, orders } from "~/db/schema";
import type { ServiceContext } from "../context";
import { appendEntries, totalsOf } from "../ledger/append-entries.server";

/**
 * Makes held points spendable once their pending period after fulfilment is over. Each order is its own transaction,
 * keyed `release:order:<gid>`, so a crash mid-batch or a second run releases nothing twice.
 */
export function releaseHeldPoints({ ctx, input }: { ctx: ServiceContext; input: { limit: number } }) {
  const due = ctx.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.shop, ctx.shop), isNotNull(orders.releaseAt), lte(orders.releaseAt, ctx.now.toISOString())))
    .orderBy(asc(orders.releaseAt))
    .limit(input.limit)
    .all();
  let released = 0;
  for (const { id } of due) {
    ctx.db.transaction((tx) => {
      const order = tx.select().from(orders).where(eq(orders.id, id)).get();
      if (!order) return;
      const owner =
        order.customerId === null
          ? undefined
          : tx.select().from(customers).where(eq(customers.id, order.customerId)).get();
      const plan = planOrderRelease(order.pointsState, {
        now: ctx.now,
        totals: owner ? totalsOf(owner) : { balance: 0, pending: 0, lifetimeEarned: 0, lifetimeRedeemed: 0 },
      });
      if (owner) released += appendEntries({ ctx, tx, customerId: owner.id, entries: plan.entries }).inserted.length;
      tx.update(orders)
        .set({ pointsState: plan.state, releaseAt: orderReleaseAt(plan.state)?.toISOString() ?? null })
        .where(eq(orders.id, order.id))
        .run();
    });
  }
  return { ordersChecked: due.length, released };
}
