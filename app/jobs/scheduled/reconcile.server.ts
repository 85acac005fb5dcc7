import { existedBeforeInstall } from "~/domain/customers";
import type { ProtectedField } from "~/domain/shared";
import { env } from "~/lib/env.server";
import { syncPacer } from "../sync-pacer";
import type { ServiceContext } from "~/services/context";
import { applySyncBatch, type SyncRecord } from "~/services/customers/apply-sync-batch.server";
import {
  beginCustomerSync,
  findUnfinishedSync,
  finishCustomerSync,
  recordSyncCursor,
  type CustomerSyncCursor,
} from "~/services/customers/customer-syncs.server";
import { messageOf } from "~/services/context";
import { reconcileCustomer } from "~/services/customers/sync-customer.server";
import { applyOrderEvents, orderSyncNeeds } from "~/services/orders/apply-order-event.server";
import { findShop } from "~/services/shops/get-shop.server";
import { recordProtectedDataAccess } from "~/services/shops/protected-data-access.server";
import { findJobState } from "~/services/scheduled-jobs/job-state.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import {
  bulkCustomers,
  bulkOrders,
  customersUpdatedSince,
  fetchOrderLines,
  fetchUnseenRefunds,
  ordersUpdatedSince,
  probeProtectedData,
  type BulkLine,
  type CustomerRecord,
} from "~/shopify/admin/reconcile-queries.server";
import { customerInputOf, isPaidInShopify, orderEventsOf } from "~/shopify/admin/reconcile-records";
import { contextFor } from "~/shopify.server";
import type { IntervalShopJob } from "../scheduled-job";

type ReconcileResult = {
  initial: boolean;
  customers: number;
  customersChanged: number;
  orders: number;
  entriesWritten: number;
  /** Records that could not be applied; skipped so one bad record never stalls every later run. */
  failed: number;
  firstError?: string;
  /** Bulk lines that did not fit their schema (or were not JSON): counted and skipped, never applied. */
  rejected: number;
  firstRejection?: string;
  /** Protected customer fields Shopify withheld: read as null, and named on Home (decision 012). */
  withheld: ProtectedField[];
  /** Where an install sync a restart interrupted was picked up again: its query, bulk operation and line. */
  resumedFrom?: CustomerSyncCursor | null;
};

const newResult = (initial: boolean): ReconcileResult => ({
  initial,
  customers: 0,
  customersChanged: 0,
  orders: 0,
  entriesWritten: 0,
  failed: 0,
  rejected: 0,
  withheld: [],
});

async function guarded(result: ReconcileResult, apply: () => Promise<void>) {
  try {
    await apply();
  } catch (error) {
    result.failed += 1;
    result.firstError ??= messageOf(error);
  }
}

/** Thrown by a run told to stop after some batches: a crash, as a test plays it. */
class StoppedForTest extends Error {}

/**
 * Applies a bulk query's records in batches sized by time (ChunkPacer), each one short transaction (applySyncBatch), and
 * after each records where the read stands (`saved(line)`) and yields to the event loop, so pages and webhooks are
 * answered while a large shop is read. A line that did not fit its schema is counted with its reason instead.
 */
