import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { auditEvents } from "~/db/schema";
import { findTaskTitles } from "../background-jobs/get-task.server";
import type { ServiceContext } from "../context";

export interface AuditEventView {
  id: number;
  at: string;
  actor: string;
  actorName: string | null;
  action: string;
  customerId: number | null;
  subject: string;
  before: unknown;
  after: unknown;
  taskId: number | null;
  /** The title of the job that wrote the line, as the Jobs list shows it; null when no job did or it was pruned. */
  taskTitle: string | null;
  requestId: string | null;
}

/**
 * The shop's audit trail, newest first, `limit` at a time, filtered by staff member (`actor`), customer and action,
 * any combination. Keyset on id (`before`: the last id of the previous page): each filter has an index that leads with
 * (shop, filter) and ends with id, so a page is one bounded range however long the trail. A line a job wrote carries
 * the job's title (`taskTitle`), read for the whole page at once; a pruned job's line keeps its `taskId` and no title.
 */
export async function listAuditEvents({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { actor?: string; customerId?: number; action?: string; before?: number; limit: number };
}): Promise<{ events: AuditEventView[]; nextBefore: number | null }> {
  const conditions: SQL[] = [eq(auditEvents.shop, ctx.shop)];
  if (input.actor !== undefined) conditions.push(eq(auditEvents.actor, input.actor));
  if (input.customerId !== undefined) conditions.push(eq(auditEvents.customerId, input.customerId));
  if (input.action !== undefined) conditions.push(eq(auditEvents.action, input.action));
  if (input.before !== undefined) conditions.push(lt(auditEvents.id, input.before));
  const rows = await ctx.db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      actor: auditEvents.actor,
      actorName: auditEvents.actorName,
      action: auditEvents.action,
      customerId: auditEvents.customerId,
      subject: auditEvents.subject,
      before: auditEvents.before,
      after: auditEvents.after,
      taskId: auditEvents.taskId,
      requestId: auditEvents.requestId,
    })
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const titles = await findTaskTitles({
    ctx,
    input: { taskIds: page.flatMap((row) => (row.taskId === null ? [] : [row.taskId])) },
  });
  const events = page.map((row) => ({
    ...row,
    taskTitle: row.taskId === null ? null : (titles.get(row.taskId) ?? null),
  }));
  return { events, nextBefore: rows.length > input.limit ? page.at(-1)!.id : null };
}

/**
 * Everyone who acted in the shop's trail, with the name they last acted under, for the staff filter. Read as a loose
 * index scan (one seek on (shop, actor) for each distinct actor, at most `limit`), so a trail of millions of lines
 * costs a few dozen seeks rather than a scan.
 */
export async function listAuditActors({
  ctx,
  input = { limit: 100 },
}: {
  ctx: ServiceContext;
  input?: { limit: number };
}): Promise<Array<{ actor: string; actorName: string | null }>> {
  const found: Array<{ actor: string; actorName: string | null }> = [];
  let after: string | undefined;
  while (found.length < input.limit) {
    const [next] = await ctx.db
      .select({ actor: auditEvents.actor, actorName: auditEvents.actorName })
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, ctx.shop), ...(after !== undefined ? [lt(auditEvents.actor, after)] : [])))
      // Both descending, so the (shop, actor, id) index serves the order, read backwards: the newest line's name.
      .orderBy(desc(auditEvents.actor), desc(auditEvents.id))
      .limit(1);
    if (!next) break;
    found.push(next);
    after = next.actor;
  }
  return found.sort((a, b) => (a.actorName ?? a.actor).localeCompare(b.actorName ?? b.actor));
}
