import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import { bulkQuery, type BulkLine } from "~/shopify/admin/bulk-query.server";
import { customerRecordSchema, readCustomerSyncLine, type CustomerRecord } from "~/shopify/admin/sync-records";

const good = (id: number) => ({
  id: `gid://shopify/Customer/${id}`,
  firstName: "Ada",
  lastName: null,
  state: "ENABLED",
  tags: ["vip"],
  createdAt: "2026-01-02T03:04:05Z",
  updatedAt: "2026-02-03T04:05:06Z",
  defaultEmailAddress: { emailAddress: `ada${id}@example.com` },
  defaultPhoneNumber: null,
  defaultAddress: { city: "Ottawa", province: "Ontario", countryCodeV2: "CA" },
  numberOfOrders: "3",
  amountSpent: { amount: "120.5", currencyCode: "CAD" },
});

// A bulk result as Shopify's file could hold it after a change on its side: good lines around broken ones.
const jsonl = [
  JSON.stringify(good(1)),
  '{"id": "gid://shopify/Customer/2", "firstName": "Bo',
  JSON.stringify({ ...good(3), updatedAt: undefined }),
  JSON.stringify({ ...good(4), tags: "vip, wholesale", numberOfOrders: -1 }),
  "",
  JSON.stringify({ ...good(5), id: "gid://shopify/Order/5" }),
  JSON.stringify(good(6)),
].join("\n");

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((_req, res) => res.end(jsonl));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/result.jsonl`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Shopify's two bulk answers: the operation started, and completed with its file. */
const graphql = (async (query: string) =>
  Response.json({
    data: query.includes("bulkOperationRunQuery")
      ? {
          bulkOperationRunQuery: {
            bulkOperation: { id: "gid://shopify/BulkOperation/1", status: "CREATED" },
            userErrors: [],
          },
        }
      : {
          bulkOperation: {
            id: "gid://shopify/BulkOperation/1",
            status: "COMPLETED",
            errorCode: null,
            objectCount: "6",
            url,
          },
        },
  })) as unknown as AdminGraphql;

describe("a bulk operation's JSONL, read through its schema", () => {
  it("yields every line that fits and sets aside each one that does not, with its line number and reasons", async () => {
    const lines: BulkLine<CustomerRecord>[] = [];
    for await (const line of bulkQuery(
      graphql,
      "query { customers { edges { node { id } } } }",
      customerRecordSchema,
    )) {
      lines.push(line);
    }
    expect(lines.flatMap((line) => ("record" in line ? [line.record.id] : []))).toEqual([
      "gid://shopify/Customer/1",
      "gid://shopify/Customer/6",
    ]);
    expect(lines.flatMap((line) => ("rejected" in line ? [line.rejected] : []))).toEqual([
      "line 2: not JSON",
      expect.stringMatching(/^line 3: updatedAt: /),
      expect.stringMatching(/^line 4: tags: .*; numberOfOrders: /),
      expect.stringMatching(/^line 6: id: .*gid:\/\/shopify\/Customer\//),
    ]);
  });
});

describe("a line of Sync customers' JSONL (customers with their orders)", () => {
  const order = {
    id: "gid://shopify/Order/7",
    name: "#1007",
    currencyCode: "CAD",
    subtotalPriceSet: { shopMoney: { amount: "40.0", currencyCode: "CAD" } },
    currentTotalPriceSet: null,
    displayFinancialStatus: "PAID",
    displayFulfillmentStatus: "UNFULFILLED",
    cancelledAt: null,
    processedAt: "2026-02-03T04:05:06Z",
    updatedAt: "2026-02-03T04:05:06Z",
    discountCodes: [],
    __parentId: "gid://shopify/Customer/1",
  };

  it("reads a customer, an order naming its customer, and sets aside what fits neither, with the reason", () => {
    expect(readCustomerSyncLine(1, JSON.stringify(good(1)))).toMatchObject({ customer: { id: good(1).id } });
    expect(readCustomerSyncLine(2, JSON.stringify(order))).toMatchObject({
      order: { id: "gid://shopify/Order/7", __parentId: "gid://shopify/Customer/1" },
    });
    expect(readCustomerSyncLine(3, JSON.stringify({ ...order, __parentId: "gid://shopify/Order/1" }))).toEqual({
      rejected: expect.stringMatching(/^line 3: __parentId: /),
    });
    expect(readCustomerSyncLine(4, JSON.stringify({ ...good(2), state: undefined }))).toEqual({
      rejected: expect.stringMatching(/^line 4: state: /),
    });
    expect(readCustomerSyncLine(5, "{")).toEqual({ rejected: "line 5: not JSON" });
  });
});
