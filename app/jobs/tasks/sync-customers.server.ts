import { z } from "zod";
import {
  customerSyncSummarySchema,
  emptyCustomerSyncSummary,
  syncCustomersKind,
  type CustomerSyncSummary,
} from "~/domain/background-jobs";
import { DomainError, type ProtectedField } from "~/domain/shared";
import { applySyncBatch, type SyncRecord } from "~/services/customers/apply-sync-batch.server";
import { findUnfinishedSync, recordFinishedSync } from "~/services/customers/customer-syncs.server";
import { findCustomerIdsByGid } from "~/services/customers/customer-rows.server";
import { orderSyncNeeds } from "~/services/orders/apply-order-event.server";
import { findShop } from "~/services/shops/get-shop.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import {
  BulkOperationFailed,
  BulkQueryBusy,
  bulkLines,
  getBulkOperation,
  startBulkQuery,
  waitForBulkOperation,
} from "~/shopify/admin/bulk-query.server";
import {
  customersWithOrdersQuery,
  fetchOrderLines,
  fetchUnseenRefunds,
  probeProtectedData,
} from "~/shopify/admin/reconcile-queries.server";
import { customerInputOf, isPaidInShopify, orderEventsOf } from "~/shopify/admin/reconcile-records";
import { readCustomerSyncLine, type NestedOrderRecord } from "~/shopify/admin/sync-records";
import type { ChunkPacer } from "../chunk-pacer";
import { syncPacer } from "../sync-pacer";
import type { TaskReporter, TaskRun } from "../task-kind";

type Input = z.infer<typeof syncCustomersKind.input>;

/** How long a chunk waits on Shopify's bulk operation before it commits what Shopify has read so far. */
const READ_WAIT_MS = 5_000;
const POLL_MS = 500;

const checkpointSchema = z.discriminatedUnion("phase", [
  z.object({ phase: z.literal("start") }),
  z.object({
    phase: z.literal("read"),
    bulkOperationId: z.string(),
    summary: customerSyncSummarySchema,
  }),
  z.object({
    phase: z.literal("apply"),
    bulkOperationId: z.string(),
    /** JSONL lines applied: a resumed reader skips them. */
    line: z.number().int().nonnegative(),
    summary: customerSyncSummarySchema,
  }),
]);
type Checkpoint = z.infer<typeof checkpointSchema>;

/**
 * The JSONL being read, kept open between chunks so the file is streamed once. It belongs to one claim of the task
 * (`owner`): after a restart, or another runner's claim, it is opened again from the checkpoint's line, by the bulk
 * operation's id.
 */
interface OpenReader {
  owner: object;
  bulkOperationId: string;
  line: number;
  lines: AsyncGenerator<{ number: number; text: string }>;
  /** Sizes each chunk by the time the last ones took per line. */
  pacer: ChunkPacer;
  /** Closes the download when no chunk used it for a while (the task was cancelled or failed meanwhile). */
  idle: NodeJS.Timeout;
}

/** A reader no chunk used for this long belongs to a task that stopped: its download is closed. */
const READER_IDLE_MS = 5 * 60_000;
const idleTimer = (taskId: number) => setTimeout(() => closeReader(taskId), READER_IDLE_MS).unref();

const readers = new Map<number, OpenReader>();

function closeReader(taskId: number) {
  const open = readers.get(taskId);
  readers.delete(taskId);
  if (open) clearTimeout(open.idle);
  void open?.lines.return(undefined);
}

async function readerFor(
  taskId: number,
  owner: object,
  checkpoint: Extract<Checkpoint, { phase: "apply" }>,
  graphql: () => Promise<AdminGraphql>,
): Promise<OpenReader> {
  const open = readers.get(taskId);
  if (
    open &&
    open.owner === owner &&
    open.bulkOperationId === checkpoint.bulkOperationId &&
    open.line === checkpoint.line
  ) {
    open.idle.refresh();
    return open;
  }
  closeReader(taskId);
  // The file's address is read again by id: Shopify's signed URL may have expired since the last claim.
  const operation = await getBulkOperation(await graphql(), checkpoint.bulkOperationId);
  if (!operation || operation.status !== "COMPLETED")
    throw new DomainError(
      "conflict",
      "Shopify no longer has the result of this sync's bulk read (it keeps it for a week): start Sync customers again",
    );
  const lines = operation.url ? bulkLines(operation.url, { after: checkpoint.line }) : (async function* () {})();
  const reader: OpenReader = {
    owner,
    bulkOperationId: checkpoint.bulkOperationId,
    line: checkpoint.line,
    lines,
    pacer: syncPacer(),
    idle: idleTimer(taskId),
  };
  readers.set(taskId, reader);
  return reader;
}

