import { applyOrderEvent } from "~/services/orders/apply-order-event.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";
import { editedEvent } from "~/shopify/webhooks/order-events";
import { orderEditedPayload } from "~/shopify/webhooks/payloads";

export const action = webhookAction("orders/edited", orderEditedPayload, async ({ ctx, tx, payload, triggeredAt }) =>
  applyOrderEvent({ ctx, tx, input: { event: editedEvent(payload, triggeredAt), facts: null } }),
);
