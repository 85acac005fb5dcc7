import type { ActionFunctionArgs } from "@remix-run/node";
import { parseOr400 } from "~/lib/parse.server";
import { updateScopes } from "~/services/shops/update-scopes.server";
import { processWebhook } from "~/services/webhooks/process-webhook.server";
import { scopesUpdatePayload } from "~/shopify/webhook-payloads";
import { deliveryOf } from "~/shopify/webhook-delivery.server";
import { authenticate, contextFor } from "~/shopify.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  const payload = parseOr400(scopesUpdatePayload, webhook.payload);
  const ctx = contextFor(webhook.shop, "shopify");
  processWebhook({
    ctx,
    input: deliveryOf(webhook),
    apply: (tx) => updateScopes({ ctx, tx, input: { scopes: payload.current } }),
  });
  return new Response();
};
