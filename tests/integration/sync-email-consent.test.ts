import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers } from "~/db/schema";
import { customerSyncSummarySchema } from "~/domain/background-jobs";
import { runShopJobs } from "~/jobs/scheduler.server";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as directoryAction, loader as directoryLoader } from "~/routes/app.customers";
import { getTask } from "~/services/background-jobs/get-task.server";
import { contextFor, unauthenticated } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { answer, deliverToTally, sentSince } from "../helpers/referral-flow";
import { sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
// No app listens for the sandbox's webhooks: what Tally hears of a change is what a test delivers, or a sync reads.
const sandboxOf = useSandbox();
type Args = LoaderFunctionArgs & ActionFunctionArgs;

const SHOPIFY_CONSENT = `
  query ConsentOracle($after: String) {
    customers(first: 250, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id defaultEmailAddress { marketingState marketingUpdatedAt } }
    }
  }`;
const SET_CONSENT = `
  mutation ConsentChange($input: CustomerEmailMarketingConsentUpdateInput!) {
    customerEmailMarketingConsentUpdate(input: $input) { customer { id } userErrors { message } }
  }`;

type Consent = { state: string | null; at: number | null };

async function adminGraphql<T>(shop: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { admin } = await unauthenticated.admin(shop);
  return ((await (await admin.graphql(query, { variables })).json()) as { data: T }).data;
}

/** Every customer's email marketing consent as Shopify holds it: the oracle, asked as a merchant's admin would. */
async function shopifyConsent(shop: string) {
  const all = new Map<string, Consent>();
  let after: string | null = null;
  for (;;) {
    const data: {
      customers: {
        nodes: Array<{
          id: string;
          defaultEmailAddress: { marketingState: string; marketingUpdatedAt: string | null } | null;
        }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    } = await adminGraphql(shop, SHOPIFY_CONSENT, { after });
    for (const node of data.customers.nodes) {
      const at = node.defaultEmailAddress?.marketingUpdatedAt;
      all.set(node.id, { state: node.defaultEmailAddress?.marketingState ?? null, at: at ? Date.parse(at) : null });
    }
    if (!data.customers.pageInfo.hasNextPage) return all;
    after = data.customers.pageInfo.endCursor;
  }
}

async function tallyConsent(shop: string) {
  const rows = await db
    .select({
      gid: customers.customerGid,
      state: customers.emailMarketingState,
      at: customers.emailMarketingUpdatedAt,
    })
    .from(customers)
    .where(eq(customers.shop, shop));
  return new Map<string, Consent>(
    rows.map((row) => [row.gid, { state: row.state, at: row.at ? Date.parse(row.at) : null }]),
  );
}

/** What the directory's "Email marketing: Subscribed" filter counts, as the merchant sees it. */
async function subscribedInDirectory(shop: string) {
  const request = await sessionTokenRequest(shop, "/app/customers?consent=SUBSCRIBED");
  const page = await directoryLoader({ request, params: {}, context: {} } as Args);
  return await page.count;
}

async function pressSyncAndRun(shop: string, requestId: string, options: { stopAfterChunks?: number } = {}) {
  const request = await sessionTokenRequest(shop, "/app/customers", {
    method: "POST",
    body: new URLSearchParams({ intent: "sync", requestId }),
  });
  const response = await answer(async () =>
    Response.json(await directoryAction({ request, params: {}, context: {} } as Args)),
  );
  const { sync } = (await response.json()) as { sync: { taskId: number } };
  await createTaskRunner({ shops: [shop], leaseMs: 30_000, pauseMs: 0 }).drain(options);
  return sync.taskId;
}

async function finishSync(shop: string, taskId: number) {
  await createTaskRunner({
    shops: [shop],
    clock: () => new Date(Date.now() + 31_000),
    leaseMs: 30_000,
    pauseMs: 0,
  }).drain();
  const task = await getTask({ ctx: contextFor(shop, "test"), input: { taskId } });
  expect(task.status).toBe("succeeded");
  return customerSyncSummarySchema.parse(task.summary);
}

async function installedShop(seed: number) {
  const shop = await newShopDomain();
  sandboxOf().control.createShop({ shop });
  sandboxOf().control.seed({ shop, customers: 60, orders: 40, seed });
  await installThroughAdmin(sandboxOf(), shop);
  await runShopJobs(shop, { force: true });
  return shop;
}

describe("email marketing consent read from Shopify's customer records", () => {
  it("is every customer's after the install sync, dated as Shopify dates it, and the directory's Subscribed filter finds them", async () => {
    const shop = await installedShop(21);
    const shopify = await shopifyConsent(shop);
    const states = Array.from(shopify, ([, consent]) => consent);
    // The seed holds subscribed (dated) and not subscribed (undated) customers, so defaults cannot pass this.
    expect(states.some((c) => c.state === "SUBSCRIBED" && c.at !== null)).toBe(true);
    expect(states.some((c) => c.state === "NOT_SUBSCRIBED" && c.at === null)).toBe(true);
    expect(await tallyConsent(shop)).toEqual(shopify);
    expect(await subscribedInDirectory(shop)).toEqual({
      count: states.filter((c) => c.state === "SUBSCRIBED").length,
      precision: "exact",
    });
  });

  it("follows Sync customers: brings a change whose webhook was lost and fills rows synced before consent was read, keeps a newer webhook's word over the sync's older or undated snapshot, and changes nothing the second time", async () => {
    const shop = await installedShop(22);
    const before = await shopifyConsent(shop);
    const ids = [...before.keys()];
    const subscribed = ids.filter((id) => before.get(id)?.state === "SUBSCRIBED");
    const undated = ids.filter((id) => before.get(id)?.at === null);
    const [lost, filled] = subscribed;
    const [dated, fresh] = [subscribed[2]!, undated[0]!];
    const setConsent = (id: string, marketingState: string) =>
      adminGraphql(shop, SET_CONSENT, {
        input: { customerId: id, emailMarketingConsent: { marketingState, marketingOptInLevel: "SINGLE_OPT_IN" } },
      });

    // A customer unsubscribes in Shopify; the webhook never reaches Tally.
    await setConsent(lost!, "UNSUBSCRIBED");
    // A row Tally synced before it read consent at all.
    await db
      .update(customers)
      .set({ emailMarketingState: null, emailMarketingUpdatedAt: null })
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, filled!)));
    await sandboxOf().control.idle();

    // The sync reads Shopify, then stops before applying; meanwhile two customers change their consent and the
    // webhooks reach Tally: one dated over the snapshot's older date, one dated over the snapshot's undated word.
    const taskId = await pressSyncAndRun(shop, "consent-1", { stopAfterChunks: 2 });
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    const from = sandboxOf().control.deliveries({ shop }).length;
    await setConsent(dated, "UNSUBSCRIBED");
    await setConsent(fresh, "SUBSCRIBED");
    await sandboxOf().control.idle();
    const sent = sentSince(sandboxOf(), shop, from);
    expect(sent.filter((delivery) => delivery.topic === "customers_email_marketing_consent/update")).toHaveLength(2);
    for (const delivery of sent) expect(await deliverToTally(shop, delivery)).toBe(200);

    const summary = await finishSync(shop, taskId);
    expect(summary).toMatchObject({ phase: "done", failed: 0, rejected: 0 });
    const tally = await tallyConsent(shop);
    expect(tally.get(lost!)?.state).toBe("UNSUBSCRIBED");
    expect(tally.get(filled!)).toEqual(before.get(filled!));
    expect(tally.get(dated)?.state).toBe("UNSUBSCRIBED");
    expect(tally.get(fresh)?.state).toBe("SUBSCRIBED");
    // Everyone now holds Shopify's word.
    expect(tally).toEqual(await shopifyConsent(shop));

    const again = await pressSyncAndRun(shop, "consent-2");
    expect(await finishSync(shop, again)).toMatchObject({ customersChanged: 0, customersAdded: 0, failed: 0 });
    expect(await tallyConsent(shop)).toEqual(tally);
  });
});