const nameOf = (record: { firstName?: string | null; lastName?: string | null; email?: string | null }) =>
  [record.firstName, record.lastName].filter(Boolean).join(" ") || record.email || null;

/**
 * An order as the services take it. One Tally never saw paid although Shopify has it paid after install (its
 * orders/paid was missed) is replayed with its lines, as reconciliation does, so it earns what its webhook would have;
 * any other is recorded (an order from before install earns nothing).
 */
async function orderRecordOf(
  ctx: Parameters<typeof orderSyncNeeds>[0]["ctx"],
  order: NestedOrderRecord,
  line: number,
  installedAt: number,
  graphql: () => Promise<AdminGraphql>,
): Promise<SyncRecord> {
  const node = {
    ...order,
    customer: { id: order.__parentId, firstName: null, lastName: null, defaultEmailAddress: null },
    fulfillments: [],
    refunds: [],
  };
  const paidAfterInstall =
    isPaidInShopify(order.displayFinancialStatus) &&
    Date.parse(order.processedAt) >= Math.floor(installedAt / 1000) * 1000;
  if (paidAfterInstall) {
    const needs = await orderSyncNeeds({ ctx, input: { orderGid: order.id } });
    if (!needs.paid) {
      const admin = await graphql();
      const lines = await fetchOrderLines(admin, order.id);
      const refunds = await fetchUnseenRefunds(admin, order.id, needs.knownRefunds);
      const { facts, events } = orderEventsOf(node, refunds, lines);
      return { kind: "order-events", line, facts, events };
    }
  }
  return { kind: "order", line, facts: orderEventsOf(node, []).facts };
}

/** Records the batch's outcomes: a result line per customer added or changed, per order healed, per refusal. */
function reportOutcomes(
  report: TaskReporter,
  summary: CustomerSyncSummary,
  results: Awaited<ReturnType<typeof applySyncBatch>>,
  labels: Map<number, string | null>,
  customerIds: Map<string, number>,
) {
  for (const result of results) {
    const label = labels.get(result.line) ?? result.gid;
    const customerId = result.kind === "customer" ? (customerIds.get(result.gid) ?? null) : null;
    if (result.kind === "customer") {
      summary.customers += 1;
      if (result.outcome === "added") summary.customersAdded += 1;
      if (result.outcome === "added" || result.outcome === "changed") summary.customersChanged += 1;
    } else {
      summary.orders += 1;
      if (result.kind === "order-events" && result.outcome !== "failed") summary.ordersHealed += 1;
    }
    if (result.outcome === "failed") {
      summary.failed += 1;
      report.item({ key: result.gid, customerId, label, outcome: "failed", message: result.error ?? "Not applied" });
    } else if (result.kind === "customer" && result.outcome !== "unchanged") {
      const message = result.outcome === "added" ? "New in Tally" : "Updated from Shopify";
      report.item({ key: result.gid, customerId, label, outcome: "done", message });
    } else if (result.kind === "order-events") {
      report.item({
        key: result.gid,
        label,
        outcome: "done",
        message: "Order Tally had missed, applied as its webhooks would have been",
      });
    }
  }
}

/**
 * "Sync customers" (issue 10, seed 000; decision 030): one bulk query reads every customer with their orders, and its
 * JSONL is streamed and applied in chunks sized by time (syncPacer: about 40 ms, 5 ms while requests are being served,
 * which run to their end between chunks; new records as sets, the rest through the services the webhooks use), each chunk
 * one short transaction committed with its checkpoint (the bulk operation's id and the lines applied). A runner that
 * dies resumes the same bulk operation by its id from the last committed line: Shopify is asked once, nothing is
 * applied twice, and a replayed line would change nothing anyway (the newer dated fact wins).
 */
