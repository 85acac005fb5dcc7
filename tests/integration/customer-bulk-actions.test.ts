import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { startFromDirectory } from "../helpers/start-job";
import { onPostgres } from "../helpers/dialect";
import { existsSync } from "node:fs";
import { utimes, writeFile } from "node:fs/promises";
import { auditEvents, customers, emailOutbox, shops, tasks } from "~/db/schema";
import { describeFinished, type TaskView } from "~/domain/background-jobs";
import { emptyCustomerQuery } from "~/domain/customers";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { exportFilePath } from "~/lib/export-files.server";
import { signDownload } from "~/lib/signed-url.server";
import { schedule } from "~/jobs/schedule.server";
import { pruneExportFilesJob } from "~/jobs/scheduled/prune-export-files.server";
import { action as jobAction, loader as jobLoader } from "~/routes/app.jobs.$id";
import { loader as exportDownload } from "~/routes/app.jobs.$id.export[.csv]";
import { action as startJob } from "~/routes/app.jobs._index";
import { loader as directoryLoader } from "~/routes/app.customers";
import { loader as rewardsPage } from "~/routes/proxy._index";
import { loader as profileLoader } from "~/routes/app.customers_.$id";
import { action as adjustPreview } from "~/routes/app.customers_.adjust-preview";
import { getProgram } from "~/services/program/get-program.server";
import { saveProgram } from "~/services/program/save-program.server";
import { describeBulkActionLine } from "~/components/audit-log";
import { listCustomerBulkActions } from "~/services/background-jobs/list-customer-actions.server";
import { getExportColumns } from "~/services/customers/directory-views.server";
import { getTask, iterateTaskItems } from "~/services/background-jobs/get-task.server";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { reserveReward } from "~/services/rewards/redeem-points.server";
import { contextFor, unauthenticated } from "~/shopify.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { findSpentSinceAdjustment } from "~/services/background-jobs/bulk-points-adjustment.server";
import { listAdjustmentStandings } from "~/services/ledger/adjustment-standings.server";
import { insertCustomers } from "../factories/customers";
import { orderJson } from "../factories/orders";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { customerRow, deliverAll, proxyRequest, storefront } from "../helpers/referral-flow";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";
import { useSmtpSink } from "../helpers/smtp-sink";
import { answerOf } from "../helpers/route-answers";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
type Args = LoaderFunctionArgs & ActionFunctionArgs;
const numeric = (id: string | number) => String(id).replace(/\D/g, "");

const { sendAll } = useSmtpSink();

async function results(shop: string, taskId: number) {
  const rows = [];
  for await (const item of iterateTaskItems({ ctx: contextFor(shop, "test"), input: { taskId } })) rows.push(item);
  return rows;
}

/** The job's page as staff open it: its loader's data. */
async function jobPage(shop: string, taskId: number) {
  const request = await sessionTokenRequest(shop, `/app/jobs/${taskId}`);
  return (await jobLoader({ request, params: { id: String(taskId) }, context: {} } as Args)) as {
    job: TaskView;
    spentSince: { named: Array<{ customerId: number; name: string }>; count: number } | null;
  };
}

/** Undo this adjustment, as the job page's modal posts it. */
async function startUndo(shop: string, taskId: number) {
  const request = await sessionTokenRequest(shop, "/app/jobs", {
    method: "POST",
    body: new URLSearchParams({
      kind: "customers.bulk-points-undo",
      input: JSON.stringify({ taskId }),
      requestId: `undo-${taskId}`,
    }),
  });
  return answerOf(() => startJob({ request, params: {}, context: {} } as Args));
}

/** The undo job of adjustment `taskId`, if one was made. */
async function undoTaskOf(shop: string, taskId: number) {
  const [row] = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.shop, shop), eq(tasks.idempotencyKey, `undo-${taskId}`)));
  return row?.id;
}

async function installedShop() {
  const shop = await newShopDomain();
  const sandbox = sandboxOf();
  sandbox.control.createShop({ shop });
  await installThroughAdmin(sandbox, shop);
  return { shop, sandbox };
}

/** Customers created in Shopify and told to Tally by their webhooks: Tally's rows for them. */
async function shopifyCustomers(
  shop: string,
  people: Array<{ email: string; firstName: string; subscribed?: boolean }>,
) {
  const sandbox = sandboxOf();
  const from = sandbox.control.deliveries({ shop }).length;
  const created = people.map((person) => {
    const customer = sandbox.control.createCustomerAccount({ shop, email: person.email, firstName: person.firstName });
    if (person.subscribed)
      sandbox.control.setMarketingConsent({ shop, customerId: String(customer.id), subscribed: true });
    return customer;
  });
  await deliverAll(sandbox, shop, from);
  return Promise.all(created.map(async (customer) => (await customerRow(shop, numeric(customer.id)))!));
}

async function shopifyTags(shop: string, gid: string): Promise<string[]> {
  const { admin } = await unauthenticated.admin(shop);
  const response = await admin.graphql(`query BulkOracle($id: ID!) { customer(id: $id) { tags } }`, {
    variables: { id: gid },
  });
  const { data } = (await response.json()) as { data: { customer: { tags: string[] } | null } };
  return data.customer?.tags ?? [];
}

const drain = (shop: string) => createTaskRunner({ shops: [shop] }).drain();