async function applyInBatches<Record>(
  ctx: ServiceContext,
  result: ReconcileResult,
  lines: AsyncIterable<BulkLine<Record> & { line: number }>,
  toSyncRecord: (record: Record, line: number) => SyncRecord,
  saved: (line: number, applied: number) => Promise<void>,
  stop: { afterBatches: number },
) {
  let batch: SyncRecord[] = [];
  let last = 0;
  const pacer = syncPacer();
  let size = pacer.begin();
  const flush = async () => {
    const results = await applySyncBatch({ ctx, input: { records: batch } });
    for (const applied of results) {
      if (applied.kind === "customer") {
        result.customers += 1;
        if (applied.outcome === "added" || applied.outcome === "changed") result.customersChanged += 1;
      } else result.orders += 1;
      if (applied.outcome === "failed") {
        result.failed += 1;
        result.firstError ??= applied.error;
      }
    }
    await saved(last, batch.length);
    pacer.end(batch.length);
    batch = [];
    if (--stop.afterBatches <= 0) throw new StoppedForTest("stopped, as a test asked, to play a crash");
    await pacer.yieldTurn();
    size = pacer.begin();
  };
  for await (const line of lines) {
    last = line.line;
    if ("rejected" in line) {
      result.rejected += 1;
      result.firstRejection ??= line.rejected;
    } else batch.push(toSyncRecord(line.record, line.line));
    if (batch.length >= size) await flush();
  }
  if (batch.length > 0 || last > 0) await flush();
}

/**
 * The install sync: every customer and order through two bulk queries. Customers who already had an account were
 * Members before Tally, so they get no sign-up bonus, and orders placed before install earn nothing; both are kept so
 * the directory and profiles are complete from the first day. Its row in customer_syncs is its checkpoint (decision
 * 030): which query, the bulk operation's id as soon as Shopify started it, and the lines applied after each batch. A
 * restart picks the same operation up by its id and skips what was applied (at most a batch is applied again, which
 * changes nothing), instead of asking Shopify again, which would be refused while the first one runs.
 */
async function installSync(
  ctx: ServiceContext,
  graphql: AdminGraphql,
  result: ReconcileResult,
  stop: { afterBatches: number },
) {
  const sync =
    (await findUnfinishedSync({ ctx, input: { trigger: "install" } })) ??
    (await beginCustomerSync({ ctx, input: { trigger: "install" } }));
  let objects = sync.objectsApplied;
  // A customer created after the install signed up under Tally (a sign-up bonus), even when this sync reads them
  // before their customers/create webhook is applied: only those created before are Members from before Tally.
  const installedAt = (await findShop({ ctx }))?.installedAt;
  const existedBefore = (record: { createdAt: string }) => existedBeforeInstall(record.createdAt, installedAt);
  const steps = ["customers", "orders"] as const;
  const resumed = sync.cursor;
  result.resumedFrom = resumed ? { ...resumed } : null;
  for (const step of steps.slice(resumed ? Math.max(0, steps.indexOf(resumed.step as (typeof steps)[number])) : 0)) {
    const resume =
      resumed?.step === step && resumed.bulkOperationId
        ? { bulkOperationId: resumed.bulkOperationId, line: resumed.line }
        : null;
    let bulkOperationId = resume?.bulkOperationId ?? null;
    const save = (line: number) =>
      recordSyncCursor({
        ctx,
        input: { syncId: sync.id, cursor: { step, bulkOperationId, line }, objectsApplied: objects },
      });
    const options = {
      resume,
      onStarted: async (id: string) => {
        bulkOperationId = id;
        await save(0);
      },
    };
    const saved = async (line: number, applied: number) => {
      objects += applied;
      await save(line);
    };
    if (step === "customers") {
      await applyInBatches(
        ctx,
        result,
        bulkCustomers(graphql, result.withheld, options),
        (record, line) => ({ kind: "customer", line, input: customerInputOf(record, existedBefore(record)) }),
        saved,
        stop,
      );
    } else {
      await applyInBatches(
        ctx,
        result,
        bulkOrders(graphql, result.withheld, options),
        (record, line) => ({
          kind: "order",
          line,
          facts: orderEventsOf({ ...record, fulfillments: [], refunds: [] }, []).facts,
        }),
        saved,
        stop,
      );
    }
  }
  await finishCustomerSync({
    ctx: { ...ctx, now: new Date() },
    input: { syncId: sync.id, status: "succeeded", objectsApplied: objects },
  });
}

async function syncCustomer(ctx: ServiceContext, record: CustomerRecord, initial: boolean): Promise<boolean> {
  return (await reconcileCustomer({ ctx, input: customerInputOf(record, initial) })).applied;
}

