import type { TaskView } from "~/domain/background-jobs";
import { sql } from "drizzle-orm";
import { tasks } from "~/db/schema";

export type { TaskView };

export function taskViewOf(row: typeof tasks.$inferSelect): TaskView {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    lane: row.lane,
    input: row.input,
    checkpoint: row.checkpoint,
    progress: { done: row.progressDone, total: row.progressTotal, unit: { one: row.unitOne, other: row.unitOther } },
    items: { done: row.doneItems, skipped: row.skippedItems, failed: row.failedItems },
    summary: row.summary ?? null,
    error: row.error,
    refused: row.refused,
    actor: row.actor,
    actorName: row.actorName,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    progressAt: row.progressAt,
    cancelRequested: row.cancelRequestedAt !== null,
  };
}

/**
 * `status in ('queued', 'running')` written with literals, as the partial index on unfinished tasks is: SQLite uses a
 * partial index only when the query's terms imply its condition, which bound parameters never do.
 */
export const isUnfinished = sql`${tasks.status} in ('queued', 'running')`;
