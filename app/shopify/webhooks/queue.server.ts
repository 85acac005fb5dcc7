import { applyPendingDeliveries, requeueStuckDelivery } from "~/services/webhooks/process-webhook.server";
import type { AllShopsContext } from "~/services/context";
import { log } from "~/lib/log.server";
import { contextFor, contextForAllShops } from "~/shopify.server";
import { webhookEffects } from "./registry.server";

// The delivery queue (decision 002): deliveries are recorded first and their effects applied from here, each in its
// own transaction with its "processed" mark, so a retry or a crash can neither lose nor double one.

/** Applies the given deliveries now (their effects, in order), failed ones included. */
export function applyDeliveriesNow(ids: number[]) {
  return applyPendingDeliveries({
    ctx: contextForAllShops("shopify"),
    effects: webhookEffects,
    input: { limit: ids.length, ids, includeFailed: true },
  });
}

/**
 * How long an effect may wait behind answers while webhooks keep arriving (decision 039). Answering comes first:
 * Shopify gives a delivery 5 s and retries what it does not hear back in time, while a merchant does not notice
 * points that land a second after the order. Past this lag, batches again take turns with requests, so under sustained
 * load the queue stays about this far behind instead of growing.
 */
export const EFFECT_LAG_LIMIT_MS = 1000;
/** How long one batch may hold the event loop (and the write lock); its size follows from what deliveries cost. */
export const BATCH_BUDGET_MS = 12;
/** A drain that finds a webhook answered this recently waits this long and looks again. */
const QUIET_MS = 10;
const MIN_BATCH = 20;
const MAX_BATCH = 500;
let wake: (() => void) | undefined;

/**
 * Hands the wake-up after intake to another dispatcher (on PostgreSQL, pg-boss: app/jobs/dispatch.server.ts) instead
 * of this process's drain between requests; undefined gives it back. The deliveries are the committed rows either way.
 */
export function routeWebhookDrain(to: (() => void) | undefined) {
  wake = to;
}

/**
 * Applies queued deliveries a batch (one transaction) at a time until a batch comes back short or `shouldStop` says
 * so: the handler of a pg-boss wake-up. Answers how many deliveries it applied, failed, parked or left.
 */
