import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, customerSyncs, ledgerEntries, orders, tasks } from "~/db/schema";
import { customerSyncSummarySchema, describeFinished, describeFinishedNote } from "~/domain/background-jobs";
import { runShopJobs } from "~/jobs/scheduler.server";
import { reconcileShop } from "~/jobs/scheduled/reconcile.server";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { action as directoryAction, loader as directoryLoader } from "~/routes/app.customers";
import { getTask, listTaskItems } from "~/services/background-jobs/get-task.server";
import { getSyncHealth } from "~/services/home/get-sync-health.server";
import { redactCustomer } from "~/services/compliance/redact-customer.server";
import { inTransaction } from "~/services/context";
import { contextFor, unauthenticated } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { auditActions } from "../helpers/audit";
import { first } from "../helpers/db";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { answer, deliverToTally, sentSince } from "../helpers/referral-flow";
import { sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
// No app listens for the sandbox's webhooks: what Tally hears of a change is what a test delivers, or a sync reads.
const sandboxOf = useSandbox();
type Args = LoaderFunctionArgs & ActionFunctionArgs;

/** Staff press Sync customers in the directory's title bar: the directory's `sync` intent, with the press's id. */
async function pressSync(shop: string, requestId: string) {
  const request = await sessionTokenRequest(shop, "/app/customers", {
    method: "POST",
    body: new URLSearchParams({ intent: "sync", requestId }),
  });
  const response = await answer(async () => {
    const result = await directoryAction({ request, params: {}, context: {} } as Args);
    // A refusal is a Response (the Fetch API's Remix installed, so not `instanceof` this realm's).
    return typeof (result as Response).headers?.get === "function" ? (result as Response) : Response.json(result);
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function directory(shop: string) {
  const request = await sessionTokenRequest(shop, "/app/customers");
  const data = (await directoryLoader({ request, params: {}, context: {} } as Args)) as {
    sync: { lastSyncedAt: string | null; runningTaskId: number | null; installRunning: boolean };
  };
  return data.sync;
}

/** Runners as separate processes would be: each its own claim; `at` moves the clock (past a dead runner's lease). */
function runner(shop: string, at = 0) {
  return createTaskRunner({ shops: [shop], clock: () => new Date(Date.now() + at), leaseMs: 30_000, pauseMs: 0 });
}

const SHOPIFY_CUSTOMERS = `
  query CustomerSyncOracle($after: String) {
    customers(first: 250, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id defaultEmailAddress { emailAddress } numberOfOrders }
    }
  }`;
const SHOPIFY_BULK_OPERATIONS = `
  query CustomerSyncBulkOracle { bulkOperations(first: 50) { nodes { id status query } } }`;
const UPDATE_EMAIL = `
  mutation CustomerSyncEmail($input: CustomerInput!) {
    customerUpdate(input: $input) { customer { id } userErrors { message } }
  }`;

async function adminGraphql<T>(shop: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { admin } = await unauthenticated.admin(shop);
  const response = await admin.graphql(query, { variables });
  return ((await response.json()) as { data: T }).data;
}

/** Every customer as Shopify has them: the oracle, asked as a merchant's admin would. */
async function shopifyCustomers(shop: string) {
  // The oracle's own reads are not what is measured: Shopify's throttle is raised for them.
  sandboxOf().control.setThrottle({ shop, maximumAvailable: 1_000_000, restoreRate: 1_000_000 });
  const all = new Map<string, { email: string | null; orders: number }>();
  let after: string | null = null;
  for (;;) {
    const data: {
      customers: {
        nodes: Array<{ id: string; defaultEmailAddress: { emailAddress: string } | null; numberOfOrders: string }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    } = await adminGraphql(shop, SHOPIFY_CUSTOMERS, { after });
    for (const node of data.customers.nodes)
      all.set(node.id, { email: node.defaultEmailAddress?.emailAddress ?? null, orders: Number(node.numberOfOrders) });
    if (!data.customers.pageInfo.hasNextPage) return all;
    after = data.customers.pageInfo.endCursor;
  }
}

async function tallyCustomers(shop: string) {
  const rows = await db
    .select({ gid: customers.customerGid, email: customers.email, orders: customers.ordersCount })
    .from(customers)
    .where(eq(customers.shop, shop));
  return new Map(rows.map((row) => [row.gid, { email: row.email, orders: row.orders }]));
}

/** The bulk queries Shopify ran for the shop (the install sync's two, and each Sync customers'). */
async function bulkQueries(shop: string) {
  const data = await adminGraphql<{ bulkOperations: { nodes: Array<{ id: string; query: string }> } }>(
    shop,
    SHOPIFY_BULK_OPERATIONS,
  );
  return data.bulkOperations.nodes.map((node) => node.query);
}
const customersWithOrders = (queries: string[]) => queries.filter((q) => q.includes("TallyBulkCustomersWithOrders"));

const count = async (table: typeof orders | typeof ledgerEntries | typeof customers, shop: string) =>
  (
    await first(
      db
        .select({ n: sql<number>`count(*)` })
        .from(table)
        .where(eq(table.shop, shop)),
    )
  )?.n ?? 0;

async function summaryOf(shop: string, taskId: number) {
  const task = await getTask({ ctx: contextFor(shop, "test"), input: { taskId } });
  return { task, summary: customerSyncSummarySchema.parse(task.summary) };
}

/** A shop Tally was installed on, its install sync done, with named customers (members before install) and more. */
async function syncedShop({ customers: seeded = 20, orders: seededOrders = 30 } = {}) {
  const shop = await newShopDomain();
  const sandbox = sandboxOf();
  sandbox.control.createShop({ shop });
  sandbox.control.seed({ shop, customers: seeded, orders: seededOrders, seed: 5 });
  const named = Object.fromEntries(
    ["ana", "ben", "cleo"].map((name) => [
      name,
      sandbox.control.createCustomerAccount({ shop, email: `${name}@example.com`, firstName: name }),
    ]),
  ) as unknown as Record<"ana" | "ben" | "cleo", { id: string | number }>;
  // Orders seeded before install earn nothing: the install happens in a later second (Shopify's times are seconds).
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
  await installThroughAdmin(sandbox, shop);
  await runShopJobs(shop, { force: true });
  const gid = (customer: { id: string | number }) => `gid://shopify/Customer/${String(customer.id).replace(/\D/g, "")}`;
  return { shop, sandbox, named, gid };
}

describe("Sync customers", () => {
  it("brings in what the webhooks missed, keeps a newer fact a webhook brought during the sync, and changes nothing the second time", async () => {
    const { shop, sandbox, named, gid } = await syncedShop();
    expect((await directory(shop)).lastSyncedAt).not.toBeNull();

    // Changes in Shopify whose webhooks never reached Tally: a new customer, a changed email, an order.
    const newcomer = sandbox.control.createCustomerAccount({ shop, email: "newcomer@example.com", firstName: "Nia" });
    await adminGraphql(shop, UPDATE_EMAIL, { input: { id: gid(named.ana), email: "ana.new@example.com" } });
    const order = sandbox.control.placeOrder({ shop, customerId: String(named.ben.id) }) as { id: string | number };
    await sandbox.control.idle();

    const started = await pressSync(shop, "sync-1");
    expect(started).toMatchObject({ status: 200, body: { ok: true, sync: { created: true } } });
    const taskId = (started.body.sync as { taskId: number }).taskId;
    // The runner asks Shopify for the bulk read, which completes; then the process dies before applying anything.
    await runner(shop).drain({ stopAfterChunks: 2 });
    expect((await directory(shop)).runningTaskId).toBe(taskId);

    // Meanwhile Cleo changes her email and its webhook reaches Tally: newer than the sync's snapshot.
    const from = sandbox.control.deliveries({ shop }).length;
    await adminGraphql(shop, UPDATE_EMAIL, { input: { id: gid(named.cleo), email: "cleo.newer@example.com" } });
    await sandbox.control.idle();
    for (const delivery of sentSince(sandbox, shop, from).filter((sent) => sent.topic === "customers/update")) {
      expect(await deliverToTally(shop, delivery)).toBe(200);
    }

    await runner(shop, 31_000).drain();
    const { task, summary } = await summaryOf(shop, taskId);
    expect(task.status).toBe("succeeded");
    const tally = await tallyCustomers(shop);
    expect(tally.get(gid(newcomer))?.email).toBe("newcomer@example.com");
    expect(tally.get(gid(named.ana))?.email).toBe("ana.new@example.com");
    expect(tally.get(gid(named.cleo))?.email).toBe("cleo.newer@example.com");
    expect(tally.get(gid(named.ben))?.orders).toBe(1);
    // The missed order earned its points once, as its orders/paid would have.
    const orderGid = `gid://shopify/Order/${String(order.id).replace(/\D/g, "")}`;
    const ben = await first(
      db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.customerGid, gid(named.ben)))),
    );
    const earned = await db
      .select({ points: ledgerEntries.points, source: ledgerEntries.sourceGid })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.customerId, ben!.id)));
    expect(earned.filter((entry) => entry.source === orderGid)).toHaveLength(1);
    expect(ben?.pointsBalance).toBeGreaterThan(0);
    expect(summary).toMatchObject({ phase: "done", customersAdded: 1, ordersHealed: 1, failed: 0, rejected: 0 });
    // The newcomer, Ana (email) and Ben (his order moved his figures) changed; Cleo's snapshot was older than her
    // webhook, so it changed nothing.
    expect(summary.customersChanged).toBe(3);
    expect(task.progress.done).toBe(summary.objectsRead);

    // Every customer now matches Shopify, except Cleo's email, where Shopify's own snapshot was the older fact.
    const shopify = await shopifyCustomers(shop);
    expect(tally.size).toBe(shopify.size);
    for (const [id, customer] of shopify) expect({ id, ...tally.get(id) }).toEqual({ id, ...customer });

    const after = await directory(shop);
    expect(after.runningTaskId).toBeNull();
    expect(Date.parse(after.lastSyncedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(task.startedAt ?? ""));

    // Another sync reads everything again and changes nothing a merchant sees; one more, over a shop that did not
    // change meanwhile, writes nothing at all (Cleo's newer figures were learned by the first of the two).
    const syncAgain = async (requestId: string) => {
      const again = await pressSync(shop, requestId);
      await runner(shop).drain();
      return summaryOf(shop, (again.body.sync as { taskId: number }).taskId);
    };
    const second = await syncAgain("sync-2");
    expect(second.summary).toMatchObject({ phase: "done", customersAdded: 0, customersChanged: 0, ordersHealed: 0 });
    const snapshot = async () => ({
      customers: await db.select().from(customers).where(eq(customers.shop, shop)).orderBy(asc(customers.id)),
      orders: await db.select().from(orders).where(eq(orders.shop, shop)).orderBy(asc(orders.id)),
      entries: await count(ledgerEntries, shop),
    });
    const before = await snapshot();
    expect(before.entries).toBeGreaterThan(0);
    const third = await syncAgain("sync-3");
    expect(third.summary).toMatchObject({ customersAdded: 0, customersChanged: 0, ordersHealed: 0, failed: 0 });
    const unchanged = await snapshot();
    const withoutClock = (rows: Array<Record<string, unknown>>) => rows.map(({ updatedAt: _, ...rest }) => rest);
    expect(withoutClock(unchanged.customers)).toEqual(withoutClock(before.customers));
    expect(unchanged.orders).toEqual(before.orders);
    expect(unchanged.entries).toBe(before.entries);
    expect(customersWithOrders(await bulkQueries(shop))).toHaveLength(3);
  });

  it("lists each customer it added or changed by their profile, and keeps no name there once the customer is erased", async () => {
    const { shop, sandbox } = await syncedShop({ customers: 3, orders: 0 });
    const newcomer = sandbox.control.createCustomerAccount({ shop, email: "nia@example.com", firstName: "Nia" });
    await sandbox.control.idle();
    const started = await pressSync(shop, "sync-listed");
    const taskId = (started.body.sync as { taskId: number }).taskId;
    await runner(shop).drain();
    const niaGid = `gid://shopify/Customer/${String(newcomer.id).replace(/\D/g, "")}`;
    const nia = await first(
      db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.customerGid, niaGid))),
    );
    const lines = async () =>
      (await listTaskItems({ ctx: contextFor(shop, "test"), input: { taskId, limit: 50 } })).items.filter(
        (item) => item.key === niaGid,
      );
    expect(await lines()).toMatchObject([{ customerId: nia!.id, label: "Nia", message: "New in Tally" }]);

    const ctx = contextFor(shop, "shopify");
    await inTransaction(ctx, (tx) => redactCustomer({ ctx, tx, input: { customerGid: niaGid, email: nia!.email } }));
    const [line] = await lines();
    // The line still says what happened to that customer (their Shopify id), not who they were.
    expect(line).toMatchObject({ customerId: nia!.id, label: niaGid, message: "New in Tally" });
    expect(JSON.stringify(line)).not.toMatch(/nia/i);
  });

  it("is refused politely while one runs: a second press follows the running sync and starts nothing", async () => {
    const { shop } = await syncedShop({ customers: 5, orders: 5 });
    const first = await pressSync(shop, "press-1");
    const again = await pressSync(shop, "press-1");
    const other = await pressSync(shop, "press-2");
    expect(first.body).toMatchObject({ ok: true, sync: { created: true } });
    const taskId = (first.body.sync as { taskId: number }).taskId;
    expect(again.body).toMatchObject({ ok: true, sync: { taskId, created: false } });
    expect(other.body).toMatchObject({ ok: true, sync: { taskId, created: false } });
    await runner(shop).drain();
    expect(customersWithOrders(await bulkQueries(shop))).toHaveLength(1);
    const syncTasks = await db
      .select()
      .from(tasks)
      .where(and(eq(tasks.shop, shop), eq(tasks.kind, "customers.sync")));
    expect(syncTasks.map((task) => task.status)).toEqual(["succeeded"]);
    // The press is in the audit trail once, as the task it started (the register: tests/unit/audit-coverage.test.ts).
    expect((await auditActions(shop)).filter((action) => action === "task.start")).toEqual(["task.start"]);
  });

  it("is refused with the reason while the install sync is still bringing the customers in", async () => {
    const shop = await newShopDomain();
    sandboxOf().control.createShop({ shop });
    sandboxOf().control.seed({ shop, customers: 1_200, orders: 0, seed: 8 });
    await installThroughAdmin(sandboxOf(), shop);
    await expect(
      reconcileShop({
        ctx: contextFor(shop, "tally-sync"),
        graphql: (await unauthenticated.admin(shop)).admin.graphql,
        stopAfterBatches: 1,
      }),
    ).rejects.toThrow(/stopped/);
    expect(await directory(shop)).toMatchObject({ installRunning: true, lastSyncedAt: null });
    const refused = await pressSync(shop, "too-early");
    expect(refused.status).toBe(409);
    expect(String(refused.body.error)).toMatch(/still bringing your customers in/);
  });

  it("picks its bulk operation up again by id after the runner died mid-way: one read, every customer right, nothing doubled", async () => {
    const { shop } = await syncedShop({ customers: 700, orders: 900 });
    const ordersBefore = await count(orders, shop);
    const entriesBefore = await count(ledgerEntries, shop);
    const started = await pressSync(shop, "resume-1");
    const taskId = (started.body.sync as { taskId: number }).taskId;
    // Start, read, and a few chunks applied; then the process is gone (kill -9): its lease runs out.
    await runner(shop).drain({ stopAfterChunks: 5 });
    const [dead] = await db.select().from(tasks).where(eq(tasks.id, taskId));
    expect(dead?.status).toBe("running");
    const stoppedAt = (dead?.checkpoint as { phase: string; line: number }).line;
    expect(dead?.checkpoint).toMatchObject({ phase: "apply" });
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(dead?.progressTotal ?? 0);
    expect(dead?.progressDone).toBe(stoppedAt);

    await runner(shop, 31_000).drain();
    const { task, summary } = await summaryOf(shop, taskId);
    expect(task.status).toBe("succeeded");
    expect(customersWithOrders(await bulkQueries(shop))).toHaveLength(1);
    expect(task.progress.done).toBe(summary.objectsRead);
    expect(summary.customers + summary.orders).toBe(summary.objectsRead);
    expect(summary.customers).toBe(703);
    const shopify = await shopifyCustomers(shop);
    const tally = await tallyCustomers(shop);
    expect(tally.size).toBe(shopify.size);
    for (const [id, customer] of shopify) expect({ id, ...tally.get(id) }).toEqual({ id, ...customer });
    expect(await count(orders, shop)).toBe(ordersBefore);
    expect(await count(ledgerEntries, shop)).toBe(entriesBefore);
  });

  it("says the customers and their orders it read apart, as Home counts them, and that orders without a customer are not part of it", async () => {
    const { shop } = await syncedShop({ customers: 200, orders: 400 });
    // Home's sync card: "brought in N customers and M orders from Shopify", every order, with a customer or not.
    const home = (await getSyncHealth({ ctx: contextFor(shop, "staff") })).reconciliation?.result as {
      initial: boolean;
      customers: number;
      orders: number;
    };
    expect(home.initial).toBe(true);
    const withoutCustomer =
      (
        await first(
          db
            .select({ n: sql<number>`count(*)` })
            .from(orders)
            .where(and(eq(orders.shop, shop), isNull(orders.customerId))),
        )
      )?.n ?? 0;
    expect(withoutCustomer).toBeGreaterThan(0);

    const started = await pressSync(shop, "counts-apart");
    const taskId = (started.body.sync as { taskId: number }).taskId;
    await runner(shop).drain();
    const { task } = await summaryOf(shop, taskId);
    const number = (n: number) => new Intl.NumberFormat("en-US").format(n);
    // The customers are Home's; the orders are Home's but those placed without a customer, and the page says so.
    expect(describeFinished(task, number)).toBe(
      `Finished: ${number(home.customers)} customers and ${number(home.orders - withoutCustomer)} of their orders read; no customer changed`,
    );
    expect(describeFinishedNote(task)).toMatch(/^Orders placed without a customer aren't included in a customer sync/);
  });
});