/** Every customer through one bulk query (a protected field granted since the last run is filled in). */
async function syncAllCustomers(ctx: ServiceContext, graphql: AdminGraphql, result: ReconcileResult) {
  await applyInBatches(
    ctx,
    result,
    bulkCustomers(graphql, result.withheld),
    (record, line) => ({ kind: "customer", line, input: customerInputOf(record, false) }),
    async () => {},
    { afterBatches: Infinity },
  );
}

/**
 * Pulls customers and orders changed since the last run and feeds them through the same idempotent services the
 * webhooks use, so a missed or failed webhook heals. The first run is the install sync (see installSync). Each run
 * first asks which protected customer fields Shopify lets Tally see, records it for Home, and reads on without the
 * withheld ones; when Shopify has granted one since the last run, every customer is read again to fill it in.
 * Returns the run's result and the watermark the next run reads from (this run's start).
 */
export async function reconcileShop({
  ctx,
  graphql,
  stopAfterBatches = Infinity,
}: {
  ctx: ServiceContext;
  graphql: AdminGraphql;
  /** Plays a crash (tests): the install sync stops dead after that many committed batches, as `kill -9` would. */
  stopAfterBatches?: number;
}): Promise<{ result: ReconcileResult; watermark: string }> {
  const previous = await findJobState({ ctx, input: { job: "reconcile" } });
  const watermark = ctx.now.toISOString();
  const withheld = await probeProtectedData(graphql);
  const result = newResult(!previous?.watermark);
  result.withheld = [...withheld];
  const { previouslyWithheld } = await recordProtectedDataAccess({ ctx, input: { withheld } });
  if (result.initial) {
    await installSync(ctx, graphql, result, { afterBatches: stopAfterBatches });
    return { result, watermark };
  }
  if (previouslyWithheld.some((field) => !withheld.has(field))) await syncAllCustomers(ctx, graphql, result);

  for await (const nodes of customersUpdatedSince(graphql, previous?.watermark, withheld)) {
    for (const node of nodes) {
      result.customers += 1;
      await guarded(result, async () => {
        if (await syncCustomer(ctx, node, false)) result.customersChanged += 1;
      });
    }
  }

  for await (const nodes of ordersUpdatedSince(graphql, previous?.watermark, withheld)) {
    for (const node of nodes) {
      result.orders += 1;
      const needs = await orderSyncNeeds({ ctx, input: { orderGid: node.id } });
      const unseen = node.refunds.filter((refund) => !needs.knownRefunds.has(refund.id));
      const refundNodes = unseen.length ? await fetchUnseenRefunds(graphql, node.id, needs.knownRefunds) : [];
      const paidInShopify = isPaidInShopify(node.displayFinancialStatus);
      const lines =
        (paidInShopify && !needs.paid) || needs.linesWanted ? await fetchOrderLines(graphql, node.id) : undefined;
      await guarded(result, async () => {
        const { facts, events } = orderEventsOf(node, refundNodes, lines);
        result.entriesWritten += (await applyOrderEvents({ ctx, input: { facts, events } })).entries;
      });
    }
  }

  // A field the probe's one customer did not show as withheld may still have been withheld on a page.
  if (withheld.size > result.withheld.length) {
    result.withheld = [...withheld];
    await recordProtectedDataAccess({ ctx, input: { withheld } });
  }
  return { result, watermark };
}

/** Reconciliation, every RECONCILE_INTERVAL_SECONDS per shop, and at once after an install or a change of scopes. */
export const reconcileJob: IntervalShopJob = {
  name: "reconcile",
  scope: "each shop",
  every: { job: "reconcile", seconds: () => env().RECONCILE_INTERVAL_SECONDS },
  perform: ({ shop, graphql }) => reconcileShop({ ctx: contextFor(shop, "tally-sync"), graphql }),
};
