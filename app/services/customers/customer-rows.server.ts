import { and, eq, inArray, sql } from "drizzle-orm";
import { prepared } from "~/db/prepared";
import {
  addCustomerFact,
  contactVersionChanges,
  emptyCustomerFacts,
  nfc,
  searchColumnsOf,
  tagsAt,
  type CustomerContact,
} from "~/domain/customers";
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
    phone?: string | null;
    city?: string | null;
    province?: string | null;
    countryCode?: string | null;
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
    phone: input.phone ?? null,
    city: input.city ?? null,
    province: input.province ?? null,
    countryCode: input.countryCode ?? null,
  };
  await tx
    .insert(customers)
    .values({
      shop: ctx.shop,
      customerGid: input.customerGid,
      ...contact,
      ...searchColumnsOf(contact),
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

/**
 * The customer an order or a checkout payload embeds: its id, what it says of the customer's contact (undefined: the
 * source does not carry the field), the state and tags (undated facts, as ensureCustomer keeps them) and the
 * customer's own updated_at and created_at when the payload has them.
 */
export interface EmbeddedCustomer
  extends
    Pick<CustomerContact, "email" | "firstName" | "lastName">,
    Partial<Pick<CustomerContact, "phone" | "city" | "province" | "countryCode">> {
  customerGid: string;
  shopifyState?: ShopifyCustomerState | null;
  tags?: readonly string[] | null;
  updatedAt?: string | null;
  createdAt?: string | null;
  taxExempt?: boolean;
  /**
   * The storefront language an order or checkout was placed in (the payload's `customer_locale`), which fills the
   * customer's `locale` only while Tally has none: Shopify's own `Customer.locale`, read by sync, is the customer's
   * and wins. Customer webhooks carry no locale, so without it a customer new since the last reconciliation would get
   * the primary language's links in their emails (decision 051).
   */
  orderLocale?: string;
}

/**
 * The row of the customer an order or checkout payload names, created when new (ensureCustomer), with the contact
 * details the payload carries applied by the rule customers/* webhooks follow (contactVersionChanges): the customer's
 * dated version wins when it is the newest Tally has seen, an undated one only fills blanks. Writes only when something
 * changes, so the order webhook's hot path pays a read it already made.
 */
export async function ensureEmbeddedCustomer(
  { ctx, tx }: { ctx: ServiceContext; tx: Tx },
  input: EmbeddedCustomer,
): Promise<CustomerRow> {
  const row = await ensureCustomer({ ctx, tx }, input);
  const field = <Key extends keyof CustomerContact>(key: Key) => (input[key] === undefined ? row[key] : input[key]!);
  const { changes } = contactVersionChanges(row, {
    contact: {
      email: field("email"),
      firstName: field("firstName"),
      lastName: field("lastName"),
      phone: field("phone"),
      city: field("city"),
      province: field("province"),
      countryCode: field("countryCode"),
    },
    updatedAt: input.updatedAt ?? null,
    createdAt: input.createdAt ?? null,
    ...(input.taxExempt !== undefined ? { taxExempt: input.taxExempt } : {}),
  });
  const changed = Object.fromEntries(
    Object.entries(changes).filter(([key, value]) => row[key as keyof CustomerRow] !== value),
  ) as Partial<CustomerRow>;
  if (input.orderLocale && !row.locale) changed.locale = input.orderLocale;
  if (Object.keys(changed).length === 0) return row;
  await tx
    .update(customers)
    .set({ ...changed, updatedAt: ctx.now.toISOString() })
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, row.id)));
  return { ...row, ...changed };
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
