import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { randomUUID } from "node:crypto";
import { getHmac, getJwt } from "@shopify/shopify-api/test-helpers";
import { shopifyJson } from "./shopify-samples";

const apiKey = () => process.env.SHOPIFY_API_KEY ?? "";
const apiSecret = () => process.env.SHOPIFY_API_SECRET ?? "";

export interface WebhookRequestOptions {
  topic: string;
  shop: string;
  /** Sent exactly as given when a string, so tests can carry 18-digit ids that JSON.stringify would round. */
  body: unknown;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  /** Signs with another secret, to play an attacker or a misconfigured proxy. */
  secret?: string;
  apiVersion?: string;
  /** The address it is posted to; by default the topic's own (/webhooks/orders/paid). */
  path?: string;
}

/** A webhook POST signed exactly as Shopify signs it (base64 HMAC-SHA256 of the raw body). */
export function webhookRequest(options: WebhookRequestOptions): Request {
  const raw = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const path = options.path ?? `/webhooks/${options.topic.replace(/\./g, "/")}`;
  return new Request(`${process.env.SHOPIFY_APP_URL}${path}`, {
    method: "POST",
    body: raw,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": options.topic,
      "X-Shopify-Hmac-Sha256": getHmac(raw, options.secret ?? apiSecret()),
      "X-Shopify-Shop-Domain": options.shop,
      "X-Shopify-API-Version": options.apiVersion ?? "2026-10",
      "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": options.triggeredAt ?? new Date().toISOString(),
    },
  });
}

/** A request from the embedded admin carrying a session token, as App Bridge's fetch sends it. */
export async function sessionTokenRequest(shop: string, path: string, init: RequestInit = {}): Promise<Request> {
  const { token } = await sessionToken(shop);
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${token}`);
  return new Request(`${process.env.SHOPIFY_APP_URL}${path}`, { ...init, headers });
}

/**
 * Calls an admin route's loader or action as Remix would for `path`, with a staff member's session token: the path's
 * numeric segment is the route's `id` param, and a Response the handler throws (a redirect, a 4xx) is answered like
 * one it returns.
 */
export async function callAdminRoute<T>(
  handler: (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<T>,
  shop: string,
  path: string,
  init?: RequestInit,
): Promise<T> {
  const request = await sessionTokenRequest(shop, path, init);
  const params = Object.fromEntries([...path.matchAll(/\/(\d+)(?=\/|$)/g)].map((match) => ["id", match[1]!]));
  try {
    return await handler({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown as T;
    throw thrown;
  }
}

/** A session token for a staff member of the shop; `secret` overrides the signing key to forge one. */
export async function sessionToken(shop: string, secret = apiSecret()) {
  // getJwt takes the store handle and appends .myshopify.com itself.
  return getJwt(shop.replace(/\.myshopify\.com$/, ""), apiKey(), secret);
}

type WebhookAction = (args: ActionFunctionArgs) => Promise<Response>;

/**
 * Delivers a signed webhook to a route's action as Shopify would, written as Shopify writes JSON (BigInt values come out
 * as bare 18-digit numbers), and returns the answer whether the action returned it or threw it (a 401 or 400).
 */
export async function deliverWebhook(
  action: WebhookAction,
  topic: string,
  shop: string,
  body: unknown,
  ids: { webhookId?: string; eventId?: string } = {},
): Promise<Response> {
  const request = webhookRequest({ topic, shop, body: shopifyJson(body), ...ids });
  try {
    return await action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
