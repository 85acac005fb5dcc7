import { and, eq } from "drizzle-orm";
import { isFinished } from "~/domain/background-jobs";
import { DomainError } from "~/domain/shared";
import { tasks } from "~/db/schema";
import { recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext } from "../context";
import { taskViewOf, type TaskView } from "./task-view";

/**
 * Staff cancel a task. A queued one is cancelled at once; a running one is asked to stop, and its runner stops after
 * the chunk in hand (what it did stays done, listed in its results). Cancelling a finished task changes nothing and
 * answers it as it is; asking twice records one `task.cancel`. Throws DomainError("not_found") for a task of
 * another shop.
 */
export async function cancelTask({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number };
}): Promise<{ task: TaskView; cancelled: boolean }> {
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .select()
      .from(tasks)
      .where(and(eq(tasks.shop, ctx.shop), eq(tasks.id, input.taskId)));
    if (!row) throw new DomainError("not_found", "No such job", { taskId: input.taskId });
    if (isFinished(row.status) || row.cancelRequestedAt !== null) return { task: taskViewOf(row), cancelled: false };
    const now = ctx.now.toISOString();
    const [updated] = await tx
      .update(tasks)
      .set(
        row.status === "queued"
          ? { status: "cancelled", cancelRequestedAt: now, finishedAt: now, lockedBy: null, lockedUntil: null }
          : { cancelRequestedAt: now },
      )
      .where(and(eq(tasks.shop, ctx.shop), eq(tasks.id, row.id)))
      .returning();
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "task.cancel",
        subject: row.title,
        before: { status: row.status, done: row.progressDone, total: row.progressTotal },
        after: { status: updated!.status },
        taskId: row.id,
      },
    });
    return { task: taskViewOf(updated!), cancelled: true };
  });
}
