import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers } from "~/db/schema";
import type { EveryTickShopJob, IntervalShopJob } from "~/jobs/scheduled-job";
import { runShopJobs, type ScheduledJobFailed } from "~/jobs/scheduler.server";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { getSyncHealth } from "~/services/home/get-sync-health.server";
import { findJobState, isJobDue, onJobRunRequested, type JobName } from "~/services/scheduled-jobs/job-state.server";
import { recordInstall } from "~/services/shops/record-install.server";
import { contextFor, sessionStorage } from "~/shopify.server";
import { installOfflineSession, neverInstalledShopDomain, newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { webhookRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
const args = (request: Request) => ({ request, params: {}, context: {} });

const customerCount = async (shop: string) =>
  (
    await first(
      db
        .select({ n: sql<number>`count(*)` })
        .from(customers)
        .where(eq(customers.shop, shop)),
    )
  )?.n ?? 0;

/** When Home says the shop was last reconciled. */
const lastReconciled = async (shop: string) =>
  (await getSyncHealth({ ctx: contextFor(shop, "staff") })).reconciliation?.lastRunAt ?? null;

const due = (shop: string, job: JobName = "reconcile") =>
  isJobDue({ ctx: contextFor(shop, "test"), input: { job, everyMs: 3_600_000 } });

/** A staff member's online token has expired: their next visit exchanges a new one, and afterAuth runs again. */
async function signInAgainNextDay(shop: string) {
  const online = (await sessionStorage.findSessionsByShop(shop)).filter((session) => session.isOnline);
  expect(online.length).toBeGreaterThan(0);
  await sessionStorage.deleteSessions(online.map((session) => session.id));
  await installThroughAdmin(sandboxOf(), shop);
  expect((await sessionStorage.findSessionsByShop(shop)).some((session) => session.isOnline)).toBe(true);
}

async function freshShopInSandbox(customersToSeed: number) {
  const shop = neverInstalledShopDomain();
  sandboxOf().control.createShop({ shop });
  sandboxOf().control.seed({ shop, customers: customersToSeed, orders: 0, seed: 3 });
  return shop;
}

describe("when reconciliation runs", () => {
  it("runs the install sync at the first tick after install, without waiting for its interval", async () => {
    const shop = await freshShopInSandbox(12);
    await installThroughAdmin(sandboxOf(), shop);
    expect(await due(shop)).toBe(true);
    await runShopJobs(shop);
    expect(await customerCount(shop)).toBe(12);
    expect(await lastReconciled(shop)).not.toBeNull();
    expect(await due(shop)).toBe(false);
  });

  it("does not start another reconciliation when a staff member signs in again", async () => {
    const shop = await freshShopInSandbox(5);
    await installThroughAdmin(sandboxOf(), shop);
    await runShopJobs(shop);
    const installSync = await lastReconciled(shop);
    const requested = (await findJobState({ ctx: contextFor(shop, "test"), input: { job: "reconcile" } }))?.requestedAt;

    await signInAgainNextDay(shop);
    await signInAgainNextDay(shop);
    await runShopJobs(shop);

    expect(await due(shop)).toBe(false);
    expect(await lastReconciled(shop)).toBe(installSync);
    expect((await findJobState({ ctx: contextFor(shop, "test"), input: { job: "reconcile" } }))?.requestedAt).toBe(
      requested,
    );
  });

  it("reconciles again at once after a reinstall", async () => {
    const shop = await freshShopInSandbox(4);
    await installThroughAdmin(sandboxOf(), shop);
    await runShopJobs(shop);
    const before = await lastReconciled(shop);
    const response = await uninstalled(args(webhookRequest({ topic: "app/uninstalled", shop, body: {} })));
    expect(response.status).toBe(200);

    await installThroughAdmin(sandboxOf(), shop);
    expect(await due(shop)).toBe(true);
    await runShopJobs(shop);
    expect(await lastReconciled(shop)).not.toBe(before);
    expect(await due(shop)).toBe(false);
  });

  it("reconciles again at the next tick after the merchant changes the app's scopes", async () => {
    const shop = await freshShopInSandbox(3);
    await installThroughAdmin(sandboxOf(), shop);
    await runShopJobs(shop);
    expect(await due(shop)).toBe(false);
    const body = { id: 1, previous: ["read_customers"], current: ["read_customers", "write_customers"] };
    const response = await scopesUpdate(args(webhookRequest({ topic: "app/scopes_update", shop, body })));
    expect(response.status).toBe(200);
    expect(await due(shop)).toBe(true);
  });

  it("tells this process's scheduler about a request only once it is committed, and only when there is one", async () => {
    const shop = neverInstalledShopDomain();
    const heard: Array<Promise<string | null | undefined>> = [];
    const stop = onJobRunRequested((requestedFor, job) => {
      if (requestedFor !== shop || !job) return;
      // Read at once, as the scheduler would start: the request must already be there to see.
      heard.push(findJobState({ ctx: contextFor(shop, "test"), input: { job } }).then((row) => row?.requestedAt));
    });
    try {
      await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_customers,read_orders" } });
      await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_orders, read_customers" } });
      expect(heard).toHaveLength(1);
      expect(await heard[0]).toEqual(expect.any(String));
      await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_orders" } });
      expect(heard).toHaveLength(2);
    } finally {
      stop();
    }
  });
});

describe("the scheduler", () => {
  const performed: string[] = [];
  const tickJob = (name: string, fail = false): EveryTickShopJob => ({
    name,
    scope: "each shop",
    every: "tick",
    perform: async ({ shop }) => {
      performed.push(`${name}@${shop}`);
      if (fail) throw new Error(`${name} broke`);
    },
  });
  const hourlyJob: IntervalShopJob = {
    name: "hourly",
    scope: "each shop",
    every: { job: "shop-facts", seconds: () => 3600 },
    perform: async ({ shop }) => {
      performed.push(`hourly@${shop}`);
      return { result: { ok: true } };
    },
  };

  it("runs every job of the shop even when one fails, and names the one that failed", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    performed.length = 0;
    const run = runShopJobs(shop, { jobs: [tickJob("first", true), tickJob("second")] });
    const error = await run.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(performed).toEqual([`first@${shop}`, `second@${shop}`]);
    expect(error).toBeInstanceOf(AggregateError);
    const failures = (error as AggregateError).errors as ScheduledJobFailed[];
    expect(failures.map((failure) => [failure.job, failure.shop, (failure.cause as Error).message])).toEqual([
      ["first", shop, "first broke"],
    ]);
  });

  it("runs an interval job once per interval, again when a run is requested, and records each run", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    performed.length = 0;
    await runShopJobs(shop, { jobs: [hourlyJob] });
    await runShopJobs(shop, { jobs: [hourlyJob] });
    expect(performed).toEqual([`hourly@${shop}`]);
    const state = await findJobState({ ctx: contextFor(shop, "test"), input: { job: "shop-facts" } });
    expect(state?.lastResult).toEqual({ ok: true });

    await runShopJobs(shop, { jobs: [hourlyJob], force: true });
    expect(performed).toHaveLength(2);
  });
});
