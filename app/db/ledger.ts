import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { customers } from "./customers";

/**
 * The points ledger: append-only, the single source of truth for points. A correction is a new row. The customer's
 * balance columns are updated in the same transaction as each insert, and `recalculate` can always rebuild them.
 */
export const ledgerEntries = sqliteTable(
  "ledger_entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    points: integer("points").notNull(),
    /** An earn or reverse that moved held (pending) points rather than the spendable balance. */
    held: integer("held", { mode: "boolean" }).notNull().default(false),
    sourceType: text("source_type"),
    sourceGid: text("source_gid"),
    ruleVersion: integer("rule_version"),
    idempotencyKey: text("idempotency_key").notNull(),
    actor: text("actor").notNull(),
    /** The staff member's name as Shopify gave it when they acted, kept so history still names them later. */
    actorName: text("actor_name"),
    note: text("note"),
    explanation: text("explanation").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (table) => [
    uniqueIndex("ledger_entries_idempotency_uq").on(table.shop, table.idempotencyKey),
    index("ledger_entries_customer_idx").on(table.shop, table.customerId, table.id),
    // A shop's redemptions and expiries in the order written: who spent points since a bulk adjustment is read from
    // what was spent since it, not from its (up to a million) customers (decision 026). Partial, so earning, the
    // hot path, writes nothing to it; its condition is written with literals (SPENDING_KINDS), as the query's is.
    index("ledger_entries_spending_idx")
      .on(table.shop, table.id)
      .where(sql`${table.kind} in ('redeem', 'expire')`),
  ],
);

/** Points a customer would have earned but did not (blocked, excluded tag, guest, program off), with the reason. */
export const earningSkips = sqliteTable(
  "earning_skips",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    sourceGid: text("source_gid"),
    wouldHaveEarned: integer("would_have_earned").notNull(),
    reason: text("reason").notNull(),
    explanation: text("explanation").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (table) => [index("earning_skips_customer_idx").on(table.shop, table.customerId)],
);
