import { and, asc, count, desc, eq, gt, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import {
  resumesAt,
  undoKeyOf,
  type ItemOutcome,
  type TaskItemView,
  type TaskLane,
  type TaskStatus,
} from "~/domain/background-jobs";
import { DomainError } from "~/domain/shared";
import { customers, taskItems, tasks } from "~/db/schema";
import { env } from "~/lib/env.server";
import type { ServiceContext } from "../context";
import { isUnfinished, taskViewOf, type TaskView } from "./task-view";

export type { TaskItemView };

/**
 * A task as its page and the Jobs list show it: a running task no runner holds since Tally restarted says when it is
 * taken up again (`resumesAt`, the rule in app/domain/background-jobs/progress.ts), from its lease as the runner wrote it.
 */
function pageViewOf(row: typeof tasks.$inferSelect, now: Date): TaskView {
  const view = taskViewOf(row);
  const resumes = resumesAt(row, now, env().TASK_LEASE_SECONDS * 1000);
  return resumes ? { ...view, resumesAt: resumes.toISOString() } : view;
}

/**
 * The views with each queued task's `waitsFor`: the title of the task that holds its lane (decision 017, "Lanes") under
 * a live lease, so its card says "Waits for Sync customers to finish" rather than only "Queued". One read of the
 * shop's running tasks (the partial index of unfinished tasks), and only when one of the views is queued.
 */
async function withWaits(ctx: ServiceContext, views: TaskView[]): Promise<TaskView[]> {
  if (!views.some((view) => view.status === "queued")) return views;
  const holders = await ctx.db
    .select({ lane: tasks.lane, title: tasks.title })
    .from(tasks)
    .where(
      and(
        eq(tasks.shop, ctx.shop),
        isUnfinished,
        eq(tasks.status, "running"),
        gte(tasks.lockedUntil, ctx.now.toISOString()),
      ),
    )
    .orderBy(asc(tasks.id));
  const holderOf = new Map<TaskLane, string>();
  for (const holder of holders) if (!holderOf.has(holder.lane)) holderOf.set(holder.lane, holder.title);
  return views.map((view) => {
    const holder = view.status === "queued" ? holderOf.get(view.lane) : undefined;
    return holder === undefined ? view : { ...view, waitsFor: holder };
  });
}

/**
 * The task, or DomainError("not_found") for an id of another shop or none. A queued task says which task of its lane it
 * waits for (`waitsFor`); a running one no runner holds, when it is taken up again (`resumesAt`).
 */
export async function getTask({ ctx, input }: { ctx: ServiceContext; input: { taskId: number } }): Promise<TaskView> {
  const [row] = await ctx.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.shop, ctx.shop), eq(tasks.id, input.taskId)));
  if (!row) throw new DomainError("not_found", "No such job", { taskId: input.taskId });
  const [view] = await withWaits(ctx, [pageViewOf(row, ctx.now)]);
  return view!;
}

/**
 * Each of `taskIds`' title, as the Jobs list and the job's page show it (the title its kind gave it when it was
 * submitted), by task id: one read of the shop's tasks by key for a whole page of lines that name their job, never one
 * per line. A pruned task (pruneFinishedTasks) or another shop's id is absent from the map.
 */
export async function findTaskTitles({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskIds: readonly number[] };
}): Promise<Map<number, string>> {
  const ids = [...new Set(input.taskIds)];
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: tasks.id, title: tasks.title })
    .from(tasks)
    .where(and(eq(tasks.shop, ctx.shop), inArray(tasks.id, ids)));
  return new Map(rows.map((row) => [row.id, row.title]));
}

/**
 * The task started under `idempotencyKey` (a request's id, or a key a kind derives such as `undoKeyOf`), or null when
 * none was: one read of the (shop, idempotency_key) unique index.
 */
export async function findTaskByKey({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { idempotencyKey: string };
}): Promise<TaskView | null> {
  const [row] = await ctx.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.shop, ctx.shop), eq(tasks.idempotencyKey, input.idempotencyKey)));
  return row ? taskViewOf(row) : null;
}

/**
 * The shop's tasks, newest first, `limit` at a time; `before` is the last id of the previous page (keyset on
 * (shop, id), so page 1,000 costs what page 1 does). `active` keeps only queued and running ones, `kinds` only those
 * kinds (tested on the rows the index gives, so used with `active`, which reads only unfinished tasks). Queued tasks say
 * which task of their lane they wait for (`waitsFor`); running ones no runner holds, when they are taken up again
 * (`resumesAt`).
 */