export async function applyQueuedBatches({
  batch = 20,
  shouldStop = () => false,
  db,
}: {
  batch?: number;
  shouldStop?: () => boolean;
  /** The database; by default the process's (tests play a second instance with its own pool). */
  db?: AllShopsContext["db"];
} = {}): Promise<number> {
  let handled = 0;
  for (;;) {
    const { applied, failed, parked, skipped } = await applyPendingDeliveries({
      ctx: { ...contextForAllShops("shopify"), ...(db ? { db } : {}) },
      effects: webhookEffects,
      input: { limit: batch },
    });
    const count = applied + failed + parked + skipped;
    handled += count;
    // A batch that only met other batches' locks yields to them rather than spinning against them; the deliveries it
    // left are read again by the next wake-up or tick once those batches commit.
    if (count < batch || applied + failed + parked === 0 || shouldStop()) return handled;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

let drainScheduled = false;
/** A delivery was recorded while a batch was on its way: it may have committed after the batch read the queue. */
let drainAgain = false;
let drainStopped = false;
let batchInFlight: Promise<unknown> = Promise.resolve();
/** When each delivery this process recorded and has not applied yet was answered (performance.now(), oldest first). */
const waitingSince: number[] = [];
let lastAnsweredAt = -Infinity;
/** What one delivery's effect costs, in ms of the event loop (a moving average over batches). */
let msPerDelivery = 0.5;

/**
 * Applies queued deliveries between requests, so answering webhooks never waits on them (decision 002): called once
 * for each delivery intake records. While webhooks keep arriving, effects wait (up to EFFECT_LAG_LIMIT_MS behind the
 * oldest) and then run in batches sized to BATCH_BUDGET_MS, so a burst is answered at the speed of intake alone and
 * applied right after it, in larger batches (fewer commits). A batch that throws (the database itself failing) is
 * logged; its deliveries stay queued for the scheduler's drain (app/jobs/scheduled/drain-webhook-queue.server.ts) and
 * the next start.
 */
export function scheduleWebhookDrain() {
  if (wake) return wake();
  if (drainStopped) return;
  lastAnsweredAt = performance.now();
  waitingSince.push(lastAnsweredAt);
  if (drainScheduled) {
    drainAgain = true;
    return;
  }
  drainScheduled = true;
  drainAgain = false;
  setImmediate(drainWhenDue);
}

function drainWhenDue() {
  if (drainStopped) return void (drainScheduled = false);
  const now = performance.now();
  const answering = now - lastAnsweredAt < QUIET_MS;
  const lagging = waitingSince.length > 0 && now - waitingSince[0]! >= EFFECT_LAG_LIMIT_MS;
  if (answering && !lagging) return void setTimeout(drainWhenDue, QUIET_MS);
  const batch = Math.max(MIN_BATCH, Math.min(MAX_BATCH, Math.floor(BATCH_BUDGET_MS / msPerDelivery)));
  drainAgain = false;
  const started = performance.now();
  batchInFlight = applyPendingDeliveries({
    ctx: contextForAllShops("shopify"),
    effects: webhookEffects,
    input: { limit: batch },
  }).then(
    ({ applied, failed, parked, skipped }) => {
      const taken = applied + failed + parked + skipped;
      if (taken > 0) msPerDelivery = 0.7 * msPerDelivery + (0.3 * (performance.now() - started)) / taken;
      // A full batch means more may be waiting (one left to another instance's batch counts too, decision 037), and
      // so does a delivery recorded while this batch ran: on PostgreSQL its commit can follow the batch's read.
      const more = drainAgain || taken === batch;
      if (more) waitingSince.splice(0, taken);
      else waitingSince.length = 0;
      if (more && !drainStopped) setImmediate(drainWhenDue);
      else drainScheduled = false;
    },
    (error: unknown) => {
      drainScheduled = false;
      log.error({ err: error }, "Applying queued webhooks failed");
    },
  );
}

/**
 * Graceful shutdown: lets the batch in hand finish (each delivery commits with its "processed" mark) and starts no
 * other; what is still queued is applied by the next process to start (decision 002).
 */
export async function stopWebhookDrain(): Promise<void> {
  drainStopped = true;
  await batchInFlight;
}

/**
 * Applies what a previous process accepted but did not apply (a crash, a deploy) and retries failed effects: up to
 * `limit`, in batches of 20. Not one batch of `limit`: on PostgreSQL a batch holds the row locks of every customer it
 * touched until it commits, and one of 500 held them against every other instance's batches for as long as it ran
 * (bench:faults stalled once, each collision costing PostgreSQL's 1 s deadlock timeout). Answers the summed counts.
 */
export async function drainWebhookQueue(limit = 500) {
  const total = { applied: 0, failed: 0, parked: 0, skipped: 0 };
  for (let left = limit; left > 0;) {
    const batch = Math.min(20, left);
    const counts = await applyPendingDeliveries({
      ctx: contextForAllShops("shopify"),
      effects: webhookEffects,
      input: { limit: batch, includeFailed: true },
    });
    for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += counts[key];
    const count = counts.applied + counts.failed + counts.parked + counts.skipped;
    left -= count;
    if (count < batch || counts.applied + counts.failed + counts.parked === 0) break;
  }
  return total;
}

/**
 * Home's Retry: puts a stuck delivery of the shop back in the queue and tries it once, now. Applied, it is applied
 * exactly once (its effect commits with its processed mark); failing again, it is parked again with the new reason.
 * Throws DomainError("not_found") for a delivery that is not stuck.
 */
export async function retryStuckDelivery({
  shop,
  deliveryId,
  actor = "staff",
}: {
  shop: string;
  deliveryId: number;
  /** The staff member retrying, for the audit trail. */
  actor?: string | { actor: string; actorName: string | null };
}): Promise<{ applied: boolean }> {
  const { id } = await requeueStuckDelivery({ ctx: contextFor(shop, actor), input: { deliveryId } });
  return { applied: (await applyDeliveriesNow([id])).applied === 1 };
}
