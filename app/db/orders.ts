import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { OrderPointsState } from "~/domain/ledger";
import { customers } from "./customers";

/**
 * Orders Tally has heard of, with the per-order points state the ledger planner needs (`points_state`). A row can
 * exist before its orders/paid arrives (a refund that overtook it), so the customer and figures may be null.
 */
export const orders = sqliteTable(
  "orders",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    orderGid: text("order_gid").notNull(),
    customerId: integer("customer_id").references(() => customers.id, { onDelete: "set null" }),
    name: text("name"),
    currency: text("currency"),
    subtotalMinor: integer("subtotal_minor"),
    totalMinor: integer("total_minor"),
    financialStatus: text("financial_status"),
    fulfillmentStatus: text("fulfillment_status"),
    discountCodes: text("discount_codes", { mode: "json" }).$type<string[]>().notNull().default([]),
    cancelledAt: text("cancelled_at"),
    processedAt: text("processed_at"),
    pointsState: text("points_state", { mode: "json" }).$type<OrderPointsState>().notNull(),
    /** When held points become spendable; the release job scans this index. */
    releaseAt: text("release_at"),
    /** Shopify's updated_at of the figures above; an older payload never overwrites them. */
    shopifyUpdatedAt: text("shopify_updated_at"),
  },
  (table) => [
    uniqueIndex("orders_shop_gid_uq").on(table.shop, table.orderGid),
    index("orders_customer_idx").on(table.shop, table.customerId, table.processedAt),
    index("orders_release_idx").on(table.shop, table.releaseAt),
    /** The shop's largest order in a currency, one index read: a group discount larger than it asks first. */
    index("orders_total_idx").on(table.shop, table.currency, table.totalMinor),
  ],
);

/**
 * Rewards a customer redeemed points for. `reserved` rows hold points while Shopify is called; a crash between the
 * two is healed on restart by looking the code up in Shopify.
 */
export const rewards = sqliteTable(
  "rewards",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    rewardKey: text("reward_key").notNull(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    optionId: text("option_id").notNull(),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    points: integer("points").notNull(),
    valueMinor: integer("value_minor"),
    percent: integer("percent"),
    currency: text("currency").notNull(),
    code: text("code"),
    status: text("status", { enum: ["reserved", "issued", "used", "failed", "returned"] }).notNull(),
    shopifyGid: text("shopify_gid"),
    usedOnOrderGid: text("used_on_order_gid"),
    error: text("error"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("rewards_shop_key_uq").on(table.shop, table.rewardKey),
    uniqueIndex("rewards_shop_code_uq").on(table.shop, table.code),
    index("rewards_customer_idx").on(table.shop, table.customerId, table.id),
    index("rewards_status_idx").on(table.status),
  ],
);
