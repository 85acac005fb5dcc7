import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { DomainError } from "~/domain/shared";
import { answerForError, withErrors } from "~/lib/errors.server";
import { parseOr400 } from "~/lib/parse.server";
import type { ServiceContext, Tx } from "~/services/context";
import {
  acceptDelivery,
  applyPendingDeliveries,
  requeueStuckDelivery,
  StoredPayloadRejected,
  type EffectLookup,
  type WebhookEffect as StoredEffect,
} from "~/services/webhooks/process-webhook.server";
import { getInstallState } from "~/services/shops/get-shop.server";
import { env } from "~/lib/env.server";
import { contextFor, contextForAllShops } from "~/shopify.server";
import { parseLosslessJson } from "./lossless-json";
import { isShopDomain } from "~/lib/shop-domain";
import { deliveryAdmission } from "./admission";
import { readWebhookRequestBody } from "./body.server";
import { deliveryOf } from "./delivery.server";
import { verifyWebhook } from "./validator.server";

function parseJsonOr400(raw: string): unknown {
  try {
    return parseLosslessJson(raw);
  } catch {
    throw new DomainError("bad_request", "The body is not JSON");
  }
}

export interface WebhookEffect<Payload> {
  ctx: ServiceContext;
  tx: Tx;
  payload: Payload;
  /** X-Shopify-Triggered-At, for payloads that carry no timestamp of their own. */
  triggeredAt: string;
}

interface Registered {
  /** As Shopify names it ("orders/paid"); the route's own topic, which is what a delivery to it is recorded as. */
  topic: string;
  schema: z.ZodType;
  apply?: StoredEffect;
  afterCommit?: (ctx: ServiceContext) => Promise<unknown>;
}

/** Topic → effect, filled as each route module loads (the production build loads them all at start). */
const registry = new Map<string, Registered>();

/** The library reports "orders/paid" as ORDERS_PAID and "customer.tags_added" as CUSTOMER_TAGS_ADDED. */
const topicKey = (topic: string) => topic.toUpperCase().replace(/[./]/g, "_");

export const webhookEffects: EffectLookup = (topic) => registry.get(topicKey(topic));

/**
 * Verifies a webhook (the library's check; a bad HMAC is a 401), parses only the fields its topic needs (a bad payload
 * is a 400 and nothing is stored), and records it once. The body is read losslessly so 18-digit ids survive.
 *
 * The HMAC covers the body only, so nothing in the headers is taken on trust: the route a delivery was posted to fixes
 * its topic (an X-Shopify-Topic naming another topic is a 400, so a signed customers/delete body cannot be replayed at
 * /webhooks/orders/paid to act as one), the shop header must be a myshopify.com domain (400), and only a shop that
 * installed Tally is acted on (`deliveryAdmission`: 403, or a 200 that stores nothing). Returns `id` undefined when
 * nothing was stored.
 */
async function accept(request: Request, rawBody: string, routeTopic: string) {
  const registered = registry.get(topicKey(routeTopic));
  if (!registered) throw new DomainError("not_found", `Tally does not handle ${routeTopic}`);
  const webhook = await verifyWebhook(request, rawBody);
  if (topicKey(webhook.topic) !== topicKey(registered.topic)) {
    throw new DomainError(
      "bad_request",
      `X-Shopify-Topic ${webhook.topic} does not match this address, which receives ${registered.topic}`,
    );
  }
  if (!isShopDomain(webhook.shop, env().SHOP_CUSTOM_DOMAIN)) {
    throw new DomainError("bad_request", "X-Shopify-Shop-Domain is not a myshopify.com domain");
  }
  const payload = parseOr400(registered.schema, parseJsonOr400(rawBody));
  // Privacy requests erase data: the shop they act on must be the one named inside the signed body, so replaying a
  // genuine body with another shop's header cannot erase that other shop.
  const signedShop = (payload as { shop_domain?: unknown }).shop_domain;
  if (typeof signedShop === "string" && signedShop !== webhook.shop) {
    throw new DomainError("bad_request", "shop_domain does not match X-Shopify-Shop-Domain");
  }
  const ctx = contextFor(webhook.shop, "shopify");
  const admission = deliveryAdmission(registered.topic, await getInstallState({ ctx }));
  if (admission === "refuse") throw new DomainError("not_installed", "Tally is not installed on this store");
  if (admission === "ignore") return { id: undefined };
  return acceptDelivery({ ctx, input: { ...deliveryOf(webhook), topic: registered.topic, payload } });
}

