import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { DomainError } from "~/domain/shared";
import { env } from "~/lib/env.server";
import { answerForError, withErrors } from "~/lib/errors.server";
import { parseOr400 } from "~/lib/parse.server";
import { isShopDomain } from "~/lib/shop-domain";
import type { ServiceContext } from "~/services/context";
import { getInstallState } from "~/services/shops/get-shop.server";
import { acceptDelivery } from "~/services/webhooks/process-webhook.server";
import { contextFor } from "~/shopify.server";
import { parseLosslessJson } from "./lossless-json";
import { deliveryAdmission } from "./admission";
import { readWebhookRequestBody } from "./body.server";
import { deliveryOf } from "./delivery.server";
import { applyDeliveriesNow, scheduleWebhookDrain } from "./queue.server";
import { keepParsedPayload, registeredTopic, registerTopic, topicKey, type WebhookEffect } from "./registry.server";
import type { VerifiedWebhook } from "./signature.server";

function parseJsonOr400(raw: string): unknown {
  try {
    return parseLosslessJson(raw);
  } catch {
    throw new DomainError("bad_request", "The body is not JSON");
  }
}

export type { WebhookEffect };

/**
 * Takes a verified webhook (its HMAC checked as the body was read: `SignedWebhookBody`), parses only the fields its
 * topic needs (a bad payload is a 400 and nothing is stored), and records it once. The body is read losslessly so
 * 18-digit ids survive.
 *
 * The HMAC covers the body only, so nothing in the headers is taken on trust: the route a delivery was posted to fixes
 * its topic (an X-Shopify-Topic naming another topic is a 400, so a signed customers/delete body cannot be replayed at
 * /webhooks/orders/paid to act as one), the shop header must be a myshopify.com domain (400), and only a shop that
 * installed Tally is acted on (`deliveryAdmission`: 403, or a 200 that stores nothing). Returns `id` undefined when
 * nothing was stored.
 */
async function accept(webhook: VerifiedWebhook, rawBody: string, routeTopic: string) {
  const registered = registeredTopic(routeTopic);
  if (!registered) throw new DomainError("not_found", `Tally does not handle ${routeTopic}`);
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
  const recorded = await acceptDelivery({ ctx, input: { ...deliveryOf(webhook), topic: registered.topic, payload } });
  // The queue applies what was parsed here rather than parsing the stored text again (decision 035).
  if (recorded.id !== undefined && recorded.storedPayload !== undefined) {
    keepParsedPayload(recorded.id, recorded.storedPayload, payload);
  }
  return recorded;
}

/** The topic a lean-path POST is for, from its address: /webhooks/orders/paid receives orders/paid. */
function topicOfPath(request: { url: string }): string {
  return new URL(request.url).pathname.replace(/^\/webhooks\//, "");
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
  registerTopic(topic, schema, apply, options.afterCommit);
  return withErrors(async ({ request }: ActionFunctionArgs) => {
    if (request.method !== "POST") throw new DomainError("method_not_allowed", "Webhooks are POSTed");
    const read = await readWebhookRequestBody(request);
    if ("refusal" in read) return read.refusal;
    const { id } = await accept(read.webhook, read.body, topic);
    // A failure is a 500 so that Shopify retries; once parked, the delivery is held whole and Shopify may stop.
    if (id !== undefined && (await applyDeliveriesNow([id])).failed > 0) {
      return new Response("The webhook could not be applied; Shopify will retry", { status: 500 });
    }
    return new Response();
  });
}

/**
 * The production server's lean path (server.js): record, answer 200 at once; the effect follows within milliseconds
 * from the queue, and a crash in between leaves the delivery queued for the next start. server.js has already read
 * and verified the body with `SignedWebhookBody` (its cap, its HMAC, its headers); the topic comes from the address
 * it was posted to.
 */
export async function acceptWebhook(
  /** The request, or just its URL (server.js builds no Request for it). */
  request: { url: string },
  read: { body: string; webhook: VerifiedWebhook },
): Promise<Response> {
  try {
    await accept(read.webhook, read.body, topicOfPath(request));
  } catch (error) {
    return answerForError(error);
  }
  scheduleWebhookDrain();
  return new Response();
}
