import { and, asc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { webhookDeliveries, webhookFailures } from "~/db/schema";
import type { Db } from "~/db/client.server";
import { prepared } from "~/db/prepared";
import type { ServiceContext, Tx } from "../context";

export interface WebhookDelivery {
  webhookId: string;
  eventId: string | null;
  topic: string;
  apiVersion: string | null;
  triggeredAt: string | null;
}

export type WebhookOutcome = "accepted" | "duplicate";

/** Applies one delivery's parsed payload, inside the transaction that marks it processed. */
export type WebhookEffect = (args: { ctx: ServiceContext; tx: Tx; payload: unknown; triggeredAt: string }) => void;

/** Finds the effect for a verified topic ("orders/paid"); undefined for a topic Tally does not handle. */
export type EffectLookup = (
  topic: string,
) => { apply?: WebhookEffect; afterCommit?: (ctx: ServiceContext) => void } | undefined;

/** How many times a delivery's effect is tried before it waits for reconciliation instead. */
export const MAX_ATTEMPTS = 5;

/** Privacy requests have no reconciliation to fall back on: they are retried for as long as it takes. */
const NEVER_GIVE_UP = ["customers/redact", "shop/redact", "customers/data_request"];

/**
 * Records a verified delivery with its parsed payload, once per (shop, X-Shopify-Webhook-Id) and per (shop, topic,
 * X-Shopify-Event-Id): a redelivery or a second delivery of the same event is a no-op. This single insert is all a
 * webhook request waits for; the effect is applied by `applyPendingDeliveries`.
 */
export function acceptDelivery({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: WebhookDelivery & { payload: unknown };
}): { outcome: WebhookOutcome; id?: number } {
  // The one statement a webhook request waits for, so it is prepared once.
  const insert = prepared(ctx.db, "delivery-insert", (db) =>
    db
      .insert(webhookDeliveries)
      .values({
        shop: sql.placeholder("shop"),
        webhookId: sql.placeholder("webhookId"),
        eventId: sql.placeholder("eventId"),
        topic: sql.placeholder("topic"),
        apiVersion: sql.placeholder("apiVersion"),
        triggeredAt: sql.placeholder("triggeredAt"),
        receivedAt: sql.placeholder("receivedAt"),
        status: "pending",
        payload: sql.placeholder("payload"),
      })
      .onConflictDoNothing()
      .returning({ id: webhookDeliveries.id })
      .prepare(),
  );
  const [row] = insert.all({
    shop: ctx.shop,
    webhookId: input.webhookId,
    eventId: input.eventId,
    topic: input.topic,
    apiVersion: input.apiVersion,
    triggeredAt: input.triggeredAt,
    receivedAt: ctx.now.toISOString(),
    payload: JSON.stringify(input.payload),
  });
  if (row) return { outcome: "accepted", id: row.id };
  // A retry of a delivery whose effect failed is not a duplicate to ignore: it is the moment to try again.
  const earlier = ctx.db
    .select({ id: webhookDeliveries.id, status: webhookDeliveries.status })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.shop, ctx.shop), eq(webhookDeliveries.webhookId, input.webhookId)))
    .get();
  return { outcome: "duplicate", ...(earlier && earlier.status !== "processed" ? { id: earlier.id } : {}) };
}

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

function applyOne(db: Db, now: Date, row: DeliveryRow, effects: EffectLookup): boolean {
  const effect = effects(row.topic);
  const ctx: ServiceContext = { shop: row.shop, db, now, actor: "shopify" };
  try {
    db.transaction((tx) => {
      // No effect registered (a route module not loaded, a renamed topic): keep the delivery rather than drop it.
      if (!effect) throw new Error(`no effect is registered for ${row.topic}`);
      if (row.payload !== null) {
        effect.apply?.({
          ctx,
          tx,
          payload: JSON.parse(row.payload),
          triggeredAt: row.triggeredAt ?? row.receivedAt,
        });
      }
      prepared(db, "delivery-processed", (root) =>
        root
          .update(webhookDeliveries)
          .set({
            status: "processed",
            payload: null,
            processedAt: sql`${sql.placeholder("processedAt")}`,
            attempts: sql`${webhookDeliveries.attempts} + 1`,
          })
          .where(eq(webhookDeliveries.id, sql.placeholder("id")))
          .prepare(),
      ).run({ processedAt: now.toISOString(), id: row.id });
    });
  } catch (error) {
    // The effect rolled back whole; the delivery stays queued (failed) for another attempt and Home shows why.
    const message = error instanceof Error ? error.message : String(error);
    db.update(webhookDeliveries)
      .set({ status: "failed", attempts: row.attempts + 1, error: message })
      .where(eq(webhookDeliveries.id, row.id))
      .run();
    db.insert(webhookFailures)
      .values({
        shop: row.shop,
        webhookId: row.webhookId,
        topic: row.topic,
        error: message,
        failedAt: now.toISOString(),
      })
      .run();
    return false;
  }
  effect?.afterCommit?.(ctx);
  return true;
}

/**
 * Applies queued deliveries in arrival order, each in its own transaction with the mark that it was applied, so a
 * crash at any point leaves every delivery either applied once or still queued. `ids` limits the run to the given
 * deliveries (a request that wants its own effect applied before it answers).
 */
export function applyPendingDeliveries({
  db,
  now,
  effects,
  input,
}: {
  db: Db;
  now: Date;
  effects: EffectLookup;
  input: { limit: number; ids?: number[]; includeFailed?: boolean };
}): { applied: number; failed: number } {
  const rows = db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        // Written exactly as the partial queue index's condition, so SQLite reads the index, not the whole log.
        sql`${webhookDeliveries.status} in ('pending', 'failed')`,
        input.includeFailed ? undefined : eq(webhookDeliveries.status, "pending"),
        or(lt(webhookDeliveries.attempts, MAX_ATTEMPTS), inArray(webhookDeliveries.topic, NEVER_GIVE_UP)),
        input.ids ? inArray(webhookDeliveries.id, input.ids) : undefined,
      ),
    )
    .orderBy(asc(webhookDeliveries.id))
    .limit(input.limit)
    .all();
  let applied = 0;
  let failed = 0;
  for (const row of rows) {
    if (applyOne(db, now, row, effects)) applied += 1;
    else failed += 1;
  }
  return { applied, failed };
}

/**
 * Forgets applied deliveries, and ones that gave up, older than `keepDays`. Shopify retries for 48 hours, so a week
 * keeps every redelivery a no-op while Home's seven-day sync health still has its figures; a given-up delivery's
 * stored payload (personal data) does not outlive that either.
 */
export function pruneDeliveries({ db, now, input }: { db: Db; now: Date; input: { keepDays: number; limit: number } }) {
  const cutoff = new Date(now.getTime() - input.keepDays * 24 * 3600 * 1000).toISOString();
  const old = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        lt(webhookDeliveries.receivedAt, cutoff),
        or(
          eq(webhookDeliveries.status, "processed"),
          and(eq(webhookDeliveries.status, "failed"), sql`${webhookDeliveries.attempts} >= ${MAX_ATTEMPTS}`),
        ),
      ),
    )
    .limit(input.limit);
  return db.delete(webhookDeliveries).where(inArray(webhookDeliveries.id, old)).run().changes;
}