/** The topic a lean-path POST is for, from its address: /webhooks/orders/paid receives orders/paid. */
function topicOfPath(request: Request): string {
  return new URL(request.url).pathname.replace(/^\/webhooks\//, "");
}

function applyNow(ids: number[]) {
  return applyPendingDeliveries({
    ctx: contextForAllShops("shopify"),
    effects: webhookEffects,
    input: { limit: ids.length, ids, includeFailed: true },
  });
}

/**
 * One webhook topic's route: registers the topic's effect and returns the Remix action. The effect is async and runs
 * in the transaction that marks the delivery processed: it calls services with the `tx` it is given and awaits nothing
 * but them (decision 013). Through Remix (the dev server, tests) the effect is applied before the answer, so a
 * failure is a 500 that Shopify retries; the production server takes the lean path below instead.
 */
export function webhookAction<Schema extends z.ZodType>(
  topic: string,
  schema: Schema,
  apply?: (effect: WebhookEffect<z.infer<Schema>>) => Promise<unknown>,
  options: {
    /** Runs once the effect has committed, outside any transaction, e.g. to flush erased data from the WAL. */
    afterCommit?: (ctx: ServiceContext) => Promise<unknown>;
  } = {},
) {
  registry.set(topicKey(topic), {
    topic,
    schema,
    apply: apply && storedEffect(topic, schema, apply),
    afterCommit: options.afterCommit,
  });
  return withErrors(async ({ request }: ActionFunctionArgs) => {
    const read = await readWebhookRequestBody(request);
    if ("refusal" in read) return read.refusal;
    const { id } = await accept(request, read.body, topic);
    // A failure is a 500 so that Shopify retries; once parked, the delivery is held whole and Shopify may stop.
    if (id !== undefined && (await applyNow([id])).failed > 0) {
      return new Response("The webhook could not be applied; Shopify will retry", { status: 500 });
    }
    return new Response();
  });
}

/**
 * The effect as the queue applies it: the stored payload goes through the topic's schema again, so what is applied is
 * what the schema accepts today, not whatever the row holds. One that no longer parses (a schema tightened by a
 * deploy, a row edited by hand) is StoredPayloadRejected, which parks the delivery at once with the schema's reasons.
 */
function storedEffect<Schema extends z.ZodType>(
  topic: string,
  schema: Schema,
  apply: (effect: WebhookEffect<z.infer<Schema>>) => Promise<unknown>,
): StoredEffect {
  return async ({ payload, ...rest }) => {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(payload)"}: ${issue.message}`);
      throw new StoredPayloadRejected(`The stored ${topic} payload no longer parses: ${reasons.join("; ")}`);
    }
    await apply({ ...rest, payload: parsed.data });
  };
}

let drainScheduled = false;

/**
 * Applies queued deliveries in small batches between requests, so answering webhooks never waits on them. A batch
 * that throws (the database itself failing) is logged; its deliveries stay queued for the jobs tick and the next start.
 */
export function scheduleWebhookDrain() {
  if (drainScheduled) return;
  drainScheduled = true;
  setImmediate(() => {
    const batch = 20;
    applyPendingDeliveries({
      ctx: contextForAllShops("shopify"),
      effects: webhookEffects,
      input: { limit: batch },
    }).then(
      ({ applied, failed, parked }) => {
        drainScheduled = false;
        if (applied + failed + parked === batch) scheduleWebhookDrain();
      },
      (error: unknown) => {
        drainScheduled = false;
        console.error("Applying queued webhooks failed:", error);
      },
    );
  });
}

/**
 * The production server's lean path (server.js): verify, record, answer 200 at once; the effect follows within
 * milliseconds from the queue, and a crash in between leaves the delivery queued for the next start. server.js has
 * already read the body under `SignedWebhookBody`'s cap; the topic comes from the address it was posted to.
 */
export async function acceptWebhook(request: Request, rawBody: string): Promise<Response> {
  try {
    await accept(request, rawBody, topicOfPath(request));
  } catch (error) {
    return answerForError(error);
  }
  scheduleWebhookDrain();
  return new Response();
}

/** Applies what a previous process accepted but did not apply (a crash, a deploy) and retries failed effects. */
export function drainWebhookQueue(limit = 500) {
  return applyPendingDeliveries({
    ctx: contextForAllShops("shopify"),
    effects: webhookEffects,
    input: { limit, includeFailed: true },
  });
}

/**
 * Home's Retry: puts a stuck delivery of the shop back in the queue and tries it once, now. Applied, it is applied
 * exactly once (its effect commits with its processed mark); failing again, it is parked again with the new reason.
 * Throws DomainError("not_found") for a delivery that is not stuck.
 */
export async function retryStuckDelivery({ shop, deliveryId }: { shop: string; deliveryId: number }): Promise<{
  applied: boolean;
}> {
  const { id } = await requeueStuckDelivery({ ctx: contextFor(shop, "staff"), input: { deliveryId } });
  return { applied: (await applyNow([id])).applied === 1 };
}
