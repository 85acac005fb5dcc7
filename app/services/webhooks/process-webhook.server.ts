import { webhookDeliveries, webhookFailures } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";

export interface WebhookDelivery {
  webhookId: string;
  eventId: string | null;
  topic: string;
  apiVersion: string | null;
  triggeredAt: string | null;
}

export type WebhookOutcome = "processed" | "duplicate";

/**
 * Records the delivery and applies its effect in one synchronous transaction. Shopify delivers at least once: the
 * unique (shop, webhook id) index makes a redelivery a no-op, and a failing effect rolls the record back too, so the
 * non-2xx answer makes Shopify retry a delivery Tally never half-applied.
 */
export function processWebhook({
  ctx,
  input,
  apply,
}: {
  ctx: ServiceContext;
  input: WebhookDelivery;
  apply?: (tx: Tx) => void;
}): WebhookOutcome {
  try {
    return recordAndApply({ ctx, input, apply });
  } catch (error) {
    // Written outside the rolled-back transaction, so Home can show the failure while Shopify retries.
    ctx.db
      .insert(webhookFailures)
      .values({
        shop: ctx.shop,
        webhookId: input.webhookId,
        topic: input.topic,
        error: error instanceof Error ? error.message : String(error),
        failedAt: ctx.now.toISOString(),
      })
      .run();
    throw error;
  }
}

function recordAndApply({
  ctx,
  input,
  apply,
}: {
  ctx: ServiceContext;
  input: WebhookDelivery;
  apply?: (tx: Tx) => void;
}): WebhookOutcome {
  return ctx.db.transaction((tx) => {
    const inserted = tx
      .insert(webhookDeliveries)
      .values({
        shop: ctx.shop,
        webhookId: input.webhookId,
        eventId: input.eventId,
        topic: input.topic,
        apiVersion: input.apiVersion,
        triggeredAt: input.triggeredAt,
        receivedAt: ctx.now.toISOString(),
        status: "processed",
      })
      .onConflictDoNothing()
      .returning({ id: webhookDeliveries.id })
      .all();
    if (inserted.length === 0) return "duplicate";
    apply?.(tx);
    return "processed";
  });
}
