import { ApiVersion, LogSeverity, shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { DomainError } from "~/domain/shared";
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

/**
 * The library's HMAC and header check. Throws DomainError "unauthenticated" (401) for a bad signature, "bad_request"
 * (400) for missing headers, "method_not_allowed" (405) for anything but a POST.
 */
export async function verifyWebhook(request: Request, rawBody: string): Promise<VerifiedWebhook> {
  if (request.method !== "POST") throw new DomainError("method_not_allowed", "Webhooks are POSTed");
  const check = await api.webhooks.validate({ rawBody, rawRequest: request });
  if (!check.valid) {
    if (check.reason === WebhookValidationErrorReason.InvalidHmac) {
      throw new DomainError("unauthenticated", "The HMAC does not match the body");
    }
    throw new DomainError("bad_request", `The webhook's headers are incomplete (${check.reason})`);
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
