import { and, eq, inArray, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { larger, lockUntilCommit } from "~/db/dialect";
import { insertRows } from "~/db/insert-rows";
import { processOnPostgres } from "~/db/which-dialect";
import {
  MAX_TASK_ATTEMPTS,
  taskRetryDelayMs,
  type ItemOutcome,
  type TaskLane,
  type TaskStatus,
} from "~/domain/background-jobs";
import { taskItems, tasks } from "~/db/schema";
import { inTransaction, type AllShopsContext, type ServiceContext, type Tx } from "../context";
import { isUnfinished, taskViewOf, type TaskView } from "./task-view";

/*
 * The runner's side of a task's life (decision 017). A task is claimed with a lease (`locked_by`, `locked_until`); each
 * chunk commits its writes, its items, its progress and the next checkpoint in one transaction, and renews the lease;
 * a runner that dies stops renewing, and once the lease has run out another runner claims the task and resumes from the
 * last committed checkpoint. Every update checks `locked_by`, so a runner that lost its lease (paused too long, the
 * task taken over) can commit nothing more.
 */

/** The runner no longer holds the task: its lease ran out and another runner took it, or it finished meanwhile. */
export class TaskLeaseLost extends Error {
  constructor(taskId: number) {
    super(`The runner no longer holds task ${taskId}`);
    this.name = "TaskLeaseLost";
  }
}

export interface ReportedItem {
  key: string;
  outcome: ItemOutcome;
  message?: string | null;
  customerId?: number | null;
  label?: string | null;
  /** Whole points the item counted (a backfill preview's order: what it would earn). */
  points?: number | null;
}

/** What a chunk reports, read after its writes ran inside the commit's transaction. */
export interface ChunkRecord {
  items: readonly ReportedItem[];
  /** How many counted things the chunk handled; by default, how many of its items were new. */
  advance?: number;
  /** The total, when the chunk learned it (or learned it changed). */
  total?: number | null;
}

export interface ClaimedTask extends TaskView {
  shop: string;
  attempts: number;
}

const claimable = (now: string): SQL =>
  and(
    isUnfinished,
    or(eq(tasks.status, "queued"), isNull(tasks.lockedUntil), lt(tasks.lockedUntil, now)),
    or(isNull(tasks.retryAt), lte(tasks.retryAt, now)),
  )!;

/** One lane of one shop (decision 017, "Lanes"): what a running task holds, so no second task of it starts. */
export interface ShopLane {
  shop: string;
  lane: TaskLane;
}

/** Tasks of none of these lanes. */
const outsideLanes = (held: readonly ShopLane[]): SQL[] =>
  held.length === 0
    ? []
    : [
        sql`(${tasks.shop}, ${tasks.lane}) not in (values ${sql.join(
          held.map((one) => sql`(${one.shop}, ${one.lane})`),
          sql`, `,
        )})`,
      ];

/** The lanes a running task holds under a live lease: each of them runs nothing else until that task ends. */
async function heldLanes(db: Tx | AllShopsContext["db"], now: string, shop?: string): Promise<ShopLane[]> {
  return db
    .select({ shop: tasks.shop, lane: tasks.lane })
    .from(tasks)
    .where(
      and(
        isUnfinished,
        eq(tasks.status, "running"),
        sql`${tasks.lockedUntil} >= ${now}`,
        ...(shop !== undefined ? [eq(tasks.shop, shop)] : []),
      ),
    );
}

/**
 * The tasks that are due and that no runner holds (queued, or running with a lease that ran out), oldest first, at most
 * `limit`: what a dispatcher hands out again when the message that should have started one was lost (a process that
 * died between committing a task and sending its pg-boss job, or while running it). `retryAt` in the future counts
 * as not due. With `shop`, only that shop's tasks whose lane is free: those that waited for its previous task of
 * their lane to end. Reads the partial index of unfinished tasks.
 */
export async function listDueTasks({
  ctx,
  input,
}: {
  ctx: AllShopsContext;
  input: { limit: number; shop?: string };
}): Promise<Array<{ id: number; shop: string }>> {
  const now = ctx.now.toISOString();
  const held = input.shop !== undefined ? await heldLanes(ctx.db, now, input.shop) : [];
  return ctx.db
    .select({ id: tasks.id, shop: tasks.shop })
    .from(tasks)
    .where(
      and(claimable(now), ...(input.shop !== undefined ? [eq(tasks.shop, input.shop)] : []), ...outsideLanes(held)),
    )
    .orderBy(tasks.id)
    .limit(input.limit);
}

/**
 * Whether the task is still to be run (queued or running), and when its current lease or retry wait ends (ISO time;
 * null when it is due now). Undefined when the task is finished or does not exist.
 */
export async function findUnfinishedTask({
  ctx,
  input,
}: {
  ctx: AllShopsContext;
  input: { taskId: number };
}): Promise<{ waitUntil: string | null } | undefined> {
  const [row] = await ctx.db
    .select({ lockedUntil: tasks.lockedUntil, retryAt: tasks.retryAt, status: tasks.status })
    .from(tasks)
    .where(and(eq(tasks.id, input.taskId), isUnfinished));
  if (!row) return undefined;
  const now = ctx.now.toISOString();
  const waits = [row.status === "running" ? row.lockedUntil : null, row.retryAt].filter(
    (time): time is string => time !== null && time > now,
  );
  return { waitUntil: waits.sort().at(-1) ?? null };
}

/**
 * Claims the oldest task that is due: queued, or running with no live lease (its runner released it, waits out a
 * retry, or died), never one whose shop's lane (decision 017, "Lanes": one writer and one reader per shop) a task holds
 * under a live lease, nor one of a lane in `busy` (this runner's own). Returns it with its lease, or undefined when
 * nothing is due. A task claimed more than MAX_TASK_ATTEMPTS times without committing a chunk fails instead, with its
 * last error. Claims of one lane are serialised (`lockUntilCommit`): on PostgreSQL two instances claiming two tasks of
 * one shop's lane at once would each see the lane free.
 */
export async function claimNextTask({
  ctx,
  input,
}: {
  ctx: AllShopsContext;
  input: {
    workerId: string;
    leaseMs: number;
    busy: readonly ShopLane[];
    onlyShops?: readonly string[];
    /** Only this task (a pg-boss job carries its task's id: app/jobs/dispatch/pg-boss.server.ts). */
    taskId?: number;
  };
}): Promise<ClaimedTask | undefined> {
  const now = ctx.now.toISOString();
  const lockedUntil = new Date(ctx.now.getTime() + input.leaseMs).toISOString();
  // Most polls find nothing due: one read of the partial index, without taking the write lock.
  const only = [
    ...(input.onlyShops ? [inArray(tasks.shop, [...input.onlyShops])] : []),
    ...(input.taskId !== undefined ? [eq(tasks.id, input.taskId)] : []),
  ];
  const [due] = await ctx.db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(claimable(now), ...only, ...outsideLanes(input.busy)))
    .limit(1);
  if (!due) return undefined;
  return inTransaction(ctx, async (tx) => {
    const excluded = [...input.busy, ...(await heldLanes(tx, now))];
    for (let tries = 0; tries < 10; tries += 1) {
      const [candidate] = await tx
        .select({ id: tasks.id, shop: tasks.shop, lane: tasks.lane })
        .from(tasks)
        .where(and(claimable(now), ...outsideLanes(excluded), ...only))
        .orderBy(tasks.id)
        .limit(1);
      if (!candidate) return undefined;
      const lane = { shop: candidate.shop, lane: candidate.lane };
      // Read again once no other claim of this lane is in flight: one that committed meanwhile holds it now.
      await lockUntilCommit(tx, `tally-task-lane:${lane.lane}:${lane.shop}`);
      if ((await heldLanes(tx, now, lane.shop)).some((held) => held.lane === lane.lane)) {
        excluded.push(lane);
        continue;
      }
      const [row] = await tx
        .update(tasks)
        .set({
          status: "running",
          lockedBy: input.workerId,
          lockedUntil,
          attempts: sql`${tasks.attempts} + 1`,
          startedAt: sql`coalesce(${tasks.startedAt}, ${now})`,
          retryAt: null,
        })
        .where(and(eq(tasks.shop, candidate.shop), eq(tasks.id, candidate.id), claimable(now)))
        .returning();
      if (!row) continue;
      if (row.attempts > MAX_TASK_ATTEMPTS) {
        await tx
          .update(tasks)
          .set({
            status: "failed",
            finishedAt: now,
            lockedBy: null,
            lockedUntil: null,
            error: `Stopped after ${MAX_TASK_ATTEMPTS} tries without progress${row.error ? `: ${row.error}` : " (the process running it stopped each time)"}`,
          })
          .where(and(eq(tasks.shop, row.shop), eq(tasks.id, row.id)));
        continue;
      }
      return { ...taskViewOf(row), shop: row.shop, attempts: row.attempts };
    }
    return undefined;
  });
}

