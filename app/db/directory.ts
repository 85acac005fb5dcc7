import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { CustomerQuery } from "~/domain/customers";

/*
 * What the directory and Home count, kept instead of counted (decision 019). SQLite triggers on `customers` keep these
 * in the same transaction as the change that moves them (migration 0009), so no writer can forget one;
 * `repairCustomerCounts` recounts a shop from the rows.
 */

/** One row per shop: the directory's tab counts and Home's totals. */
export const customerCounts = sqliteTable("customer_counts", {
  shop: text("shop").primaryKey(),
  customers: integer("customers").notNull().default(0),
  members: integer("members").notNull().default(0),
  guests: integer("guests").notNull().default(0),
  /** Spent more than nothing (Shopify's amount spent). */
  paying: integer("paying").notNull().default(0),
  /** Started a checkout, never ordered. */
  nonConverting: integer("non_converting").notNull().default(0),
  /** Subscribed to email marketing. */
  optedIn: integer("opted_in").notNull().default(0),
  blocked: integer("blocked").notNull().default(0),
  /**
   * Points customers hold and may spend: positive balances only, a debt is not negative liability (decision 022);
   * a blocked customer's left out, as they cannot redeem them (decision 062, migration 0040).
   */
  pointsOutstanding: integer("points_outstanding").notNull().default(0),
  /** Points customers owe (negative balances, decision 001), summed as a positive number. */
  pointsOwed: integer("points_owed").notNull().default(0),
  /** Customers whose balance is negative. */
  customersOwing: integer("customers_owing").notNull().default(0),
});

/**
 * How many of a shop's customers carry each tag or live in each country: the filters' choices and their sizes. A tag
 * has a row per spelling ("VIP", "vip"), keyed by `value_key` too, so the size of "tagged vip" in any case is a sum
 * over an index range.
 */
export const customerFacets = sqliteTable(
  "customer_facets",
  {
    shop: text("shop").notNull(),
    facet: text("facet", { enum: ["tag", "country"] }).notNull(),
    value: text("value").notNull(),
    /** A tag's `tagKey` (app/domain/customers/tags.ts); null for a country. */
    valueKey: text("value_key"),
    customers: integer("customers").notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.shop, table.facet, table.value] }),
    index("customer_facets_shop_key_idx").on(table.shop, table.facet, table.valueKey),
  ],
);

/**
 * Each customer's tags, one row a tag, so "tagged VIP" is an index range rather than a JSON scan. Keyed by the tag in
 * any case (`tagKey`), as Shopify treats tags: "tagged vip" is the range of customers tagged "VIP", "Vip" or "vip".
 * `tag` is the spelling the customer carries (the facets count spellings, for the filter's choices).
 */
export const customerTags = sqliteTable(
  "customer_tags",
  {
    shop: text("shop").notNull(),
    tagKey: text("tag_key").notNull(),
    tag: text("tag").notNull(),
    customerId: integer("customer_id").notNull(),
  },
  (table) => [primaryKey({ columns: [table.shop, table.tagKey, table.customerId] })],
);

/**
 * Members by the quarter hour of UTC they became members in (member since, else joined; "2026-11-12T14:45", migration
 * 0032): Home's growth chart sums them into the shop's days (decision 050).
 */
export const memberGrowth = sqliteTable(
  "member_growth",
  {
    shop: text("shop").notNull(),
    day: text("day").notNull(),
    members: integer("members").notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.shop, table.day] })],
);

/** A merchant's saved directory views: a name and the customer query it stands for. */
export const customerViews = sqliteTable(
  "customer_views",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    name: text("name").notNull(),
    /**
     * The name as tabs compare it (viewNameKey in app/domain/customers: trimmed, JavaScript's Unicode lower case, which
     * SQLite's ASCII-only lower() cannot compute), written by the service; unique per shop, so "VIPs" and "vips" cannot
     * both be tabs whoever writes them (migration 0043).
     */
    nameKey: text("name_key").notNull(),
    query: text("query", { mode: "json" }).$type<CustomerQuery>().notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [uniqueIndex("customer_views_shop_name_key_uq").on(table.shop, table.nameKey)],
);

/** Per staff member of a shop, what they chose to see (the directory's columns). */
export const staffPreferences = sqliteTable(
  "staff_preferences",
  {
    shop: text("shop").notNull(),
    /** Shopify's user id of the staff member (the session's associated user). */
    staffId: text("staff_id").notNull(),
    key: text("key").notNull(),
    value: text("value", { mode: "json" }).$type<unknown>().notNull(),
    updatedAt: text("updated_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (table) => [primaryKey({ columns: [table.shop, table.staffId, table.key] })],
);
