import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { customers, referrals } from "~/db/schema";
import { action as referralLanding, loader as referralPage } from "~/routes/proxy.r.$code";
import { action as claim } from "~/routes/proxy.v1.referral.claim";
import { action as join } from "~/routes/proxy.v1.referral.join";
import { loader as me } from "~/routes/proxy.v1.me";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as customerDelete } from "~/routes/webhooks.customers.delete";
import { action as customerMerge } from "~/routes/webhooks.customers.merge";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { action as emailConsent } from "~/routes/webhooks.customers_email_marketing_consent.update";
import { action as tagsAdded } from "~/routes/webhooks.customer.tags_added";
import { action as orderCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as orderFulfilled } from "~/routes/webhooks.orders.fulfilled";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as orderUpdated } from "~/routes/webhooks.orders.updated";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { contextFor } from "~/shopify.server";
import { signAppProxyQuery, type Sandbox } from "../sandbox/index";
import type { Delivery } from "../sandbox/webhooks";
import { first } from "./db";
import { webhookRequest } from "./signed-requests";

type Handler = (args: ActionFunctionArgs & LoaderFunctionArgs) => Promise<Response>;

/** The webhook routes a referral's story touches, by topic. */
const webhookRoutes: Record<string, (args: ActionFunctionArgs) => Promise<Response>> = {
  "customers/create": customerCreate,
  "customers/update": customerUpdate,
  "customers/delete": customerDelete,
  "customers/merge": customerMerge,
  "customer.tags_added": tagsAdded,
  "customers_email_marketing_consent/update": emailConsent,
  "orders/paid": orderPaid,
  "orders/updated": orderUpdated,
  "orders/cancelled": orderCancelled,
  "orders/fulfilled": orderFulfilled,
  "refunds/create": refundCreate,
};

export async function answer(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Hands Tally one webhook exactly as the sandbox signed and sent it (same ids: a redelivery is Shopify's retry). */
export async function deliverToTally(shop: string, delivery: Delivery): Promise<number> {
  const action = webhookRoutes[delivery.topic];
  if (!action) return 200;
  const { topic, body, webhookId, eventId, triggeredAt } = delivery;
  return (
    await answer(() =>
      action({
        request: webhookRequest({ shop, topic, body, webhookId, eventId, triggeredAt }),
        params: {},
        context: {},
      }),
    )
  ).status;
}

/** The sandbox's deliveries for a shop, from position `from` on: what Shopify sent since. */
export function sentSince(sandbox: Sandbox, shop: string, from = 0, topic?: string): Delivery[] {
  return sandbox.control.deliveries({ shop, ...(topic ? { topic } : {}) }).slice(from);
}

/** Delivers everything the sandbox sent since `from`, in order; returns where the next batch starts. */
export async function deliverAll(sandbox: Sandbox, shop: string, from = 0): Promise<number> {
  const batch = sentSince(sandbox, shop, from);
  for (const delivery of batch) {
    const status = await deliverToTally(shop, delivery);
    if (status !== 200) throw new Error(`${delivery.topic} answered ${status}`);
  }
  return from + batch.length;
}

/**
 * A storefront request as Shopify's app proxy forwards it: the path under /proxy, Shopify's signed parameters
 * (`logged_in_customer_id` empty for a visitor), the client's address in X-Forwarded-For, and a JSON or form body.
 */
export function proxyRequest(options: {
  shop: string;
  path: string;
  method?: "GET" | "POST";
  customerId?: string;
  json?: unknown;
  form?: Record<string, string>;
  body?: string;
  contentType?: string;
  ip?: string;
}): Request {
  const query = new URLSearchParams();
  query.append("shop", options.shop);
  query.append("logged_in_customer_id", options.customerId ?? "");
  query.append("path_prefix", "/apps/tally");
  query.append("timestamp", String(Math.floor(Date.now() / 1000)));
  query.append("signature", signAppProxyQuery(query, process.env.SHOPIFY_API_SECRET ?? ""));
  const headers = new Headers({ "X-Forwarded-For": options.ip ?? "203.0.113.7" });
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers.set("Content-Type", "application/json");
  } else if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  if (options.contentType) headers.set("Content-Type", options.contentType);
  return new Request(`${process.env.SHOPIFY_APP_URL}/proxy${options.path}?${query.toString()}`, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    ...(body !== undefined ? { body } : {}),
  });
}

const call = (handler: Handler, request: Request, params: Record<string, string> = {}) =>
  answer(() => handler({ request, params, context: {} }));

export const storefront = {
  me: (shop: string, customerId: string) => call(me, proxyRequest({ shop, path: "/v1/me", customerId })),
  join: (shop: string, customerId?: string, json: unknown = {}) =>
    call(join, proxyRequest({ shop, path: "/v1/referral/join", customerId, json })),
  /** `customerId`: the shopper signed in on the storefront (Shopify's `logged_in_customer_id`); none for a visitor. */
  claim: (shop: string, json: unknown, ip?: string, customerId?: string) =>
    call(claim, proxyRequest({ shop, path: "/v1/referral/claim", json, ip, customerId })),
  landing: (shop: string, code: string, customerId?: string) =>
    call(referralPage, proxyRequest({ shop, path: `/r/${code}`, customerId }), { code }),
  landingPost: (shop: string, code: string, email: string, ip?: string, customerId?: string) =>
    call(referralLanding, proxyRequest({ shop, path: `/r/${code}`, form: { email }, ip, customerId }), { code }),
};

/** Tally's row of a Shopify customer (by the sandbox's numeric id). */
export async function customerRow(shop: string, numericId: string) {
  const { db } = contextFor(shop, "test");
  return first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, `gid://shopify/Customer/${numericId}`))),
  );
}

/** The referral of a friend's email, as stored. */
export async function referralOf(shop: string, friendEmail: string) {
  const { db } = contextFor(shop, "test");
  return first(
    db
      .select()
      .from(referrals)
      .where(and(eq(referrals.shop, shop), eq(referrals.friendSearch, friendEmail.toLowerCase()))),
  );
}
