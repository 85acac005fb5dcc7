import { applyOrderEvent } from "~/services/orders/apply-order-event.server";
import { getShopCurrency } from "~/services/shops/get-shop.server";
import { webhookAction } from "~/shopify/handle-webhook.server";
import { refundEvent } from "~/shopify/order-events";
import { refundPayload } from "~/shopify/webhook-payloads";

export const action = webhookAction("refunds/create", refundPayload, async ({ ctx, tx, payload }) =>
  applyOrderEvent({
    ctx,
    tx,
    input: { event: refundEvent(payload, await getShopCurrency({ ctx, tx })), facts: null },
  }),
);
