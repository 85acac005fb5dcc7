import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { customers, ledgerEntries, orders, webhookDeliveries } from "~/db/schema";
import { recordInstall } from "~/services/shops/record-install.server";
import { applyPendingDeliveries, MAX_ATTEMPTS } from "~/services/webhooks/process-webhook.server";
import { readWebhookRequestBody } from "~/shopify/webhooks/body.server";
import { acceptWebhook } from "~/shopify/webhooks/intake.server";
import { drainWebhookQueue, stopWebhookDrain } from "~/shopify/webhooks/queue.server";
import { webhookEffects } from "~/shopify/webhooks/registry.server";
import { contextFor, contextForAllShops } from "~/shopify.server";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { orderMoney } from "../factories/orders";
import { onPostgres } from "../helpers/dialect";
import { webhookRequest } from "../helpers/signed-requests";
import { samplePayload, shopifyJson } from "../helpers/shopify-samples";

// Every route module registers its topic's schema and effect when it loads.
import.meta.glob("/app/routes/webhooks.*.ts", { eager: true });

// Decision 035: the queue applies a batch of deliveries in one transaction, each in a savepoint of its own, and intake
// commits the deliveries of one turn of the event loop together. Neither may cost a delivery its own fate.

const { db } = contextFor("any", "test");

// The lean path starts a background batch after each 200. On PostgreSQL its reads are real I/O, so it may take the
// first deliveries before the rest arrive; stopped here (as when a shutdown begins), the queue holds every delivery
// until a test drains it, and what a test drains is one batch.
beforeAll(() => stopWebhookDrain());

async function installedShop() {
  const shop = await newShopDomain();
  await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_orders", currency: "CAD" } });
  await installOfflineSession(shop);
  return shop;
}

/** orders/paid for its own customer: a subtotal in `currency` (the shop earns in CAD; GBP cannot earn yet). */
function paid(orderId: string, currency: string, subtotal: string) {
  return {
    ...samplePayload("orders/paid"),
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    name: `#${orderId.slice(-4)}`,
    ...orderMoney(subtotal, currency),
    refunds: [],
    cancelled_at: null,
    customer: { admin_graphql_api_id: `gid://shopify/Customer/${orderId}1`, state: "enabled", updated_at: null },
  };
}

/** The production server's lean path: verified, recorded, answered; the effect waits in the queue. */
async function post(shop: string, body: unknown, webhookId: string) {
  const request = webhookRequest({ topic: "orders/paid", shop, body: shopifyJson(body), webhookId });
  const read = await readWebhookRequestBody(request);
  if ("refusal" in read) throw new Error(`refused: ${read.refusal.status}`);
  // What acceptWebhook throws (the database failing) server.js answers 500, which Shopify retries.
  return acceptWebhook(request, read).catch(() => new Response(null, { status: 500 }));
}

async function deliveries(shop: string) {
  const rows = await db
    .select({
      webhookId: webhookDeliveries.webhookId,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
    })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.shop, shop));
  return Object.fromEntries(rows.map((row) => [row.webhookId, { status: row.status, attempts: row.attempts }]));
}

async function pointsOf(shop: string, orderIds: string[]) {
  const rows = await db
    .select({ gid: customers.customerGid, points: customers.pointsBalance })
    .from(customers)
    .where(
      and(
        eq(customers.shop, shop),
        inArray(
          customers.customerGid,
          orderIds.map((id) => `gid://shopify/Customer/${id}1`),
        ),
      ),
    );
  return Object.fromEntries(rows.map((row) => [row.gid.replace(/^gid:\/\/shopify\/Customer\/|1$/g, ""), row.points]));
}

