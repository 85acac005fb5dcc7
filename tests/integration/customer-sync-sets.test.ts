import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  customerCounts,
  customerFacets,
  customers,
  customerTags,
  earningSkips,
  ledgerEntries,
  memberGrowth,
  orders,
  shops,
} from "~/db/schema";
import { defaultSettings } from "~/domain/program";
import { orderEventSchema } from "~/domain/ledger";
import { inTransaction } from "~/services/context";
import { applySyncBatch, type SyncRecord } from "~/services/customers/apply-sync-batch.server";
import { applyNewRecordsAsSets } from "~/services/customers/apply-sync-sets.server";
import { markCustomerDeleted } from "~/services/customers/customer-facts.server";
import type { OrderFacts } from "~/services/orders/apply-order-event.server";
import { saveProgram } from "~/services/program/save-program.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";

/*
 * The set-based apply (applyNewRecordsAsSets, decision 030's third round) must leave a shop exactly as the per-record
 * services do: the same customers, orders, ledger entries, balances, skipped earnings and directory counts. Two shops
 * start alike and take the same mixed chunk, one each way, and are compared row by row.
 */

const NOW = new Date("2026-11-20T12:00:00.000Z");
const BEFORE_INSTALL = "2026-01-10T09:00:00Z";
const INSTALLED = "2026-06-01T00:00:00.000Z";
const AFTER_INSTALL = "2026-07-01T10:00:00Z";

type CustomerInput = Extract<SyncRecord, { kind: "customer" }>["input"];

function customer(
  n: number,
  overrides: Partial<CustomerInput["snapshot"]> & {
    tags?: string[];
    purchasing?: CustomerInput["purchasing"];
    lastOrderAt?: string | null;
  } = {},
): CustomerInput {
  const { tags = [], purchasing, lastOrderAt = null, ...snapshot } = overrides;
  return {
    snapshot: {
      customerGid: `gid://shopify/Customer/${n}`,
      shopifyState: "ENABLED",
      updatedAt: "2026-05-01T10:00:00Z",
      email: `customer-${n}@example.com`,
      firstName: `First${n}`,
      lastName: `Last${n}`,
      phone: null,
      city: "Lyon",
      province: null,
      countryCode: "FR",
      createdAt: "2025-03-01T10:00:00Z",
      existedBeforeInstall: false,
      ...snapshot,
    },
    tags,
    purchasing: purchasing === undefined ? { ordersCount: 2, amountSpentMinor: 12_345, currency: "USD" } : purchasing,
    lastOrderAt,
  };
}

function order(n: number, customerN: number | null, overrides: Partial<OrderFacts> = {}): OrderFacts {
  return {
    orderGid: `gid://shopify/Order/${n}`,
    name: `#${n}`,
    currency: "USD",
    subtotalMinor: 5_000 + n,
    totalMinor: 6_000 + n,
    financialStatus: "paid",
    fulfillmentStatus: null,
    discountCodes: [],
    cancelledAt: null,
    processedAt: BEFORE_INSTALL,
    updatedAt: BEFORE_INSTALL,
    customer:
      customerN === null
        ? null
        : { customerGid: `gid://shopify/Customer/${customerN}`, email: null, firstName: null, lastName: null },
    ...overrides,
  };
}

let line = 0;
const asCustomer = (input: CustomerInput): SyncRecord => ({ kind: "customer", line: ++line, input });
const asOrder = (facts: OrderFacts): SyncRecord => ({ kind: "order", line: ++line, facts });

/** What Tally held before the chunk: a customer each to change, to leave stale, to leave current, deleted since. */
function earlierChunk(): SyncRecord[] {
  line = 0;
  return [
    asCustomer(customer(1, { updatedAt: "2026-04-01T10:00:00Z" })),
    asCustomer(customer(2, { updatedAt: "2026-09-01T10:00:00Z", email: "newer-webhook@example.com" })),
    asCustomer(customer(3)),
    asCustomer(customer(4, { updatedAt: "2026-03-01T10:00:00Z" })),
    asCustomer(customer(5, { shopifyState: "DISABLED", tags: ["vip"] })),
    asOrder(order(100, 1)),
  ];
}

