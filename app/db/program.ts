import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Every version of a shop's program rules, never updated: a change inserts the next version, and ledger entries keep
 * the version they were earned under, so editing the rules never rewrites history. The rows double as the audit log.
 */
export const programVersions = sqliteTable(
  "program_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    version: integer("version").notNull(),
    settings: text("settings", { mode: "json" }).notNull(),
    /**
     * The currency the version's amounts are in. Null on versions saved before the shop's currency ever changed: they
     * are in the shop's currency of the time, written here when it changes (decision 008).
     */
    currency: text("currency"),
    actor: text("actor").notNull(),
    /** The staff member's name as Shopify gave it when they saved. */
    actorName: text("actor_name"),
    createdAt: text("created_at").notNull(),
  },
  (table) => [uniqueIndex("program_versions_shop_version_uq").on(table.shop, table.version)],
);

/** Per-shop state of the scheduled jobs that keep one (app/jobs/scheduled: reconciliation). */
export const shopJobs = sqliteTable(
  "shop_jobs",
  {
    shop: text("shop").notNull(),
    job: text("job").notNull(),
    watermark: text("watermark"),
    lastRunAt: text("last_run_at"),
    lastResult: text("last_result", { mode: "json" }),
    /** When a run was asked for ahead of its interval (an install, a change of scopes): due if later than lastRunAt. */
    requestedAt: text("requested_at"),
  },
  (table) => [uniqueIndex("shop_jobs_shop_job_uq").on(table.shop, table.job), index("shop_jobs_job_idx").on(table.job)],
);
