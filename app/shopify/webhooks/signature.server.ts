import { timingSafeEqual } from "node:crypto";

/*
 * Tally's webhook check, written to Shopify's documentation (shopify.dev, "Verify webhook deliveries",
 * https://shopify.dev/docs/apps/build/webhooks/verify-deliveries): the X-Shopify-Hmac-SHA256 header is the base64
 * HMAC-SHA256 of the raw request body keyed with the app's client secret; compute it over the raw body and compare in
 * constant time. The digest itself is computed by `SignedWebhookBody` as the body streams in (decision 006); this
 * module turns it and the headers into a verdict.
 *
 * It replaces the library's `webhooks.validate` on the request path, which cost ~300 µs a delivery (WebCrypto key
 * import per call, header lookups that canonicalise every header name) against ~10 µs here: decision 024. The
 * library's check stays the oracle: `tests/unit/webhook-signature.test.ts` asks both for their verdict on good, bad,
 * truncated, re-encoded, base64-variant and empty bodies and on missing headers, and they must agree. The verdict's
 * reasons are the library's (`WebhookValidationErrorReason`), so the two can be compared word for word.
 */

export interface VerifiedWebhook {
  shop: string;
  /** As Shopify names it in X-Shopify-Topic ("orders/paid", "customers/purchasing_summary"). */
  topic: string;
  webhookId: string;
  eventId?: string;
  apiVersion: string;
  triggeredAt?: string;
}

export type WebhookRefusalReason = "missing_body" | "missing_hmac" | "invalid_hmac" | "missing_headers";

export type WebhookVerdict =
  { valid: true; webhook: VerifiedWebhook } | { valid: false; reason: WebhookRefusalReason; missingHeaders?: string[] };

/** The headers Shopify sends with every HTTPS delivery (the library's list, and its order when one is missing). */
const REQUIRED = [
  ["X-Shopify-Hmac-Sha256", "hmac"],
  ["X-Shopify-Topic", "topic"],
  ["X-Shopify-Shop-Domain", "shop"],
  ["X-Shopify-API-Version", "apiVersion"],
  ["X-Shopify-Webhook-Id", "webhookId"],
] as const;

/**
 * The verdict on one delivery, from its headers and the HMAC-SHA256 `digest` (32 bytes) of its raw body of
 * `bodyBytes` bytes. In the library's order: an empty body is "missing_body", no HMAC header "missing_hmac", a header
 * that is not exactly the digest's base64 (padded, standard alphabet, as Shopify sends it) "invalid_hmac", then any
 * missing Shopify header "missing_headers". Compared with `timingSafeEqual`, so the answer's timing says nothing about
 * how much of a forged HMAC was right.
 */
export function webhookVerdict(headers: Headers, digest: Buffer, bodyBytes: number): WebhookVerdict {
  if (bodyBytes === 0) return { valid: false, reason: "missing_body" };
  const given = headers.get("x-shopify-hmac-sha256");
  if (!given) return { valid: false, reason: "missing_hmac" };
  // Byte for byte with the base64 text, as the library compares: Node's base64 decoder would also take URL-safe,
  // unpadded or whitespace-laden variants, which Shopify never sends.
  const expected = Buffer.from(digest.toString("base64"));
  const candidate = Buffer.from(given);
  if (candidate.length !== expected.length || !timingSafeEqual(candidate, expected)) {
    return { valid: false, reason: "invalid_hmac" };
  }
  const missingHeaders = REQUIRED.filter(([name]) => !headers.get(name)).map(([name]) => name);
  if (missingHeaders.length > 0) return { valid: false, reason: "missing_headers", missingHeaders };
  const optional = (name: string) => headers.get(name) || undefined;
  const eventId = optional("x-shopify-event-id");
  const triggeredAt = optional("x-shopify-triggered-at");
  return {
    valid: true,
    webhook: {
      shop: headers.get("x-shopify-shop-domain")!,
      topic: headers.get("x-shopify-topic")!,
      webhookId: headers.get("x-shopify-webhook-id")!,
      apiVersion: headers.get("x-shopify-api-version")!,
      ...(eventId !== undefined ? { eventId } : {}),
      ...(triggeredAt !== undefined ? { triggeredAt } : {}),
    },
  };
}
