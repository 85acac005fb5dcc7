import { applyOrderEvent } from "~/services/orders/apply-order-event.server";
import { webhookAction } from "~/shopify/handle-webhook.server";
import { orderFactsOf, paidEvent } from "~/shopify/order-events";
import { orderPayload } from "~/shopify/webhook-payloads";

export const action = webhookAction("orders/paid", orderPayload, async ({ ctx, tx, payload }) =>
  applyOrderEvent({ ctx, tx, input: { event: paidEvent(payload), facts: orderFactsOf(payload) } }),
);
