import { applyOrderEvent } from "~/services/orders/apply-order-event.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";
import { cancelledEvent, orderFactsOf, paidWithStoreCredit } from "~/shopify/webhooks/order-events";
import { orderPayload } from "~/shopify/webhooks/payloads";

export const action = webhookAction("orders/cancelled", orderPayload, async ({ ctx, tx, payload }) =>
  applyOrderEvent({
    ctx,
    tx,
    input: {
      event: cancelledEvent(payload),
      facts: orderFactsOf(payload),
      storeCreditMoved: paidWithStoreCredit(payload),
    },
  }),
);
