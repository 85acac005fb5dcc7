import type { ActionFunctionArgs } from "@remix-run/node";
import { recordUninstall } from "~/services/shops/record-uninstall.server";
import { processWebhook } from "~/services/webhooks/process-webhook.server";
import { deliveryOf } from "~/shopify/webhook-delivery.server";
import { authenticate, contextFor } from "~/shopify.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  const ctx = contextFor(webhook.shop, "shopify");
  processWebhook({ ctx, input: deliveryOf(webhook), apply: (tx) => recordUninstall({ ctx, tx }) });
  return new Response();
};