describe("bulk actions from the directory", () => {
  it("adds a tag in Shopify to each selected customer, lists Shopify's refusal per customer, and starts once per request", async () => {
    const { shop } = await installedShop();
    const [ana, ben, cleo] = await shopifyCustomers(shop, [
      { email: "ana@example.com", firstName: "Ana" },
      { email: "ben@example.com", firstName: "Ben" },
      { email: "cleo@example.com", firstName: "Cleo" },
    ]);
    // A customer Tally still lists but Shopify no longer knows: Shopify refuses to tag it.
    const [gone] = await insertCustomers(db, shop, [{ status: "guest", firstName: "Gus", lastName: "Gone" }]);
    const selection = { ids: [ana!.id, ben!.id, cleo!.id, gone!.id] };
    const input = { selection, edit: { action: "tags_add", tags: ["VIP"] } };

    const taskId = await startFromDirectory(shop, "customers.bulk-edit", input, "press-1");
    // A double click: the same job, nothing started twice.
    expect(await startFromDirectory(shop, "customers.bulk-edit", input, "press-1")).toBe(taskId);
    await drain(shop);

    const task = await getTask({ ctx: contextFor(shop, "test"), input: { taskId } });
    expect(task).toMatchObject({ status: "succeeded", title: "Add tags VIP", progress: { done: 4, total: 4 } });
    expect(task.items).toMatchObject({ done: 3, skipped: 1, failed: 0 });
    const items = await results(shop, taskId);
    expect(items.map((item) => [item.label, item.outcome, item.message]).sort()).toEqual([
      ["Ana", "done", "Added VIP"],
      ["Ben", "done", "Added VIP"],
      ["Cleo", "done", "Added VIP"],
      ["Gus Gone", "skipped", "Shopify said: Resource does not exist"],
    ]);
    // Shopify holds the tag, and the directory's tag filter finds it without waiting for a webhook.
    for (const customer of [ana!, ben!, cleo!]) expect(await shopifyTags(shop, customer.customerGid)).toContain("VIP");
    const tagged = await db
      .select({ id: customers.id, tags: customers.tags })
      .from(customers)
      .where(and(eq(customers.shop, shop), inArray(customers.id, selection.ids)));
    expect(
      tagged
        .filter((row) => row.tags.includes("VIP"))
        .map((row) => row.id)
        .sort(),
    ).toEqual([ana!.id, ben!.id, cleo!.id].sort());
    // One audit line for the whole action, with what was asked.
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.shop, shop));
    expect(audit.filter((event) => event.action === "task.start")).toHaveLength(1);

    // Pressed again (a new request): nothing changes, and each customer says why.
    const again = await startFromDirectory(shop, "customers.bulk-edit", input, "press-2");
    await drain(shop);
    expect(
      (await results(shop, again)).filter((item) => item.outcome === "skipped").map((item) => item.message),
    ).toEqual(expect.arrayContaining(["Already had VIP", "Shopify said: Resource does not exist"]));

    // Removing it goes through Shopify too.
    const removal = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: { ids: [ana!.id] }, edit: { action: "tags_remove", tags: ["VIP"] } },
      "press-3",
    );
    await drain(shop);
    expect((await results(shop, removal)).map((item) => item.message)).toEqual(["Removed VIP"]);
    expect(await shopifyTags(shop, ana!.customerGid)).not.toContain("VIP");
  });

  it("adds and removes a tag whatever its case, as Shopify does: removing vip takes a customer's VIP away", async () => {
    const { shop } = await installedShop();
    const [ana, ben] = await shopifyCustomers(shop, [
      { email: "ana@example.com", firstName: "Ana" },
      { email: "ben@example.com", firstName: "Ben" },
    ]);
    const tagging = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: { ids: [ana!.id] }, edit: { action: "tags_add", tags: ["VIP"] } },
      "press-1",
    );
    await drain(shop);
    expect((await results(shop, tagging)).map((item) => item.message)).toEqual(["Added VIP"]);

    // "vip" is the tag Ana has, named as she carries it: Shopify keeps her "VIP", and Ben gets the tag as asked.
    const adding = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: { ids: [ana!.id, ben!.id] }, edit: { action: "tags_add", tags: ["vip"] } },
      "press-2",
    );
    await drain(shop);
    expect((await results(shop, adding)).map((item) => [item.label, item.message]).sort()).toEqual([
      ["Ana", "Already had VIP"],
      ["Ben", "Added vip"],
    ]);
    expect(await shopifyTags(shop, ana!.customerGid)).toEqual(["VIP"]);
    expect((await customerRow(shop, numeric(ana!.customerGid)))?.tags).toEqual(["VIP"]);

    const removal = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: { ids: [ana!.id] }, edit: { action: "tags_remove", tags: ["vip"] } },
      "press-3",
    );
    await drain(shop);
    expect((await results(shop, removal)).map((item) => item.message)).toEqual(["Removed VIP"]);
    expect(await shopifyTags(shop, ana!.customerGid)).toEqual([]);
    expect((await customerRow(shop, numeric(ana!.customerGid)))?.tags).toEqual([]);
  });

  it("refuses Add or Remove tags with a tag over 255 characters in words, before any job starts", async () => {
    const { shop } = await installedShop();
    const [ana] = await shopifyCustomers(shop, [{ email: "ana@example.com", firstName: "Ana" }]);
    const long = "z".repeat(256);
    for (const action of ["tags_add", "tags_remove"]) {
      const request = await sessionTokenRequest(shop, "/app/jobs", {
        method: "POST",
        body: new URLSearchParams({
          kind: "customers.bulk-edit",
          input: JSON.stringify({ selection: { ids: [ana!.id] }, edit: { action, tags: ["vip", long] } }),
          requestId: `long-${action}`,
        }),
      });
      // Answered as data, not thrown: the directory's form shows it beside the tags it keeps.
      const response = (await startJob({ request, params: {}, context: {} } as Args)) as Response;
      expect(response.status).toBe(400);
      const body = (await response.json()) as { fieldErrors: Record<string, string[]> };
      expect(Object.values(body.fieldErrors).flat()).toEqual([
        `Tag \u201c${"z".repeat(20)}\u2026\u201d: keep it to 255 characters or fewer (this is 256)`,
      ]);
    }
    expect(await db.select().from(tasks).where(eq(tasks.shop, shop))).toEqual([]);
    expect(await shopifyTags(shop, ana!.customerGid)).toEqual([]);
  });

  it("blocks every customer matching the search, leaving the others, and says who was blocked already", async () => {
    const shop = await newShopDomain();
    const rows = await insertCustomers(db, shop, [
      { status: "member", firstName: "Marta", lastName: "Petrova" },
      { status: "member", firstName: "Ivan", lastName: "Petrov", blocked: true },
      { status: "guest", firstName: "Lena", lastName: "Petrovska" },
      { status: "member", firstName: "Anna", lastName: "Rossi" },
    ]);
    const taskId = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: { query: { ...emptyCustomerQuery, search: "petrov" } }, edit: { action: "block" } },
      "block-1",
    );
    await drain(shop);
    const items = await results(shop, taskId);
    expect(items.map((item) => [item.label, item.outcome, item.message]).sort()).toEqual([
      ["Ivan Petrov", "skipped", "Already blocked"],
      ["Lena Petrovska", "done", "Blocked"],
      ["Marta Petrova", "done", "Blocked"],
    ]);
    const blocked = await db
      .select({ id: customers.id, blocked: customers.blocked })
      .from(customers)
      .where(eq(customers.shop, shop));
    expect(blocked.find((row) => row.id === rows[3]!.id)?.blocked).toBe(false);
    expect(blocked.filter((row) => row.blocked)).toHaveLength(3);
  });

  it("shows a bulk block's progress after a short first chunk on SQLite (250 on PostgreSQL), and blocks each customer once across a restart", async () => {
    const shop = await newShopDomain();
    await insertCustomers(
      db,
      shop,
      Array.from({ length: 600 }, (_, index) => ({ status: "member" as const, firstName: `B${index}` })),
    );
    const taskId = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: { query: emptyCustomerQuery }, edit: { action: "block" } },
      "block-all",
    );
    // The first chunk committed, then the process is gone; the lease runs out and another runner takes over.
    let now = Date.now();
    await createTaskRunner({ shops: [shop], clock: () => new Date(now), leaseMs: 30_000 }).drain({
      stopAfterChunks: 1,
    });
    const first = await getTask({ ctx: contextFor(shop, "test"), input: { taskId } });
    // On SQLite a chunk holds the whole process: it is sized by time (bulkBlockPacer), not the 250 that took the
    // directory's requests hundreds of milliseconds on a 40,000-customer shop (bench:task-stalls).
    if (onPostgres) expect(first.progress.done).toBe(250);
    else {
      expect(first.progress.done).toBeGreaterThan(0);
      expect(first.progress.done).toBeLessThan(250);
    }
    now += 31_000;
    await createTaskRunner({ shops: [shop], clock: () => new Date(now), leaseMs: 30_000 }).drain();

    const task = await getTask({ ctx: contextFor(shop, "test"), input: { taskId } });
    expect(task).toMatchObject({ status: "succeeded", progress: { done: 600, total: 600 } });
    const items = await results(shop, taskId);
    expect(items).toHaveLength(600);
    expect(new Set(items.map((item) => item.message))).toEqual(new Set(["Blocked"]));
    const blocked = await db.select({ blocked: customers.blocked }).from(customers).where(eq(customers.shop, shop));
    expect(blocked.every((row) => row.blocked)).toBe(true);
  });

  it("adjusts points once per customer with the reason, even when a runner dies mid-way and another resumes", async () => {
    const shop = await newShopDomain();
    const rows = await insertCustomers(
      db,
      shop,
      Array.from({ length: 600 }, (_, index) => ({ status: "member" as const, firstName: `P${index}` })),
    );
    const taskId = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      {
        selection: { query: emptyCustomerQuery },
        edit: { action: "points_adjust", points: 150, reason: "Sorry for the late delivery" },
      },
      "points-1",
    );
    // The first chunk committed (its size set by time: bulkPointsPacer), then the process is gone; the lease runs out
    // and another runner takes over.
    let now = Date.now();
    await createTaskRunner({ shops: [shop], clock: () => new Date(now), leaseMs: 30_000 }).drain({
      stopAfterChunks: 1,
    });
    now += 31_000;
    await createTaskRunner({ shops: [shop], clock: () => new Date(now), leaseMs: 30_000 }).drain();

    const task = await getTask({ ctx: contextFor(shop, "test"), input: { taskId } });
    expect(task).toMatchObject({ status: "succeeded", progress: { done: 600, total: 600 } });
    const balances = await db
      .select({ balance: customers.pointsBalance })
      .from(customers)
      .where(eq(customers.shop, shop));
    expect(new Set(balances.map((row) => row.balance))).toEqual(new Set([150]));
    expect(rows).toHaveLength(600);
    const items = await results(shop, taskId);
    expect(items).toHaveLength(600);
    expect(items[0]?.message).toBe("+150 points, balance 150");
  });

  it("leaves customers without enough points unchanged, listed as Not changed with why, unless staff allow debt", async () => {
    const shop = await newShopDomain();
    // Newcomer round 19: −200 to Théo (168), Maya (602) and Giulia (0) read "Done with failures", 2 red "Failed".
    const rows = await insertCustomers(db, shop, [
      { status: "member", firstName: "Théo", lastName: "Martin", pointsBalance: 168 },
      { status: "member", firstName: "Maya", lastName: "Chen", pointsBalance: 602 },
      { status: "member", firstName: "Giulia", lastName: "Rossi", pointsBalance: 0 },
    ]);
    const selection = { ids: rows.map((row) => row.id) };
    const balances = async () =>
      (
        await db
          .select({ balance: customers.pointsBalance })
          .from(customers)
          .where(eq(customers.shop, shop))
          .orderBy(customers.id)
      ).map((row) => row.balance);

    const refused = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection, edit: { action: "points_adjust", points: -200, reason: "nc19 goodwill test" } },
      "debt-1",
    );
    await drain(shop);
    const { job } = await jobPage(shop, refused);
    expect(job.status).toBe("succeeded");
    expect(job.items).toMatchObject({ done: 1, skipped: 2, failed: 0 });
    expect(describeFinished(job, (value) => value.toLocaleString("en-US"))).toBe(
      "Finished: 1 of 3 customers changed, 2 not changed (not enough points)",
    );
    expect(
      new Map((await results(shop, refused)).map((item) => [item.label, `${item.outcome}: ${item.message}`])),
    ).toEqual(
      new Map([
        ["Théo Martin", "skipped: Not enough points: has 168, removing 200 would leave \u221232"],
        ["Maya Chen", "done: \u2212200 points, balance 402"],
        ["Giulia Rossi", "skipped: Not enough points: has 0, removing 200 would leave \u2212200"],
      ]),
    );
    expect(await balances()).toEqual([168, 402, 0]);

    const allowed = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection, edit: { action: "points_adjust", points: -200, reason: "too many", allowDebt: true } },
      "debt-2",
    );
    await drain(shop);
    expect((await getTask({ ctx: contextFor(shop, "test"), input: { taskId: allowed } })).items).toMatchObject({
      done: 3,
      failed: 0,
    });
    expect(await balances()).toEqual([-32, 202, -200]);
  });

  it("leaves blocked customers out of a bulk adjustment, listed as not changed (blocked), and its undo reverses the rest exactly", async () => {
    const shop = await newShopDomain();
    const people = await insertCustomers(db, shop, [
      { status: "member", firstName: "Ana", lastName: "Silva" },
      { status: "member", firstName: "Ben", lastName: "Ode", blocked: true, pointsBalance: 40 },
      { status: "member", firstName: "Cleo", lastName: "Park" },
      { status: "guest", firstName: "Dan", lastName: "Moss", blocked: true },
    ]);
    const balances = async () =>
      (
        await db
          .select({ balance: customers.pointsBalance })
          .from(customers)
          .where(eq(customers.shop, shop))
          .orderBy(customers.id)
      ).map((row) => row.balance);
    const outcomes = async (taskId: number) =>
      new Map((await results(shop, taskId)).map((item) => [item.label, `${item.outcome}: ${item.message}`]));

    const gift = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      {
        selection: { query: emptyCustomerQuery },
        edit: { action: "points_adjust", points: 100, reason: "Everyone who matches" },
      },
      "blocked-gift",
    );
    await drain(shop);
    const { job } = await jobPage(shop, gift);
    expect(job.items).toMatchObject({ done: 2, skipped: 2, failed: 0 });
    expect(describeFinished(job, (value) => value.toLocaleString("en-US"))).toBe(
      "Finished: 2 of 4 customers changed, 2 not changed (blocked)",
    );
    const leftOut = "skipped: Blocked: left out (adjust a blocked customer's points on their profile)";
    expect(await outcomes(gift)).toEqual(
      new Map([
        ["Ana Silva", "done: +100 points, balance 100"],
        ["Ben Ode", leftOut],
        ["Cleo Park", "done: +100 points, balance 100"],
        ["Dan Moss", leftOut],
      ]),
    );
    expect(await balances()).toEqual([100, 40, 100, 0]);

    // A removal leaves them out too; with not enough points elsewhere, each skip is counted under its own reason.
    const removal = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      {
        selection: { ids: people.map((person) => person.id) },
        edit: { action: "points_adjust", points: -150, reason: "Correction" },
      },
      "blocked-removal",
    );
    await drain(shop);
    expect(describeFinished((await jobPage(shop, removal)).job, (value) => value.toLocaleString("en-US"))).toBe(
      "Finished: 0 of 4 customers changed, 2 not changed (blocked), 2 not changed (not enough points)",
    );
    expect(await balances()).toEqual([100, 40, 100, 0]);

    // On the profile, staff still take points from the customer they blocked.
    await adjustPoints({
      ctx: contextFor(shop, "staff:1"),
      input: { customerId: people[1]!.id, points: -40, reason: "Fraud", requestId: "ben-fraud" },
    });
    expect(await balances()).toEqual([100, 0, 100, 0]);

    // The undo reverses exactly whom the gift changed, even Cleo, blocked since: it puts back what the gift did.
    await db.update(customers).set({ blocked: true }).where(eq(customers.id, people[2]!.id));
    expect((await jobPage(shop, gift)).spentSince).toMatchObject({ count: 0 });
    const undo = await startFromDirectory(shop, "customers.bulk-points-undo", { taskId: gift }, `undo-${gift}`);
    await drain(shop);
    expect(await outcomes(undo)).toEqual(
      new Map([
        ["Ana Silva", "done: \u2212100 points, balance 0"],
        ["Cleo Park", "done: \u2212100 points, balance 0"],
      ]),
    );
    expect(await balances()).toEqual([0, 0, 0, 0]);
  });

  it("undoes a bulk points adjustment as a batch, and refuses while any customer has spent points of it, naming them", async () => {
    const shop = await newShopDomain();
    const [ana, ben, cleo] = await insertCustomers(db, shop, [
      { status: "member", firstName: "Ana", lastName: "Silva" },
      { status: "member", firstName: "Ben", lastName: "Ode" },
      { status: "member", firstName: "Cleo", lastName: "Park" },
    ]);
    const adjust = (requestId: string) =>
      startFromDirectory(
        shop,
        "customers.bulk-edit",
        {
          selection: { ids: [ana!.id, ben!.id, cleo!.id] },
          edit: { action: "points_adjust", points: 100, reason: "Launch gift" },
        },
        requestId,
      );
    const balances = async () =>
      (
        await db
          .select({ id: customers.id, balance: customers.pointsBalance })
          .from(customers)
          .where(eq(customers.shop, shop))
          .orderBy(customers.id)
      ).map((row) => row.balance);

    const first = await adjust("gift-1");
    await drain(shop);
    expect(await balances()).toEqual([100, 100, 100]);
    // The undo is named from the adjustment Tally holds, whatever name the request carried.
    const undo = await startFromDirectory(
      shop,
      "customers.bulk-points-undo",
      { taskId: first, of: "Refund everyone" },
      `undo-${first}`,
    );
    expect(await startFromDirectory(shop, "customers.bulk-points-undo", { taskId: first }, `undo-${first}`)).toBe(undo);
    const adjustment = await getTask({ ctx: contextFor(shop, "test"), input: { taskId: first } });
    expect((await getTask({ ctx: contextFor(shop, "test"), input: { taskId: undo } })).title).toBe(
      `Undo: ${adjustment.title} (Launch gift)`,
    );
    // A job that is no points adjustment cannot be undone: refused before anything is queued.
    const notAdjustment = await startFromDirectory(
      shop,
      "customers.export",
      { selection: { ids: [ana!.id] }, columns: ["name"] },
      "export-ana",
    );
    const refusedRequest = await sessionTokenRequest(shop, "/app/jobs", {
      method: "POST",
      body: new URLSearchParams({
        kind: "customers.bulk-points-undo",
        input: JSON.stringify({ taskId: notAdjustment }),
        requestId: `undo-${notAdjustment}`,
      }),
    });
    const refusal = await answerOf(() => startJob({ request: refusedRequest, params: {}, context: {} } as Args));
    expect(refusal.status).toBe(400);
    await expect(refusal.json()).resolves.toMatchObject({ error: "Only a bulk points adjustment can be undone" });
    await drain(shop);
    expect(await balances()).toEqual([0, 0, 0]);
    expect((await results(shop, undo)).map((item) => item.message)).toEqual([
      "\u2212100 points, balance 0",
      "\u2212100 points, balance 0",
      "\u2212100 points, balance 0",
    ]);

    // Ben (450 of his own) redeems 5.00 off for 500 points with 50 of the next gift: the whole batch stays, and the
    // page says so before any click, naming him. Cleo (600 of her own) redeems the same reward from her own points: she
    // spent none of the gift.
    const staff = contextFor(shop, "staff:1");
    await adjustPoints({ ctx: staff, input: { customerId: ben!.id, points: 450, reason: "Birthday", requestId: "b" } });
    await adjustPoints({
      ctx: staff,
      input: { customerId: cleo!.id, points: 600, reason: "Birthday", requestId: "c" },
    });
    const second = await adjust("gift-2");
    await drain(shop);
    const storefront = contextFor(shop, "storefront");
    for (const customer of [ben!, cleo!])
      await reserveReward({ ctx: storefront, input: { customerId: customer.id, optionId: "five-off" } });
    expect((await jobPage(shop, second)).spentSince).toEqual({
      named: [{ customerId: ben!.id, name: "Ben Ode" }],
      count: 1,
    });
    // Pressed anyway (a page loaded before Ben redeemed): refused with the names, and no undo job is made.
    const pressed = await startUndo(shop, second);
    expect(pressed.status).toBe(409);
    await expect(pressed.json()).resolves.toMatchObject({
      error:
        "Ben Ode has spent points since this adjustment, so it cannot be undone as a batch. Nothing was taken back from anyone; to take points back from the others, adjust them on each customer's profile.",
    });
    expect(await undoTaskOf(shop, second)).toBeUndefined();
    expect(await balances()).toEqual([100, 50, 200]);
  });

  /** Who the undo's own rule, read over every customer the adjustment changed, says has spent points of it. */
  async function spentByEveryStanding(shop: string, taskId: number, points: number) {
    const ids = (await results(shop, taskId)).flatMap((item) => (item.customerId ? [item.customerId] : []));
    const standings = await listAdjustmentStandings({
      ctx: contextFor(shop, "test"),
      input: { taskId, points, customerIds: ids },
    });
    return [...standings].filter(([, standing]) => standing.spent).map(([id]) => id);
  }

  it("offers Undo when those who did something since only earned or redeemed their own points, and it undoes them", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const [ana, cleo, dan] = await insertCustomers(db, shop, [
      { status: "member", firstName: "Ana", lastName: "Silva" },
      { status: "member", firstName: "Cleo", lastName: "Park" },
      { status: "member", firstName: "Dan", lastName: "Earns" },
    ]);
    const staff = contextFor(shop, "staff:1");
    await adjustPoints({
      ctx: staff,
      input: { customerId: cleo!.id, points: 600, reason: "Birthday", requestId: "c" },
    });
    const gift = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      {
        selection: { ids: [ana!.id, cleo!.id, dan!.id] },
        edit: { action: "points_adjust", points: 100, reason: "Launch gift" },
      },
      "gift",
    );
    await drain(shop);
    // Cleo redeems from her own 600; Dan earns on an order. Neither spent the gift.
    await reserveReward({ ctx: contextFor(shop, "storefront"), input: { customerId: cleo!.id, optionId: "five-off" } });
    const order = orderJson({
      lines: [{ id: 1n, price: "40.00" }],
      customer: { admin_graphql_api_id: dan!.customerGid, state: "enabled" },
    });
    expect((await deliverWebhook(orderPaid, "orders/paid", shop, order)).status).toBe(200);
    const earned = await db
      .select({ balance: customers.pointsBalance, pending: customers.pointsPending })
      .from(customers)
      .where(eq(customers.id, dan!.id));
    expect(earned[0]!.balance + earned[0]!.pending).toBeGreaterThan(100);

    expect((await jobPage(shop, gift)).spentSince).toEqual({ named: [], count: 0 });
    expect(await spentByEveryStanding(shop, gift, 100)).toEqual([]);
    const started = await startUndo(shop, gift);
    expect(started.status).toBe(302);
    const undo = (await undoTaskOf(shop, gift))!;
    await drain(shop);
    expect(await getTask({ ctx: contextFor(shop, "test"), input: { taskId: undo } })).toMatchObject({
      status: "succeeded",
      refused: false,
      items: { done: 3, skipped: 0, failed: 0 },
    });
  });

  it("names the first three who spent points since, linked, counts the rest, and agrees with the undo's own rule", async () => {
    const shop = await newShopDomain();
    const people = await insertCustomers(db, shop, [
      { status: "member", firstName: "Ana", lastName: "Silva" },
      ...["Ben", "Cleo", "Dee", "Eli"].map((firstName) => ({
        status: "member" as const,
        firstName,
        lastName: "Spent",
      })),
      { status: "member", firstName: "Fay", lastName: "Kept" },
    ]);
    const staff = contextFor(shop, "staff:1");
    const spenders = people.slice(1, 5);
    for (const person of spenders)
      await adjustPoints({
        ctx: staff,
        input: { customerId: person.id, points: 450, reason: "Own", requestId: "own" },
      });
    const gift = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      {
        selection: { ids: people.map((person) => person.id) },
        edit: { action: "points_adjust", points: 100, reason: "Launch gift" },
      },
      "gift",
    );
    await drain(shop);
    for (const person of spenders)
      await reserveReward({
        ctx: contextFor(shop, "storefront"),
        input: { customerId: person.id, optionId: "five-off" },
      });

    const page = await jobPage(shop, gift);
    expect(page.spentSince).toEqual({
      named: spenders.slice(0, 3).map((person) => ({ customerId: person.id, name: `${person.firstName} Spent` })),
      count: 4,
    });
    // The page's check and the rule over every customer the adjustment changed find the same customers.
    expect(await spentByEveryStanding(shop, gift, 100)).toEqual(spenders.map((person) => person.id));
    const check = await findSpentSinceAdjustment({
      ctx: contextFor(shop, "test"),
      input: { taskId: gift, points: 100 },
    });
    expect(check.count).toBe(4);
    const refusal = await startUndo(shop, gift);
    expect(refusal.status).toBe(409);
    await expect(refusal.json()).resolves.toMatchObject({
      error: expect.stringMatching(/^Ben Spent, Cleo Spent and 2 others have spent points since this adjustment/),
    });
    expect(await undoTaskOf(shop, gift)).toBeUndefined();
  });

  it("refuses, not fails, an undo whose customer spends between the page and the run, and the page links who", async () => {
    const shop = await newShopDomain();
    const [ana, ben] = await insertCustomers(db, shop, [
      { status: "member", firstName: "Ana", lastName: "Silva" },
      { status: "member", firstName: "Ben", lastName: "Ode" },
    ]);
    const staff = contextFor(shop, "staff:1");
    await adjustPoints({ ctx: staff, input: { customerId: ben!.id, points: 450, reason: "Own", requestId: "own" } });
    const gift = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      {
        selection: { ids: [ana!.id, ben!.id] },
        edit: { action: "points_adjust", points: 100, reason: "Launch gift" },
      },
      "gift",
    );
    await drain(shop);
    expect((await jobPage(shop, gift)).spentSince).toEqual({ named: [], count: 0 });
    expect((await startUndo(shop, gift)).status).toBe(302);
    const undo = (await undoTaskOf(shop, gift))!;
    // Ben redeems before a runner takes the undo.
    await reserveReward({ ctx: contextFor(shop, "storefront"), input: { customerId: ben!.id, optionId: "five-off" } });
    await drain(shop);
    const page = await jobPage(shop, undo);
    expect(page.job).toMatchObject({
      status: "failed",
      refused: true,
      items: { done: 0, skipped: 0, failed: 0 },
      error:
        "Ben Ode has spent points since this adjustment, so it cannot be undone as a batch. Nothing was taken back from anyone; to take points back from the others, adjust them on each customer's profile.",
    });
    expect(page.spentSince).toEqual({ named: [{ customerId: ben!.id, name: "Ben Ode" }], count: 1 });
    const balances = await db
      .select({ balance: customers.pointsBalance })
      .from(customers)
      .where(eq(customers.shop, shop))
      .orderBy(customers.id);
    expect(balances.map((row) => row.balance)).toEqual([100, 50]);
  });

  it("takes a customer who owed points before the adjustment back to what they owed, and makes no deeper debt", async () => {
    const shop = await newShopDomain();
    const [dee, eve, fay] = await insertCustomers(db, shop, [
      { status: "member", firstName: "Dee", lastName: "Owes" },
      { status: "member", firstName: "Eve", lastName: "Even" },
      { status: "member", firstName: "Fay", lastName: "Later" },
    ]);
    const staff = contextFor(shop, "staff:1");
    await adjustPoints({
      ctx: staff,
      input: { customerId: dee!.id, points: -500, reason: "Fraud", requestId: "owe", allowDebt: true },
    });
    const gift = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      {
        selection: { ids: [dee!.id, eve!.id, fay!.id] },
        edit: { action: "points_adjust", points: 7, reason: "Sorry" },
      },
      "sorry-1",
    );
    await drain(shop);
    // Staff take 300 from Fay afterwards, leaving a debt they confirmed; undoing the gift would deepen it.
    await adjustPoints({
      ctx: staff,
      input: { customerId: fay!.id, points: -300, reason: "Returned goods", requestId: "fay", allowDebt: true },
    });

    const undo = await startFromDirectory(shop, "customers.bulk-points-undo", { taskId: gift }, `undo-${gift}`);
    await drain(shop);
    expect(await getTask({ ctx: contextFor(shop, "test"), input: { taskId: undo } })).toMatchObject({
      status: "succeeded",
      items: { done: 2, skipped: 0, failed: 1 },
    });
    expect((await results(shop, undo)).map((item) => [item.label, item.message])).toEqual([
      ["Dee Owes", "\u22127 points, balance \u2212500"],
      ["Eve Even", "\u22127 points, balance 0"],
      ["Fay Later", "Leaves \u2212300: the customer will owe points"],
    ]);
    const after = await db
      .select({ balance: customers.pointsBalance })
      .from(customers)
      .where(eq(customers.shop, shop))
      .orderBy(customers.id);
    expect(after.map((row) => row.balance)).toEqual([-500, 0, -293]);
  });

  it("skips, in its chunk, a customer who spends the points after the undo's check, and undoes the rest", async () => {
    const shop = await newShopDomain();
    const rows = await insertCustomers(db, shop, [
      ...Array.from({ length: 258 }, (_, index) => ({ status: "member" as const, firstName: `P${index}` })),
      { status: "member", firstName: "Dee", lastName: "Owes" },
      { status: "member", firstName: "Maya", lastName: "Chen" },
    ]);
    const [dee, maya] = rows.slice(-2);
    const staff = contextFor(shop, "staff:1");
    await adjustPoints({
      ctx: staff,
      input: { customerId: dee!.id, points: -500, reason: "Fraud", requestId: "owe", allowDebt: true },
    });
    await adjustPoints({ ctx: staff, input: { customerId: maya!.id, points: 100, reason: "Welcome", requestId: "m" } });
    const gift = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      {
        selection: { query: emptyCustomerQuery },
        edit: { action: "points_adjust", points: 500, reason: "Anniversary" },
      },
      "anniversary-1",
    );
    await drain(shop);

    // The undo checks every customer and reverses its first chunk; then the process is gone, Maya redeems 500 of her
    // 600, and another runner takes the undo over once the lease runs out.
    const undo = await startFromDirectory(shop, "customers.bulk-points-undo", { taskId: gift }, `undo-${gift}`);
    let now = Date.now();
    await createTaskRunner({ shops: [shop], clock: () => new Date(now), leaseMs: 30_000 }).drain({
      stopAfterChunks: 1,
    });
    await reserveReward({ ctx: contextFor(shop, "storefront"), input: { customerId: maya!.id, optionId: "five-off" } });
    now += 31_000;
    await createTaskRunner({ shops: [shop], clock: () => new Date(now), leaseMs: 30_000 }).drain();

    expect(await getTask({ ctx: contextFor(shop, "test"), input: { taskId: undo } })).toMatchObject({
      status: "succeeded",
      items: { done: 259, skipped: 1, failed: 0 },
    });
    const lines = new Map((await results(shop, undo)).map((item) => [item.label, item.message]));
    expect(lines.get("Dee Owes")).toBe("\u2212500 points, balance \u2212500");
    expect(lines.get("Maya Chen")).toBe("Spent points since the adjustment");
    const balances = await db
      .select({ id: customers.id, balance: customers.pointsBalance })
      .from(customers)
      .where(eq(customers.shop, shop));
    const balanceOf = new Map(balances.map((row) => [row.id, row.balance]));
    expect([balanceOf.get(dee!.id), balanceOf.get(maya!.id), balanceOf.get(rows[0]!.id)]).toEqual([-500, 100, 0]);
  });

  it("sends the referral invitation to subscribed customers only, over SMTP, with each customer's result", async () => {
    const { shop } = await installedShop();
    const [mo, ne, ol] = await shopifyCustomers(shop, [
      { email: "mo@example.com", firstName: "Mo", subscribed: true },
      { email: "ne@example.com", firstName: "Ne" },
      { email: "ol@example.com", firstName: "Ol", subscribed: true },
    ]);
    await db.update(customers).set({ blocked: true }).where(eq(customers.id, ol!.id));
    const input = { selection: { ids: [mo!.id, ne!.id, ol!.id] } };
    const taskId = await startFromDirectory(shop, "customers.invite", input, "invite-1");
    expect(await startFromDirectory(shop, "customers.invite", input, "invite-1")).toBe(taskId);
    await drain(shop);

    const items = await results(shop, taskId);
    expect(items.map((item) => [item.label, item.outcome, item.message]).sort()).toEqual([
      ["Mo", "done", "Invitation to mo@example.com queued"],
      ["Ne", "skipped", "Not subscribed to email marketing"],
      ["Ol", "skipped", "Blocked"],
    ]);
    const task = await getTask({ ctx: contextFor(shop, "test"), input: { taskId } });
    expect(task.summary).toMatchObject({ total: 3, queued: 1, skipped: { not_subscribed: 1, blocked: 1 } });

    const delivered = await sendAll(shop);
    // Exactly the invited: Mo, once; neither the unsubscribed Ne nor the blocked Ol.
    expect(delivered.map((mail) => mail.to)).toEqual([["mo@example.com"]]);
    expect(delivered[0]!.parsed.text).toContain(`https://${shop}/apps/tally/r/`);

    // "Share your link" opens the store's rewards page, where Mo, signed in, has the link with Copy and share links (it
    // opened the friends' page, whose form refused Mo's own email: newcomer); the link itself, opened by Mo signed in,
    // shows the same share box, and anyone else the friends' form.
    const html = String(delivered[0]!.parsed.html);
    expect(/<a href="([^"]+)"[^>]*>Share your link<\/a>/.exec(html)?.[1]).toBe(`https://${shop}/apps/tally/`);
    const moId = numeric(mo!.customerGid);
    const page = await answerOf(() =>
      rewardsPage({ request: proxyRequest({ shop, path: "/", customerId: moId }), params: {}, context: {} } as Args),
    );
    expect(page.status).toBe(200);
    // The Liquid answer: the referral box is left out only for a signed-out shopper on a shop without sign-in links.
    expect(await page.text()).toMatch(/data-sections="status,code,redeem,rewards,earn[^"]*,referral[^"]*,activity"/);
    const code = new RegExp(`Your link: https://${shop}/apps/tally/r/(\\S+)`).exec(
      delivered[0]!.parsed.text ?? "",
    )?.[1];
    const own = await (await storefront.landing(shop, code!, moId)).text();
    expect(own).toContain("<h1>This is your link</h1>");
    expect(own).toContain('data-sections="referral"');
    expect(own).not.toContain('name="email"');
    const friends = await (await storefront.landing(shop, code!)).text();
    expect(friends).toContain("<h1>Mo sent you a gift</h1>");
    expect(friends).toContain('name="email"');
    const queued = await db.select().from(emailOutbox).where(eq(emailOutbox.shop, shop));
    // One row per customer, however many times the job ran or was submitted.
    expect(queued).toHaveLength(3);
  });
});

