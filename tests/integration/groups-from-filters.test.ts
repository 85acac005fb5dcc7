import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, customers } from "~/db/schema";
import { customerQueryParamsSchema, paramsOf } from "~/domain/customers";
import { segmentQueryOf } from "~/domain/groups";
import { runShopJobs } from "~/jobs/scheduler.server";
import { action, loader } from "~/routes/app.groups";
import { loader as directoryLoader } from "~/routes/app.customers";
import { action as consentWebhook } from "~/routes/webhooks.customers_email_marketing_consent.update";
import { listMatchingCustomerIds } from "~/services/customers/customer-query.server";
import { customerQueryOf } from "~/services/customers/load-customer-directory.server";
import { contextFor, unauthenticated } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
type Args = LoaderFunctionArgs & ActionFunctionArgs;

// Shopify's own answer for a segment query, asked as any app would: the oracle, not Tally's translation.
const SEGMENT_MEMBERS = `
  query GroupsFromFiltersOracle($query: String!, $after: String) {
    customerSegmentMembers(query: $query, first: 250, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id } }
    }
  }`;

const CONSENTS = `
  query GroupsFromFiltersConsents($after: String) {
    customers(first: 250, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id email emailMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt } }
    }
  }`;

/**
 * Email consent reaches Tally only through customers_email_marketing_consent/update (customer webhooks carry none
 * since 2025-01, and the install sync reads none): deliver, signed, what Shopify would have sent for each customer.
 */
async function deliverConsents(shop: string) {
  const { admin } = await unauthenticated.admin(shop);
  let after: string | null = null;
  for (;;) {
    const response = await admin.graphql(CONSENTS, { variables: { after } });
    const { data } = (await response.json()) as {
      data: {
        customers: {
          pageInfo: { hasNextPage: boolean; endCursor: string };
          nodes: {
            id: string;
            email: string;
            emailMarketingConsent: {
              marketingState: string;
              marketingOptInLevel: string | null;
              consentUpdatedAt: string | null;
            } | null;
          }[];
        };
      };
    };
    for (const node of data.customers.nodes) {
      const consent = node.emailMarketingConsent;
      if (!consent || consent.marketingState === "NOT_SUBSCRIBED") continue;
      const answer = await deliverWebhook(consentWebhook, "customers_email_marketing_consent/update", shop, {
        customer_id: BigInt(node.id.split("/").pop()!),
        email_address: node.email,
        email_marketing_consent: {
          state: consent.marketingState.toLowerCase(),
          opt_in_level: consent.marketingOptInLevel?.toLowerCase() ?? null,
          consent_updated_at: consent.consentUpdatedAt,
        },
      });
      expect(answer.status).toBe(200);
    }
    if (!data.customers.pageInfo.hasNextPage) return;
    after = data.customers.pageInfo.endCursor;
  }
}

