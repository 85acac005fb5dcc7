import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { DomainError } from "~/domain/shared";
import { webhookDeliveries, webhookFailures } from "~/db/schema";
import { forUpdate, isLockConflict, messageOf } from "~/db/dialect";
import { prepared } from "~/db/prepared";
import { recordAudit } from "../audit/record-audit.server";
import { inTransaction, type AllShopsContext, type ServiceContext, type Tx } from "../context";

export interface WebhookDelivery {
  webhookId: string;
  eventId: string | null;
  topic: string;
  apiVersion: string | null;
  triggeredAt: string | null;
}

export type WebhookOutcome = "accepted" | "duplicate";

/**
 * Thrown by an effect whose stored payload no longer parses through its topic's schema: no retry can change that, so
 * the delivery is parked at once with the reasons (a privacy request is kept retrying hourly and shown on Home).
 */
export class StoredPayloadRejected extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "StoredPayloadRejected";
  }
}

/**
 * Applies one delivery, inside the savepoint that marks it processed: `payload` is the JSON text stored at intake,
 * which the effect parses through its topic's schema (the adapter may reuse what it parsed at intake for the same
 * delivery id and text: app/shopify/webhooks/registry.server.ts).
 */
export type WebhookEffect = (args: {
  ctx: ServiceContext;
  tx: Tx;
  deliveryId: number;
  payload: string;
  triggeredAt: string;
}) => Promise<unknown>;

/** Finds the effect for a verified topic ("orders/paid"); undefined for a topic Tally does not handle. */
export type EffectLookup = (
  topic: string,
) => { apply?: WebhookEffect; afterCommit?: (ctx: ServiceContext) => Promise<unknown> } | undefined;

/**
 * How many times a delivery's effect is tried before it is parked (decision 009): kept whole with its reason, out of
 * the queue so the deliveries behind it keep flowing, until staff retry it from Home once the cause is fixed.
 */
export const MAX_ATTEMPTS = 5;

/** Privacy requests must act however long it takes: never parked, retried at most every hour, shown on Home. */
export const NEVER_GIVE_UP: readonly string[] = ["customers/redact", "shop/redact", "customers/data_request"];

/** Backoff between tries from the queue: 30 s, 2 min, 8 min, 32 min, then hourly for what is never parked. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(30_000 * 4 ** Math.max(0, failedAttempts - 1), 3_600_000);
}

interface Intake {
  ctx: ServiceContext;
  input: WebhookDelivery & { payload: unknown };
  resolve: (row: { id: number; storedPayload: string } | undefined) => void;
  reject: (error: unknown) => void;
}

/** Per connection, the deliveries whose insert waits for the group commit that ends the current turn of the loop. */
const intakeGroups = new Map<ServiceContext["db"], Intake[]>();

/**
 * Records a verified delivery with its parsed payload, once per (shop, X-Shopify-Webhook-Id) and per (shop, topic,
 * X-Shopify-Event-Id): a redelivery or a second delivery of the same event is a no-op. This single insert is all a
 * webhook request waits for; the effect is applied by `applyPendingDeliveries`. An accepted delivery's id comes back
 * with the JSON text stored for it.
 *
 * Group commit (decision 035): the deliveries that arrive in one turn of the event loop are inserted in one
 * transaction, each in a savepoint of its own, and each caller is answered only once that transaction has committed,
 * so a 200 still means the delivery is durable. An insert that fails rejects its own caller alone; a commit that
 * fails rejects them all (each a 500, which Shopify retries). Must not be called inside a transaction: it waits for
 * the end of the turn.
 */
export async function acceptDelivery({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: WebhookDelivery & { payload: unknown };
}): Promise<{ outcome: WebhookOutcome; id?: number; storedPayload?: string }> {
  const row = await new Promise<{ id: number; storedPayload: string } | undefined>((resolve, reject) => {
    const group = intakeGroups.get(ctx.db);
    if (group) return void group.push({ ctx, input, resolve, reject });
    intakeGroups.set(ctx.db, [{ ctx, input, resolve, reject }]);
    setImmediate(() => void commitIntakeGroup(ctx.db));
  });
  if (row) return { outcome: "accepted", ...row };
  // A retry of a delivery whose effect failed is not a duplicate to ignore: it is the moment to try again.
  const [earlier] = await ctx.db
    .select({ id: webhookDeliveries.id, status: webhookDeliveries.status })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.shop, ctx.shop), eq(webhookDeliveries.webhookId, input.webhookId)));
  return { outcome: "duplicate", ...(earlier && earlier.status !== "processed" ? { id: earlier.id } : {}) };
}

