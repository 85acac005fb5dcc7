import { describe, expect, it } from "vitest";
import { useSandboxWithClient } from "../helpers/sandbox-with-client";

const { sandbox, app, installedShop } = useSandboxWithClient();

const CREATE = `mutation C($name: String!, $query: String!) {
  segmentCreate(name: $name, query: $query) { segment { id name query creationDate } userErrors { field message } }
}`;
const MEMBERS = `query M($segmentId: ID, $query: String, $first: Int!, $after: String) {
  customerSegmentMembers(segmentId: $segmentId, query: $query, first: $first, after: $after) {
    totalCount
    edges { cursor node { id displayName numberOfOrders amountSpent { amount } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface MembersPage {
  totalCount: number;
  edges: { node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string };
}

describe("sandbox customer segments", () => {
  it("creates, renames, requeries and deletes segments, refusing bad names and queries, with segments/* webhooks", async () => {
    const { gql } = await installedShop();
    const created = await gql(CREATE, { name: "VIPs", query: "customer_tags CONTAINS 'vip'" });
    expect(created.data.segmentCreate).toMatchObject({
      segment: { name: "VIPs", query: "customer_tags CONTAINS 'vip'" },
      userErrors: [],
    });
    const id = created.data.segmentCreate.segment.id as string;
    expect((await gql(CREATE, { name: "vips", query: "number_of_orders > 1" })).data.segmentCreate).toEqual({
      segment: null,
      userErrors: [{ field: ["name"], message: "Name has already been taken" }],
    });
    expect((await gql(CREATE, { name: "Tiers", query: "loyalty_tier = 'gold'" })).data.segmentCreate).toEqual({
      segment: null,
      userErrors: [{ field: ["query"], message: "Line 1 Column 0: 'loyalty_tier' filter cannot be found." }],
    });
    const updated = await gql(
      `mutation U($id: ID!) { segmentUpdate(id: $id, name: "Big spenders", query: "amount_spent >= 500") {
        segment { name query } userErrors { field message } } }`,
      { id },
    );
    expect(updated.data.segmentUpdate).toEqual({
      segment: { name: "Big spenders", query: "amount_spent >= 500" },
      userErrors: [],
    });
    const listed = await gql(`{ segments(first: 10) { nodes { id name } } segmentsCount { count } }`);
    expect(listed.data).toEqual({ segments: { nodes: [{ id, name: "Big spenders" }] }, segmentsCount: { count: 1 } });
    const deleted = await gql(
      `mutation D($id: ID!) { segmentDelete(id: $id) { deletedSegmentId userErrors { field message } } }`,
      { id },
    );
    expect(deleted.data.segmentDelete).toEqual({ deletedSegmentId: id, userErrors: [] });
    expect((await gql(`query S($id: ID!) { segment(id: $id) { id } }`, { id })).data.segment).toBeNull();
    await sandbox().control.idle();
    const numericId = id.split("/").pop();
    expect(app().received.map((r) => r.topic)).toEqual(["segments/create", "segments/update", "segments/delete"]);
    expect(app().received[1]!.body).toContain(`"id":${numericId},"name":"Big spenders","query":"amount_spent >= 500"`);
  });

  it("lists exactly the customers a query selects, paged, as the customers query independently shows them", async () => {
    const { shop, gql } = await installedShop();
    sandbox().control.seed({ shop, customers: 400, orders: 1200, seed: 11 });
    const query = "customer_tags CONTAINS 'vip' AND number_of_orders >= 2";
    const expected: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: {
        data: {
          customers: {
            nodes: { id: string; numberOfOrders: string }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        };
      } = await gql(
        `query V($after: String) { customers(first: 250, after: $after, query: "tag:vip") {
            nodes { id numberOfOrders } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expected.push(...page.data.customers.nodes.filter((c) => Number(c.numberOfOrders) >= 2).map((c) => c.id));
      if (!page.data.customers.pageInfo.hasNextPage) break;
      after = page.data.customers.pageInfo.endCursor;
    }
    expect(expected.length).toBeGreaterThan(5);

    const members: string[] = [];
    let cursor: string | null = null;
    let totalCount = 0;
    for (;;) {
      const page: { data: { customerSegmentMembers: MembersPage } } = await gql(MEMBERS, {
        query,
        first: 4,
        after: cursor,
      });
      const connection = page.data.customerSegmentMembers;
      totalCount = connection.totalCount;
      members.push(...connection.edges.map((e) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      cursor = connection.pageInfo.endCursor;
    }
    expect(members.map((id) => id.replace("CustomerSegmentMember", "Customer"))).toEqual(expected);
    expect(totalCount).toBe(expected.length);

    const saved = await gql(CREATE, { name: "Repeat VIPs", query });
    const bySegment = await gql(MEMBERS, { segmentId: saved.data.segmentCreate.segment.id, first: 250 });
    expect(bySegment.data.customerSegmentMembers.totalCount).toBe(expected.length);
    const invalid = await gql(MEMBERS, { query: "number_of_orders CONTAINS 2", first: 5 });
    expect(invalid.errors?.[0]?.message).toBe(
      "Line 1 Column 17: 'CONTAINS' is not a valid operator for 'number_of_orders'.",
    );
  });

  it("tells the app when a change moves a customer into or out of a segment", async () => {
    const { shop, gql } = await installedShop();
    const vips = await gql(CREATE, { name: "VIP", query: "customer_tags CONTAINS 'vip'" });
    const regulars = await gql(CREATE, {
      name: "Regulars",
      query: "number_of_orders >= 2 AND email_subscription_status = 'SUBSCRIBED'",
    });
    const vipId = vips.data.segmentCreate.segment.id as string;
    const regularId = regulars.data.segmentCreate.segment.id as string;
    const customer = sandbox().control.createCustomerAccount({
      shop,
      email: "wen@example.com",
      acceptsMarketing: true,
    });
    const customerGid = `gid://shopify/Customer/${customer.id}`;
    await sandbox().control.idle();
    app().received.length = 0;

    sandbox().control.setTags({ shop, customerId: customer.id, tags: ["vip"] });
    sandbox().control.placeOrder({ shop, customerId: customer.id });
    const second = sandbox().control.placeOrder({ shop, customerId: customer.id });
    sandbox().control.setTags({ shop, customerId: customer.id, tags: [] });
    sandbox().control.refund({ shop, orderId: second.id });
    await sandbox().control.idle();
    const moves = app()
      .received.filter((r) => r.topic.startsWith("customer.") && r.topic.endsWith("_segment"))
      .map((r) => [r.topic, r.json.segment_id, r.json.customer_id]);
    expect(moves).toEqual([
      ["customer.joined_segment", vipId, customerGid],
      ["customer.joined_segment", regularId, customerGid],
      ["customer.left_segment", vipId, customerGid],
    ]);
    const membership = await gql(
      `query M($c: ID!, $s: [ID!]!) { customerSegmentMembership(customerId: $c, segmentIds: $s) { memberships { segmentId isMember } } }`,
      { c: customerGid, s: [vipId, regularId] },
    );
    // A refund leaves the order counted: Shopify's number_of_orders counts orders, refunded or not.
    expect(membership.data.customerSegmentMembership.memberships).toEqual([
      { segmentId: vipId, isMember: false },
      { segmentId: regularId, isMember: true },
    ]);
  });
});
