import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { customers } from "./customers";

/** Checkouts Shopify told Tally about; one never completed is an abandoned cart, a "non-converting" customer. */
export const checkouts = sqliteTable(
  "checkouts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    token: text("token").notNull(),
    customerId: integer("customer_id").references(() => customers.id, { onDelete: "set null" }),
    email: text("email"),
    completedAt: text("completed_at"),
    /** When Shopify last updated the checkout, as UTC ISO 8601; retention counts from it. */
    shopifyUpdatedAt: text("shopify_updated_at"),
  },
  (table) => [
    uniqueIndex("checkouts_shop_token_uq").on(table.shop, table.token),
    index("checkouts_customer_idx").on(table.shop, table.customerId),
    // Retention deletes by age across shops (services/retention).
    index("checkouts_updated_idx").on(table.shopifyUpdatedAt),
  ],
);
