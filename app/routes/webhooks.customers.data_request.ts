import type { ActionFunctionArgs } from "@remix-run/node";
import { processWebhook } from "~/services/webhooks/process-webhook.server";
import { deliveryOf } from "~/shopify/webhook-delivery.server";
import { authenticate, contextFor } from "~/shopify.server";

// Compliance topic: verified and recorded once; issue 4 makes it act on the shop's data.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  processWebhook({ ctx: contextFor(webhook.shop, "shopify"), input: deliveryOf(webhook) });
  return new Response();
};