async function download(shop: string, taskId: number): Promise<Response> {
  const request = await sessionTokenRequest(shop, `/app/jobs/${taskId}`, {
    method: "POST",
    body: new URLSearchParams({ intent: "download-export" }),
  });
  const link = (await jobAction({ request, params: { id: String(taskId) }, context: {} } as Args)) as {
    url: string;
  };
  const url = new URL(link.url, process.env.SHOPIFY_APP_URL);
  return answerOf(() =>
    exportDownload({ request: new Request(url), params: { id: String(taskId) }, context: {} } as Args),
  );
}

describe("bulk Adjust points before it starts", () => {
  it("counts the Guests it would give points they cannot redeem, ticked or matching, while Guests can redeem is off", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const people = await insertCustomers(db, shop, [
      { status: "member", firstName: "Ana", lastName: "Lee" },
      { status: "guest", firstName: "Bo", lastName: "Lee" },
      { status: "guest", firstName: "Cy", lastName: "Lee" },
      { status: "member", firstName: "Di", lastName: "Rossi" },
      { status: "guest", firstName: "Ed", lastName: "Rossi" },
    ]);
    const ask = async (selection: unknown) => {
      const request = await sessionTokenRequest(shop, "/app/customers/adjust-preview", {
        method: "POST",
        body: new URLSearchParams({ selection: JSON.stringify(selection) }),
      });
      return adjustPreview({ request, params: {}, context: {} } as Args);
    };
    const ticked = { ids: people.slice(0, 4).map((person) => person.id) };
    // The program's default: Guests cannot redeem.
    expect(await ask(ticked)).toEqual({
      selected: 4,
      guestsRedeem: false,
      guests: { count: 2, precision: "exact" },
      blocked: { count: 0, precision: "exact" },
    });
    // Every customer matching a search: counted as the directory counts, Members' tab or status counting none.
    const lee = { query: { ...emptyCustomerQuery, search: "lee" } };
    expect(await ask(lee)).toMatchObject({ selected: 3, guests: { count: 2, precision: "exact" } });
    expect(await ask({ query: emptyCustomerQuery })).toMatchObject({ selected: 5, guests: { count: 3 } });
    expect(await ask({ query: { ...emptyCustomerQuery, tab: "members" } })).toMatchObject({
      guests: { count: 0, precision: "exact" },
    });
    // While Guests can redeem, there is nothing to say of them: they are not counted.
    const ctx = contextFor(shop, "test");
    const program = await getProgram({ ctx });
    await saveProgram({ ctx, input: { ...program.settings, guestsRedeem: true } });
    expect(await ask(ticked)).toEqual({
      selected: 4,
      guestsRedeem: true,
      guests: null,
      blocked: { count: 0, precision: "exact" },
    });
  });

  it("counts the blocked customers it leaves out, ticked or matching, and no blocked Guest among those given points", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const people = await insertCustomers(db, shop, [
      { status: "member", firstName: "Ana", lastName: "Lee" },
      { status: "member", firstName: "Bo", lastName: "Lee", blocked: true },
      { status: "guest", firstName: "Cy", lastName: "Lee", blocked: true },
      { status: "guest", firstName: "Di", lastName: "Rossi" },
      { status: "member", firstName: "Ed", lastName: "Rossi", blocked: true },
    ]);
    const ask = async (selection: unknown) => {
      const request = await sessionTokenRequest(shop, "/app/customers/adjust-preview", {
        method: "POST",
        body: new URLSearchParams({ selection: JSON.stringify(selection) }),
      });
      return adjustPreview({ request, params: {}, context: {} } as Args);
    };
    const exact = (count: number) => ({ count, precision: "exact" });
    expect(await ask({ ids: people.slice(0, 4).map((person) => person.id) })).toEqual({
      selected: 4,
      guestsRedeem: false,
      guests: exact(1),
      blocked: exact(2),
    });
    expect(await ask({ query: { ...emptyCustomerQuery, search: "lee" } })).toMatchObject({
      selected: 3,
      guests: exact(0),
      blocked: exact(2),
    });
    expect(await ask({ query: emptyCustomerQuery })).toMatchObject({
      selected: 5,
      guests: exact(1),
      blocked: exact(3),
    });
    expect(await ask({ query: { ...emptyCustomerQuery, blocked: false } })).toMatchObject({
      selected: 2,
      blocked: exact(0),
    });
    expect(await ask({ query: { ...emptyCustomerQuery, tab: "blocked" } })).toMatchObject({
      selected: 3,
      guests: exact(0),
      blocked: exact(3),
    });
  });
});

