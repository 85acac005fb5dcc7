import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Where a sync stands in its bulk operations: which query, which operation, how many JSONL lines were applied. */
export interface CustomerSyncCursor {
  /** The bulk query being read ("customers", "orders" for the install sync; "customers-with-orders" for a sync). */
  step: string;
  /** Shopify's BulkOperation gid, recorded as soon as Shopify started it, so a restart reads the same one. */
  bulkOperationId: string | null;
  /** JSONL lines of that operation's file already applied: a resumed read skips them. */
  line: number;
}

/**
 * One full read of the shop's customers from Shopify through bulk operations (decision 030): the install sync, or a
 * Sync customers staff started (its task holds the progress). The row is the install sync's checkpoint (it runs as a
 * scheduled job, not a task), and what the directory's "Last synced" reads: the newest one that finished.
 */
export const customerSyncs = sqliteTable(
  "customer_syncs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    trigger: text("trigger", { enum: ["install", "manual"] }).notNull(),
    /** The task of a Sync customers; null for the install sync. */
    taskId: integer("task_id"),
    status: text("status", { enum: ["running", "succeeded", "failed"] }).notNull(),
    cursor: text("cursor", { mode: "json" }).$type<CustomerSyncCursor>(),
    /** Lines applied in all (customers, orders), for the figures. */
    objectsApplied: integer("objects_applied").notNull().default(0),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at"),
  },
  (table) => [
    index("customer_syncs_shop_id_idx").on(table.shop, table.id),
    // "Last synced": the shop's newest finished sync, one step of this index.
    index("customer_syncs_finished_idx")
      .on(table.shop, table.finishedAt)
      .where(sql`${table.status} = 'succeeded'`),
  ],
);
