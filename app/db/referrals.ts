import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { ReferralState } from "~/domain/referrals";
import { customers } from "./customers";

/**
 * Every version of a shop's referral program (Settings → Referrals), never updated: a change inserts the next version,
 * and each referral keeps the version it was claimed under. The rows double as the settings' audit log.
 */
export const referralProgramVersions = sqliteTable(
  "referral_program_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    version: integer("version").notNull(),
    settings: text("settings", { mode: "json" }).notNull(),
    /** The currency of the version's amounts: the store's when it was saved. */
    currency: text("currency").notNull(),
    actor: text("actor").notNull(),
    actorName: text("actor_name"),
    createdAt: text("created_at").notNull(),
  },
  (table) => [uniqueIndex("referral_program_versions_shop_version_uq").on(table.shop, table.version)],
);

/**
 * Customers who joined the referral program, each with their code (the link `/apps/tally/r/{code}`). A customer merged
 * into another brings their code along: it keeps working for the customer kept (`mergedFromCustomerId`), whose own code
 * stays the one shown.
 */
export const referralAdvocates = sqliteTable(
  "referral_advocates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    /** automatic (a Member, the first time their code was needed), widget, invitation or staff. */
    joinedVia: text("joined_via").notNull(),
    joinedAt: text("joined_at").notNull(),
    /** A burst of claims paused the code until staff resume it. */
    pausedAt: text("paused_at"),
    pausedReason: text("paused_reason"),
    /** When staff last resumed the code: a burst counts only claims after it. */
    resumedAt: text("resumed_at"),
    mergedFromCustomerId: integer("merged_from_customer_id"),
    /**
     * Referral points credited to the advocate (net of those taken back) and how many of them paid for rewards used
     * on the advocate's own orders so far: the referrer revenue of a points reward is attributed from these.
     */
    referralPointsEarned: integer("referral_points_earned").notNull().default(0),
    referralPointsAttributed: integer("referral_points_attributed").notNull().default(0),
  },
  (table) => [
    uniqueIndex("referral_advocates_shop_code_uq").on(table.shop, table.code),
    index("referral_advocates_customer_idx").on(table.shop, table.customerId),
    // One code of their own per customer; codes brought by merged customers are extra.
    uniqueIndex("referral_advocates_own_code_uq")
      .on(table.shop, table.customerId)
      .where(sql`${table.mergedFromCustomerId} is null`),
    // The review queue's paused codes: few, so only they are indexed.
    index("referral_advocates_paused_idx")
      .on(table.shop, table.id)
      .where(sql`${table.pausedAt} is not null`),
  ],
);

/**
 * One friend referred by one advocate. `state` is the domain's ReferralState (app/domain/referrals/lifecycle.ts); the
 * columns beside it repeat what lists, counts and jobs filter on, written in the same statement.
 */
