import { and, eq, sql } from "drizzle-orm";
import { prepared } from "~/db/prepared";
import { planCustomerUpdate, type CustomerSyncState } from "~/domain/ledger";
import type { Earning } from "~/domain/program";
import { statusFromShopifyState, type ShopifyCustomerState } from "~/domain/shared";
import { customers, earningSkips } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { appendEntries, totalsOf } from "../ledger/append-entries.server";
import { getProgram } from "../program/get-program.server";

/** What a customer webhook (or a reconciliation page) says about one customer. */
export interface CustomerSnapshot {
  customerGid: string;
  shopifyState: ShopifyCustomerState;
  /** Shopify's updated_at for this version of the customer. */
  updatedAt: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  city: string | null;
  province: string | null;
  countryCode: string | null;
  createdAt: string | null;
  /**
   * Seen by the first sync after install: a customer who already had an account then was a Member before Tally, so
   * installing is not a sign-up and earns no bonus.
   */
  existedBeforeInstall?: boolean;
}

type CustomerRow = typeof customers.$inferSelect;

/** Runs on the caller's transaction when inside one (better-sqlite3 is synchronous, one connection). */
export function findCustomerByGid(ctx: ServiceContext, customerGid: string): CustomerRow | undefined {
  const query = prepared(ctx.db, "customer-by-gid", (db) =>
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, sql.placeholder("shop")), eq(customers.customerGid, sql.placeholder("gid"))))
      .prepare(),
  );
  return query.get({ shop: ctx.shop, gid: customerGid });
}

/**
 * The customer's row, created as a bare stub when an order or refund names someone Tally has not heard of yet. The
 * stub has no Shopify version, so the customer's own webhook always overwrites it.
 */
export function ensureCustomer(
  { ctx, tx }: { ctx: ServiceContext; tx: Tx },
  input: {
    customerGid: string;
    email?: string | null;
    firstName?: string | null;
    lastName?: string | null;
    /** The state an order payload reports, so an order that overtakes customers/create is judged right. */
    shopifyState?: ShopifyCustomerState | null;
  },
): CustomerRow {
  const found = findCustomerByGid(ctx, input.customerGid);
  if (found) return found;
  tx.insert(customers)
    .values({
      shop: ctx.shop,
      customerGid: input.customerGid,
      email: input.email ?? null,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      ...(input.shopifyState
        ? { shopifyState: input.shopifyState, status: statusFromShopifyState(input.shopifyState) }
        : {}),
    })
    .onConflictDoNothing()
    .run();
  const row = findCustomerByGid(ctx, input.customerGid);
  if (!row) throw new Error(`customer ${input.customerGid} could not be stored`);
  return row;
}

export function recordSkip(
  { ctx, tx }: { ctx: ServiceContext; tx: Tx },
  input: { customerId: number; sourceGid: string | null; earning: Earning },
) {
  if (!input.earning.skippedReason || input.earning.wouldHaveEarned === 0) return;
  tx.insert(earningSkips)
    .values({
      shop: ctx.shop,
      customerId: input.customerId,
      sourceGid: input.sourceGid,
      wouldHaveEarned: input.earning.wouldHaveEarned,
      reason: input.earning.skippedReason,
      explanation: input.earning.explanation,
      createdAt: ctx.now.toISOString(),
    })
    .run();
}

function syncStateOf(row: CustomerRow): CustomerSyncState | null {
  // A stub never saw a Shopify version; unless its bonus was already settled (an import), it has no state to keep.
  if (!row.shopifyUpdatedAt && !row.signupBonusSettled) return null;
  return {
    customerGid: row.customerGid,
    shopifyState: row.shopifyState as ShopifyCustomerState,
    updatedAt: row.shopifyUpdatedAt ?? new Date(0).toISOString(),
    memberSince: row.memberSince,
    signupBonusSettled: row.signupBonusSettled,
  };
}

/**
 * Applies a customer webhook: Member/Guest status and contact details follow the newest Shopify version only, and
 * the sign-up bonus is paid once, the first time the customer is seen as a Member. Runs in the caller's transaction.
 */
export function syncCustomer({ ctx, tx, input }: { ctx: ServiceContext; tx: Tx; input: CustomerSnapshot }) {
  const existing = findCustomerByGid(ctx, input.customerGid);
  const program = getProgram({ ctx, tx });
  const row = existing ?? ensureCustomer({ ctx, tx }, { customerGid: input.customerGid });
  // Only someone who already had an account was a Member before Tally; a guest who signs up later earns the bonus.
  if (input.existedBeforeInstall && input.shopifyState === "ENABLED" && !row.shopifyUpdatedAt) {
    row.signupBonusSettled = true;
  }
  const plan = planCustomerUpdate(
    syncStateOf(row),
    { customerGid: input.customerGid, shopifyState: input.shopifyState, updatedAt: input.updatedAt },
    { program, customerTags: row.tags, blocked: row.blocked, totals: totalsOf(row) },
  );
  const now = ctx.now.toISOString();
  tx.update(customers)
    .set({
      ...(plan.applied
        ? {
            shopifyState: input.shopifyState,
            status: statusFromShopifyState(input.shopifyState),
            shopifyUpdatedAt: input.updatedAt,
            // A redacted customer stays erased: a late webhook must not bring the personal data back.
            ...(row.redactedAt
              ? {}
              : {
                  email: input.email,
                  firstName: input.firstName,
                  lastName: input.lastName,
                  phone: input.phone,
                  city: input.city,
                  province: input.province,
                  countryCode: input.countryCode,
                }),
            joinedAt: input.createdAt ?? row.joinedAt,
            deletedAt: null,
          }
        : {}),
      memberSince: plan.state.memberSince,
      signupBonusSettled: plan.state.signupBonusSettled,
      updatedAt: now,
    })
    .where(eq(customers.id, row.id))
    .run();
  appendEntries({ ctx, tx, customerId: row.id, entries: plan.entries });
  if (plan.signup) recordSkip({ ctx, tx }, { customerId: row.id, sourceGid: input.customerGid, earning: plan.signup });
  return { customerId: row.id, applied: plan.applied };
}
