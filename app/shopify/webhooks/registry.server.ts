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
 * What intake parsed, by delivery id, with the JSON text it stored: the queue applies that instead of parsing the
 * stored text again when the row still holds exactly that text (decision 035). Bounded: past the bound the oldest
 * are dropped and those deliveries are parsed from their rows, as after a restart.
 */
const parsedAtIntake = new Map<number, { text: string; payload: unknown }>();
const PARSED_AT_INTAKE_BOUND = 2_000;

/** Keeps the payload a delivery was recorded with, as its topic's schema produced it, for the queue to apply. */
export function keepParsedPayload(deliveryId: number, text: string, payload: unknown) {
  if (parsedAtIntake.size >= PARSED_AT_INTAKE_BOUND) {
    parsedAtIntake.delete(parsedAtIntake.keys().next().value!);
  }
  parsedAtIntake.set(deliveryId, { text, payload });
}

/**
 * The effect as the queue applies it: the stored payload goes through the topic's schema again, so what is applied is
 * what the schema accepts today, not whatever the row holds. One that no longer parses (a schema tightened by a
 * deploy, a row edited by hand) is StoredPayloadRejected, which parks the delivery at once with the schema's reasons.
 * A delivery recorded by this process, whose row holds the very text intake stored, is applied from what intake
 * parsed with the same schema: every schema takes its own output back unchanged (tests/integration/
 * webhook-stored-payloads.test.ts), so parsing it again could only give the same value.
 */
function storedEffect<Schema extends z.ZodType>(
  topic: string,
  schema: Schema,
  apply: (effect: WebhookEffect<z.infer<Schema>>) => Promise<unknown>,
): StoredEffect {
  return async ({ deliveryId, payload, ...rest }) => {
    const kept = parsedAtIntake.get(deliveryId);
    parsedAtIntake.delete(deliveryId);
    if (kept && kept.text === payload) return void (await apply({ ...rest, payload: kept.payload as z.infer<Schema> }));
    const parsed = schema.safeParse(JSON.parse(payload));
    if (!parsed.success) {
      const reasons = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(payload)"}: ${issue.message}`);
      throw new StoredPayloadRejected(`The stored ${topic} payload no longer parses: ${reasons.join("; ")}`);
    }
    await apply({ ...rest, payload: parsed.data });
  };
}
