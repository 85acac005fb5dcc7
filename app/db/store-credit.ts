import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Store credit Tally issued or deducted (issue 11, seed 004), one row per Shopify store credit transaction staff made
 * from the profile. Shopify keeps the account and its balance; its transactions carry no reason and no staff member,
 * so Tally keeps both here beside Shopify's transaction id, and the profile joins them to Shopify's history.
 * Append-only; written with the audit line in the same transaction (app/services/store-credit/).
 */
export const storeCreditTransactions = sqliteTable(
  "store_credit_transactions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    /** customers.id; no foreign key, so an erased customer's figures can stay (see app/db/background-jobs.ts). */
    customerId: integer("customer_id").notNull(),
    /** Shopify's StoreCreditAccountCreditTransaction / DebitTransaction gid. */
    transactionGid: text("transaction_gid").notNull(),
    accountGid: text("account_gid").notNull(),
    kind: text("kind", { enum: ["credit", "debit"] }).notNull(),
    /** Signed minor units of `currency`: positive for a credit, negative for a debit, as Shopify signs them. */
    amountMinor: integer("amount_minor").notNull(),
    currency: text("currency").notNull(),
    /** The account's balance after this transaction, as Shopify answered it (minor units of `currency`). */
    balanceAfterMinor: integer("balance_after_minor").notNull(),
    /** A credit's expiry as Shopify saved it (ISO 8601), or null for credit that never expires. */
    expiresAt: text("expires_at"),
    reason: text("reason").notNull(),
    actor: text("actor").notNull(),
    actorName: text("actor_name"),
    /** The form's request id: a resubmitted form finds its row and calls Shopify no second time. */
    requestId: text("request_id").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (table) => [
    index("store_credit_transactions_customer_idx").on(table.shop, table.customerId, table.id),
    uniqueIndex("store_credit_transactions_request_uq").on(table.shop, table.requestId),
    uniqueIndex("store_credit_transactions_gid_uq").on(table.shop, table.transactionGid),
  ],
);