/**
 * Commits one chunk of a task the runner holds, in one transaction: `apply` runs first (the kind's own writes, which
 * may report items), then the items are recorded (an item already recorded for the task is skipped and not counted),
 * the progress moves, the checkpoint becomes `checkpoint` and the lease is renewed. With `done` the task succeeds; a
 * task staff asked to cancel is cancelled here, after its chunk. Throws TaskLeaseLost, having written nothing, when the
 * runner no longer holds the task.
 */
export async function commitTaskChunk({
  ctx,
  input,
  apply,
}: {
  ctx: ServiceContext;
  input: {
    taskId: number;
    workerId: string;
    leaseMs: number;
    checkpoint: unknown;
    done: boolean;
    summary?: Record<string, unknown> | null;
  };
  apply?: (tx: Tx) => Promise<ChunkRecord>;
}): Promise<{ status: TaskStatus; recorded: number }> {
  const now = ctx.now.toISOString();
  return inTransaction(ctx, async (tx) => {
    const [held] = await tx
      .select({ status: tasks.status, lockedBy: tasks.lockedBy, cancelRequestedAt: tasks.cancelRequestedAt })
      .from(tasks)
      .where(and(eq(tasks.shop, ctx.shop), eq(tasks.id, input.taskId)));
    if (!held || held.status !== "running" || held.lockedBy !== input.workerId) throw new TaskLeaseLost(input.taskId);
    const record: ChunkRecord = apply ? await apply(tx) : { items: [] };
    const counts: Record<ItemOutcome, number> = { done: 0, skipped: 0, failed: 0 };
    // insertRows: a sync's chunk reports hundreds of items, and drizzle's builder cost more than the insert (decision 030).
    const inserted = await insertRows(
      tx,
      taskItems,
      record.items.map((item) => ({
        shop: ctx.shop,
        taskId: input.taskId,
        itemKey: item.key,
        customerId: item.customerId ?? null,
        label: item.label ?? null,
        outcome: item.outcome,
        message: item.message ?? null,
        points: item.points ?? null,
        at: now,
      })),
      ["outcome"],
    );
    for (const row of inserted) counts[row.outcome as ItemOutcome] += 1;
    const recorded = counts.done + counts.skipped + counts.failed;
    const finished = input.done || held.cancelRequestedAt !== null;
    const status: TaskStatus = input.done ? "succeeded" : finished ? "cancelled" : "running";
    await tx
      .update(tasks)
      .set({
        status,
        checkpoint: input.checkpoint,
        progressDone: sql`${tasks.progressDone} + ${record.advance ?? recorded}`,
        // Done: the total is what was handled (customers may have come or gone since it was counted).
        ...(input.done
          ? { progressTotal: sql`${tasks.progressDone} + ${record.advance ?? recorded}` }
          : record.total !== undefined
            ? { progressTotal: record.total }
            : {}),
        doneItems: sql`${tasks.doneItems} + ${counts.done}`,
        skippedItems: sql`${tasks.skippedItems} + ${counts.skipped}`,
        failedItems: sql`${tasks.failedItems} + ${counts.failed}`,
        ...(input.summary !== undefined ? { summary: input.summary } : {}),
        progressAt: now,
        attempts: 0,
        error: null,
        ...(finished
          ? { finishedAt: now, lockedBy: null, lockedUntil: null }
          : { lockedUntil: new Date(ctx.now.getTime() + input.leaseMs).toISOString() }),
      })
      .where(and(eq(tasks.shop, ctx.shop), eq(tasks.id, input.taskId)));
    return { status, recorded };
  });
}

