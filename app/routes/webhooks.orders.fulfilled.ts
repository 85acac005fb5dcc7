import { applyOrderEvent } from "~/services/orders/apply-order-event.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";
import { fulfilledEvent, orderFactsOf } from "~/shopify/webhooks/order-events";
import { orderPayload } from "~/shopify/webhooks/payloads";

export const action = webhookAction("orders/fulfilled", orderPayload, async ({ ctx, tx, payload, triggeredAt }) =>
  applyOrderEvent({ ctx, tx, input: { event: fulfilledEvent(payload, triggeredAt), facts: orderFactsOf(payload) } }),
);
