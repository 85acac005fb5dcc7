import { applyOrderEvent } from "~/services/orders/apply-order-event.server";
import { webhookAction } from "~/shopify/handle-webhook.server";
import { cancelledEvent, orderFactsOf } from "~/shopify/order-events";
import { orderPayload } from "~/shopify/webhook-payloads";

export const action = webhookAction("orders/cancelled", orderPayload, async ({ ctx, tx, payload }) =>
  applyOrderEvent({ ctx, tx, input: { event: cancelledEvent(payload), facts: orderFactsOf(payload) } }),
);
