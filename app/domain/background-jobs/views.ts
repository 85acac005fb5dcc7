import type { ItemOutcome, TaskLane, TaskStatus } from "./progress";

/** A background task as pages, the runner and kinds read it (JSON-safe: it travels to the progress card). */
export interface TaskView {
  id: number;
  kind: string;
  title: string;
  status: TaskStatus;
  /** The shop's lane it runs in (decision 017, "Lanes"): one writer and one reader of a shop run at a time. */
  lane: TaskLane;
  /**
   * While it is queued behind another task of its lane: that task's title ("Sync customers"). Read by the pages
   * (getTask, listTasks); absent when nothing of its lane runs, and in the runner's views.
   */
  waitsFor?: string;
  /**
   * While it is running but no runner holds it (Tally restarted: resumesAt): the time (ISO) a runner takes it up again
   * at the latest. Read by the pages (getTask, listTasks); absent otherwise.
   */
  resumesAt?: string;
  input: unknown;
  checkpoint: unknown;
  /** What is counted ("customer"/"customers"), how many so far, and how many in all once known. */
  progress: { done: number; total: number | null; unit: { one: string; other: string } };
  /** Result rows per outcome. */
  items: Record<ItemOutcome, number>;
  summary: Record<string, unknown> | null;
  error: string | null;
  /**
   * Failed because a rule refused it (an undo whose points were spent, a file Tally cannot read), not because something
   * broke: `error` is the refusal, in the merchant's words. False for every other state.
   */
  refused: boolean;
  actor: string;
  actorName: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progressAt: string | null;
  cancelRequested: boolean;
}

/** One result line of a task. */
export interface TaskItemView {
  id: number;
  key: string;
  /** The customer's name or email, the item's own label, or its key. */
  label: string;
  /**
   * The customer's email when `label` is their name, so two customers of one name tell apart in a result list
   * (three "Giulia Rossi" lines read alike: found by a newcomer); null otherwise.
   */
  detail: string | null;
  customerId: number | null;
  /** The customer's email as Tally holds it now; null for a line without a customer or one without an email. */
  email: string | null;
  /** The customer's Shopify GraphQL id, else the line's own when it is one (an order's); null otherwise. */
  shopifyId: string | null;
  outcome: ItemOutcome;
  message: string | null;
  at: string;
}

/**
 * One customer's result line in a staff member's bulk action (staffActionOnCustomerKinds), with its job: what the
 * profile's audit trail shows of the bulk actions that reached the customer.
 */
export interface CustomerBulkActionLine {
  /** The result line's id (task_items.id). */
  id: number;
  taskId: number;
  kind: string;
  /** The job's title: "Email points reminder", "Add tags VIP". */
  title: string;
  outcome: ItemOutcome;
  /** What happened to this customer, in staff's words: "Added VIP", "Not subscribed to email marketing". */
  message: string | null;
  /** When the job reached this customer (ISO). */
  at: string;
  /** Who started the job (ServiceContext.actor) and their name then. */
  actor: string;
  actorName: string | null;
}
