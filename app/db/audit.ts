import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The audit trail: one row per staff action that changed a customer, the program or Tally's work (issue 11), written
 * in the same transaction as the change it records (app/services/audit/record-audit.server.ts), so there is never a
 * change without its line nor a line without its change. Append-only.
 *
 * Listed newest first by id (ids grow with commits, so id order is time order on one writer): by shop, by customer,
 * by staff member and by action, each a keyset range on its own index for a shop with millions of events.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    at: text("at").notNull(),
    /** ServiceContext.actor: "staff:<user id>", "shopify", "tally-jobs". */
    actor: text("actor").notNull(),
    /** The staff member's name as Shopify gave it when they acted. */
    actorName: text("actor_name"),
    /** A dotted name from app/domain/audit/actions.ts: "points.adjust", "customer.block", "task.start". */
    action: text("action").notNull(),
    /** The Tally customer acted on (customers.id), if any; no foreign key (see app/db/background-jobs.ts). */
    customerId: integer("customer_id"),
    /** What was acted on, in words staff read: "Pat Lee", "Program", "Recalculate points (job 12)". */
    subject: text("subject").notNull(),
    before: text("before", { mode: "json" }).$type<unknown>(),
    after: text("after", { mode: "json" }).$type<unknown>(),
    /** The background task this action started, cancelled or belongs to. */
    taskId: integer("task_id"),
    /** The request that made the change (a form's request id), to tie a line to a retry or a log. */
    requestId: text("request_id"),
  },
  (table) => [
    index("audit_events_shop_idx").on(table.shop, table.id),
    index("audit_events_customer_idx")
      .on(table.shop, table.customerId, table.id)
      .where(sql`${table.customerId} is not null`),
    index("audit_events_actor_idx").on(table.shop, table.actor, table.id),
    index("audit_events_action_idx").on(table.shop, table.action, table.id),
  ],
);