/**
 * Extends the lease of a task the runner holds, while a long chunk runs (a Shopify bulk operation, a slow page).
 * Answers whether it still holds it and whether staff asked to cancel.
 */
export async function renewTaskLease({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number; workerId: string; leaseMs: number };
}): Promise<{ held: boolean; cancelRequested: boolean }> {
  const [row] = await inTransaction(ctx, (tx) =>
    tx
      .update(tasks)
      .set({ lockedUntil: new Date(ctx.now.getTime() + input.leaseMs).toISOString() })
      .where(
        and(
          eq(tasks.shop, ctx.shop),
          eq(tasks.id, input.taskId),
          eq(tasks.status, "running"),
          eq(tasks.lockedBy, input.workerId),
        ),
      )
      .returning({ cancelRequestedAt: tasks.cancelRequestedAt }),
  );
  return { held: row !== undefined, cancelRequested: row?.cancelRequestedAt != null };
}

/**
 * Hands a task back without finishing it (the server is shutting down): another runner, or this one after a restart,
 * claims it at once and resumes from its checkpoint. The claim it made does not count as a try.
 */
export async function releaseTask({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number; workerId: string };
}) {
  await inTransaction(ctx, (tx) =>
    tx
      .update(tasks)
      .set({ lockedBy: null, lockedUntil: null, attempts: larger(sql`${tasks.attempts} - 1`, 0) })
      .where(and(eq(tasks.shop, ctx.shop), eq(tasks.id, input.taskId), eq(tasks.lockedBy, input.workerId))),
  );
}

