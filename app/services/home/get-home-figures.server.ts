import { desc, eq, sql } from "drizzle-orm";
import { customers, webhookDeliveries } from "~/db/schema";
import type { ServiceContext } from "../context";

export interface HomeFigures {
  members: number;
  guests: number;
  pointsOutstanding: number;
  lastWebhook: { topic: string; receivedAt: string } | null;
}

/** The shop's headline figures; one pass over the (shop, status, points) index. */
export function getHomeFigures({ ctx }: { ctx: ServiceContext }): HomeFigures {
  const totals = ctx.db
    .select({
      members: sql<number>`coalesce(sum(case when ${customers.status} = 'member' then 1 else 0 end), 0)`,
      guests: sql<number>`coalesce(sum(case when ${customers.status} = 'guest' then 1 else 0 end), 0)`,
      pointsOutstanding: sql<number>`coalesce(sum(${customers.pointsBalance}), 0)`,
    })
    .from(customers)
    .where(eq(customers.shop, ctx.shop))
    .get();
  const last = ctx.db
    .select({ topic: webhookDeliveries.topic, receivedAt: webhookDeliveries.receivedAt })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.shop, ctx.shop))
    .orderBy(desc(webhookDeliveries.id))
    .limit(1)
    .get();
  return {
    members: totals?.members ?? 0,
    guests: totals?.guests ?? 0,
    pointsOutstanding: totals?.pointsOutstanding ?? 0,
    lastWebhook: last ?? null,
  };
}
