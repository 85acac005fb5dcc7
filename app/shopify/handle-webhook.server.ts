import type { z } from "zod";
import { parseOr400 } from "~/lib/parse.server";
import type { ServiceContext, Tx } from "~/services/context";
import { processWebhook } from "~/services/webhooks/process-webhook.server";
import { authenticate, contextFor } from "~/shopify.server";
import { parseLosslessJson } from "./lossless-json";
import { deliveryOf } from "./webhook-delivery.server";

export interface WebhookEffect<Payload> {
  ctx: ServiceContext;
  tx: Tx;
  payload: Payload;
  /** X-Shopify-Triggered-At, for payloads that carry no timestamp of their own. */
  triggeredAt: string;
}

/**
 * The whole life of a webhook in one place: verify the HMAC (a bad one is thrown as 401 by the library), parse only
 * the fields the topic needs (a bad payload is a 400), then record the delivery and apply its effect in one
 * transaction. The body is read losslessly so 18-digit ids survive.
 */
export async function handleWebhook<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  apply?: (effect: WebhookEffect<z.infer<Schema>>) => void,
  options: {
    /** Runs once the transaction has committed (also for a redelivery), e.g. to flush erased data from the WAL. */
    afterCommit?: (ctx: ServiceContext) => void;
  } = {},
): Promise<Response> {
  const raw = request.clone().text();
  const webhook = await authenticate.webhook(request);
  const payload = parseOr400(schema, parseLosslessJson(await raw));
  const ctx = contextFor(webhook.shop, "shopify");
  const triggeredAt = webhook.triggeredAt ?? ctx.now.toISOString();
  processWebhook({
    ctx,
    input: deliveryOf(webhook),
    apply: apply && ((tx) => apply({ ctx, tx, payload, triggeredAt })),
  });
  options.afterCommit?.(ctx);
  return new Response();
}