export const referrals = sqliteTable(
  "referrals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    referralKey: text("referral_key").notNull(),
    advocateId: integer("advocate_id")
      .notNull()
      .references(() => referralAdvocates.id, { onDelete: "cascade" }),
    advocateCustomerId: integer("advocate_customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    /** The friend's email as they typed it; erased by customers/redact. */
    friendEmail: text("friend_email"),
    /** The mailbox folded (fraud.ts `foldEmail`): one referral per mailbox, so "+tags" never print a second code. */
    friendEmailKey: text("friend_email_key"),
    /** Lowercased, for search by prefix. */
    friendSearch: text("friend_search"),
    friendCustomerId: integer("friend_customer_id").references(() => customers.id, { onDelete: "set null" }),
    status: text("status", { enum: ["pending", "completed", "blocked", "cancelled", "own_link", "not_new"] }).notNull(),
    review: text("review", { enum: ["flagged", "approved"] }),
    score: integer("score").notNull().default(0),
    state: text("state", { mode: "json" }).$type<ReferralState>().notNull(),
    programVersion: integer("program_version").notNull(),
    /** The claiming client's network, as a salted hash only (never the address itself). */
    clientFingerprint: text("client_fingerprint"),
    orderGid: text("order_gid"),
    orderTotalMinor: integer("order_total_minor"),
    currency: text("currency"),
    /** While the advocate's reward is held: when it becomes theirs (the jobs release it). */
    releaseAt: text("release_at"),
    completedAt: text("completed_at"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("referrals_shop_key_uq").on(table.shop, table.referralKey),
    uniqueIndex("referrals_shop_friend_uq").on(table.shop, table.friendEmailKey),
    // The Referrals page's tabs, newest first, and their counts.
    index("referrals_shop_status_idx").on(table.shop, table.status, table.id),
    index("referrals_advocate_idx").on(table.shop, table.advocateCustomerId, table.id),
    index("referrals_friend_customer_idx").on(table.shop, table.friendCustomerId),
    index("referrals_friend_search_idx").on(table.shop, table.friendSearch, table.id),
    index("referrals_order_idx").on(table.shop, table.orderGid),
    index("referrals_client_idx").on(table.shop, table.clientFingerprint, table.createdAt),
    index("referrals_code_claims_idx").on(table.shop, table.advocateId, table.createdAt),
    // Rewards waiting out their pending period: only they are indexed.
    index("referrals_release_idx")
      .on(table.shop, table.releaseAt)
      .where(sql`${table.releaseAt} is not null`),
    // The review queue: blocked and flagged referrals, few.
    index("referrals_review_idx")
      .on(table.shop, table.id)
      .where(sql`${table.status} = 'blocked' or ${table.review} = 'flagged'`),
  ],
);

/**
 * The discount codes of referrals: the friend's single-use code and the advocate's reward when it is a discount.
 * Created in Shopify outside any transaction: `reserved` rows are written first and confirmed after Shopify answers
 * (the redemption's reserve-call-confirm); `held` is an advocate's code waiting out the pending period; `voiding` a
 * code being deactivated in Shopify. A crash between two steps is settled by the jobs.
 */
export const referralRewards = sqliteTable(
  "referral_rewards",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    referralId: integer("referral_id")
      .notNull()
      .references(() => referrals.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["friend", "advocate"] }).notNull(),
    /** Whose code it is: the advocate, or the friend once Tally knows their customer record. */
    customerId: integer("customer_id").references(() => customers.id, { onDelete: "set null" }),
    kind: text("kind", { enum: ["fixed_amount_off", "percent_off", "free_shipping"] }).notNull(),
    title: text("title").notNull(),
    code: text("code").notNull(),
    /** The code upper-cased: Shopify matches codes case-insensitively, and so do lookups here. */
    codeKey: text("code_key").notNull(),
    valueMinor: integer("value_minor"),
    percent: integer("percent"),
    minimumSubtotalMinor: integer("minimum_subtotal_minor").notNull().default(0),
    currency: text("currency").notNull(),
    status: text("status", {
      enum: ["held", "reserved", "issued", "failed", "used", "voiding", "voided", "withdrawn"],
    }).notNull(),
    shopifyGid: text("shopify_gid"),
    usedOnOrderGid: text("used_on_order_gid"),
    error: text("error"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("referral_rewards_shop_code_uq").on(table.shop, table.codeKey),
    uniqueIndex("referral_rewards_referral_role_uq").on(table.shop, table.referralId, table.role),
    index("referral_rewards_customer_idx").on(table.shop, table.customerId, table.id),
    // What the jobs settle: codes to create or confirm, and codes to deactivate.
    index("referral_rewards_pending_idx")
      .on(table.shop, table.id)
      .where(sql`${table.status} in ('reserved', 'voiding')`),
  ],
);

/**
 * A referral's own ledger: what happened to it and who did it (the claim, the fraud check's findings, completion, the
 * pending period's end, cancellation, staff decisions with the staff member). Append-only.
 */
export const referralEvents = sqliteTable(
  "referral_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    referralId: integer("referral_id")
      .notNull()
      .references(() => referrals.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    actor: text("actor").notNull(),
    actorName: text("actor_name"),
    explanation: text("explanation").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (table) => [index("referral_events_referral_idx").on(table.shop, table.referralId, table.id)],
);

/** Every claim request that passed validation, for the rate limits; kept seven days. */
export const referralClaimAttempts = sqliteTable(
  "referral_claim_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    advocateId: integer("advocate_id").notNull(),
    clientFingerprint: text("client_fingerprint"),
    createdAt: text("created_at").notNull(),
  },
  (table) => [
    index("referral_claim_attempts_client_idx").on(table.shop, table.clientFingerprint, table.createdAt),
    index("referral_claim_attempts_code_idx").on(table.shop, table.advocateId, table.createdAt),
    index("referral_claim_attempts_age_idx").on(table.createdAt),
  ],
);

/**
 * Hashes of the addresses a customer's orders shipped to (never the address), for the shared-address signal: a
 * friend's order shipping where the advocate's orders went is a household, or the advocate.
 */
export const referralAddressFingerprints = sqliteTable(
  "referral_address_fingerprints",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    fingerprint: text("fingerprint").notNull(),
    seenAt: text("seen_at").notNull(),
  },
  (table) => [uniqueIndex("referral_address_fingerprints_uq").on(table.shop, table.customerId, table.fingerprint)],
);

/** Advocates' own orders that used a referral reward: referrer revenue, counted once per order. */
export const referralRevenueOrders = sqliteTable(
  "referral_revenue_orders",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    shop: text("shop").notNull(),
    orderGid: text("order_gid").notNull(),
    advocateCustomerId: integer("advocate_customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    amountMinor: integer("amount_minor").notNull(),
    currency: text("currency").notNull(),
    /** How it was attributed: "a referral reward code", or "300 of 500 points from referrals". */
    basis: text("basis").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (table) => [
    uniqueIndex("referral_revenue_orders_uq").on(table.shop, table.orderGid),
    index("referral_revenue_orders_advocate_idx").on(table.shop, table.advocateCustomerId),
  ],
);
