import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Every webhook delivery Tally accepted, once per `X-Shopify-Webhook-Id`. Shopify retries with the same id, so the
 * unique index is what turns a redelivery into a no-op.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    webhookId: text("webhook_id").notNull(),
    eventId: text("event_id"),
    topic: text("topic").notNull(),
    apiVersion: text("api_version"),
    triggeredAt: text("triggered_at"),
    receivedAt: text("received_at").notNull(),
    /**
     * pending: accepted and answered 200, effect not applied yet; processed; failed: will be retried; parked: failed
     * MAX_ATTEMPTS times, kept with its payload and reason until staff retry it from Home (decision 009); expired: not
     * applied within the retention period, its payload erased (services/retention), left to reconciliation.
     */
    status: text("status", { enum: ["pending", "processed", "failed", "parked", "expired"] }).notNull(),
    /** The verified, parsed payload (only the fields Tally reads) until it is applied; then erased. */
    payload: text("payload"),
    attempts: integer("attempts").notNull().default(0),
    processedAt: text("processed_at"),
    error: text("error"),
    parkedAt: text("parked_at"),
    /** A failed delivery is not tried again from the queue before this time (backoff); null: at once. */
    retryAt: text("retry_at"),
  },
  (table) => [
    uniqueIndex("webhook_deliveries_webhook_id_uq").on(table.shop, table.webhookId),
    // One event can reach Tally under several deliveries (two subscriptions, a re-send); it counts once per topic.
    uniqueIndex("webhook_deliveries_event_uq").on(table.shop, table.topic, table.eventId),
    index("webhook_deliveries_shop_topic_idx").on(table.shop, table.topic, table.receivedAt),
    index("webhook_deliveries_received_idx").on(table.receivedAt),
    // Home's list of parked deliveries: few, so only they are indexed.
    index("webhook_deliveries_parked_idx")
      .on(table.shop, table.id)
      .where(sql`${table.status} = 'parked'`),
    // The work queue: only unapplied deliveries are in it, in arrival order.
    index("webhook_deliveries_queue_idx")
      .on(table.id)
      .where(sql`${table.status} in ('pending', 'failed')`),
  ],
);

/**
 * Every failed attempt at a delivery's effect, with the error, for Home's sync health; the delivery itself stays
 * queued in webhook_deliveries until it is applied or given up.
 */
export const webhookFailures = sqliteTable(
  "webhook_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    webhookId: text("webhook_id").notNull(),
    topic: text("topic").notNull(),
    error: text("error").notNull(),
    failedAt: text("failed_at").notNull(),
  },
  (table) => [index("webhook_failures_shop_idx").on(table.shop, table.failedAt)],
);