function mixedChunk(): SyncRecord[] {
  const paid = orderEventSchema.parse({
    kind: "paid",
    orderGid: "gid://shopify/Order/220",
    orderName: "#220",
    subtotalMinor: 8_000,
    currency: "USD",
    paidAt: AFTER_INSTALL,
    totalMinor: 9_000,
    lines: [{ lineGid: "gid://shopify/LineItem/1", quantity: 1, discountedMinor: 8_000 }],
  });
  return [
    // Held: newer (changed), older than what a webhook brought (stale), the same version (current), deleted later.
    asCustomer(customer(1, { updatedAt: "2026-08-01T10:00:00Z", lastName: "Renamed", tags: ["vip"] })),
    asCustomer(customer(2, { updatedAt: "2026-08-01T10:00:00Z" })),
    asCustomer(customer(3)),
    asCustomer(customer(4, { updatedAt: "2026-04-01T10:00:00Z" })),
    // New: a member (sign-up bonus), an excluded-tag member (skipped bonus), a guest, an invited one, one who was a
    // member before install, one with no purchasing figures, accents in decomposed form, tax exempt, no email.
    asCustomer(customer(10, { lastOrderAt: "2026-02-01T10:00:00Z" })),
    asCustomer(customer(11, { tags: ["Wholesale", "vip"] })),
    asCustomer(customer(12, { shopifyState: "DISABLED", purchasing: null })),
    asCustomer(customer(13, { shopifyState: "INVITED" })),
    asCustomer(customer(14, { existedBeforeInstall: true })),
    asCustomer(
      customer(15, {
        firstName: "Ame\u0301lie",
        lastName: "Lefe\u0300vre",
        email: null,
        taxExempt: true,
        phone: "+33 6 12 34 56 78",
      }),
    ),
    // A customer twice in one chunk: the older version first.
    asCustomer(customer(16, { updatedAt: "2026-02-01T10:00:00Z", email: "old@example.com" })),
    asCustomer(customer(16, { updatedAt: "2026-03-01T10:00:00Z", email: "new@example.com" })),
    // A new customer whose default address the referral program fingerprints.
    asCustomer(
      customer(17, {
        defaultAddress: { address1: "1 Rue de la Paix", city: "Paris", zip: "75002", countryCode: "FR" },
      } as Partial<CustomerInput["snapshot"]>),
    ),
    // Orders: paid, refunded, partially refunded, cancelled and voided, pending, all before install; one paid after
    // install that Tally has not seen paid; one with a discount code; one of a held customer; one of a changed one.
    asOrder(order(200, 10)),
    asOrder(order(201, 10, { financialStatus: "refunded", processedAt: "2026-03-05T10:00:00Z" })),
    asOrder(order(202, 11, { financialStatus: "partially_refunded" })),
    asOrder(order(203, 12, { financialStatus: "voided", cancelledAt: "2026-01-11T09:00:00Z" })),
    asOrder(order(204, 13, { financialStatus: "refunded", cancelledAt: "2026-01-12T09:00:00Z" })),
    asOrder(order(205, 14, { financialStatus: "pending", processedAt: null })),
    asOrder(order(206, 15, { processedAt: AFTER_INSTALL, updatedAt: AFTER_INSTALL })),
    asOrder(order(207, 15, { discountCodes: ["WELCOME10"] })),
    asOrder(order(208, 5, { processedAt: "2026-05-20T10:00:00Z" })),
    asOrder(order(209, 1, { processedAt: "2026-05-21T10:00:00Z" })),
    asOrder(order(100, 1, { updatedAt: "2026-02-01T10:00:00Z", financialStatus: "refunded" })),
    { kind: "order-events", line: ++line, facts: order(220, 10, { processedAt: AFTER_INSTALL }), events: [paid] },
  ];
}

async function shopWith(asSets: boolean) {
  const shop = await newShopDomain();
  const ctx = { ...contextFor(shop, "test"), now: NOW };
  await ctx.db.update(shops).set({ installedAt: INSTALLED }).where(eq(shops.shop, shop));
  await saveProgram({ ctx, input: { ...defaultSettings("USD"), excludedTags: ["wholesale"] } });
  await applySyncBatch({ ctx, input: { records: earlierChunk(), asSets: false } });
  await inTransaction(ctx, (tx) =>
    markCustomerDeleted({
      ctx,
      tx,
      input: { customerGid: "gid://shopify/Customer/4", deletedAt: "2026-10-01T10:00:00Z" },
    }),
  );
  const results = await applySyncBatch({ ctx, input: { records: mixedChunk(), asSets } });
  // Applying the same chunk again changes nothing either way.
  const again = await applySyncBatch({ ctx, input: { records: mixedChunk(), asSets } });
  return { shop, ctx, results, again };
}

/** Every row the shop holds in the tables a sync writes, ids replaced by the Shopify GIDs they stand for. */
async function shopState(shop: string) {
  const { db } = contextFor(shop, "test");
  const customerRows = await db.select().from(customers).where(eq(customers.shop, shop));
  const gidOf = new Map(customerRows.map((row) => [row.id, row.customerGid]));
  const drop = <Row extends object>(row: Row, ...keys: string[]): Record<string, unknown> =>
    Object.fromEntries(Object.entries(row).filter(([key]) => !keys.includes(key)));
  const byKey = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    JSON.stringify(a).localeCompare(JSON.stringify(b));
  const owned = <Row extends { customerId: number | null }>(rows: Row[], ...keys: string[]) =>
    rows
      .map((row) => ({ ...drop(row, "id", "createdAt", ...keys), customerId: gidOf.get(row.customerId ?? -1) ?? null }))
      .sort(byKey);
  return {
    customers: customerRows.map((row) => drop(row, "id", "createdAt")).sort(byKey),
    orders: owned(await db.select().from(orders).where(eq(orders.shop, shop))),
    ledger: owned(await db.select().from(ledgerEntries).where(eq(ledgerEntries.shop, shop))),
    skips: owned(await db.select().from(earningSkips).where(eq(earningSkips.shop, shop))),
    counts: await db.select().from(customerCounts).where(eq(customerCounts.shop, shop)),
    tags: owned(await db.select().from(customerTags).where(eq(customerTags.shop, shop))),
    facets: (await db.select().from(customerFacets).where(eq(customerFacets.shop, shop))).sort(byKey),
    growth: (await db.select().from(memberGrowth).where(eq(memberGrowth.shop, shop))).sort(byKey),
  };
}

