import type { z } from "zod";
import type { ItemOutcome } from "~/domain/background-jobs";
import type { TaskView } from "~/services/background-jobs/task-view";
import type { ReportedItem } from "~/services/background-jobs/run-task.server";
import type { ServiceContext, Tx } from "~/services/context";
import type { unauthenticated } from "~/shopify.server";

/*
 * The kinds of background task Tally knows (decision 014). A feature adds one file under app/jobs/tasks/kinds/ that
 * calls `registerTaskKind`, and one import line in app/jobs/tasks/kinds.server.ts; the runner, the Jobs pages, the
 * progress card, the results and their CSV come with it.
 */

/** The shop's Admin API client (the offline session), for kinds that call Shopify. */
export type ShopifyGraphql = Awaited<ReturnType<typeof unauthenticated.admin>>["admin"]["graphql"];

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
  shopify: () => Promise<ShopifyGraphql>;
  /** Aborted when the runner lost the task or is stopping: end a long wait (a bulk operation's poll) early. */
  signal: AbortSignal;
}

/** What a chunk returns: where the next chunk starts, or that the task is done. */
export type TaskStep<Checkpoint> =
  { next: Checkpoint; summary?: Record<string, unknown> } | { done: true; summary?: Record<string, unknown> };

export interface TaskKind<Input, Checkpoint> {
  /** A dotted name, stored with each task: "points.recalculate", "customers.import". Never renamed once shipped. */
  kind: string;
  /** The title staff see on the Jobs page and the progress card. */
  title: (input: Input) => string;
  /** What the progress counts: { one: "customer", other: "customers" }. */
  unit: { one: string; other: string };
  /** The words for each outcome in the results (tabs and CSV): { done: "Repaired" }. Defaults: Done, Skipped, Failed. */
  outcomes?: Partial<Record<ItemOutcome, string>>;
  /** Validates the input when the task is started and again each time a runner picks it up. */
  input: z.ZodType<Input>;
  /** Validates the stored checkpoint when a runner resumes the task. */
  checkpoint: z.ZodType<Checkpoint>;
  /** Where the first chunk starts. */
  initialCheckpoint: Checkpoint;
  /** A start while a task of this kind is queued or running for the shop answers with that task. */
  oneAtATime?: boolean;
  /** Runs once before the first chunk (outside any transaction): counts the total, may adjust the first checkpoint. */
  begin?: (args: {
    ctx: ServiceContext;
    task: TaskView;
    input: Input;
    shopify: () => Promise<ShopifyGraphql>;
  }) => Promise<{ total?: number | null; checkpoint?: Checkpoint }>;
  /**
   * One chunk: small enough to commit in well under a second (a few hundred customers, one page from Shopify), so
   * pages and webhooks stay responsive and a restart loses little. Returns the next checkpoint, or done.
   */
  chunk: (args: TaskChunkArgs<Input, Checkpoint>) => Promise<TaskStep<Checkpoint>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind keeps its own input and checkpoint types
type AnyTaskKind = TaskKind<any, any>;

const kinds = new Map<string, AnyTaskKind>();

/** Adds a kind of task. Throws when the name is taken: two features must not run each other's tasks. */
export function registerTaskKind<Input, Checkpoint>(kind: TaskKind<Input, Checkpoint>): TaskKind<Input, Checkpoint> {
  const existing = kinds.get(kind.kind);
  if (existing && existing !== kind) throw new Error(`A task kind named ${kind.kind} is already registered`);
  kinds.set(kind.kind, kind);
  return kind;
}

export function findTaskKind(name: string): AnyTaskKind | undefined {
  return kinds.get(name);
}

const defaultOutcomes: Record<ItemOutcome, string> = { done: "Done", skipped: "Skipped", failed: "Failed" };

/** The words a page shows for a task's outcomes. */
export function outcomeLabelsOf(name: string): Record<ItemOutcome, string> {
  return { ...defaultOutcomes, ...findTaskKind(name)?.outcomes };
}
