import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Files staff upload to bring customers or points in (issue 12, decision 023). A row is made when the file is checked
 * (the dry run) and follows it through the import and a possible undo. The file itself stays on disk at `filePath`
 * (streamed there on upload, never held in memory) so the task reading it can resume after a restart.
 */
export const imports = sqliteTable(
  "imports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    /** "customers": a customer CSV; "points": a loyalty app's points export; "orders": points for past orders. */
    kind: text("kind", { enum: ["customers", "points", "orders"] }).notNull(),
    /** The points export's app ("smile", "loyaltylion", "yotpo", "generic"); null for a customer CSV. */
    source: text("source"),
    fileName: text("file_name").notNull(),
    filePath: text("file_path").notNull(),
    /** The file's separator, as sniffed: ",", ";" or a tab. */
    delimiter: text("delimiter").notNull(),
    /** The header cells and, per field, the column it was matched to: what the merchant confirmed. */
    headers: text("headers", { mode: "json" }).$type<string[]>().notNull(),
    columns: text("columns", { mode: "json" }).$type<Record<string, number>>().notNull(),
    /** For a customer CSV: what to do with emails Shopify has ("update" or "skip"), and whether to send invitations. */
    options: text("options", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /**
     * "checking" (a backfill's preview counting in the background), "checked" (dry run done), "importing",
     * "imported", "undoing" (an undo taking the batch back in chunks), "undone".
     */
    status: text("status", {
      enum: ["checking", "checked", "importing", "imported", "undoing", "undone"],
    }).notNull(),
    /** The dry run's figures (rows, valid, problems, totals), shown before the merchant starts the import. */
    summary: text("summary", { mode: "json" }).$type<Record<string, number>>().notNull(),
    /** The background task running the import, once started. */
    taskId: integer("task_id"),
    actor: text("actor").notNull(),
    actorName: text("actor_name"),
    createdAt: text("created_at").notNull(),
    importedAt: text("imported_at"),
    undoneAt: text("undone_at"),
    /** When the uploaded file (and its bulk import files) was deleted from disk, its import's life over (decision 033). */
    filePrunedAt: text("file_pruned_at"),
  },
  (table) => [index("imports_shop_idx").on(table.shop, table.id)],
);

/**
 * The rows a dry run refused, each with its cells as uploaded and the reasons: the "bad rows" file the merchant
 * downloads, fixes and uploads again. Only problem rows are kept; a clean 100,000-row file stores none.
 */
export const importProblems = sqliteTable(
  "import_problems",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    importId: integer("import_id").notNull(),
    /** The row's line in the file (the header is line 1). */
    line: integer("line").notNull(),
    cells: text("cells", { mode: "json" }).$type<string[]>().notNull(),
    message: text("message").notNull(),
  },
  // One problem row per line of an import: the download pages by line, the import skips a chunk's lines by range.
  (table) => [uniqueIndex("import_problems_line_uq").on(table.shop, table.importId, table.line)],
);

/**
 * A sample of what a customer import's dry run found it would change on customers Shopify already has: the first
 * rows (up to the preview's sample size) whose fields differ from Tally's copy, each with the fields before and
 * after. The import's summary counts every such row and every field; this table keeps only the sample, so a
 * 100,000-row file of updates stores a page of rows, not the file.
 */
export const importChanges = sqliteTable(
  "import_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    importId: integer("import_id").notNull(),
    /** The row's line in the file (the header is line 1). */
    line: integer("line").notNull(),
    email: text("email").notNull(),
    /** The Tally customer the row updates (customers.id). */
    customerId: integer("customer_id").notNull(),
    /** The changed fields only, as Tally held them and as the row sets them (app/domain/imports/customer-changes.ts). */
    before: text("before", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    after: text("after", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  },
  (table) => [uniqueIndex("import_changes_line_uq").on(table.shop, table.importId, table.line)],
);

/**
 * A sample of the customers a customer import's dry run found it would create (emails Shopify does not have): the
 * first rows in file order, up to the preview's sample size, each with the name and points the row gives. The
 * summary counts them all ("create"); this table keeps only the sample, so a 100,000-row file of new customers
 * stores a page of rows, not the file.
 */
export const importCreates = sqliteTable(
  "import_creates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    importId: integer("import_id").notNull(),
    /** The row's line in the file (the header is line 1). */
    line: integer("line").notNull(),
    /** Lower case, as the import matches it. */
    email: text("email").notNull(),
    firstName: text("first_name"),
    lastName: text("last_name"),
    /** The row's Points cell, whole points; null when the file has no Points column or the cell is empty. */
    points: integer("points"),
  },
  (table) => [uniqueIndex("import_creates_line_uq").on(table.shop, table.importId, table.line)],
);

/**
 * The emails a dry run has met so far in its file (lower case), one row each with its line: how a check that runs in chunks, and
 * resumes after a restart, knows a row's email is already on an earlier row without holding the file's emails in
 * memory (decision 048). Written with each chunk's commit; deleted when the check finishes.
 */
export const importEmails = sqliteTable(
  "import_emails",
  {
    shop: text("shop").notNull(),
    importId: integer("import_id").notNull(),
    email: text("email").notNull(),
    /** The file's line the email was first met on, for "Same email as line 12"; null for rows kept before it was. */
    line: integer("line"),
  },
  (table) => [primaryKey({ columns: [table.shop, table.importId, table.email] })],
);
