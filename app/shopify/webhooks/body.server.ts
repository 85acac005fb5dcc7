import { createHmac } from "node:crypto";
import { DomainError } from "~/domain/shared";
import { env } from "~/lib/env.server";
import { responseForDomainError } from "~/lib/errors.server";
import { webhookVerdict, type VerifiedWebhook } from "./signature.server";

/**
 * The largest webhook body Tally reads: 20 MiB. Shopify documents no ceiling for HTTPS deliveries; its engineers
 * describe bodies "upwards of a megabyte" for large orders, and its EventBridge channel carries up to 1,000,000 bytes
 * inline (shopify.dev changelog, 2026-11). An order with thousands of lines, each with tax lines, discount
 * allocations and properties, stays within a few MiB, so 20 MiB is several times the largest genuine payload while
 * bounding what one request can make the process hold. Decision 006.
 */
export const MAX_WEBHOOK_BODY_BYTES = 20 * 1024 * 1024;

const HMAC_HEADER = "x-shopify-hmac-sha256";

function refusal(status: 401 | 413, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * Refuses a webhook from its headers alone, before a byte of the body is read: no HMAC header (401: nothing can
 * vouch for it) or a declared length over the cap (413). Undefined when the body is worth reading.
 */
export function refuseWebhookBeforeReading(headers: Headers): Response | undefined {
  if (!headers.get(HMAC_HEADER)) return refusal(401, "X-Shopify-Hmac-Sha256 is missing");
  const declared = headers.get("content-length");
  if (declared !== null && !(/^\d{1,15}$/.test(declared) && Number(declared) <= MAX_WEBHOOK_BODY_BYTES)) {
    return refusal(413, `Webhook bodies over ${MAX_WEBHOOK_BODY_BYTES} bytes are refused`);
  }
  return undefined;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** What a webhook's body and headers said, once read: the verified delivery and its body text, or the answer. */
export type ReadWebhook = { body: string; webhook: VerifiedWebhook } | { refusal: Response };

/**
 * Reads a webhook body chunk by chunk, hashing each as it arrives (HMAC-SHA256 with the app's secret, as Shopify signs
 * webhooks), and stops at the cap. Feed it with `push` (false once the body is over the cap: stop reading and answer
 * `refusal`), then `finish`: the body as UTF-8 text and the delivery's headers when `webhookVerdict` finds it valid;
 * else 401 (HMAC missing or wrong) or 400 (no body, a Shopify header missing, a body that is not UTF-8).
 */
export class SignedWebhookBody {
  private readonly hmac = createHmac("sha256", env().SHOPIFY_API_SECRET);
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  refusal: Response | undefined;

  constructor(private readonly headers: Headers) {}

  push(chunk: Uint8Array): boolean {
    if (this.refusal) return false;
    this.bytes += chunk.byteLength;
    if (this.bytes > MAX_WEBHOOK_BODY_BYTES) {
      this.chunks.length = 0;
      this.refusal = refusal(413, `Webhook bodies over ${MAX_WEBHOOK_BODY_BYTES} bytes are refused`);
      return false;
    }
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.hmac.update(buffer);
    this.chunks.push(buffer);
    return true;
  }

  finish(): ReadWebhook {
    if (this.refusal) return { refusal: this.refusal };
    const verdict = webhookVerdict(this.headers, this.hmac.digest(), this.bytes);
    if (!verdict.valid) {
      const error =
        verdict.reason === "invalid_hmac" || verdict.reason === "missing_hmac"
          ? new DomainError("unauthenticated", "The HMAC does not match the body")
          : new DomainError(
              "bad_request",
              verdict.reason === "missing_body"
                ? "The webhook has no body"
                : `The webhook's headers are incomplete: ${verdict.missingHeaders?.join(", ")} missing`,
            );
      return { refusal: responseForDomainError(error) };
    }
    // Shopify sends JSON, which is UTF-8 (RFC 8259); a body that is not would be read with replacement characters.
    let body: string;
    try {
      body = utf8.decode(Buffer.concat(this.chunks, this.bytes));
    } catch {
      return { refusal: responseForDomainError(new DomainError("bad_request", "The body is not UTF-8")) };
    }
    return { body, webhook: verdict.webhook };
  }
}

/** Reads a Fetch API request's webhook body under the same rules (the Remix route path: `npm run dev`, tests). */
export async function readWebhookRequestBody(request: Request): Promise<ReadWebhook> {
  const early = refuseWebhookBeforeReading(request.headers);
  if (early) return { refusal: early };
  const reader = new SignedWebhookBody(request.headers);
  const stream = request.body?.getReader();
  while (stream) {
    const { done, value } = await stream.read();
    if (done) break;
    if (!reader.push(value)) {
      await stream.cancel();
      break;
    }
  }
  return reader.finish();
}