async function commitIntakeGroup(db: ServiceContext["db"]) {
  const group = intakeGroups.get(db) ?? [];
  intakeGroups.delete(db);
  const settled: Array<() => void> = [];
  try {
    // A transaction of its own, so the inserts can never land inside (and be rolled back with) an effect's.
    await inTransaction({ db }, async (tx) => {
      // The one statement a webhook request waits for, so it is prepared once (on SQLite `tx` is the connection
      // itself; on PostgreSQL it is the transaction's, so the inserts run on its connection, not another of the pool).
      const insert = prepared(tx, "delivery-insert", (root) =>
        root
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
      for (const { ctx, input, resolve, reject } of group) {
        try {
          const storedPayload = JSON.stringify(input.payload);
          const [row] = await inTransaction(ctx, () =>
            insert.execute({
              shop: ctx.shop,
              webhookId: input.webhookId,
              eventId: input.eventId,
              topic: input.topic,
              apiVersion: input.apiVersion,
              triggeredAt: input.triggeredAt,
              receivedAt: ctx.now.toISOString(),
              payload: storedPayload,
            }),
          );
          settled.push(() => resolve(row && { id: row.id, storedPayload }));
        } catch (error) {
          settled.push(() => reject(error));
        }
      }
    });
  } catch (error) {
    for (const { reject } of group) reject(error);
    return;
  }
  for (const settle of settled) settle();
}

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Thrown to leave a delivery alone that another run applied, or tried, since it was read. */
class AppliedMeanwhile extends Error {}

/**
 * One delivery of a batch, inside the batch's transaction: its claim and effect in a savepoint of their own (a throw
 * rolls back this delivery's part alone), then, on failure, its retry or parking in another.
 */
async function applyOne(
  queue: AllShopsContext,
  row: DeliveryRow,
  effects: EffectLookup,
): Promise<"applied" | "failed" | "parked" | "skipped" | "yielded"> {
  const effect = effects(row.topic);
  const { db, now } = queue;
  const ctx: ServiceContext = { shop: row.shop, db, now, actor: "shopify" };
  try {
    await inTransaction(ctx, async (tx) => {
      // No effect registered (a route module not loaded, a renamed topic): keep the delivery rather than drop it.
      if (!effect) throw new Error(`no effect is registered for ${row.topic}`);
      // Claimed first, and only while still queued and tried no more times than when it was read: a delivery another
      // run applied, or tried and failed (its backoff now runs), since it was read is left alone, whatever the timing
      // (on PostgreSQL the update also holds the row until this commits). The effect may then delete the row itself
      // (shop/redact).
      const claimed = await prepared(tx, "delivery-processed", (root) =>
        root
          .update(webhookDeliveries)
          .set({
            status: "processed",
            payload: null,
            processedAt: sql`${sql.placeholder("processedAt")}`,
            attempts: sql`${webhookDeliveries.attempts} + 1`,
          })
          .where(
            and(
              eq(webhookDeliveries.shop, sql.placeholder("shop")),
              eq(webhookDeliveries.id, sql.placeholder("id")),
              sql`${webhookDeliveries.status} in ('pending', 'failed')`,
              eq(webhookDeliveries.attempts, sql.placeholder("attempts")),
            ),
          )
          .returning({ id: webhookDeliveries.id })
          .prepare(),
      ).execute({ processedAt: now.toISOString(), shop: row.shop, id: row.id, attempts: row.attempts });
      if (claimed.length === 0) throw new AppliedMeanwhile();
      if (row.payload !== null) {
        await effect.apply?.({
          ctx,
          tx,
          deliveryId: row.id,
          payload: row.payload,
          triggeredAt: row.triggeredAt ?? row.receivedAt,
        });
      }
    });
  } catch (error) {
    // Another transaction's locks (two batches locking two customers in opposite orders): the savepoint let go of
    // this delivery's locks, and it stays queued, unclaimed and uncounted, for the next batch.
    if (error instanceof AppliedMeanwhile) return "skipped";
    if (isLockConflict(error)) return "yielded";
    // The effect rolled back whole. The delivery waits its backoff for another try, or after MAX_ATTEMPTS is parked
    // with its reason; Home shows both.
    const message = messageOf(error);
    const attempts =
      error instanceof StoredPayloadRejected ? Math.max(row.attempts + 1, MAX_ATTEMPTS) : row.attempts + 1;
    const park = attempts >= MAX_ATTEMPTS && !NEVER_GIVE_UP.includes(row.topic);
    await inTransaction(ctx, async (tx) => {
      await tx
        .update(webhookDeliveries)
        .set({
          status: park ? "parked" : "failed",
          attempts,
          error: message,
          parkedAt: park ? now.toISOString() : null,
          retryAt: park ? null : new Date(now.getTime() + retryDelayMs(attempts)).toISOString(),
        })
        .where(
          and(
            eq(webhookDeliveries.shop, row.shop),
            eq(webhookDeliveries.id, row.id),
            sql`${webhookDeliveries.status} in ('pending', 'failed')`,
          ),
        );
      await tx.insert(webhookFailures).values({
        shop: row.shop,
        webhookId: row.webhookId,
        topic: row.topic,
        error: message,
        failedAt: now.toISOString(),
      });
    });
    return park ? "parked" : "failed";
  }
  return "applied";
}

/**
 * Applies queued deliveries in arrival order, each with the mark that it was applied, so a crash at any point leaves
 * every delivery either applied once or still queued. The batch is one transaction, one commit (decision 035); each
 * delivery runs in a savepoint of its own inside it, so one that fails is rolled back alone, retried or parked, and
 * never takes the others with it. A failure of the batch's own commit rolls all of it back: every delivery stays
 * queued. Effects' `afterCommit` run once the batch has committed. `ids` limits the run to the given
 * deliveries (a request that wants its own effect applied before it answers, or Shopify's own retry of one that
 * failed: that is the moment to try again, backoff or not). Parked deliveries are out of the queue.
 */
export async function applyPendingDeliveries({
  ctx,
  effects,
  input,
}: {
  ctx: AllShopsContext;
  effects: EffectLookup;
  input: { limit: number; ids?: number[]; includeFailed?: boolean };
}): Promise<{ applied: number; failed: number; parked: number; skipped: number }> {
  const { now } = ctx;
  // Read inside the batch's transaction and, on PostgreSQL, locked with SKIP LOCKED: the rows are this batch's until it
  // commits or its connection dies (kill -9 included), and another instance's batch takes the next ones instead of
  // waiting on these (decision 037).
  const { rows, outcomes } = await inTransaction(ctx, async (tx) => {
    const rows = await forUpdate(
      tx
        .select()
        .from(webhookDeliveries)
        .where(
          and(
            // Written exactly as the partial queue index's condition, so SQLite reads the index, not the whole log.
            sql`${webhookDeliveries.status} in ('pending', 'failed')`,
            input.includeFailed ? undefined : eq(webhookDeliveries.status, "pending"),
            input.ids
              ? inArray(webhookDeliveries.id, input.ids)
              : or(isNull(webhookDeliveries.retryAt), lte(webhookDeliveries.retryAt, now.toISOString())),
          ),
        )
        .orderBy(asc(webhookDeliveries.id))
        .limit(input.limit),
      { skipLocked: true },
    );
    const each: Array<"applied" | "failed" | "parked" | "skipped"> = [];
    let yielded = false;
    for (const row of rows) {
      // After a lock conflict the batch ends here and commits: it holds the locks of every delivery it applied, and
      // going on would meet the other batch's again and again (a deadlock a delivery, measured: minutes with none
      // committed). The rest stay queued for the next batch.
      const outcome: Awaited<ReturnType<typeof applyOne>> = yielded ? "yielded" : await applyOne(ctx, row, effects);
      yielded ||= outcome === "yielded";
      each.push(outcome === "yielded" ? "skipped" : outcome);
    }
    return { rows, outcomes: each };
  });
  const counts = { applied: 0, failed: 0, parked: 0, skipped: 0 };
  for (const [index, outcome] of outcomes.entries()) {
    counts[outcome] += 1;
    const row = rows[index]!;
    if (outcome === "applied") {
      await effects(row.topic)?.afterCommit?.({ shop: row.shop, db: ctx.db, now, actor: "shopify" });
    }
  }
  return counts;
}

/**
 * Forgets applied deliveries older than `keepDays`. Shopify retries for 48 hours, so a week keeps every redelivery a
 * no-op while Home's seven-day sync health still has its figures. Parked deliveries are kept until retried (or the
 * shop is redacted): forgetting one would lose what it carries.
 */
export async function pruneDeliveries({
  ctx,
  input,
}: {
  ctx: AllShopsContext;
  input: { keepDays: number; limit: number };
}): Promise<number> {
  const cutoff = new Date(ctx.now.getTime() - input.keepDays * 24 * 3600 * 1000).toISOString();
  const pruned = await inTransaction(ctx, (tx) => {
    const old = tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(lt(webhookDeliveries.receivedAt, cutoff), inArray(webhookDeliveries.status, ["processed", "expired"])))
      .limit(input.limit);
    return tx
      .delete(webhookDeliveries)
      .where(inArray(webhookDeliveries.id, old))
      .returning({ id: webhookDeliveries.id });
  });
  return pruned.length;
}