describe("a customer's profile shows the bulk actions that reached them", () => {
  it("lists each job's outcome for this customer in words, linked to the job, beside the audit's lines, and no one else's", async () => {
    const { shop } = await installedShop();
    const [mo, ne, ol] = await shopifyCustomers(shop, [
      { email: "mo@example.com", firstName: "Mo", subscribed: true },
      { email: "ne@example.com", firstName: "Ne" },
      { email: "ol@example.com", firstName: "Ol" },
    ]);
    const both = { ids: [mo!.id, ne!.id] };
    const tags = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: both, edit: { action: "tags_add", tags: ["VIP"] } },
      "profile-tags",
    );
    const points = await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: both, edit: { action: "points_adjust", points: 50, reason: "Welcome" } },
      "profile-points",
    );
    const reminder = await startFromDirectory(
      shop,
      "customers.points-reminder",
      { selection: both, onlyRedeemable: false },
      "profile-reminder",
    );
    await drain(shop);

    const profileOf = async (customerId: number) => {
      const request = await sessionTokenRequest(shop, `/app/customers/${customerId}`);
      return profileLoader({ request, params: { id: String(customerId) }, context: {} } as Args);
    };
    // Ne was not subscribed: the reminder's line says it was not sent and why, as the job's results do.
    const ne_ = await profileOf(ne!.id);
    expect(ne_.bulkActions.map((line) => [line.title, describeBulkActionLine(line), line.taskId])).toEqual([
      ["Email points reminder", "Not sent: Not subscribed to email marketing", reminder],
      ["Add tags VIP", "Changed: Added VIP", tags],
    ]);
    // The points the job applied are the audit's own line (written with the entry), not told twice; the tags are the
    // customer's own audit line too, which the card leaves to the job's line while the job is kept.
    expect(ne_.audit.map((line) => [line.action, line.after, line.taskId])).toEqual([
      ["points.adjust", expect.objectContaining({ points: 50, reason: "Welcome" }), points],
      ["customer.tags_add", { tags: ["VIP"], added: ["VIP"] }, tags],
    ]);
    expect(ne_.bulkActions.some((line) => line.taskId === points)).toBe(false);
    expect(ne_.bulkActions.every((line) => line.actor.startsWith("staff:"))).toBe(true);

    const mo_ = await profileOf(mo!.id);
    expect(mo_.bulkActions.map((line) => [line.title, describeBulkActionLine(line)])).toEqual([
      ["Email points reminder", "Queued: Reminder to mo@example.com queued"],
      ["Add tags VIP", "Changed: Added VIP"],
    ]);
    // A customer no job selected has none, though the shop's jobs listed others.
    expect((await profileOf(ol!.id)).bulkActions).toEqual([]);
  });

  it("a points job that changed nothing for the customer shows why, where the audit has no line", async () => {
    const shop = await newShopDomain();
    const [ana] = await insertCustomers(db, shop, [{ status: "member", firstName: "Ana", pointsBalance: 10 }]);
    await startFromDirectory(
      shop,
      "customers.bulk-edit",
      { selection: { ids: [ana!.id] }, edit: { action: "points_adjust", points: -500, reason: "Too many" } },
      "profile-debt",
    );
    await drain(shop);
    const lines = await listCustomerBulkActions({
      ctx: contextFor(shop, "test"),
      input: { customerId: ana!.id, limit: 10 },
    });
    expect(lines.map((line) => [line.title, describeBulkActionLine(line)])).toEqual([
      ["Remove 500 points", "Not changed: Not enough points: has 10, removing 500 would leave \u2212490"],
    ]);
  });
});