describe("the install sync", () => {
  it("picks its bulk operation up again by id after a restart, instead of starting over or giving up", async () => {
    const shop = await newShopDomain();
    sandboxOf().control.createShop({ shop });
    sandboxOf().control.seed({ shop, customers: 1_300, orders: 400, seed: 9 });
    await installThroughAdmin(sandboxOf(), shop);
    const graphql = (await unauthenticated.admin(shop)).admin.graphql;
    await expect(reconcileShop({ ctx: contextFor(shop, "tally-sync"), graphql, stopAfterBatches: 2 })).rejects.toThrow(
      /stopped/,
    );
    const [interrupted] = await db.select().from(customerSyncs).where(eq(customerSyncs.shop, shop));
    expect(interrupted).toMatchObject({ trigger: "install", status: "running", cursor: { step: "customers" } });
    // Two batches, sized by time (ChunkPacer): the checkpoint names exactly the customers Tally holds, no more.
    const { line } = interrupted!.cursor as { line: number };
    expect(line).toBeGreaterThan(0);
    expect(line).toBeLessThan(1_300);
    expect(await count(customers, shop)).toBe(line);

    await runShopJobs(shop, { force: true });
    const queries = await bulkQueries(shop);
    expect(queries.filter((q) => q.includes("TallyBulkCustomers") && !q.includes("WithOrders"))).toHaveLength(1);
    expect(queries.filter((q) => q.includes("TallyBulkOrders"))).toHaveLength(1);
    const shopify = await shopifyCustomers(shop);
    const tally = await tallyCustomers(shop);
    expect(tally.size).toBe(1_300);
    for (const [id, customer] of shopify) expect({ id, ...tally.get(id) }).toEqual({ id, ...customer });
    expect(await count(orders, shop)).toBe(400);
    const [finished] = await db.select().from(customerSyncs).where(eq(customerSyncs.shop, shop));
    expect(finished).toMatchObject({ status: "succeeded", objectsApplied: 1_700 });
    expect((await directory(shop)).lastSyncedAt).toBe(finished?.finishedAt);
  });
});