export interface StuckDelivery {
  id: number;
  topic: string;
  error: string | null;
  attempts: number;
  receivedAt: string;
  /** Set when parked; null for a privacy request, which is still being retried. */
  parkedAt: string | null;
}

/**
 * Deliveries that cannot succeed as things stand, newest first: parked ones, and privacy requests that failed
 * MAX_ATTEMPTS times or more and are still being retried. Both indexes are partial, so this reads only such rows.
 */
export async function listStuckDeliveries({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { limit: number };
}): Promise<StuckDelivery[]> {
  const columns = {
    id: webhookDeliveries.id,
    topic: webhookDeliveries.topic,
    error: webhookDeliveries.error,
    attempts: webhookDeliveries.attempts,
    receivedAt: webhookDeliveries.receivedAt,
    parkedAt: webhookDeliveries.parkedAt,
  };
  const parked = await ctx.db
    .select(columns)
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.shop, ctx.shop), eq(webhookDeliveries.status, "parked")))
    .orderBy(desc(webhookDeliveries.id))
    .limit(input.limit);
  const retrying = await ctx.db
    .select(columns)
    .from(webhookDeliveries)
    .where(
      and(
        sql`${webhookDeliveries.status} in ('pending', 'failed')`,
        eq(webhookDeliveries.shop, ctx.shop),
        eq(webhookDeliveries.status, "failed"),
        inArray(webhookDeliveries.topic, [...NEVER_GIVE_UP]),
        gte(webhookDeliveries.attempts, MAX_ATTEMPTS),
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(input.limit);
  return [...retrying, ...parked].slice(0, input.limit);
}

/**
 * Puts a parked delivery (or a privacy request still failing) back at the head of the queue for one more try, keeping
 * its attempt count, so the caller can apply it at once; staff's retry is recorded in the audit trail (`delivery.retry`).
 * Throws DomainError("not_found") for a delivery of another
 * shop or one that is not stuck (applied already: a second click retries nothing).
 */
export async function requeueStuckDelivery({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { deliveryId: number };
}): Promise<{ id: number }> {
  const updated = await inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .update(webhookDeliveries)
      .set({ status: "failed", parkedAt: null, retryAt: null })
      .where(
        and(
          eq(webhookDeliveries.shop, ctx.shop),
          eq(webhookDeliveries.id, input.deliveryId),
          or(
            eq(webhookDeliveries.status, "parked"),
            and(eq(webhookDeliveries.status, "failed"), inArray(webhookDeliveries.topic, [...NEVER_GIVE_UP])),
          ),
        ),
      )
      .returning({
        id: webhookDeliveries.id,
        topic: webhookDeliveries.topic,
        attempts: webhookDeliveries.attempts,
        error: webhookDeliveries.error,
      });
    if (row) {
      await recordAudit({
        ctx,
        tx,
        input: {
          action: "delivery.retry",
          subject: `${row.topic} delivery`,
          before: { attempts: row.attempts, error: row.error },
          after: { status: "retrying" },
        },
      });
    }
    return row;
  });
  if (!updated) {
    throw new DomainError("not_found", "That delivery is not waiting for a retry; it may have been applied already", {
      deliveryId: input.deliveryId,
    });
  }
  return { id: input.deliveryId };
}
