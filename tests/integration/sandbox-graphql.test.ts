import { RequestedTokenType, type Session, type Shopify } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../sandbox/index";
import { newShop, sandboxWithClient } from "../sandbox/test-client";

let sandbox: Sandbox;
let shopify: Shopify;
beforeAll(async () => {
  ({ sandbox, shopify } = await sandboxWithClient({ bulkPageSize: 7 }));
});
afterAll(async () => sandbox.close());

async function installedShop(seed?: {
  customers: number;
  orders: number;
}): Promise<{ shop: string; session: Session }> {
  const shop = newShop();
  sandbox.control.createShop({ shop });
  if (seed) sandbox.control.seed({ shop, ...seed, seed: 7 });
  const { session } = await shopify.auth.tokenExchange({
    shop,
    sessionToken: sandbox.control.sessionToken({ shop }),
    requestedTokenType: RequestedTokenType.OfflineAccessToken,
  });
  return { shop, session };
}

const CUSTOMERS = `#graphql
  query Customers($first: Int!, $after: String, $query: String) {
    customers(first: $first, after: $after, query: $query) {
      edges { cursor node { id email state tags numberOfOrders amountSpent { amount currencyCode } defaultAddress { city } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

interface CustomersData {
  customers: {
    edges: {
      cursor: string;
      node: { id: string; email: string; state: string; tags: string[]; numberOfOrders: string };
    }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const FILTERED = `#graphql
  query Filtered($first: Int!, $query: String) {
    customers(first: $first, query: $query) { edges { node { id email state tags } } }
  }`;

describe("sandbox Admin GraphQL", () => {
  it("pages through seeded customers with the library's GraphQL client", async () => {
    const { session } = await installedShop({ customers: 25, orders: 40 });
    const client = new shopify.clients.Graphql({ session });
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { data?: CustomersData } = await client.request<CustomersData>(CUSTOMERS, {
        variables: { first: 10, after },
      });
      const { edges, pageInfo } = page.data!.customers;
      seen.push(...edges.map((e) => e.node.id));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen.every((id) => /^gid:\/\/shopify\/Customer\/\d{18}$/.test(id))).toBe(true);
  });

  it("filters with Shopify's search syntax", async () => {
    const { session } = await installedShop({ customers: 200, orders: 0 });
    const client = new shopify.clients.Graphql({ session });
    const enabled = await client.request<CustomersData>(FILTERED, {
      variables: { first: 250, query: "state:ENABLED" },
    });
    const states = new Set(enabled.data!.customers.edges.map((e) => e.node.state));
    expect([...states]).toEqual(["ENABLED"]);
    const vip = await client.request<CustomersData>(FILTERED, { variables: { first: 250, query: "tag:vip" } });
    expect(vip.data!.customers.edges.every((e) => e.node.tags.includes("vip"))).toBe(true);
    const all = await client.request<CustomersData>(FILTERED, { variables: { first: 250 } });
    const tenth = all.data!.customers.edges[9]!.node;
    const after = await client.request<CustomersData>(FILTERED, {
      variables: { first: 250, query: `id:>${tenth.id.split("/").pop()}` },
    });
    expect(after.data!.customers.edges).toHaveLength(190);
    const byEmail = await client.request<CustomersData>(FILTERED, {
      variables: { first: 5, query: `email:${tenth.email}` },
    });
    expect(byEmail.data!.customers.edges.map((e) => e.node.id)).toEqual([tenth.id]);
  });

  it("answers an invalid document with Shopify-shaped errors and a bad token with 401", async () => {
    const { shop, session } = await installedShop();
    const client = new shopify.clients.Graphql({ session });
    const answer = await client.request(`{ shop { name notAField } }`).catch((error: { body?: unknown }) => error.body);
    expect(answer).toMatchObject({
      errors: {
        graphQLErrors: [{ message: expect.stringContaining("notAField"), extensions: { code: "undefinedField" } }],
      },
    });

    const unauthorized = await fetch(`${sandbox.origin}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Sandbox-Shop": shop, "X-Shopify-Access-Token": "shpat_forged" },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
  });

  it("reports cost on every answer and throttles when the bucket is empty", async () => {
    const { shop, session } = await installedShop({ customers: 60, orders: 0 });
    sandbox.control.setThrottle({ shop, maximumAvailable: 120, restoreRate: 1 });
    const ask = () =>
      fetch(`${sandbox.origin}/admin/api/2026-10/graphql.json`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Sandbox-Shop": shop,
          "X-Shopify-Access-Token": session.accessToken!,
        },
        body: JSON.stringify({ query: "{ customers(first: 50) { nodes { id email } } }" }),
      }).then(
        (r) =>
          r.json() as Promise<{
            errors?: { extensions: { code: string } }[];
            extensions: { cost: { requestedQueryCost: number; throttleStatus: { currentlyAvailable: number } } };
          }>,
      );
    const first = await ask();
    expect(first.errors).toBeUndefined();
    expect(first.extensions.cost.requestedQueryCost).toBe(52);
    await ask();
    const third = await ask();
    expect(third.errors?.[0]?.extensions.code).toBe("THROTTLED");
    expect(third.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(52);
  });

  it("runs the mutations a loyalty app uses", async () => {
    const { shop, session } = await installedShop();
    const client = new shopify.clients.Graphql({ session });
    const customer = sandbox.control.createCustomerAccount({ shop, email: "zoe@example.com", firstName: "Zoë" });
    const customerGid = `gid://shopify/Customer/${customer.id}`;
    const credit = await client.request(
      `#graphql
      mutation Credit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
        storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
          storeCreditAccountTransaction { amount { amount currencyCode } account { balance { amount } } }
          userErrors { field message code }
        }
      }`,
      { variables: { id: customerGid, creditInput: { creditAmount: { amount: "5.00", currencyCode: "CAD" } } } },
    );
    expect(credit.data).toMatchObject({
      storeCreditAccountCredit: {
        storeCreditAccountTransaction: { amount: { amount: "5.0", currencyCode: "CAD" } },
        userErrors: [],
      },
    });

    const code = await client.request(
      `#graphql
      mutation Code($input: DiscountCodeBasicInput!) {
        discountCodeBasicCreate(basicCodeDiscount: $input) { codeDiscountNode { id } userErrors { field message } }
      }`,
      {
        variables: {
          input: {
            title: "Reward",
            code: "TALLY-5OFF",
            startsAt: new Date().toISOString(),
            customerGets: {
              value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } },
              items: { all: true },
            },
            context: { customers: { add: [customerGid] } },
            usageLimit: 1,
          },
        },
      },
    );
    expect(code.data).toMatchObject({ discountCodeBasicCreate: { userErrors: [] } });
    const order = sandbox.control.placeOrder({
      shop,
      customerId: customer.id,
      lines: [{ productIndex: 1, quantity: 1 }],
      discountCode: "TALLY-5OFF",
    });
    expect(order.discountCents).toBe(500);

    await client.request(
      `mutation { tagsAdd(id: "${customerGid}", tags: ["tally-member"]) { userErrors { message } } }`,
    );
    await client.request(
      `mutation M($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }`,
      {
        variables: {
          m: [{ ownerId: customerGid, namespace: "$app", key: "points", type: "number_integer", value: "120" }],
        },
      },
    );
    const read = await client.request<{
      customer: { tags: string[]; metafield: { value: string }; numberOfOrders: string };
    }>(
      `query C($id: ID!) { customer(id: $id) { tags numberOfOrders metafield(namespace: "$app", key: "points") { value } } }`,
      { variables: { id: customerGid } },
    );
    expect(read.data!.customer).toEqual({ tags: ["tally-member"], numberOfOrders: "1", metafield: { value: "120" } });

    const deleted = await client.request<{ customerDelete: { userErrors: { message: string }[] } }>(
      `mutation { customerDelete(input: { id: "${customerGid}" }) { deletedCustomerId userErrors { field message } } }`,
    );
    expect(deleted.data!.customerDelete.userErrors[0]?.message).toMatch(/orders/);
  });

  it("runs a bulk query into Shopify's JSONL with __parentId lines", async () => {
    const { session } = await installedShop({ customers: 20, orders: 30 });
    const client = new shopify.clients.Graphql({ session });
    await client.request(`mutation { bulkOperationRunQuery(groupObjects: false, query: """
      { customers { edges { node { id email orders { edges { node { id name } } } } } } }
    """) { bulkOperation { id status } userErrors { message } } }`);
    await sandbox.control.idle();
    const current = await client.request<{
      currentBulkOperation: { status: string; url: string; objectCount: string; rootObjectCount: string };
    }>(`{ currentBulkOperation { status url objectCount rootObjectCount } }`);
    const op = current.data!.currentBulkOperation;
    expect(op.status).toBe("COMPLETED");
    expect(op.rootObjectCount).toBe("20");
    const lines = (await (await fetch(op.url)).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, string>);
    const orders = lines.filter((l) => l.__parentId);
    expect(lines.length).toBe(Number(op.objectCount));
    expect(orders.length).toBeGreaterThan(0);
    expect(
      orders.every(
        (o) => o.id!.startsWith("gid://shopify/Order/") && o.__parentId!.startsWith("gid://shopify/Customer/"),
      ),
    ).toBe(true);
  });

  it("reads a sorted root connection in its sort across pages, each order once, as the paged query sorts it", async () => {
    const { session } = await installedShop({ customers: 30, orders: 60 });
    const client = new shopify.clients.Graphql({ session });
    type Line = { id: string; updatedAt: string; processedAt: string };
    const bulkRead = async (args: string): Promise<Line[]> => {
      await client.request(`mutation { bulkOperationRunQuery(query: """
        { orders${args} { edges { node { id updatedAt processedAt } } } }
      """) { bulkOperation { id } userErrors { message } } }`);
      await sandbox.control.idle();
      const current = await client.request<{ currentBulkOperation: { status: string; url: string } }>(
        `{ currentBulkOperation { status url } }`,
      );
      expect(current.data!.currentBulkOperation.status).toBe("COMPLETED");
      const text = await (await fetch(current.data!.currentBulkOperation.url)).text();
      return text
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Line);
    };
    const paged = async (args: string): Promise<string[]> => {
      const ids: string[] = [];
      let after: string | null = null;
      do {
        const answer: {
          data?: { orders: { nodes: { id: string }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } };
        } = await client.request(
          `query ($after: String) { orders(first: 25, after: $after${args}) { nodes { id } pageInfo { endCursor hasNextPage } } }`,
          { variables: { after } },
        );
        ids.push(...answer.data!.orders.nodes.map((node) => node.id));
        after = answer.data!.orders.pageInfo.hasNextPage ? answer.data!.orders.pageInfo.endCursor : null;
      } while (after);
      return ids;
    };
    // Shopify's orders sort by PROCESSED_AT unless told otherwise; updated_at is not in the order of the ids here.
    for (const args of ["", "(sortKey: UPDATED_AT)", "(sortKey: UPDATED_AT, reverse: true)"]) {
      const lines = await bulkRead(args);
      expect(lines).toHaveLength(60);
      expect(new Set(lines.map((line) => line.id)).size).toBe(60);
      const field = args.includes("UPDATED_AT") ? "updatedAt" : "processedAt";
      const keys = lines.map((line) => line[field]);
      const inOrder = [...keys].sort();
      expect(keys).toEqual(args.includes("reverse") ? inOrder.reverse() : inOrder);
      expect(lines.map((line) => line.id)).toEqual(await paged(args.replace(/^\((.*)\)$/, ", $1")));
    }
  });
});
