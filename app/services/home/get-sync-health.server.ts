import { and, desc, eq, gt, sql } from "drizzle-orm";
import { shops, webhookDeliveries, webhookFailures } from "~/db/schema";
import type { ServiceContext } from "../context";
import { findJobState } from "../scheduled-jobs/job-state.server";
import { listStuckDeliveries, type StuckDelivery } from "../webhooks/process-webhook.server";

export interface SyncHealth {
  topics: Array<{ topic: string; lastReceivedAt: string; deliveries: number }>;
  failures: Array<{ topic: string; error: string; failedAt: string }>;
  /** Deliveries that cannot succeed as things stand: parked, or privacy requests still failing (decision 009). */
  stuck: StuckDelivery[];
  reconciliation: { lastRunAt: string; result: Record<string, unknown> } | null;
  /** The last change of store currency Shopify reported, and what Tally did with the program (decision 008). */
  currencyChange: { from: string; to: string; at: string } | null;
}

/**
 * Is Shopify talking to Tally? The last delivery per topic, recent failures (last 7 days), deliveries waiting for a
 * retry, what the last reconciliation pulled in or fixed, and a change of store currency.
 */
export async function getSyncHealth({ ctx }: { ctx: ServiceContext }): Promise<SyncHealth> {
  const weekAgo = new Date(ctx.now.getTime() - 7 * 24 * 3600 * 1000).toISOString();
  const topics = await ctx.db
    .select({
      topic: webhookDeliveries.topic,
      lastReceivedAt: sql<string>`max(${webhookDeliveries.receivedAt})`,
      deliveries: sql`count(*)`.mapWith(Number),
    })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.shop, ctx.shop), gt(webhookDeliveries.receivedAt, weekAgo)))
    .groupBy(webhookDeliveries.topic)
    .orderBy(webhookDeliveries.topic);
  const failures = await ctx.db
    .select({ topic: webhookFailures.topic, error: webhookFailures.error, failedAt: webhookFailures.failedAt })
    .from(webhookFailures)
    .where(and(eq(webhookFailures.shop, ctx.shop), gt(webhookFailures.failedAt, weekAgo)))
    .orderBy(desc(webhookFailures.id))
    .limit(10);
  const job = await findJobState({ ctx, input: { job: "reconcile" } });
  const [shop] = await ctx.db
    .select({ currency: shops.currency, from: shops.previousCurrency, at: shops.currencyChangedAt })
    .from(shops)
    .where(eq(shops.shop, ctx.shop));
  return {
    topics,
    failures,
    stuck: await listStuckDeliveries({ ctx, input: { limit: 50 } }),
    reconciliation: job?.lastRunAt
      ? { lastRunAt: job.lastRunAt, result: (job.lastResult ?? {}) as Record<string, unknown> }
      : null,
    currencyChange: shop?.from && shop.at && shop.currency ? { from: shop.from, to: shop.currency, at: shop.at } : null,
  };
}
