import { describe, expect, it, vi } from "vitest";

// A database of this file's own, so work other test files left queued cannot make the probe lag.
vi.hoisted(() => {
  process.env.DATABASE_PATH = process.env.DATABASE_PATH!.replace(/\.sqlite$/, "-healthz.sqlite");
});

import { closeDatabase } from "~/db/client.server";
import { loader } from "~/routes/healthz";
import { emptyCustomerQuery } from "~/domain/customers";
import { cancelTask } from "~/services/background-jobs/cancel-task.server";
import { submitTask } from "~/services/background-jobs/submit-task.server";
import { claimNextTask } from "~/services/background-jobs/run-task.server";
import { acceptDelivery } from "~/services/webhooks/process-webhook.server";
import { recordInstall } from "~/services/shops/record-install.server";
import { drainWebhookQueue } from "~/shopify/webhooks/queue.server";
import { contextFor, contextForAllShops } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

async function probe() {
  const response = await loader();
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { reasons: string[] } };
}

describe("/healthz, an operator's probe", () => {
  it("answers 200 with its figures when the database answers and no queue waits, and is not cached", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toMatchObject({
      healthy: true,
      reasons: [],
      database: { reachable: true },
      webhookQueue: { oldestDueSeconds: null, limitSeconds: 120 },
      tasks: { oldestDueSeconds: null, limitSeconds: 900 },
    });
  });

  it("answers 503 naming the webhook queue when a delivery has waited past the limit, and 200 once it is applied", async () => {
    const shop = await newShopDomain();
    await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_customers", currency: "USD" } });
    await acceptDelivery({
      ctx: { ...contextFor(shop, "shopify"), now: minutesAgo(10) },
      input: {
        webhookId: "stale-1",
        eventId: null,
        topic: "customers/delete",
        apiVersion: "2026-10",
        triggeredAt: null,
        payload: { admin_graphql_api_id: "gid://shopify/Customer/1" },
      },
    });
    const lagging = await probe();
    expect(lagging.status).toBe(503);
    expect(lagging.body.reasons).toEqual([expect.stringMatching(/^webhook queue lags: a delivery has waited 60\d s/)]);

    await drainWebhookQueue();
    expect((await probe()).status).toBe(200);
  });

  it("answers 503 naming the task queue when a task has waited past the limit, not for a shop whose task is running", async () => {
    const busyShop = await newShopDomain();
    const ctx = { ...contextFor(busyShop, "staff"), now: minutesAgo(30) };
    const submit = (key: string) =>
      submitTask({ ctx, input: { kind: "points.recalculate", input: { repair: false }, idempotencyKey: key } });
    await submit("first");
    await claimNextTask({
      ctx: contextForAllShops("test"),
      input: { workerId: "probe-test", leaseMs: 60_000, busy: [] },
    });
    // The shop's first task runs under a live lease; its second waits its turn by design, which is not lag.
    await submit("second");
    expect((await probe()).status).toBe(200);
    // An export of that shop is in the other lane: nothing holds it back, so its wait is lag.
    const { task: exported } = await submitTask({
      ctx: { ...contextFor(busyShop, "staff"), now: minutesAgo(25) },
      input: {
        kind: "customers.export",
        input: { selection: { query: emptyCustomerQuery }, columns: ["email"] },
        idempotencyKey: "export",
      },
    });
    const exportLags = await probe();
    expect(exportLags.status).toBe(503);
    expect(exportLags.body.reasons).toEqual([expect.stringMatching(/^task queue lags: a task has waited 150\d s/)]);
    await cancelTask({ ctx: contextFor(busyShop, "staff"), input: { taskId: exported.id } });
    expect((await probe()).status).toBe(200);

    const idleShop = await newShopDomain();
    await submitTask({
      ctx: { ...contextFor(idleShop, "staff"), now: minutesAgo(20) },
      input: { kind: "points.recalculate", input: { repair: false }, idempotencyKey: "waiting" },
    });
    const lagging = await probe();
    expect(lagging.status).toBe(503);
    expect(lagging.body.reasons).toEqual([expect.stringMatching(/^task queue lags: a task has waited 120\d s/)]);
  });

  it("answers 503 when the database does not answer, naming it and nothing more", async () => {
    await closeDatabase();
    const { status, body } = await probe();
    expect(status).toBe(503);
    expect(body).toMatchObject({ healthy: false, database: { reachable: false } });
    expect(body.reasons).toEqual(["database unreachable (no answer)"]);
    expect(JSON.stringify(body)).not.toContain(process.env.DATABASE_PATH);
  });
});
