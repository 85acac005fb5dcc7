import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Answers to customers/data_request: everything Tally held about the customer when Shopify asked, kept for the
 * merchant to hand over. An export is itself personal data, so customers/redact and shop/redact delete it.
 */
export const complianceExports = sqliteTable(
  "compliance_exports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    /** Shopify's data_request.id, as exact digits. */
    dataRequestId: text("data_request_id").notNull(),
    customerGid: text("customer_gid").notNull(),
    export: text("export", { mode: "json" }).notNull(),
    createdAt: text("created_at").notNull(),
  },
  (table) => [
    uniqueIndex("compliance_exports_request_uq").on(table.shop, table.dataRequestId),
    index("compliance_exports_customer_idx").on(table.shop, table.customerGid),
  ],
);
