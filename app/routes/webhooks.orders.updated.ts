import { applyOrderEvent } from "~/services/orders/apply-order-event.server";
import { webhookAction } from "~/shopify/handle-webhook.server";
import { orderFactsOf, updatedEvent } from "~/shopify/order-events";
import { orderPayload } from "~/shopify/webhook-payloads";

export const action = webhookAction("orders/updated", orderPayload, async ({ ctx, tx, payload }) =>
  applyOrderEvent({ ctx, tx, input: { event: updatedEvent(payload), facts: orderFactsOf(payload) } }),
);
