import { applyOrderEvent } from "~/services/orders/apply-order-event.server";
import { webhookAction } from "~/shopify/handle-webhook.server";
import { editedEvent } from "~/shopify/order-events";
import { orderEditedPayload } from "~/shopify/webhook-payloads";

export const action = webhookAction("orders/edited", orderEditedPayload, async ({ ctx, tx, payload, triggeredAt }) =>
  applyOrderEvent({ ctx, tx, input: { event: editedEvent(payload, triggeredAt), facts: null } }),
);
