import { and, desc, eq } from "drizzle-orm";
import { customerSyncs, tasks, type CustomerSyncCursor } from "~/db/schema";
import { syncCustomersKind } from "~/domain/background-jobs";
import { DomainError } from "~/domain/shared";
import { submitTask } from "../background-jobs/submit-task.server";
import { isUnfinished, type TaskView } from "../background-jobs/task-view";
import { inTransaction, type ServiceContext, type Tx } from "../context";

const SYNC_CUSTOMERS_KIND = syncCustomersKind.kind;

export type CustomerSyncRow = typeof customerSyncs.$inferSelect;
export type { CustomerSyncCursor };

/*
 * The record of each full read of the shop's customers from Shopify (decision 030): the install sync's checkpoint, and
 * what the directory's "Last synced" reads.
 */

/** The shop's unfinished sync of that trigger (the install sync a restart interrupted), if any. */
export async function findUnfinishedSync({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { trigger: CustomerSyncRow["trigger"] };
}): Promise<CustomerSyncRow | undefined> {
  const [row] = await (tx ?? ctx.db)
    .select()
    .from(customerSyncs)
    .where(
      and(
        eq(customerSyncs.shop, ctx.shop),
        eq(customerSyncs.trigger, input.trigger),
        eq(customerSyncs.status, "running"),
      ),
    )
    .orderBy(desc(customerSyncs.id))
    .limit(1);
  return row;
}

/** Records that a sync began (`ctx.now`), in the caller's transaction when given. Answers its row. */
export async function beginCustomerSync({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { trigger: CustomerSyncRow["trigger"]; taskId?: number | null; cursor?: CustomerSyncCursor | null };
}): Promise<CustomerSyncRow> {
  const insert = async (on: Tx) =>
    (
      await on
        .insert(customerSyncs)
        .values({
          shop: ctx.shop,
          trigger: input.trigger,
          taskId: input.taskId ?? null,
          status: "running",
          cursor: input.cursor ?? null,
          startedAt: ctx.now.toISOString(),
        })
        .returning()
    )[0]!;
  return tx ? insert(tx) : inTransaction(ctx, insert);
}

/**
 * Moves a sync's cursor: the bulk operation it reads and the JSONL lines applied (`advance` more objects applied), in
 * the caller's transaction when given (a task's chunk commits it with the records it applied).
 */
export async function recordSyncCursor({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { syncId: number; cursor: CustomerSyncCursor; objectsApplied: number };
}) {
  const update = (on: Tx) =>
    on
      .update(customerSyncs)
      .set({ cursor: input.cursor, objectsApplied: input.objectsApplied })
      .where(and(eq(customerSyncs.shop, ctx.shop), eq(customerSyncs.id, input.syncId)));
  await (tx ? update(tx) : inTransaction(ctx, update));
}

/** Closes a sync as succeeded (now the directory's "Last synced") or failed, at `ctx.now`. */
export async function finishCustomerSync({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { syncId: number; status: "succeeded" | "failed"; objectsApplied?: number };
}) {
  const update = (on: Tx) =>
    on
      .update(customerSyncs)
      .set({
        status: input.status,
        finishedAt: ctx.now.toISOString(),
        ...(input.objectsApplied !== undefined ? { objectsApplied: input.objectsApplied } : {}),
      })
      .where(and(eq(customerSyncs.shop, ctx.shop), eq(customerSyncs.id, input.syncId)));
  await (tx ? update(tx) : inTransaction(ctx, update));
}

/**
 * Records a Sync customers that finished (its task held the cursor), in the chunk's transaction: now the directory's
 * "Last synced".
 */
export async function recordFinishedSync({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { taskId: number; startedAt: string; objectsApplied: number };
}) {
  await tx.insert(customerSyncs).values({
    shop: ctx.shop,
    trigger: "manual",
    taskId: input.taskId,
    status: "succeeded",
    objectsApplied: input.objectsApplied,
    startedAt: input.startedAt,
    finishedAt: ctx.now.toISOString(),
  });
}

/**
 * What the directory says about syncing: when the last full sync (the install sync or a Sync customers) finished, and
 * what runs now: the install sync, or a Sync customers task (queued or running; a task that failed or was cancelled
 * is not running, whatever its sync row last said).
 */
export async function getCustomerSyncStatus({ ctx }: { ctx: ServiceContext }): Promise<{
  lastSyncedAt: string | null;
  installRunning: boolean;
  runningTaskId: number | null;
}> {
  const [last] = await ctx.db
    .select({ finishedAt: customerSyncs.finishedAt })
    .from(customerSyncs)
    .where(and(eq(customerSyncs.shop, ctx.shop), eq(customerSyncs.status, "succeeded")))
    .orderBy(desc(customerSyncs.finishedAt))
    .limit(1);
  const install = await findUnfinishedSync({ ctx, input: { trigger: "install" } });
  const [task] = await ctx.db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.shop, ctx.shop), isUnfinished, eq(tasks.kind, SYNC_CUSTOMERS_KIND)))
    .limit(1);
  return {
    lastSyncedAt: last?.finishedAt ?? null,
    installRunning: install !== undefined,
    runningTaskId: task?.id ?? null,
  };
}

/**
 * Staff pressed Sync customers: queues the sync task once per `requestId` (a double click starts nothing twice).
 * While one is queued or running it answers that one with `created: false`, so the page follows it instead. Throws
 * DomainError("conflict") while the install sync is still bringing the shop's customers in (Shopify runs one bulk
 * query at a time, and that one reads everything already).
 */
export async function startCustomerSync({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { requestId: string };
}): Promise<{ task: TaskView; created: boolean }> {
  if (await findUnfinishedSync({ ctx, input: { trigger: "install" } }))
    throw new DomainError(
      "conflict",
      "Tally is still bringing your customers in from Shopify after install. Sync customers can run once that is done.",
    );
  return submitTask({ ctx, input: { kind: SYNC_CUSTOMERS_KIND, input: {}, idempotencyKey: input.requestId } });
}