export async function listTasks({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { before?: number; limit: number; active?: boolean; kinds?: readonly string[] };
}): Promise<{
  tasks: TaskView[];
  nextBefore: number | null;
  /** The undo job of each listed task that has one (a bulk points adjustment undone), by the task's id. */
  undos: Record<number, { id: number; status: TaskStatus }>;
}> {
  const conditions: SQL[] = [eq(tasks.shop, ctx.shop)];
  if (input.before !== undefined) conditions.push(lt(tasks.id, input.before));
  if (input.kinds) conditions.push(inArray(tasks.kind, [...input.kinds]));
  const rows = await ctx.db
    .select()
    .from(tasks)
    .where(and(...conditions, ...(input.active ? [isUnfinished] : [])))
    .orderBy(desc(tasks.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  // One read of the (shop, idempotency_key) unique index for the page: an undo is started under its task's key.
  const undos: Record<number, { id: number; status: TaskStatus }> = {};
  const byKey = new Map(page.map((row) => [undoKeyOf(row.id), row.id]));
  if (byKey.size > 0) {
    const found = await ctx.db
      .select({ id: tasks.id, key: tasks.idempotencyKey, status: tasks.status })
      .from(tasks)
      .where(and(eq(tasks.shop, ctx.shop), inArray(tasks.idempotencyKey, [...byKey.keys()])));
    for (const undo of found) {
      const of = undo.key === null ? undefined : byKey.get(undo.key);
      if (of !== undefined) undos[of] = { id: undo.id, status: undo.status as TaskStatus };
    }
  }
  return {
    tasks: await withWaits(
      ctx,
      page.map((row) => pageViewOf(row, ctx.now)),
    ),
    nextBefore: rows.length > input.limit ? page.at(-1)!.id : null,
    undos,
  };
}

/**
 * What a result line is called: the customer's name as Tally holds it now (so an erased customer's name is gone from
 * every job), else their email, else the label the task wrote, else the key. An order's line (its key an Order gid)
 * keeps the order's name first, with its customer beside it: "#1001 · Giulia Moreau" (an order list that showed only
 * names read as a customer list: found by a newcomer).
 */
function labelOf(row: {
  key: string;
  label: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}): string {
  const customer = [row.firstName, row.lastName].filter(Boolean).join(" ") || row.email;
  if (row.key.startsWith("gid://shopify/Order/") && row.label)
    return customer ? `${row.label} · ${customer}` : row.label;
  return customer || row.label || row.key;
}

/**
 * One page of a task's results in the order they were recorded, optionally one outcome only. Keyset both ways:
 * `after` (the last id shown) for the next page, `before` (the first id shown) for the previous one; each is one range
 * on (shop, task, id) or (shop, task, outcome, id), whatever the size of the task.
 */
export async function listTaskItems({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number; outcome?: ItemOutcome; after?: number; before?: number; limit: number };
}): Promise<{ items: TaskItemView[]; hasPrevious: boolean; hasNext: boolean }> {
  const base: SQL[] = [eq(taskItems.shop, ctx.shop), eq(taskItems.taskId, input.taskId)];
  if (input.outcome) base.push(eq(taskItems.outcome, input.outcome));
  const backwards = input.before !== undefined;
  const cursor =
    input.before !== undefined
      ? [lt(taskItems.id, input.before)]
      : input.after !== undefined
        ? [gt(taskItems.id, input.after)]
        : [];
  const rows = await ctx.db
    .select({
      id: taskItems.id,
      key: taskItems.itemKey,
      label: taskItems.label,
      customerId: taskItems.customerId,
      outcome: taskItems.outcome,
      message: taskItems.message,
      at: taskItems.at,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
      customerGid: customers.customerGid,
    })
    .from(taskItems)
    .leftJoin(customers, and(eq(customers.shop, taskItems.shop), eq(customers.id, taskItems.customerId)))
    .where(and(...base, ...cursor))
    .orderBy(backwards ? desc(taskItems.id) : asc(taskItems.id))
    .limit(input.limit + 1);
  const more = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  if (backwards) page.reverse();
  const items = page.map((row) => ({
    id: row.id,
    key: row.key,
    label: labelOf(row),
    detail: row.email && [row.firstName, row.lastName].some(Boolean) ? row.email : null,
    customerId: row.customerId,
    email: row.email,
    shopifyId: row.customerGid ?? (row.key.startsWith("gid://shopify/") ? row.key : null),
    outcome: row.outcome,
    message: row.message,
    at: row.at,
  }));
  return {
    items,
    hasPrevious: backwards ? more : input.after !== undefined,
    hasNext: backwards ? true : more,
  };
}

/**
 * Every result of a task, a page of `pageSize` at a time, for a download streamed as it is read: memory stays one
 * page whatever the size of the task.
 */
export async function* iterateTaskItems({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number; outcome?: ItemOutcome; pageSize?: number };
}): AsyncGenerator<TaskItemView> {
  let after: number | undefined;
  for (;;) {
    const { items, hasNext } = await listTaskItems({
      ctx,
      input: { taskId: input.taskId, outcome: input.outcome, after, limit: input.pageSize ?? 1000 },
    });
    yield* items;
    if (!hasNext || items.length === 0) return;
    after = items.at(-1)!.id;
  }
}

/**
 * Which of `keys` the task already recorded a result for: a kind whose checkpoint cannot say exactly where it stopped
 * (a file read in blocks, a Shopify bulk operation) asks before acting, so a resumed task never acts on an item twice.
 */
export async function findRecordedItems({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number; keys: readonly string[] };
}): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < input.keys.length; start += 500) {
    const rows = await ctx.db
      .select({ key: taskItems.itemKey })
      .from(taskItems)
      .where(
        and(
          eq(taskItems.shop, ctx.shop),
          eq(taskItems.taskId, input.taskId),
          inArray(taskItems.itemKey, input.keys.slice(start, start + 500)),
        ),
      );
    for (const row of rows) found.add(row.key);
  }
  return found;
}

/**
 * How many of a task's results have this outcome and message (or a message starting with `messageStartsWith`, for
 * lines that carry the customer's own figures): a kind whose finished line names one kind of skip apart ("1 already
 * matching", "12 not changed (not enough points)") counts it once, at its end, from what was recorded (a resumed
 * chunk's items once).
 */
export async function countTaskItems({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number; outcome: ItemOutcome } & ({ message: string } | { messageStartsWith: string });
}): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(taskItems)
    .where(
      and(
        eq(taskItems.shop, ctx.shop),
        eq(taskItems.taskId, input.taskId),
        eq(taskItems.outcome, input.outcome),
        "message" in input
          ? eq(taskItems.message, input.message)
          : // substr, not LIKE: a program's points name may hold % or _ (SQLite and PostgreSQL both have substr).
            sql`substr(${taskItems.message}, 1, ${sql.raw(String(input.messageStartsWith.length))}) = ${input.messageStartsWith}`,
      ),
    );
  return row?.n ?? 0;
}