async function shopifyMembers(shop: string, query: string): Promise<string[]> {
  const { admin } = await unauthenticated.admin(shop);
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const response = await admin.graphql(SEGMENT_MEMBERS, { variables: { query, after } });
    const body = (await response.json()) as {
      data: {
        customerSegmentMembers: {
          edges: { node: { id: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    };
    const page = body.data.customerSegmentMembers;
    // Members are CustomerSegmentMember ids; the customer's own id ends the same.
    ids.push(...page.edges.map((edge) => `gid://shopify/Customer/${edge.node.id.split("/").pop()}`));
    if (!page.pageInfo.hasNextPage) return ids.sort();
    after = page.pageInfo.endCursor;
  }
}

async function tallyMatches(shop: string, search: string): Promise<string[]> {
  const ctx = contextFor(shop, "test");
  const params = customerQueryParamsSchema.parse(paramsOf(new URLSearchParams(search)));
  const { query } = await customerQueryOf({ ctx, input: { params } });
  const ids = new Set(await listMatchingCustomerIds({ ctx, input: { query, limit: 100_000 } }));
  const rows = await db
    .select({ id: customers.id, gid: customers.customerGid })
    .from(customers)
    .where(eq(customers.shop, shop));
  return rows
    .filter((row) => ids.has(row.id))
    .map((row) => row.gid)
    .sort();
}

async function translated(shop: string, search: string): Promise<string> {
  const ctx = contextFor(shop, "test");
  const params = customerQueryParamsSchema.parse(paramsOf(new URLSearchParams(search)));
  const { query, currency } = await customerQueryOf({ ctx, input: { params } });
  const translation = segmentQueryOf(query, currency);
  if (!translation.ok) throw new Error(`not expressible: ${JSON.stringify(translation.unexpressible)}`);
  return translation.query;
}

let shop: string;
let everyone: number;

beforeAll(async () => {
  shop = await newShopDomain();
  const { control } = sandboxOf();
  control.createShop({ shop, currency: "CAD" });
  control.seed({ shop, customers: 160, orders: 420, seed: 23 });
  // What the seed lacks: other countries, and a tag with a quote mark in it.
  control.createCustomer({
    shop,
    email: "ana@example.org",
    firstName: "Ana",
    state: "ENABLED",
    tags: ["o'brien club"],
    address: { countryCode: "US", city: "Boston" },
  });
  control.createCustomer({ shop, email: "lea@example.fr", firstName: "Léa", address: { countryCode: "FR" } });
  // The seed's tag spelled otherwise by two customers: one tag to Shopify.
  control.createCustomer({ shop, email: "max@example.org", firstName: "Max", state: "ENABLED", tags: ["VIP"] });
  control.createCustomer({ shop, email: "noa@example.org", firstName: "Noa", tags: ["Vip"] });
  await control.idle();
  await installThroughAdmin(sandboxOf(), shop);
  await runShopJobs(shop, { force: true });
  await deliverConsents(shop);
  everyone = (await db.select({ id: customers.id }).from(customers).where(eq(customers.shop, shop))).length;
}, 60_000);

async function post(fields: Record<string, string>) {
  const answer = await action({
    request: await sessionTokenRequest(shop, "/app/groups", { method: "POST", body: new URLSearchParams(fields) }),
    params: {},
    context: {},
  } as Args);
  return answer instanceof Response ? answer : Response.json(answer);
}

describe("Save as group: the directory's filters as a Shopify segment", () => {
  // Each is a directory URL a merchant can make; each row's segment must select exactly the customers Tally lists.
  const searches = [
    "orders_min=3&spent_min=100&tag=vip",
    "tab=members&country=US&country=CA",
    "tab=guests&consent=SUBSCRIBED&orders_max=1",
    "tab=paying&spent_max=250.50",
    "tab=opted-in&tag=vip&tag=wholesale",
    "status=member&orders_min=2&orders_max=2",
    "tag=o%27brien+club",
    "country=FR",
  ];

  it.each(searches)("selects in Shopify exactly whom the directory lists for %s", async (search) => {
    const expected = await tallyMatches(shop, search);
    const segment = await translated(shop, search);
    // Every case narrows the shop and finds someone, so agreement is not the empty or the whole set.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(everyone);
    expect(await shopifyMembers(shop, segment)).toEqual(expected);
  });

  it("says dates joined as whole days, and Shopify agrees on the range's edges", async () => {
    const rows = await db
      .select({ joinedAt: customers.joinedAt })
      .from(customers)
      .where(eq(customers.shop, shop))
      .orderBy(customers.joinedAt);
    const from = rows[40]!.joinedAt!.slice(0, 10);
    const to = rows[90]!.joinedAt!.slice(0, 10);
    const search = `joined_from=${from}&joined_to=${to}`;
    expect(await translated(shop, search)).toBe(`customer_added_date BETWEEN ${from} AND ${to}`);
    const expected = await tallyMatches(shop, search);
    expect(expected.length).toBeGreaterThan(40);
    expect(await shopifyMembers(shop, await translated(shop, search))).toEqual(expected);
  });

  it("creates the group from the directory's URL and opens it with the members the directory listed", async () => {
    const search = "orders_min=3&spent_min=100&tag=vip";
    const answer = await post({ intent: "create-from-filters", name: "Loyal VIPs", search });
    expect(answer.status).toBe(302);
    const location = answer.headers.get("Location") ?? "";
    expect(new URL(location).pathname + new URL(location).search).toMatch(/^\/app\/groups\?group=\d+$/);
    expect(sandboxOf().control.segments({ shop })).toContainEqual(
      expect.objectContaining({
        name: "Loyal VIPs",
        query: "customer_tags CONTAINS 'vip' AND number_of_orders >= 3 AND amount_spent >= 100.00",
      }),
    );
    const page = await loader({
      request: await sessionTokenRequest(shop, new URL(location).pathname + new URL(location).search),
      params: {},
      context: {},
    } as Args);
    const expected = await tallyMatches(shop, search);
    expect(page.selected?.totalCount).toBe(expected.length);
    expect(page.selected?.members.map((member) => member.customerGid).sort()).toEqual(expected.slice(0, 50));
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.shop, shop));
    expect(audit.filter((line) => line.action === "group.create").map((line) => line.subject)).toContain("Loyal VIPs");
  });

  it("refuses filters Shopify's segments cannot express, naming each, and creates nothing in Shopify", async () => {
    const before = sandboxOf().control.segments({ shop }).length;
    const answer = await post({
      intent: "create-from-filters",
      name: "Big point holders",
      search: "points_min=500&tag=vip&has_referrals=yes&q=rossi",
    });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { fieldErrors: { filters: string[] } };
    expect(body.fieldErrors.filters.map((line) => line.split(":")[0])).toEqual([
      "Search",
      "Points",
      "Has successful referrals",
    ]);
    expect(sandboxOf().control.segments({ shop })).toHaveLength(before);
  });
});

describe("A tag in any case is one tag, as Shopify's segments have it", () => {
  async function directory(search: string) {
    const request = await sessionTokenRequest(shop, `/app/customers?${search}`);
    return directoryLoader({ request, params: {}, context: {} } as Args);
  }

  it("offers one choice for vip, VIP and Vip counting all their customers, which the list, its count and a group from it match", async () => {
    const everyVip = await shopifyMembers(shop, "customer_tags CONTAINS 'vip'");
    const customerBy = async (email: string) => {
      const [row] = await db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.email, email)));
      return row!;
    };
    const max = await customerBy("max@example.org");
    const noa = await customerBy("noa@example.org");
    expect(everyVip).toEqual(expect.arrayContaining([max.customerGid, noa.customerGid]));

    const page = await directory("tag=VIP");
    expect(page.facets.tags.filter((tag) => tag.value.toLowerCase() === "vip")).toEqual([
      { value: "vip", customers: everyVip.length },
    ]);
    expect(await page.count).toEqual({ count: everyVip.length, precision: "exact" });
    for (const search of ["tag=vip", "tag=VIP", "tag=Vip"]) expect(await tallyMatches(shop, search)).toEqual(everyVip);

    // Within a tab, counted through the tag's rows rather than from the facets.
    const members = await shopifyMembers(shop, "customer_tags CONTAINS 'vip' AND customer_account_status = 'ENABLED'");
    expect(members).toContain(max.customerGid);
    expect(await (await directory("tab=members&tag=Vip")).count).toEqual({ count: members.length, precision: "exact" });
    expect(await tallyMatches(shop, "tab=members&tag=Vip")).toEqual(members);

    const answer = await post({ intent: "create-from-filters", name: "Every VIP", search: "tag=VIP" });
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get("Location") ?? "");
    const group = await loader({
      request: await sessionTokenRequest(shop, location.pathname + location.search),
      params: {},
      context: {},
    } as Args);
    expect(group.selected?.totalCount).toBe(everyVip.length);
  });
});
