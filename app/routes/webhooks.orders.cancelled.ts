import type { ActionFunctionArgs } from "@remix-run/node";
import { applyOrderEvent } from "~/services/orders/apply-order-event.server";
import { handleWebhook } from "~/shopify/handle-webhook.server";
import { cancelledEvent, orderFactsOf } from "~/shopify/order-events";
import { orderPayload } from "~/shopify/webhook-payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, orderPayload, ({ ctx, tx, payload }) =>
    applyOrderEvent({ ctx, tx, input: { event: cancelledEvent(payload), facts: orderFactsOf(payload) } }),
  );
