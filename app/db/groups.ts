import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Customer groups (issue 11, seed 003): a Shopify customer segment the merchant named in Tally, and the group
 * discount Tally created in Shopify for it (a code discount whose eligibility is the segment). Shopify keeps the
 * segment and the discount; Tally keeps which ones are its groups, so removing a group removes both.
 */
export const customerGroups = sqliteTable(
  "customer_groups",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    name: text("name").notNull(),
    /** Shopify's Segment gid and the segment query it was created from. */
    segmentGid: text("segment_gid").notNull(),
    segmentQuery: text("segment_query").notNull(),
    /** The group discount (DiscountCodeNode gid) and its code; null until one is attached. */
    discountGid: text("discount_gid"),
    discountCode: text("discount_code"),
    /** "percentage": `discountValue` is whole percent (1-100); "amount": minor units of `discountCurrency`. */
    discountKind: text("discount_kind", { enum: ["percentage", "amount"] }),
    discountValue: integer("discount_value"),
    discountCurrency: text("discount_currency"),
    discountEndsAt: text("discount_ends_at"),
    createdAt: text("created_at").notNull(),
  },
  (table) => [
    uniqueIndex("customer_groups_segment_uq").on(table.shop, table.segmentGid),
    index("customer_groups_shop_idx").on(table.shop, table.id),
  ],
);