export const syncCustomersTask: TaskRun<Input, Checkpoint> = {
  definition: syncCustomersKind,
  checkpoint: checkpointSchema,
  initialCheckpoint: { phase: "start" },
  chunk: async ({ ctx, task, checkpoint, report, shopify, signal }) => {
    if (checkpoint.phase === "start") {
      if (await findUnfinishedSync({ ctx, input: { trigger: "install" } }))
        throw new DomainError(
          "conflict",
          "Tally is still bringing this shop's customers in after install; Sync customers can run once that is done",
        );
      const graphql = await shopify();
      const withheld: Set<ProtectedField> = await probeProtectedData(graphql);
      let bulkOperationId: string;
      try {
        bulkOperationId = await startBulkQuery(graphql, customersWithOrdersQuery(withheld));
      } catch (error) {
        if (error instanceof BulkQueryBusy)
          throw new DomainError(
            "conflict",
            "Shopify is running another bulk read for this shop (only one runs at a time): try again in a few minutes",
          );
        throw error;
      }
      const summary = { ...emptyCustomerSyncSummary, phase: "reading" as const };
      return { next: { phase: "read", bulkOperationId, summary }, summary };
    }

    if (checkpoint.phase === "read") {
      let operation;
      try {
        operation = await waitForBulkOperation(await shopify(), checkpoint.bulkOperationId, {
          pollMs: POLL_MS,
          maxWaitMs: READ_WAIT_MS,
          signal,
        });
      } catch (error) {
        if (error instanceof BulkOperationFailed)
          throw new DomainError(
            "conflict",
            `Shopify's bulk read of the customers ended ${error.status.toLowerCase()}${error.errorCode ? ` (${error.errorCode})` : ""}: start Sync customers again`,
          );
        throw error;
      }
      const summary = { ...checkpoint.summary, objectsRead: operation.objectCount };
      if (operation.status !== "COMPLETED") return { next: { ...checkpoint, summary }, summary };
      report.progress({ advance: 0, total: operation.objectCount });
      const applying = { ...summary, phase: "applying" as const };
      return {
        next: { phase: "apply", bulkOperationId: checkpoint.bulkOperationId, line: 0, summary: applying },
        summary: applying,
      };
    }

    const reader = await readerFor(task.id, task, checkpoint, shopify);
    const shop = await findShop({ ctx });
    const installedAt = shop ? Date.parse(shop.installedAt) : 0;
    const records: SyncRecord[] = [];
    const labels = new Map<number, string | null>();
    const summary = { ...checkpoint.summary };
    let line = checkpoint.line;
    let ended = false;
    try {
      // What waited behind the last chunk (a page's next turn, a webhook) runs first, to its end.
      await reader.pacer.yieldTurn();
      const lines = reader.pacer.begin();
      while (line - checkpoint.line < lines) {
        const next = await reader.lines.next();
        if (next.done) {
          ended = true;
          break;
        }
        line = next.value.number;
        const read = readCustomerSyncLine(line, next.value.text);
        if ("rejected" in read) {
          summary.rejected += 1;
          report.item({ key: `line:${line}`, outcome: "skipped", message: `Shopify's file: ${read.rejected}` });
        } else if ("customer" in read) {
          records.push({ kind: "customer", line, input: customerInputOf(read.customer, false) });
          labels.set(line, nameOf({ ...read.customer, email: read.customer.defaultEmailAddress?.emailAddress }));
        } else {
          records.push(await orderRecordOf(ctx, read.order, line, installedAt, shopify));
          labels.set(line, read.order.name);
        }
      }
    } catch (error) {
      closeReader(task.id);
      throw error;
    }
    reader.line = line;
    const handled = line - checkpoint.line;
    // The write fills in the summary's counts; the runner stores the summary after the write, in the same commit.
    report.write(async (tx) => {
      const results = await applySyncBatch({ ctx, input: { records } });
      // The listed customers' result lines carry their ids: customers/redact erases the name a line shows (it clears
      // task items by customer id), and the list links each to its profile.
      // (A customer the set path added comes with its id; the others are read, a few per chunk at most.)
      const listed = results.filter((result) => result.kind === "customer" && result.outcome !== "unchanged");
      const customerIds = await findCustomerIdsByGid(
        { ctx, tx },
        listed.flatMap((result) => (result.customerId === undefined ? [result.gid] : [])),
      );
      for (const result of listed) if (result.customerId !== undefined) customerIds.set(result.gid, result.customerId);
      reportOutcomes(report, summary, results, labels, customerIds);
      if (ended)
        await recordFinishedSync({
          ctx,
          tx,
          input: { taskId: task.id, startedAt: task.startedAt ?? ctx.now.toISOString(), objectsApplied: line },
        });
      reader.pacer.end(handled);
    });
    report.progress({ advance: handled });
    if (ended) {
      closeReader(task.id);
      summary.phase = "done";
      return { done: true, summary };
    }
    return { next: { ...checkpoint, line, summary }, summary };
  },
};