const withoutShop = (state: Awaited<ReturnType<typeof shopState>>, shop: string) =>
  JSON.parse(JSON.stringify(state).replaceAll(shop, "SHOP"));

describe("Sync customers applies a chunk's new customers and orders as sets", () => {
  it("leaves the same customers, orders, ledger entries, balances and counts as the per-record services", async () => {
    const [sets, perRecord] = [await shopWith(true), await shopWith(false)];
    // The set path also hands back the row id of each customer it added (the task's result line links to it).
    const outcomes = (results: typeof sets.results) => results.map(({ customerId: _id, ...rest }) => rest);
    expect(outcomes(sets.results)).toEqual(outcomes(perRecord.results));
    // (Those it leaves to the per-record path, a customer with an address among them, are read by the task.)
    const added = sets.results.filter((result) => result.customerId !== undefined);
    expect(added.length).toBeGreaterThan(0);
    const { db } = contextFor(sets.shop, "test");
    const rows = await db
      .select({ id: customers.id, gid: customers.customerGid })
      .from(customers)
      .where(eq(customers.shop, sets.shop));
    const ids = new Map(rows.map((row) => [row.gid, row.id]));
    for (const result of added) {
      expect(result.outcome).toBe("added");
      expect(result.customerId).toBe(ids.get(result.gid));
    }
    expect(sets.again).toEqual(perRecord.again);
    const [setState, recordState] = [await shopState(sets.shop), await shopState(perRecord.shop)];
    expect(withoutShop(setState, sets.shop)).toEqual(withoutShop(recordState, perRecord.shop));

    // What a merchant would see, so the comparison is not of two empty shops: the new member got the sign-up bonus,
    // the excluded-tag member's was skipped, the member from before install got none, the order Tally missed earned.
    const balance = (n: number) =>
      setState.customers.find((row) => row.customerGid === `gid://shopify/Customer/${n}`)?.pointsBalance;
    expect(sets.results.filter((result) => result.outcome === "added")).toHaveLength(8);
    expect(balance(10)).toBe(100 + 80);
    expect(balance(11)).toBe(0);
    expect(balance(14)).toBe(0);
    expect(setState.skips.map((skip) => skip.customerId)).toContain("gid://shopify/Customer/11");
    expect(setState.orders).toHaveLength(12);
    const emailOf = (n: number) =>
      setState.customers.find((row) => row.customerGid === `gid://shopify/Customer/${n}`)?.email;
    expect(emailOf(2)).toBe("newer-webhook@example.com");
    expect(emailOf(16)).toBe("new@example.com");
    // The second pass wrote nothing new: every record answered unchanged.
    expect(sets.again.every((result) => result.outcome === "unchanged")).toBe(true);
  });

  it("takes the new customers and their plain orders, and leaves the rest to the per-record services", async () => {
    const shop = await newShopDomain();
    const ctx = { ...contextFor(shop, "test"), now: NOW };
    await ctx.db.update(shops).set({ installedAt: INSTALLED }).where(eq(shops.shop, shop));
    await applySyncBatch({ ctx, input: { records: earlierChunk(), asSets: false } });
    const held = await ctx.db
      .select({ id: customers.id, gid: customers.customerGid })
      .from(customers)
      .where(eq(customers.shop, shop));
    const records = mixedChunk();
    const taken = await inTransaction(ctx, (tx) =>
      applyNewRecordsAsSets({
        ctx,
        tx,
        records,
        heldCustomerIds: new Map(held.map((row) => [row.gid, row.id])),
        heldOrderGids: new Set(["gid://shopify/Order/100"]),
      }),
    );
    const gids = Array.from(taken, ([, result]) => result).map((result) =>
      result.gid.replace(/^gid:\/\/shopify\//, ""),
    );
    // Customer 16 appears twice, 17 has an address to fingerprint; order 209 belongs to a customer this chunk changes,
    // 100 is held, 220 is replayed as its webhooks: all per record. Order 207's code is no referral reward's.
    expect(gids.sort()).toEqual(
      [
        ...[10, 11, 12, 13, 14, 15].map((n) => `Customer/${n}`),
        ...[200, 201, 202, 203, 204, 205, 206, 207, 208].map((n) => `Order/${n}`),
      ].sort(),
    );
  });
});