/** A trigger that fails the insert of the shop's delivery `group-3` with "disk I/O error". */
async function addFaultTrigger(trigger: string, shop: string) {
  if (onPostgres) {
    const pg = db as unknown as { execute(query: SQL): Promise<unknown> };
    await pg.execute(
      sql.raw(
        `CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
          `RAISE EXCEPTION 'disk I/O error'; END $$`,
      ),
    );
    await pg.execute(
      sql.raw(
        `CREATE TRIGGER ${trigger} BEFORE INSERT ON webhook_deliveries FOR EACH ROW ` +
          `WHEN (NEW.shop = '${shop}' AND NEW.webhook_id = 'group-3') EXECUTE FUNCTION ${trigger}()`,
      ),
    );
    return;
  }
  // eslint-disable-next-line tally/async-data-access -- SQLite: the raw driver runs the trigger's DDL
  db.$client.exec(
    `CREATE TRIGGER ${trigger} BEFORE INSERT ON webhook_deliveries ` +
      `WHEN NEW.shop = '${shop}' AND NEW.webhook_id = 'group-3' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`,
  );
}

async function dropFaultTrigger(trigger: string) {
  if (onPostgres) {
    const pg = db as unknown as { execute(query: SQL): Promise<unknown> };
    await pg.execute(sql.raw(`DROP TRIGGER ${trigger} ON webhook_deliveries`));
    await pg.execute(sql.raw(`DROP FUNCTION ${trigger}()`));
    return;
  }
  // eslint-disable-next-line tally/async-data-access -- SQLite: the raw driver runs the trigger's DDL
  db.$client.exec(`DROP TRIGGER ${trigger}`);
}

describe("a batch of queued deliveries", () => {
  it("applies the others when one delivery's effect throws after writing, and keeps nothing of that one", async () => {
    const shop = await installedShop();
    // Answered before any effect runs (the lean path), so all four wait in the queue for one batch.
    const bodies = [
      paid("910001", "CAD", "20.00"),
      paid("910002", "GBP", "30.00"),
      paid("910003", "CAD", "40.00"),
      paid("910004", "CAD", "50.00"),
    ];
    const answers = await Promise.all(bodies.map((body, i) => post(shop, body, `batch-${i + 1}`)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);

    expect(await drainWebhookQueue()).toEqual({ applied: 3, failed: 1, parked: 0, skipped: 0 });
    expect(await deliveries(shop)).toEqual({
      "batch-1": { status: "processed", attempts: 1 },
      "batch-2": { status: "failed", attempts: 1 },
      "batch-3": { status: "processed", attempts: 1 },
      "batch-4": { status: "processed", attempts: 1 },
    });
    // The GBP order's effect had stored its customer and its order before the program refused the currency: its
    // savepoint took both back, and its neighbours' points stand.
    expect(await pointsOf(shop, ["910001", "910002", "910003", "910004"])).toEqual({
      "910001": 20,
      "910003": 40,
      "910004": 50,
    });
    const failedOrder = await db
      .select()
      .from(orders)
      .where(and(eq(orders.shop, shop), eq(orders.orderGid, "gid://shopify/Order/910002")));
    expect(failedOrder).toEqual([]);

    // Retried with its backoff in later batches, and parked after the last try, as a delivery alone would be.
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      await applyPendingDeliveries({
        ctx: { ...contextForAllShops("test"), now: new Date(Date.now() + attempt * 3600 * 1000) },
        effects: webhookEffects,
        input: { limit: 20, includeFailed: true },
      });
    }
    expect((await deliveries(shop))["batch-2"]).toEqual({ status: "parked", attempts: MAX_ATTEMPTS });
    const earns = await db
      .select({ gid: ledgerEntries.sourceGid })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.kind, "earn")));
    expect(earns.map((row) => row.gid).sort()).toEqual([
      "gid://shopify/Order/910001",
      "gid://shopify/Order/910003",
      "gid://shopify/Order/910004",
    ]);
  });

  it("leaves to its backoff a delivery that a batch running beside it tried and failed, and applies the rest once", async () => {
    const shop = await installedShop();
    const answers = await Promise.all([
      post(shop, paid("940001", "GBP", "30.00"), "beside-1"),
      post(shop, paid("940002", "CAD", "20.00"), "beside-2"),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    // Two batches at once (the scheduler's drain beside the background batch, or two instances on PostgreSQL): each
    // delivery is tried once between them, whichever batch takes it (decision 037: a batch claims what it reads).
    const both = await Promise.all([drainWebhookQueue(), drainWebhookQueue()]);
    const total = (key: "applied" | "failed") => both.reduce((sum, counts) => sum + counts[key], 0);
    expect([total("applied"), total("failed")]).toEqual([1, 1]);
    expect(await deliveries(shop)).toEqual({
      "beside-1": { status: "failed", attempts: 1 },
      "beside-2": { status: "processed", attempts: 1 },
    });
    expect(await pointsOf(shop, ["940001", "940002"])).toEqual({ "940002": 20 });
  });

  it("applies each delivery once when the same order arrives twice in one batch under two webhook ids", async () => {
    const shop = await installedShop();
    const body = paid("920001", "CAD", "25.00");
    const answers = await Promise.all([post(shop, body, "twice-1"), post(shop, body, "twice-2")]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await drainWebhookQueue();
    expect(await pointsOf(shop, ["920001"])).toEqual({ "920001": 25 });
  });
});

describe("deliveries recorded in one commit", () => {
  it("are each recorded before their 200, a redelivery among them is a no-op, and one that cannot be stored is a 500 alone", async () => {
    const shop = await installedShop();
    // A real fault at the database for one delivery only (a trigger, in each dialect's words).
    const trigger = `refuse_delivery_${shop.replace(/\W/g, "_")}`;
    await addFaultTrigger(trigger, shop);
    try {
      // Started together, so intake records them in one transaction.
      const answers = await Promise.all([
        post(shop, paid("930001", "CAD", "10.00"), "group-1"),
        post(shop, paid("930002", "CAD", "11.00"), "group-2"),
        post(shop, paid("930003", "CAD", "12.00"), "group-3"),
        post(shop, paid("930001", "CAD", "10.00"), "group-1"),
        post(shop, paid("930004", "CAD", "13.00"), "group-4"),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 500, 200, 200]);
      // Each 200 was given once its row had committed: all are there before any effect ran.
      expect(await deliveries(shop)).toEqual({
        "group-1": { status: "pending", attempts: 0 },
        "group-2": { status: "pending", attempts: 0 },
        "group-4": { status: "pending", attempts: 0 },
      });
    } finally {
      await dropFaultTrigger(trigger);
    }
    // Shopify retries the 500, which is recorded now.
    expect((await post(shop, paid("930003", "CAD", "12.00"), "group-3")).status).toBe(200);
    await drainWebhookQueue();
    expect(await pointsOf(shop, ["930001", "930002", "930003", "930004"])).toEqual({
      "930001": 10,
      "930002": 11,
      "930003": 12,
      "930004": 13,
    });
  });
});
