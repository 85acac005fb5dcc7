import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { CustomerFacts } from "~/domain/customers";
import type { SignupDecision } from "~/domain/ledger";

/**
 * Tally's copy of each Shopify customer with the figures the directory sorts and filters on. Points columns are
 * maintained in the same transaction as the ledger entries they sum. Indexed for a 1,000,000-customer shop: every
 * directory sort has a (shop, column) index so a page never scans the shop.
 */
export const customers = sqliteTable(
  "customers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    customerGid: text("customer_gid").notNull(),
    email: text("email"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    phone: text("phone"),
    shopifyState: text("shopify_state").notNull().default("DISABLED"),
    status: text("status", { enum: ["member", "guest"] })
      .notNull()
      .default("guest"),
    blocked: integer("blocked", { mode: "boolean" }).notNull().default(false),
    pointsBalance: integer("points_balance").notNull().default(0),
    pointsPending: integer("points_pending").notNull().default(0),
    lifetimeEarned: integer("lifetime_earned").notNull().default(0),
    lifetimeRedeemed: integer("lifetime_redeemed").notNull().default(0),
    ordersCount: integer("orders_count").notNull().default(0),
    amountSpentMinor: integer("amount_spent_minor").notNull().default(0),
    currency: text("currency"),
    city: text("city"),
    province: text("province"),
    countryCode: text("country_code"),
    /** The customer's tags now, a JSON array, derived from `facts` for the directory and profile. */
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** Legacy: per tag, the last add/remove seen. Read once into `facts` by rows written before facts existed. */
    tagEvents: text("tag_events", { mode: "json" })
      .$type<Record<string, { present: boolean; at: string }>>()
      .notNull()
      .default({}),
    emailMarketingState: text("email_marketing_state"),
    emailMarketingUpdatedAt: text("email_marketing_updated_at"),
    purchasingUpdatedAt: text("purchasing_updated_at"),
    /**
     * Dated facts Shopify sent about the customer (states, tag lists, tag changes, undated words), so who the customer
     * was at any moment can be asked (app/domain/customers/facts.ts). Null on rows written before it existed.
     */
    facts: text("facts", { mode: "json" }).$type<CustomerFacts>(),
    /** The sign-up bonus was decided, paid or skipped; `signupDecision` says how, so a late fact can revisit it. */
    signupBonusSettled: integer("signup_bonus_settled", { mode: "boolean" }).notNull().default(false),
    signupDecision: text("signup_decision", { mode: "json" }).$type<SignupDecision>(),
    /** Shopify merged this customer into another (customers/merge): its points and history moved there. */
    mergedIntoId: integer("merged_into_id").references((): AnySQLiteColumn => customers.id, { onDelete: "set null" }),
    mergedAt: text("merged_at"),
    /**
     * When Shopify deleted the customer (the delivery's X-Shopify-Triggered-At); the row stays so the ledger keeps its
     * history. Only a customer snapshot dated after it brings the customer back.
     */
    deletedAt: text("deleted_at"),
    /** customers/redact erased the personal data; only anonymous ledger figures remain. */
    redactedAt: text("redacted_at"),
    /** The balance changed since it was last written to the customer's metafield in Shopify. */
    metafieldDirty: integer("metafield_dirty", { mode: "boolean" }).notNull().default(false),
    joinedAt: text("joined_at"),
    /**
     * Referral figures as the advocate (seed 002), kept in the same transaction as the referral changes that move them
     * (app/services/referrals): referrals Completed, what the advocate paid on orders using referral rewards, and what
     * their friends paid on the orders that completed those referrals, in minor units of the shop's currency.
     */
    successfulReferrals: integer("successful_referrals").notNull().default(0),
    referrerRevenueMinor: integer("referrer_revenue_minor").notNull().default(0),
    refereeRevenueMinor: integer("referee_revenue_minor").notNull().default(0),
    /**
     * The customer's store credit balance as Shopify last answered it (issue 11, seed 004), in minor units of
     * `storeCreditCurrency`: the account in the shop's currency, else the largest other one. Written when staff issue
     * or deduct from Tally, on Sync customer, when a store credit reward is issued, when a profile's read differs,
     * and after an order moved it (Shopify sends no store credit webhook; decision 027), for the directory's column.
     */
    storeCreditMinor: integer("store_credit_minor").notNull().default(0),
    storeCreditCurrency: text("store_credit_currency"),
    /**
     * When an order webhook said the customer's store credit moved (an order paid with it, a refund or cancellation
     * back to it): the figure above is to be read again from Shopify in the background (refresh-store-credit job),
     * which clears this only if no later webhook set it meanwhile. Null when nothing is known to have moved.
     */
    storeCreditStaleAt: text("store_credit_stale_at"),
    /**
     * When the customer joined the referral program as an advocate: with a code when they asked for one
     * (app/services/referrals/advocates.server.ts), and, with joining automatic, when they became a Member, stamped by
     * the services that make one and by the sweep when joining turns automatic (referral-joining.server.ts). Kept when
     * they stop being one; carried over by a merge. The directory's "joined the referral program" filter and the
     * export's column read it (decision 019 and its round-17 amendment).
     */
    referralJoinedAt: text("referral_joined_at"),
    /** The lowercased email, derived by SQLite, for looking a customer up by email (a referral claim's friend). */
    searchEmail: text("search_email").generatedAlwaysAs(sql`lower(email)`, { mode: "virtual" }),
    /**
     * The directory's search text: name, email and phone digits folded for search (app/domain/customers/search.ts),
     * written by the services that write those fields. The trigram index `customer_search` follows it (migration
     * 0008's triggers). Null only on rows from before it existed, until the boot backfill reaches them.
     */
    searchText: text("search_text"),
    /** The name the directory sorts by: the folded display name ("Guest (no email)" customers sort last in A–Z). */
    nameSort: text("name_sort"),
    /**
     * The key Z–A walks: name_sort with the anonymous key ("Guest (no email)", U+10FFFF) and a missing one as '', so
     * those customers sort last from Z to A too (issue 10), on an index of their own.
     */
    nameSortDesc: text("name_sort_desc").generatedAlwaysAs(sql`coalesce(nullif(name_sort, '\u{10FFFF}'), '')`, {
      mode: "virtual",
    }),
    /** Stubs have no joined_at; '' keeps the keyset cursor free of NULLs (they sort as the oldest). */
    joinedSort: text("joined_sort").generatedAlwaysAs(sql`coalesce(joined_at, '')`, { mode: "virtual" }),
    /** Shopify's tax exemption (customers/* `tax_exempt`, Admin API `taxExempt`). */
    taxExempt: integer("tax_exempt", { mode: "boolean" }).notNull().default(false),
    /**
     * The customer's language on the online store (Admin API `Customer.locale`: "fr", "pt-BR"), read by reconciliation
     * and Sync customer; customer webhooks do not carry it. Emails link to the storefront in it (decision 051). Null
     * until the first read.
     */
    locale: text("locale"),
    /** When the customer's most recent order was placed (orders and reconciliation); null for no order seen. */
    lastOrderAt: text("last_order_at"),
    lastOrderSort: text("last_order_sort").generatedAlwaysAs(sql`coalesce(last_order_at, '')`, { mode: "virtual" }),
    /** When the customer last started a checkout Tally heard of (checkouts/*): with no order, a non-converting one. */
    lastCheckoutAt: text("last_checkout_at"),
    /**
     * When the points balance last changed (the newest ledger entry); null for a customer with none. Home's "idle"
     * balances and the directory's Points activity filter read it.
     */
    pointsActivityAt: text("points_activity_at"),
    memberSince: text("member_since"),
    shopifyUpdatedAt: text("shopify_updated_at"),
    createdAt: text("created_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
    updatedAt: text("updated_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (table) => [
    uniqueIndex("customers_shop_gid_uq").on(table.shop, table.customerGid),
    // Keyset pages in id order: without it, page 1 of a 1,000,000-customer shop sorts the whole shop (47 ms measured).
    index("customers_shop_id_idx").on(table.shop, table.id),
    index("customers_shop_status_idx").on(table.shop, table.status, table.pointsBalance),
    // Directory sorts: each is (shop, key, id), the keyset cursor's order, so any page is one bounded range scan.
    // The trailing points_activity_at makes Home's "enough for a reward and idle" count an index-only range.
    index("customers_shop_points_idx").on(table.shop, table.pointsBalance, table.id, table.pointsActivityAt),
    index("customers_shop_joined_idx").on(table.shop, table.joinedSort, table.id),
    index("customers_shop_name_idx").on(table.shop, table.nameSort, table.id),
    index("customers_shop_name_desc_idx").on(table.shop, table.nameSortDesc, table.id),
    index("customers_shop_orders_idx").on(table.shop, table.ordersCount, table.id),
    index("customers_shop_spent_idx").on(table.shop, table.amountSpentMinor, table.id),
    index("customers_shop_last_order_idx").on(table.shop, table.lastOrderSort, table.id),
    // The referral sorts; the first is also the "has successful referrals" filter's range (successful_referrals > 0).
    index("customers_shop_referrals_idx").on(table.shop, table.successfulReferrals, table.id),
    index("customers_shop_referrer_revenue_idx").on(table.shop, table.referrerRevenueMinor, table.id),
    index("customers_shop_referee_revenue_idx").on(table.shop, table.refereeRevenueMinor, table.id),
    index("customers_shop_store_credit_idx").on(table.shop, table.storeCreditMinor, table.id),
    // A customer by email, case-insensitively (a referral claim's friend).
    index("customers_shop_search_email_idx").on(table.shop, table.searchEmail, table.id),
    // Directory filters that may be narrow enough to drive a page (app/services/customers/customer-query.server.ts).
    index("customers_shop_country_idx").on(table.shop, table.countryCode, table.id),
    // "No points activity for N days": its two ranges (never, and before the day) are few just after a points import
    // reached nearly everyone, and then drive the page; a walk of the sort's index would read the whole shop.
    index("customers_shop_points_activity_idx").on(table.shop, table.pointsActivityAt, table.id),
    index("customers_shop_consent_idx").on(table.shop, table.emailMarketingState, table.id),
    // Partial indexes for the few; each filtered column leads the key too, as customers_shop_blocked_idx explains.
    index("customers_shop_tax_exempt_idx")
      .on(table.shop, table.taxExempt, table.id)
      .where(sql`${table.taxExempt} = 1`),
    index("customers_shop_non_converting_idx")
      .on(table.shop, table.ordersCount, table.lastCheckoutAt, table.id)
      .where(sql`${table.lastCheckoutAt} is not null and ${table.ordersCount} = 0`),
    index("customers_shop_referral_joined_idx")
      .on(table.shop, table.referralJoinedAt, table.id)
      .where(sql`${table.referralJoinedAt} is not null`),
    // Members not (yet) in the referral program: empty once the sweep of automatic joining ran (but for the blocked),
    // so asking whether a shop still needs it reads a handful of entries, not its million Members (decision 019).
    index("customers_shop_members_not_joined_idx")
      .on(table.shop, table.id)
      .where(sql`${table.status} = 'member' and ${table.referralJoinedAt} is null`),
    // Rows whose search text is still to be written (the boot backfill); empty once it ran.
    index("customers_search_pending_idx")
      .on(table.id)
      .where(sql`${table.searchText} is null`),
    // Rows whose search text an older fold wrote with an apostrophe or hyphen, which the fold now drops (migration
    // 0030, decision 031): the boot backfill writes them again, a few at a time; no later write puts a row here, so it
    // is empty once that ran. LIKE, not instr(), reads alike on both databases.
    index("customers_search_stale_idx")
      .on(table.id)
      .where(sql`${table.searchText} like '%''%' or ${table.searchText} like '%-%'`),
    // Blocked customers are few; without this, filtering to them would walk the whole shop. The flag leads the key
    // (not only the WHERE) so that, with no statistics, SQLite still prefers this index to any other (shop, …) one.
    index("customers_shop_blocked_idx")
      .on(table.shop, table.blocked, table.id)
      .where(sql`${table.blocked} = 1`),
    // Customers Shopify deleted are few and in no list or count (decision 036): Home subtracts them from its
    // index-only counts through this index instead of reading every counted row to test it.
    index("customers_shop_deleted_idx")
      .on(table.shop, table.deletedAt, table.id)
      .where(sql`${table.deletedAt} is not null`),
    // The customers merged into one, for its profile's orders: few, so only they are indexed.
    index("customers_merged_into_idx")
      .on(table.shop, table.mergedIntoId)
      .where(sql`${table.mergedIntoId} is not null`),
    // Customers whose store credit an order moved, until the background read: few, so only they are indexed.
    index("customers_store_credit_stale_idx")
      .on(table.shop, table.id)
      .where(sql`${table.storeCreditStaleAt} is not null`),
    // Only dirty rows are in this index, so the metafield job finds them without scanning the shop.
    index("customers_metafield_dirty_idx")
      .on(table.shop, table.id)
      .where(sql`${table.metafieldDirty} = 1`),
  ],
);
