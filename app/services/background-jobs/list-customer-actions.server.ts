import { and, desc, eq, inArray } from "drizzle-orm";
import { isAuditedOnItsOwn, staffActionOnCustomerKinds, type CustomerBulkActionLine } from "~/domain/background-jobs";
import { taskItems, tasks } from "~/db/schema";
import type { ServiceContext } from "../context";

/**
 * The bulk actions that reached one customer (staffActionOnCustomerKinds: tags, block, points and their undo,
 * invitations, reminders, deletions), newest first, at most `limit`: each job's result line for them, whatever its
 * outcome, so a reminder that was not sent shows with its reason; points a job applied are left to the audit's own
 * "points.adjust" line (isAuditedOnItsOwn), so `limit` is an upper bound. Read by customer on task_items' (shop, customer_id)
 * index and each line's task by its key, never over the shop's tasks: the cost is this customer's own result lines.
 * Lines go with their task when finished tasks are pruned (KEEP_FINISHED_TASKS_DAYS).
 */
export async function listCustomerBulkActions({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; limit: number };
}): Promise<CustomerBulkActionLine[]> {
  const rows = await ctx.db
    .select({
      id: taskItems.id,
      taskId: taskItems.taskId,
      kind: tasks.kind,
      title: tasks.title,
      outcome: taskItems.outcome,
      message: taskItems.message,
      at: taskItems.at,
      actor: tasks.actor,
      actorName: tasks.actorName,
      input: tasks.input,
    })
    .from(taskItems)
    .innerJoin(tasks, and(eq(tasks.shop, taskItems.shop), eq(tasks.id, taskItems.taskId)))
    .where(
      and(
        eq(taskItems.shop, ctx.shop),
        eq(taskItems.customerId, input.customerId),
        inArray(
          tasks.kind,
          staffActionOnCustomerKinds.map((kind) => kind.kind),
        ),
      ),
    )
    .orderBy(desc(taskItems.id))
    .limit(input.limit);
  return rows.filter((row) => !isAuditedOnItsOwn(row)).map(({ input: _input, ...line }) => line);
}
