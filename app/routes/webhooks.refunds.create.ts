import { applyOrderEvent } from "~/services/orders/apply-order-event.server";
import { getShopCurrency } from "~/services/shops/get-shop.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";
import { refundedToStoreCredit, refundEvent } from "~/shopify/webhooks/order-events";
import { refundPayload } from "~/shopify/webhooks/payloads";

export const action = webhookAction("refunds/create", refundPayload, async ({ ctx, tx, payload }) =>
  applyOrderEvent({
    ctx,
    tx,
    input: {
      event: refundEvent(payload, await getShopCurrency({ ctx, tx })),
      facts: null,
      storeCreditMoved: refundedToStoreCredit(payload),
    },
  }),
);
