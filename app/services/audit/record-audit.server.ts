import type { AuditAction } from "~/domain/audit";
import { insertRows } from "~/db/insert-rows";
import { auditEvents } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";

export interface AuditInput {
  action: AuditAction;
  /** What was acted on, in words staff read: "Pat Lee", "Program", "Recalculate points (job 12)". */
  subject: string;
  customerId?: number | null;
  /** The state before and after, as JSON (only what the action changed, or the whole small record). */
  before?: unknown;
  after?: unknown;
  taskId?: number | null;
  /** The request that made the change; defaults to none. */
  requestId?: string | null;
}

/**
 * Records one staff action in the audit trail, under `ctx.actor` and `ctx.actorName`, at `ctx.now`, inside the
 * caller's transaction (`tx`), so the line commits with the change it describes or not at all. Call it from the
 * service that makes the change, after the change, with what it was before and what it became.
 */
export async function recordAudit({ ctx, tx, input }: { ctx: ServiceContext; tx: Tx; input: AuditInput }) {
  const [row] = await tx
    .insert(auditEvents)
    .values({
      shop: ctx.shop,
      at: ctx.now.toISOString(),
      actor: ctx.actor,
      actorName: ctx.actorName ?? null,
      action: input.action,
      customerId: input.customerId ?? null,
      subject: input.subject,
      before: input.before ?? null,
      after: input.after ?? null,
      taskId: input.taskId ?? null,
      requestId: input.requestId ?? null,
    })
    .returning({ id: auditEvents.id });
  return row!;
}

/**
 * Records many staff actions at once, each as `recordAudit` would (same actor, time and transaction), in multi-row
 * inserts (insertRows: statements of up to 256 rows): what a background job's chunk writes for each customer it
 * changed, in the chunk's transaction, so a bulk action over 1,000,000 customers adds a statement per 256 of them
 * rather than one each (decision 017, amended). Nothing for an empty list.
 */
export async function recordAudits({ ctx, tx, input }: { ctx: ServiceContext; tx: Tx; input: readonly AuditInput[] }) {
  if (input.length === 0) return;
  const at = ctx.now.toISOString();
  await insertRows(
    tx,
    auditEvents,
    input.map((line) => ({
      shop: ctx.shop,
      at,
      actor: ctx.actor,
      actorName: ctx.actorName ?? null,
      action: line.action,
      customerId: line.customerId ?? null,
      subject: line.subject,
      before: line.before ?? null,
      after: line.after ?? null,
      taskId: line.taskId ?? null,
      requestId: line.requestId ?? null,
    })),
    ["id"],
  );
}

/** How the trail names a customer: their name, else their email, else their Shopify id. Erased with the customer. */
export function customerSubject(customer: {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  customerGid: string;
}): string {
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  return name || customer.email || `Customer ${customer.customerGid.split("/").pop()}`;
}
