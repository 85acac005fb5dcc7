import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers } from "~/db/schema";
import { runShopJobs } from "~/jobs/scheduler.server";
import { contextFor, unauthenticated } from "~/shopify.server";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { newShopDomain } from "../factories/shops";

const { db } = contextFor("any", "test");
// No app listens for the sandbox's webhooks: what reaches Tally here came through reconciliation alone.
const sandboxOf = useSandbox();

// What Shopify says, asked the way a merchant's admin would: the oracle, not Tally's own queries.
const SHOPIFY_CUSTOMERS = `
  query DirectorySyncOracle($after: String) {
    customers(first: 250, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id taxExempt lastOrder { processedAt } }
    }
  }`;
const SET_TAX_EXEMPT = `
  mutation DirectorySyncTaxExempt($input: CustomerInput!) {
    customerUpdate(input: $input) { customer { id taxExempt } userErrors { message } }
  }`;

interface ShopifyCustomer {
  id: string;
  taxExempt: boolean;
  lastOrder: { processedAt: string } | null;
}

async function shopifyCustomers(shop: string): Promise<ShopifyCustomer[]> {
  const { admin } = await unauthenticated.admin(shop);
  const all: ShopifyCustomer[] = [];
  let after: string | null = null;
  for (;;) {
    const response = await admin.graphql(SHOPIFY_CUSTOMERS, { variables: { after } });
    const { data } = (await response.json()) as {
      data: { customers: { nodes: ShopifyCustomer[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    };
    all.push(...data.customers.nodes);
    if (!data.customers.pageInfo.hasNextPage) return all;
    after = data.customers.pageInfo.endCursor;
  }
}

async function tallyCustomers(shop: string) {
  const rows = await db
    .select({ gid: customers.customerGid, taxExempt: customers.taxExempt, lastOrderAt: customers.lastOrderAt })
    .from(customers)
    .where(eq(customers.shop, shop));
  return new Map(rows.map((row) => [row.gid, row]));
}

function expectSameAsShopify(shopify: ShopifyCustomer[], tally: Awaited<ReturnType<typeof tallyCustomers>>) {
  expect(tally.size).toBe(shopify.length);
  for (const customer of shopify) {
    const row = tally.get(customer.id);
    expect({
      id: customer.id,
      taxExempt: row?.taxExempt,
      lastOrder: row?.lastOrderAt && Date.parse(row.lastOrderAt),
    }).toEqual({
      id: customer.id,
      taxExempt: customer.taxExempt,
      lastOrder: customer.lastOrder ? Date.parse(customer.lastOrder.processedAt) : null,
    });
  }
}

describe("the directory's tax exemption and last order date from reconciliation", () => {
  it("match Shopify's for every customer after the install sync, and follow a change the webhooks missed", async () => {
    const shop = await newShopDomain();
    sandboxOf().control.createShop({ shop });
    sandboxOf().control.seed({ shop, customers: 150, orders: 250, seed: 11 });
    await installThroughAdmin(sandboxOf(), shop);
    await runShopJobs(shop, { force: true });

    const before = await shopifyCustomers(shop);
    // The seed holds every case, so the comparison below cannot pass on defaults alone.
    expect(before.some((customer) => customer.taxExempt)).toBe(true);
    expect(before.some((customer) => customer.lastOrder)).toBe(true);
    expect(before.some((customer) => !customer.lastOrder)).toBe(true);
    expectSameAsShopify(before, await tallyCustomers(shop));

    // The merchant exempts a customer in Shopify; the customers/update webhook is lost.
    const target = before.find((customer) => !customer.taxExempt && customer.lastOrder);
    const { admin } = await unauthenticated.admin(shop);
    await admin.graphql(SET_TAX_EXEMPT, { variables: { input: { id: target?.id, taxExempt: true } } });
    await runShopJobs(shop, { force: true });

    const row = await db
      .select({ taxExempt: customers.taxExempt })
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, target?.id ?? "")));
    expect(row).toEqual([{ taxExempt: true }]);
    expectSameAsShopify(await shopifyCustomers(shop), await tallyCustomers(shop));
  });
});
