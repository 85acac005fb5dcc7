import { and, asc, eq } from "drizzle-orm";
import { sameWorkKeyOf, sameWorkRefusal, sameWorkRunningOf, type TaskLane } from "~/domain/background-jobs";
import { DomainError } from "~/domain/shared";
import { lockUntilCommit } from "~/db/dialect";
import { tasks } from "~/db/schema";
import { recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { isUnfinished, taskViewOf, type TaskView } from "./task-view";

export interface StartTaskInput {
  kind: string;
  title: string;
  unit: { one: string; other: string };
  /** The kind's input, already validated by its schema (submitTask). */
  input: unknown;
  /** The submit's own key (a form's request id): the same key finds the same task, never a second run. */
  idempotencyKey: string;
  /**
   * Only one task of this kind at a time per shop: a start while one is queued or running answers with that one (two
   * starts of one instant take turns, as `refuseSameWork`'s do).
   */
  oneAtATime?: boolean;
  /** The shop's lane it runs in (decision 017, "Lanes"); a writer unless said. */
  lane?: TaskLane;
  /**
   * Refuse the start when a queued or running task of the kind does the same work (`sameWorkKeyOf`, a directory bulk
   * action's kind, terms and selection): DomainError("already_running"). Left out, or false: no such check (the
   * merchant chose "Start it again anyway"; other callers). Such starts of one shop take turns from the check to
   * commit (on PostgreSQL a transaction advisory lock; SQLite's single writer already does), so two same submits of
   * one instant start one job.
   */
  refuseSameWork?: boolean;
}

/**
 * Queues a background task for the shop, started by `ctx.actor`, and records `task.start` in the audit trail in the
 * same transaction. Answers `{ task, created }`: `created` is false when the idempotency key (or, for a one-at-a-time
 * kind, an active task of the kind) already stood for a task, which is returned as it is now. The same key with
 * another kind or input is not a resubmit: DomainError("conflict"). The runner picks the task up within a second.
 */
export async function startTask({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: StartTaskInput;
}): Promise<{ task: TaskView; created: boolean }> {
  return inTransaction(ctx, async (tx) => {
    // Only directory bulk actions have a same-work key; other kinds take no lock unless one at a time (the sync).
    const sameWorkKey = input.refuseSameWork ? sameWorkKeyOf({ kind: input.kind, input: input.input }) : undefined;
    // Read committed lets two same submits of one instant each read no other and both insert (two tabs, decision 068;
    // two Sync customers clicks): the shop's checked starts of a kind take turns from here to commit, so the later one
    // reads the earlier one's job. Taken before the request id is looked up, so a form's own resubmit in that instant
    // still answers its job.
    if (sameWorkKey !== undefined || input.oneAtATime) {
      await lockUntilCommit(tx, `tally-task-start:${ctx.shop}:${input.kind}`);
    }
    const [earlier] = await tx
      .select()
      .from(tasks)
      .where(and(eq(tasks.shop, ctx.shop), eq(tasks.idempotencyKey, input.idempotencyKey)));
    if (earlier) {
      if (earlier.kind !== input.kind || JSON.stringify(earlier.input) !== JSON.stringify(input.input)) {
        throw new DomainError("conflict", "This request was already used to start another job", {
          idempotencyKey: input.idempotencyKey,
        });
      }
      return { task: taskViewOf(earlier), created: false };
    }
    if (sameWorkKey !== undefined) await refuseSameWork(tx, ctx, input.kind, sameWorkKey);
    if (input.oneAtATime) {
      const [active] = await tx
        .select()
        .from(tasks)
        .where(and(eq(tasks.shop, ctx.shop), isUnfinished, eq(tasks.kind, input.kind)))
        .limit(1);
      if (active) return { task: taskViewOf(active), created: false };
    }
    const [row] = await tx
      .insert(tasks)
      .values({
        shop: ctx.shop,
        kind: input.kind,
        title: input.title,
        status: "queued",
        lane: input.lane ?? "write",
        idempotencyKey: input.idempotencyKey,
        input: input.input,
        unitOne: input.unit.one,
        unitOther: input.unit.other,
        actor: ctx.actor,
        actorName: ctx.actorName ?? null,
        createdAt: ctx.now.toISOString(),
      })
      .returning();
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "task.start",
        subject: input.title,
        after: { kind: input.kind, input: input.input },
        taskId: row!.id,
        requestId: input.idempotencyKey,
      },
    });
    return { task: taskViewOf(row!), created: true };
  });
}

/**
 * Throws DomainError("already_running") when a queued or running task of the shop and `kind` does the same work: its
 * `sameWorkKeyOf` is `key`, the start's own (app/domain/background-jobs/running-bulk-actions.ts says what "the same"
 * is). Names the oldest such task in `details.sameWork`. One read of the partial index of unfinished tasks (shop,
 * status queued or running; the kind is tested on its few rows), so a shop with a million customers and years of
 * finished jobs reads only what runs now.
 */
async function refuseSameWork(tx: Tx, ctx: ServiceContext, kind: string, key: string): Promise<void> {
  const active = await tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.shop, ctx.shop), isUnfinished, eq(tasks.kind, kind)))
    .orderBy(asc(tasks.id));
  const same = active.find((row) => sameWorkKeyOf(row) === key);
  const sameWork = same ? sameWorkRunningOf(taskViewOf(same), ctx.now) : undefined;
  if (!sameWork) return;
  throw new DomainError(
    "already_running",
    sameWorkRefusal(sameWork, (value) => value.toLocaleString("en-US")),
    { sameWork },
  );
}
