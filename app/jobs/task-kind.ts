import type { z } from "zod";
import type { TaskKindDefinition } from "~/domain/background-jobs";
import type { TaskView } from "~/services/background-jobs/task-view";
import type { ReportedItem } from "~/services/background-jobs/run-task.server";
import type { ServiceContext, Tx } from "~/services/context";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";

// How a kind of background task runs (decision 017): one file in app/jobs/tasks/, listed once in
// app/jobs/tasks.server.ts, beside its definition in app/domain/background-jobs/kinds.ts (name, title, unit, input).
// The runner (app/jobs/task-runner.server.ts) claims the task, runs `begin` once and then `chunk` after `chunk`,
// committing each chunk's writes, results, progress and next checkpoint together. A task calls services (which write)
// and Shopify adapters; never app/db.

/** What a chunk records. Everything it reports commits together with its writes and the next checkpoint, or nothing. */
export interface TaskReporter {
  /** One item's result: unique per task by `key`, so an item recorded in an earlier run is not recorded again. */
  item(item: ReportedItem): void;
  /** `advance`: how many counted things this chunk handled (default: its new items); `total` once known or changed. */
  progress(progress: { advance?: number; total?: number | null }): void;
  /**
   * Database work to commit with this chunk: run, in order, inside the transaction that records the chunk's items and
   * moves its checkpoint. It may report items (a recalculation learns its drifts there). Queries only: no Shopify.
   */
  write(work: (tx: Tx) => Promise<void>): void;
  /** Which of these keys the task already recorded (in any earlier run): skip them before acting. */
  recorded(keys: readonly string[]): Promise<Set<string>>;
}

export interface TaskChunkArgs<Input, Checkpoint> {
  /** The task's shop, acting as the staff member who started it, at this chunk's time. */
  ctx: ServiceContext;
  task: TaskView;
  input: Input;
  checkpoint: Checkpoint;
  report: TaskReporter;
  /** The shop's Admin API client; call Shopify here, outside any transaction, never inside `report.write`. */
  shopify: () => Promise<AdminGraphql>;
  /** Aborted when the runner lost the task or is stopping: end a long wait (a bulk operation's poll) early. */
  signal: AbortSignal;
}

/** What a chunk returns: where the next chunk starts, or that the task is done. */
export type TaskStep<Checkpoint> =
  { next: Checkpoint; summary?: Record<string, unknown> } | { done: true; summary?: Record<string, unknown> };

export interface TaskRun<Input, Checkpoint> {
  /** The kind this runs: its name, title, unit, outcomes and input schema. */
  definition: TaskKindDefinition<Input>;
  /** Validates the stored checkpoint when a runner resumes the task. */
  checkpoint: z.ZodType<Checkpoint>;
  /** Where the first chunk starts. */
  initialCheckpoint: Checkpoint;
  /** Runs once before the first chunk (outside any transaction): counts the total, may adjust the first checkpoint. */
  begin?: (args: {
    ctx: ServiceContext;
    task: TaskView;
    input: Input;
    shopify: () => Promise<AdminGraphql>;
  }) => Promise<{ total?: number | null; checkpoint?: Checkpoint }>;
  /**
   * One chunk: small enough to commit in well under a second (a few hundred customers, one page from Shopify), so
   * pages and webhooks stay responsive and a restart loses little. Returns the next checkpoint, or done.
   */
  chunk: (args: TaskChunkArgs<Input, Checkpoint>) => Promise<TaskStep<Checkpoint>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind keeps its own input and checkpoint types
export type AnyTaskRun = TaskRun<any, any>;
