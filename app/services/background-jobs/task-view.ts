import type { TaskStatus } from "~/domain/background-jobs";
import type { tasks } from "~/db/schema";

/** A task as pages and the runner read it. */
export interface TaskView {
  id: number;
  kind: string;
  title: string;
  status: TaskStatus;
  input: unknown;
  checkpoint: unknown;
  progress: { done: number; total: number | null; unit: { one: string; other: string } };
  items: { done: number; skipped: number; failed: number };
  summary: Record<string, unknown> | null;
  error: string | null;
  actor: string;
  actorName: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progressAt: string | null;
  cancelRequested: boolean;
}

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
