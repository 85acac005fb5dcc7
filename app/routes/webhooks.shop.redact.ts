import { flushErasedData } from "~/services/compliance/flush-erased-data.server";
import { redactShop } from "~/services/compliance/redact-shop.server";
import { shopRedactPayload } from "~/shopify/webhooks/compliance-payloads";
import { webhookAction } from "~/shopify/webhooks/intake.server";

export const action = webhookAction("shop/redact", shopRedactPayload, async ({ ctx, tx }) => redactShop({ ctx, tx }), {
  afterCommit: (ctx) => flushErasedData({ ctx }),
});
