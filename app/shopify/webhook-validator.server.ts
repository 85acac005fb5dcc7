import { ApiVersion, LogSeverity, shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { env } from "~/lib/env.server";

// authenticate.webhook also loads the shop's offline session to build an Admin client for the handler; Tally's
// webhook effects never call Shopify, so webhooks use the library's own check alone and skip that database read.
const api = shopifyApi({
  apiKey: env().SHOPIFY_API_KEY,
  apiSecretKey: env().SHOPIFY_API_SECRET,
  apiVersion: ApiVersion.October26,
  hostName: new URL(env().SHOPIFY_APP_URL).host,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

export interface VerifiedWebhook {
  shop: string;
  topic: string;
  webhookId: string;
  eventId?: string;
  apiVersion: string;
  triggeredAt?: string;
}

/** The library's HMAC and header check; a bad signature is thrown as 401, missing headers as 400. */
export async function verifyWebhook(request: Request, rawBody: string): Promise<VerifiedWebhook> {
  if (request.method !== "POST") throw new Response(undefined, { status: 405 });
  const check = await api.webhooks.validate({ rawBody, rawRequest: request });
  if (!check.valid) {
    const status = check.reason === WebhookValidationErrorReason.InvalidHmac ? 401 : 400;
    throw new Response(undefined, { status });
  }
  return {
    shop: check.domain,
    // As Shopify names it ("customers/purchasing_summary"); the library's ORDERS_PAID form loses where the "/" was.
    topic: request.headers.get("x-shopify-topic") ?? check.topic,
    webhookId: check.webhookId,
    eventId: "eventId" in check ? check.eventId : undefined,
    apiVersion: check.apiVersion,
    triggeredAt: check.triggeredAt,
  };
}
