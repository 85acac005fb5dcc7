import type { TaskView } from "~/domain/background-jobs";
import type { tasks } from "~/db/schema";

export type { TaskView };

export function taskViewOf(row: typeof tasks.$inferSelect): TaskView {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    input: row.input,
    checkpoint: row.checkpoint,
    progress: { done: row.progressDone, total: row.progressTotal, unit: { one: row.unitOne, other: row.unitOther } },
    items: { done: row.doneItems, skipped: row.skippedItems, failed: row.failedItems },
    summary: row.summary ?? null,
    error: row.error,
    actor: row.actor,
    actorName: row.actorName,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    progressAt: row.progressAt,
    cancelRequested: row.cancelRequestedAt !== null,
  };
}
