import { and, eq, inArray, sql } from "drizzle-orm";
import { prepared } from "~/db/prepared";
import { addCustomerFact, emptyCustomerFacts, nfc, searchColumnsOf, tagsAt } from "~/domain/customers";
import type { Earning } from "~/domain/program";
import { statusFromShopifyState, type ShopifyCustomerState } from "~/domain/shared";
import { customers, earningSkips } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";

type CustomerRow = typeof customers.$inferSelect;

/** The shop's customer with this Shopify id, read through `tx` when given (inside the caller's transaction). */
export async function findCustomerByGid(
  { ctx, tx }: { ctx: ServiceContext; tx?: Tx },
  customerGid: string,
): Promise<CustomerRow | undefined> {
  const query = prepared(tx ?? ctx.db, "customer-by-gid", (db) =>
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, sql.placeholder("shop")), eq(customers.customerGid, sql.placeholder("gid"))))
      .prepare(),
  );
  return (await query.execute({ shop: ctx.shop, gid: customerGid }))[0];
}

/**
 * Tally's ids of the shop's customers with these Shopify ids (gids Tally does not hold are left out), read through `tx`
 * when given. One read of the (shop, customer_gid) index; callers pass a chunk's worth (hundreds), not a shop's.
 */
export async function findCustomerIdsByGid(
  { ctx, tx }: { ctx: ServiceContext; tx?: Tx },
  customerGids: readonly string[],
): Promise<Map<string, number>> {
  if (customerGids.length === 0) return new Map();
  const rows = await (tx ?? ctx.db)
    .select({ id: customers.id, gid: customers.customerGid })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), inArray(customers.customerGid, [...customerGids])));
  return new Map(rows.map((row) => [row.gid, row.id]));
}

/**
 * The customer's row, created as a bare stub when an order or refund names someone Tally has not heard of yet. What
 * the naming payload says about the customer (an order's embedded customer, whose `updated_at` Shopify may leave
 * null) is kept as an undated fact: it fills the stub, and any dated customer webhook overrides it.
 */
export async function ensureCustomer(
  { ctx, tx }: { ctx: ServiceContext; tx: Tx },
  input: {
    customerGid: string;
    email?: string | null;
    firstName?: string | null;
    lastName?: string | null;
    /** The state an order payload reports, so an order that overtakes customers/create is judged right. */
    shopifyState?: ShopifyCustomerState | null;
    /** The tags an order payload reports, undated like the state. */
    tags?: readonly string[] | null;
  },
): Promise<CustomerRow> {
  const found = await findCustomerByGid({ ctx, tx }, input.customerGid);
  if (found) return found;
  const facts =
    input.shopifyState || input.tags
      ? addCustomerFact(emptyCustomerFacts, { kind: "snapshot", at: null, state: input.shopifyState, tags: input.tags })
      : null;
  const contact = {
    email: nfc(input.email ?? null),
    firstName: nfc(input.firstName ?? null),
    lastName: nfc(input.lastName ?? null),
  };
  await tx
    .insert(customers)
    .values({
      shop: ctx.shop,
      customerGid: input.customerGid,
      ...contact,
      ...searchColumnsOf({ ...contact, phone: null }),
      ...(input.shopifyState
        ? { shopifyState: input.shopifyState, status: statusFromShopifyState(input.shopifyState) }
        : {}),
      ...(facts ? { facts, tags: tagsAt(facts) } : {}),
    })
    .onConflictDoNothing();
  const row = await findCustomerByGid({ ctx, tx }, input.customerGid);
  if (!row) throw new Error(`customer ${input.customerGid} could not be stored`);
  return row;
}

/** Logs an earning the program refused (blocked, excluded tag, guest, program off) for the profile's card. */
export async function recordSkip(
  { ctx, tx }: { ctx: ServiceContext; tx: Tx },
  input: { customerId: number; sourceGid: string | null; earning: Earning },
) {
  if (!input.earning.skippedReason || input.earning.wouldHaveEarned === 0) return;
  await tx.insert(earningSkips).values({
    shop: ctx.shop,
    customerId: input.customerId,
    sourceGid: input.sourceGid,
    wouldHaveEarned: input.earning.wouldHaveEarned,
    reason: input.earning.skippedReason,
    explanation: input.earning.explanation,
    createdAt: ctx.now.toISOString(),
  });
}