/**
 * A chunk threw. Its transaction rolled back, so nothing of it is recorded; the task waits a backoff and is tried again
 * from the same checkpoint, or fails with the reason after MAX_TASK_ATTEMPTS tries, or at once when `permanent` (a
 * rule said no: trying again cannot help).
 */
export async function failTaskAttempt({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  /** `refused`: a rule's refusal (a DomainError), which ends the task at once and is recorded as one. */
  input: { taskId: number; workerId: string; error: string; permanent: boolean; refused?: boolean };
}): Promise<{ status: TaskStatus }> {
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .select({ attempts: tasks.attempts, cancelRequestedAt: tasks.cancelRequestedAt })
      .from(tasks)
      .where(and(eq(tasks.shop, ctx.shop), eq(tasks.id, input.taskId), eq(tasks.lockedBy, input.workerId)));
    if (!row) return { status: "running" };
    const now = ctx.now.toISOString();
    // Staff asked to stop it: a chunk that failed on the way is where it stops.
    if (row.cancelRequestedAt !== null) {
      await tx
        .update(tasks)
        .set({
          status: "cancelled",
          error: input.error.slice(0, 2000),
          finishedAt: now,
          lockedBy: null,
          lockedUntil: null,
        })
        .where(and(eq(tasks.shop, ctx.shop), eq(tasks.id, input.taskId)));
      return { status: "cancelled" };
    }
    const giveUp = input.permanent || row.attempts >= MAX_TASK_ATTEMPTS;
    await tx
      .update(tasks)
      .set({
        error: input.error.slice(0, 2000),
        lockedBy: null,
        lockedUntil: null,
        ...(giveUp
          ? { status: "failed", finishedAt: now, refused: input.refused === true }
          : { retryAt: new Date(ctx.now.getTime() + taskRetryDelayMs(row.attempts)).toISOString() }),
      })
      .where(and(eq(tasks.shop, ctx.shop), eq(tasks.id, input.taskId)));
    return { status: giveUp ? "failed" : "running" };
  });
}

/**
 * Whether a task's chunks may be sized by time (app/jobs/task-pacers.ts): on SQLite a chunk's statements run
 * synchronously and hold the whole process until it commits; on PostgreSQL they wait on the network, which leaves the
 * event loop to requests meanwhile, so a fixed chunk holds no page back (decisions 030 and 069).
 */
export function taskChunksArePaced(): boolean {
  return !processOnPostgres();
}
