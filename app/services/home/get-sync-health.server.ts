import { and, desc, eq, gt, sql } from "drizzle-orm";
import { webhookDeliveries, webhookFailures } from "~/db/schema";
import type { ServiceContext } from "../context";
import { findJobState } from "../sync/job-state.server";

export interface SyncHealth {
  topics: Array<{ topic: string; lastReceivedAt: string; deliveries: number }>;
  failures: Array<{ topic: string; error: string; failedAt: string }>;
  reconciliation: { lastRunAt: string; result: Record<string, unknown> } | null;
}

/**
 * Is Shopify talking to Tally? The last delivery per topic, recent failures (last 7 days) and what the last
 * reconciliation pulled in or fixed.
 */
export function getSyncHealth({ ctx }: { ctx: ServiceContext }): SyncHealth {
  const weekAgo = new Date(ctx.now.getTime() - 7 * 24 * 3600 * 1000).toISOString();
  const topics = ctx.db
    .select({
      topic: webhookDeliveries.topic,
      lastReceivedAt: sql<string>`max(${webhookDeliveries.receivedAt})`,
      deliveries: sql<number>`count(*)`,
    })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.shop, ctx.shop), gt(webhookDeliveries.receivedAt, weekAgo)))
    .groupBy(webhookDeliveries.topic)
    .orderBy(webhookDeliveries.topic)
    .all();
  const failures = ctx.db
    .select({ topic: webhookFailures.topic, error: webhookFailures.error, failedAt: webhookFailures.failedAt })
    .from(webhookFailures)
    .where(and(eq(webhookFailures.shop, ctx.shop), gt(webhookFailures.failedAt, weekAgo)))
    .orderBy(desc(webhookFailures.id))
    .limit(10)
    .all();
  const job = findJobState({ ctx, input: { job: "reconcile" } });
  return {
    topics,
    failures,
    reconciliation: job?.lastRunAt
      ? { lastRunAt: job.lastRunAt, result: (job.lastResult ?? {}) as Record<string, unknown> }
      : null,
  };
}
