import type { z } from "zod";
import type { ServiceContext, Tx } from "~/services/context";
import {
  StoredPayloadRejected,
  type EffectLookup,
  type WebhookEffect as StoredEffect,
} from "~/services/webhooks/process-webhook.server";

/** What a topic's effect is given: the shop's context, the delivery's transaction and the parsed payload. */
export interface WebhookEffect<Payload> {
  ctx: ServiceContext;
  tx: Tx;
  payload: Payload;
  /** X-Shopify-Triggered-At, for payloads that carry no timestamp of their own. */
  triggeredAt: string;
}

export interface RegisteredTopic {
  /** As Shopify names it ("orders/paid"); the route's own topic, which is what a delivery to it is recorded as. */
  topic: string;
  schema: z.ZodType;
  apply?: StoredEffect;
  afterCommit?: (ctx: ServiceContext) => Promise<unknown>;
}

/** Topic → effect, filled as each route module loads (the production build loads them all at start). */
const registry = new Map<string, RegisteredTopic>();

/** The library reports "orders/paid" as ORDERS_PAID and "customer.tags_added" as CUSTOMER_TAGS_ADDED. */
export const topicKey = (topic: string) => topic.toUpperCase().replace(/[./]/g, "_");

/** The topic's schema and effect, however Shopify or an address spells it; undefined for a topic Tally does not handle. */
export function registeredTopic(topic: string): RegisteredTopic | undefined {
  return registry.get(topicKey(topic));
}

/** What the delivery queue applies for each topic (services/webhooks/process-webhook.server.ts). */
export const webhookEffects: EffectLookup = (topic) => registeredTopic(topic);

/** Registers a topic's payload schema and effect; called once per topic, by its route (see webhookAction). */
export function registerTopic<Schema extends z.ZodType>(
  topic: string,
  schema: Schema,
  apply: ((effect: WebhookEffect<z.infer<Schema>>) => Promise<unknown>) | undefined,
  afterCommit?: (ctx: ServiceContext) => Promise<unknown>,
) {
  registry.set(topicKey(topic), { topic, schema, apply: apply && storedEffect(topic, schema, apply), afterCommit });
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
