import { applyOrderEvent } from "~/services/orders/apply-order-event.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";
import { orderFactsOf, paidEvent, paidWithStoreCredit } from "~/shopify/webhooks/order-events";
import { orderPayload } from "~/shopify/webhooks/payloads";

export const action = webhookAction("orders/paid", orderPayload, async ({ ctx, tx, payload }) =>
  applyOrderEvent({
    ctx,
    tx,
    input: { event: paidEvent(payload), facts: orderFactsOf(payload), storeCreditMoved: paidWithStoreCredit(payload) },
  }),
);
