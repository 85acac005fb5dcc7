import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Durable background jobs ("tasks"): long work staff start (recalculate, sync, import, export, bulk actions, emails),
 * run in chunks by the task runner (app/jobs/task-runner.server.ts) and resumed from `checkpoint` after a restart.
 * Decision 017 explains the lease, the checkpoint and why a resumed task never acts on an item twice.
 *
 * Sized for a 1,000,000-customer shop: a shop's list pages by (shop, id); the runner's claim reads only the queued and
 * running rows (a partial index that stays tiny however many tasks finished). These tables, and audit_events, carry no
 * foreign keys: SQLite checks one on every delete of the parent by searching the child table, and an index that leads
 * with the shop (as every index here does, for a database sharded by shop) cannot serve that search, so deleting one
 * customer would scan millions of rows. Children are deleted explicitly, by their shop-led indexes (pruning, erasure).
 */
export const tasks = sqliteTable(
  "tasks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    /** The registered kind ("points.recalculate"), whose handler runs it. */
    kind: text("kind").notNull(),
    /** What staff see: "Recalculate points". */
    title: text("title").notNull(),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed", "cancelled"] }).notNull(),
    /**
     * The shop's lane it runs in, from its kind when queued (decision 017, "Lanes"): one "write" task and one "read"
     * task of a shop run at a time. Tasks queued before lanes existed are writers, as they ran then.
     */
    lane: text("lane", { enum: ["write", "read"] })
      .notNull()
      .default("write"),
    /** Unique per shop: a repeated submit (a double click, a retried request) finds this task instead of a second. */
    idempotencyKey: text("idempotency_key").notNull(),
    /** The kind's input, validated by its zod schema when the task is started and again when it runs. */
    input: text("input", { mode: "json" }).$type<unknown>().notNull(),
    /** Where the next chunk starts (the kind's own shape); null before the first chunk. */
    checkpoint: text("checkpoint", { mode: "json" }).$type<unknown>(),
    /**
     * How many of the counted things were handled so far and, once known, how many there are. Not the item rows: a
     * recalculation counts every customer it checked and lists only those it repaired.
     */
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total"),
    /** What is counted, singular and plural: "customer" / "customers". */
    unitOne: text("unit_one").notNull(),
    unitOther: text("unit_other").notNull(),
    /** Item rows per outcome, so the result tabs show their counts without counting a million rows. */
    doneItems: integer("done_items").notNull().default(0),
    skippedItems: integer("skipped_items").notNull().default(0),
    failedItems: integer("failed_items").notNull().default(0),
    /** The kind's summary when it finished (its own shape, e.g. { repaired: 12 }). */
    summary: text("summary", { mode: "json" }).$type<Record<string, unknown>>(),
    error: text("error"),
    /**
     * It failed because a rule refused it (a DomainError: an undo whose points were spent, a file Tally cannot read),
     * not because something broke: the page says "Not done" with the reason, never a crash's red "Failed".
     */
    refused: integer("refused", { mode: "boolean" }).notNull().default(false),
    /** Who started it (ServiceContext.actor) and their name as Shopify gave it. */
    actor: text("actor").notNull(),
    actorName: text("actor_name"),
    createdAt: text("created_at").notNull(),
    startedAt: text("started_at"),
    finishedAt: text("finished_at"),
    /** The last committed chunk: with startedAt, the page's rate and estimate. */
    progressAt: text("progress_at"),
    /** Staff asked to cancel a running task: the runner stops after the chunk in hand. */
    cancelRequestedAt: text("cancel_requested_at"),
    /** The runner holding the task, and until when; a lease that ran out (the process died) is claimed again. */
    lockedBy: text("locked_by"),
    lockedUntil: text("locked_until"),
    /** Claims since the last committed chunk: a task that keeps killing its runner fails instead of looping. */
    attempts: integer("attempts").notNull().default(0),
    /** A failed chunk is not tried again before this time (backoff). */
    retryAt: text("retry_at"),
  },
  (table) => [
    uniqueIndex("tasks_idempotency_uq").on(table.shop, table.idempotencyKey),
    // The Jobs page: a shop's tasks newest first, keyset by id.
    index("tasks_shop_id_idx").on(table.shop, table.id),
    // Unfinished tasks only, so both stay tiny however many finished: a shop's (Home, one-at-a-time kinds) and the
    // runner's work list across shops, oldest first.
    index("tasks_active_idx")
      .on(table.shop, table.id)
      .where(sql`${table.status} in ('queued', 'running')`),
    index("tasks_queue_idx")
      .on(table.id)
      .where(sql`${table.status} in ('queued', 'running')`),
    // Pruning finished tasks by age.
    index("tasks_finished_idx")
      .on(table.finishedAt)
      .where(sql`${table.finishedAt} is not null`),
  ],
);

/**
 * One row per item a task handled, unique per (task, item): the runner records a chunk's items in the transaction that
 * moves the checkpoint, so a resumed task never records an item twice, and a handler can ask which of its next items
 * were already handled before acting on them. A million-item task pages its results by keyset on (task, id), and by
 * (task, outcome, id) for the Failed and Skipped tabs.
 */
export const taskItems = sqliteTable(
  "task_items",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    taskId: integer("task_id").notNull(),
    /** The item's stable key: a customer gid, "row:17" of an imported file. */
    itemKey: text("item_key").notNull(),
    /** The Tally customer it concerns, when it is one: for the customer's name on the page, and for erasure. */
    customerId: integer("customer_id"),
    /** What staff read for the item when it is not a customer (an imported row's email); erased with the customer. */
    label: text("label"),
    outcome: text("outcome", { enum: ["done", "skipped", "failed"] }).notNull(),
    /** What happened, in staff's words: "Balance 120 → 100 points (was off by 20)", "Shopify said: …". */
    message: text("message"),
    /**
     * Whole points the item counted, when its kind counts some: what an order of a "Points for past orders" preview
     * would earn, so a give of another backfill can take exactly that order's share off the preview's total.
     */
    points: integer("points"),
    at: text("at").notNull(),
  },
  (table) => [
    uniqueIndex("task_items_item_uq").on(table.shop, table.taskId, table.itemKey),
    index("task_items_task_idx").on(table.shop, table.taskId, table.id),
    index("task_items_outcome_idx").on(table.shop, table.taskId, table.outcome, table.id),
    // Erasure finds a customer's items without scanning every task.
    index("task_items_customer_idx")
      .on(table.shop, table.customerId)
      .where(sql`${table.customerId} is not null`),
  ],
);