describe("export customers to CSV", () => {
  it("writes the chosen columns of the selected rows, UTF-8 with a BOM, every formula neutralised", async () => {
    const shop = await newShopDomain();
    const rows = await insertCustomers(db, shop, [
      {
        status: "member",
        firstName: "Łukasz",
        lastName: "Nowak",
        pointsBalance: -40,
        tags: ["VIP", "Wholesale"],
        storeCreditMinor: 2_550,
        storeCreditCurrency: "USD",
      },
      { status: "guest", firstName: '=HYPERLINK("http://x","y")', lastName: "+1", email: "@evil.example" },
      {
        status: "member",
        firstName: "-2+3",
        lastName: "\tTab",
        city: "\rCarriage",
        storeCreditMinor: 1_200,
        storeCreditCurrency: "JPY",
      },
      { status: "member", firstName: "Not", lastName: "Selected" },
    ]);
    const taskId = await startFromDirectory(
      shop,
      "customers.export",
      {
        selection: { ids: rows.slice(0, 3).map((row) => row.id) },
        columns: [
          "first_name",
          "last_name",
          "email",
          "points",
          "store_credit",
          "store_credit_currency",
          "city",
          "tags",
        ],
      },
      "export-1",
    );
    await drain(shop);
    const response = await download(shop, taskId);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = parse(bytes.toString("utf8").slice(1)) as string[][];
    expect(table).toEqual([
      ["First name", "Last name", "Email", "Points", "Store credit", "Store credit currency", "City", "Tags"],
      ["Łukasz", "Nowak", rows[0]!.email, "-40", "25.50", "USD", "", "VIP, Wholesale"],
      // Store credit never read from Shopify is left blank, not written as 0.
      ['\'=HYPERLINK("http://x","y")', "'+1", "'@evil.example", "0", "", "", "", ""],
      ["'-2+3", "'\tTab", rows[2]!.email, "0", "1200", "JPY", "'\rCarriage", ""],
    ]);
  });

  it("names each customer as the directory does: the name, else the email, else 'Guest (no email)'", async () => {
    const shop = await newShopDomain();
    const rows = await insertCustomers(db, shop, [
      { status: "member", firstName: "Ana", lastName: "Silva", email: "ana@example.com" },
      { status: "guest", firstName: null, lastName: null, email: "only-email@example.com" },
      // A point-of-sale guest Shopify knows by phone only: no name, no email, never joined.
      { status: "guest", firstName: null, lastName: null, email: null, phone: "+16135550142", joinedAt: null },
    ]);
    const taskId = await startFromDirectory(
      shop,
      "customers.export",
      { selection: { ids: rows.map((row) => row.id) }, columns: ["name", "email", "phone", "joined"] },
      "export-names",
    );
    await drain(shop);
    const table = parse((await (await download(shop, taskId)).text()).replace(/^\uFEFF/, "")) as string[][];
    expect(table.map((row) => row.slice(0, 3))).toEqual([
      ["Name", "Email", "Phone"],
      ["Ana Silva", "ana@example.com", ""],
      ["only-email@example.com", "only-email@example.com", ""],
      // A leading + is neutralised like any formula's first character.
      ["Guest (no email)", "", "'+16135550142"],
    ]);
    expect(table[3]![3]).toBe("");
  });

  it("writes the selected rows in the directory's order, ties of equal join times as the directory breaks them", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const same = "2026-11-20T09:00:00.000Z";
    const rows = await insertCustomers(db, shop, [
      { status: "member", firstName: "Tie", lastName: "One", joinedAt: same, pointsBalance: 10 },
      { status: "member", firstName: "Early", lastName: "Bird", joinedAt: "2026-11-01T09:00:00.000Z" },
      { status: "member", firstName: "Tie", lastName: "Two", joinedAt: same, pointsBalance: 10 },
      { status: "member", firstName: "Late", lastName: "Comer", joinedAt: "2026-11-28T09:00:00.000Z" },
      { status: "member", firstName: "Tie", lastName: "Three", joinedAt: same, pointsBalance: 10 },
      { status: "member", firstName: "Not", lastName: "Ticked", joinedAt: same },
    ]);
    const ticked = [rows[4]!, rows[1]!, rows[0]!, rows[3]!, rows[2]!].map((row) => row.id);
    for (const sort of ["joined-desc", "joined-asc", "points-desc", "name-asc"] as const) {
      // What the merchant sees, in the directory sorted so, less the row not ticked.
      const request = await sessionTokenRequest(shop, `/app/customers?sort=${sort}`);
      const page = (await directoryLoader({ request, params: {}, context: {} })).page.customers;
      const shown = page.filter((row) => ticked.includes(row.id)).map((row) => row.name);
      const taskId = await startFromDirectory(
        shop,
        "customers.export",
        { selection: { ids: ticked, sort }, columns: ["name"] },
        `export-order-${sort}`,
      );
      await drain(shop);
      const table = parse((await (await download(shop, taskId)).text()).replace(/^\uFEFF/, "")) as string[][];
      expect(
        table.slice(1).map((row) => row[0]),
        sort,
      ).toEqual(shown);
    }
    // Newest first, the three tied at the same second read as the directory shows them (newest id first).
    const request = await sessionTokenRequest(shop, "/app/customers?sort=joined-desc");
    const names = (await directoryLoader({ request, params: {}, context: {} })).page.customers.map((row) => row.name);
    expect(names).toEqual(["Late Comer", "Not Ticked", "Tie Three", "Tie Two", "Tie One", "Early Bird"]);
  });

  it("starts the next export with the columns the staff member last exported, for them only", async () => {
    const shop = await newShopDomain();
    await insertCustomers(db, shop, [{ status: "member", firstName: "Col", lastName: "Umns" }]);
    const directoryData = async () => {
      const request = await sessionTokenRequest(shop, "/app/customers");
      return directoryLoader({ request, params: {}, context: {} });
    };
    // Never exported: the form starts from the directory's columns.
    expect((await directoryData()).exportColumns).toBeNull();
    // Newcomer round 19 (P2): Tags and Pending points chosen, City dropped; the next form showed the defaults.
    await startFromDirectory(
      shop,
      "customers.export",
      { selection: { query: emptyCustomerQuery }, columns: ["tags", "name", "pending_points", "email", "country"] },
      "export-columns-1",
    );
    expect((await directoryData()).exportColumns).toEqual(["name", "email", "pending_points", "country", "tags"]);
    const ctx = contextFor(shop, "test");
    expect(await getExportColumns({ ctx, input: { staffId: "another-staff" } })).toBeNull();
  });

  it("names the export's file by the shop's day: 8:02 PM on Dec 1 in Toronto is -12-01, not UTC's -12-02", async () => {
    const shop = await newShopDomain();
    await db.update(shops).set({ timezone: "America/Toronto" }).where(eq(shops.shop, shop));
    await insertCustomers(db, shop, [{ status: "member", firstName: "Evening", lastName: "Export" }]);
    const taskId = await startFromDirectory(
      shop,
      "customers.export",
      { selection: { query: { ...emptyCustomerQuery, tab: "members" } }, columns: ["name", "joined"] },
      "export-evening",
    );
    // 8:02 PM on Dec 1 in Toronto (EST, UTC−5).
    await createTaskRunner({ shops: [shop], clock: () => new Date("2026-12-02T01:02:00Z") }).drain();
    const name = `customers-export-${taskId}-2026-12-01.csv`;
    expect((await results(shop, taskId)).map((item) => item.label)).toEqual([name]);
    const file = await download(shop, taskId);
    expect(file.headers.get("Content-Disposition")).toBe(`attachment; filename="${name}"`);
    const table = parse((await file.text()).replace(/^\uFEFF/, "")) as string[][];
    expect(table[0]).toEqual(["Name", "Date joined (America/Toronto)"]);
  });

  it("exports every customer matching the filters, and refuses a forged or expired link", async () => {
    const shop = await newShopDomain();
    for (let start = 0; start < 4_500; start += 500) {
      await insertCustomers(
        db,
        shop,
        Array.from({ length: 500 }, (_, offset) => ({
          status: (start + offset) % 3 === 0 ? ("member" as const) : ("guest" as const),
          firstName: `C${start + offset}`,
        })),
      );
    }
    const taskId = await startFromDirectory(
      shop,
      "customers.export",
      { selection: { query: { ...emptyCustomerQuery, tab: "members" } }, columns: ["first_name", "status"] },
      "export-2",
    );
    await drain(shop);
    const task = await getTask({ ctx: contextFor(shop, "test"), input: { taskId } });
    expect(task).toMatchObject({ status: "succeeded", progress: { done: 1_500, total: 1_500 } });
    const text = await (await download(shop, taskId)).text();
    const table = parse(text.replace(/^\uFEFF/, "")) as string[][];
    expect(table).toHaveLength(1_501);
    expect(new Set(table.slice(1).map((row) => row[1]))).toEqual(new Set(["Member"]));
    expect(new Set(table.slice(1).map((row) => row[0])).size).toBe(1_500);

    const params = signDownload({ shop, resource: `export:${taskId}`, now: new Date(Date.now() - 10 * 60_000) });
    const expired = await answerOf(() =>
      exportDownload({
        request: new Request(`${process.env.SHOPIFY_APP_URL}/app/jobs/${taskId}/export.csv?${params}`),
        params: { id: String(taskId) },
        context: {},
      } as Args),
    );
    expect(expired.status).toBe(403);
    const other = await newShopDomain();
    const forged = signDownload({ shop: other, resource: `export:${taskId}`, now: new Date() });
    const refused = await answerOf(() =>
      exportDownload({
        request: new Request(`${process.env.SHOPIFY_APP_URL}/app/jobs/${taskId}/export.csv?${forged}`),
        params: { id: String(taskId) },
        context: {},
      } as Args),
    );
    expect(refused.status).toBe(404);
  });

  it("deletes an export's file once its download window and last link have passed, and says so on the job's page", async () => {
    expect(schedule, "the scheduler runs the pruning").toContain(pruneExportFilesJob);
    const shop = await newShopDomain();
    const [ana, ben] = await insertCustomers(db, shop, [
      { status: "member", firstName: "Ana" },
      { status: "member", firstName: "Ben" },
    ]);
    const old = await startFromDirectory(
      shop,
      "customers.export",
      { selection: { ids: [ana!.id] }, columns: ["first_name"] },
      "prune-1",
    );
    const recent = await startFromDirectory(
      shop,
      "customers.export",
      { selection: { ids: [ben!.id] }, columns: ["first_name"] },
      "prune-2",
    );
    await drain(shop);
    // A file a cancelled export left half-written, its task long gone.
    const orphan = exportFilePath(shop, 999_999_999);
    await writeFile(orphan, "\uFEFFFirst name\r\nAn");

    // The old export finished eight days ago; its file was last written then.
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    await db.update(tasks).set({ finishedAt: eightDaysAgo.toISOString() }).where(eq(tasks.id, old));
    for (const path of [exportFilePath(shop, old), orphan]) await utimes(path, eightDaysAgo, eightDaysAgo);
    // A link handed out at the last moment of the window still works until it expires: the file outlives it.
    const lastMoment = new Date(Date.now() - (7 * 86_400_000 - 60_000));
    await utimes(exportFilePath(shop, recent), lastMoment, lastMoment);

    await pruneExportFilesJob.perform();
    expect(existsSync(exportFilePath(shop, old))).toBe(false);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(exportFilePath(shop, recent)), "inside its window plus the link's life").toBe(true);
    expect(await (await download(shop, recent)).text()).toContain("Ben");

    // The job's page refuses a new link past the window, in words; a link handed out before now finds no file.
    const request = await sessionTokenRequest(shop, `/app/jobs/${old}`, {
      method: "POST",
      body: new URLSearchParams({ intent: "download-export" }),
    });
    const refused = await answerOf(() => jobAction({ request, params: { id: String(old) }, context: {} } as Args));
    expect(refused.status).toBe(410);
    expect(((await refused.json()) as { error: string }).error).toContain("deleted 7 days after it finished");
    const params = signDownload({ shop, resource: `export:${old}`, now: new Date() });
    const gone = await answerOf(() =>
      exportDownload({
        request: new Request(`${process.env.SHOPIFY_APP_URL}/app/jobs/${old}/export.csv?${params}`),
        params: { id: String(old) },
        context: {},
      } as Args),
    );
    expect(gone.status).toBe(410);
  });
});
