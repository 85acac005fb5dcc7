import { and, eq, inArray, isNotNull, lt } from "drizzle-orm";
import { taskItems, tasks } from "~/db/schema";
import { inTransaction, type AllShopsContext } from "../context";

/** How long a finished task and its results stay listed: long enough to come back for a download. */
export const KEEP_FINISHED_TASKS_DAYS = 90;

/**
 * Deletes tasks that finished more than `keepDays` ago, their results first, `batch` item rows per transaction so a
 * million-row task never holds the write lock for long. Deletes at most `limit` tasks a call; the audit trail keeps
 * its `task.start` lines (the job's id then leads nowhere). Returns how many tasks went.
 */
export async function pruneFinishedTasks({
  ctx,
  input,
}: {
  ctx: AllShopsContext;
  input: { keepDays: number; limit: number; batch?: number };
}): Promise<{ deleted: number }> {
  const cutoff = new Date(ctx.now.getTime() - input.keepDays * 86_400_000).toISOString();
  const old = await ctx.db
    .select({ id: tasks.id, shop: tasks.shop })
    .from(tasks)
    .where(and(isNotNull(tasks.finishedAt), lt(tasks.finishedAt, cutoff)))
    .orderBy(tasks.finishedAt)
    .limit(input.limit);
  for (const task of old) {
    for (;;) {
      const ids = await ctx.db
        .select({ id: taskItems.id })
        .from(taskItems)
        .where(and(eq(taskItems.shop, task.shop), eq(taskItems.taskId, task.id)))
        .limit(input.batch ?? 5000);
      if (ids.length === 0) break;
      await inTransaction(ctx, (tx) =>
        tx.delete(taskItems).where(
          and(
            eq(taskItems.shop, task.shop),
            inArray(
              taskItems.id,
              ids.map((row) => row.id),
            ),
          ),
        ),
      );
    }
    await inTransaction(ctx, (tx) => tx.delete(tasks).where(and(eq(tasks.shop, task.shop), eq(tasks.id, task.id))));
  }
  return { deleted: old.length };
}
