import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, webhookDeliveries } from "~/db/schema";
import { recordInstall } from "~/services/shops/record-install.server";
import { readWebhookRequestBody } from "~/shopify/webhooks/body.server";
import { acceptWebhook } from "~/shopify/webhooks/intake.server";
import { EFFECT_LAG_LIMIT_MS } from "~/shopify/webhooks/queue.server";
import { contextFor } from "~/shopify.server";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { orderMoney } from "../factories/orders";
import { onPostgres } from "../helpers/dialect";
import { webhookRequest } from "../helpers/signed-requests";
import { samplePayload, shopifyJson } from "../helpers/shopify-samples";

// Every route module registers its topic's schema and effect when it loads.
import.meta.glob("/app/routes/webhooks.*.ts", { eager: true });

// Decision 039: while webhooks keep arriving the production server answers first and lets effects wait, but never
// more than EFFECT_LAG_LIMIT_MS behind; a burst is applied, every delivery once, right after it is answered.

const { db } = contextFor("any", "test");

async function installedShop() {
  const shop = await newShopDomain();
  await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_orders", currency: "CAD" } });
  await installOfflineSession(shop);
  return shop;
}

/** orders/paid for its own customer, who earns a point per CAD of the subtotal. */
function paid(orderId: string, subtotal: string) {
  return {
    ...samplePayload("orders/paid"),
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    name: `#${orderId.slice(-4)}`,
    ...orderMoney(subtotal, "CAD"),
    refunds: [],
    cancelled_at: null,
    customer: { admin_graphql_api_id: `gid://shopify/Customer/${orderId}1`, state: "enabled", updated_at: null },
  };
}

/** The production server's lean path, as server.js calls it: verified, recorded, answered; the queue does the rest. */
async function post(shop: string, orderId: string, subtotal: string) {
  const request = webhookRequest({ topic: "orders/paid", shop, body: shopifyJson(paid(orderId, subtotal)) });
  const read = await readWebhookRequestBody(request);
  if ("refusal" in read) throw new Error(`refused: ${read.refusal.status}`);
  return (await acceptWebhook(request, read)).status;
}

async function waitingCount(shop: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.shop, shop), sql`${webhookDeliveries.status} in ('pending', 'failed')`));
  return Number(row?.n ?? 0);
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
  return rows.reduce((sum, row) => sum + row.points, 0);
}

async function untilApplied(shop: string, withinMs: number) {
  const deadline = performance.now() + withinMs;
  while ((await waitingCount(shop)) > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return waitingCount(shop);
}

describe("the queue behind the lean path", () => {
  it("answers a burst of orders, then applies every one of them once, right after", async () => {
    const shop = await installedShop();
    const ids = Array.from({ length: 60 }, (_, i) => String(940100 + i));
    const statuses = await Promise.all(ids.map((id) => post(shop, id, "10.00")));
    expect(statuses.every((status) => status === 200)).toBe(true);
    // Each member's 10 points, once, within a second or two of the last answer (the bench prints how soon).
    expect(await untilApplied(shop, 5_000)).toBe(0);
    expect(await pointsOf(shop, ids)).toBe(60 * 10);
  });

  // SQLite only: on PostgreSQL a batch's queries leave the event loop, so nothing slows intake down to what effects can
  // apply, and four unpaced streams outrun one instance's batches before and after decision 039 alike (measured here:
  // 22 of 80, then 46 of 190, applied in time). More instances are PostgreSQL's answer (decision 037).
  it.skipIf(onPostgres)(
    "keeps applying while orders never stop coming, never more than about its lag limit behind",
    async () => {
      const shop = await installedShop();
      const sent: Array<{ id: string; at: number }> = [];
      const started = performance.now();
      let next = 0;
      // Four at a time, for four lag limits: a stream with no pause for the queue to catch up in.
      async function stream() {
        while (performance.now() - started < 4 * EFFECT_LAG_LIMIT_MS) {
          const id = String(950000 + next++);
          expect(await post(shop, id, "1.00")).toBe(200);
          sent.push({ id, at: performance.now() });
        }
      }
      await Promise.all([stream(), stream(), stream(), stream()]);
      const ended = performance.now();
      // What was answered more than the lag limit (and two seconds of slack: a CI machine running other suites can stall
      // this process for a second, and the queue catches up after it while the stream goes on) before the stream ended
      // was applied while the stream still ran, not after it. A queue that waited for a pause would have applied none.
      const old = sent.filter(({ at }) => ended - at > EFFECT_LAG_LIMIT_MS + 2_000).map(({ id }) => id);
      expect(old.length).toBeGreaterThan(0);
      expect(await pointsOf(shop, old)).toBe(old.length);
      expect(await untilApplied(shop, 5_000)).toBe(0);
      expect(
        await pointsOf(
          shop,
          sent.map(({ id }) => id),
        ),
      ).toBe(sent.length);
    },
  );

  it.skipIf(onPostgres)("on SQLite, does not start a batch in the turn right after answering", async () => {
    // SQLite: intake and the queue share one connection and one event loop, so the order is exact; on PostgreSQL a
    // batch's queries leave the loop. Before, a batch of 20 ran in the very next turn, whatever else was arriving.
    const shop = await installedShop();
    const ids = Array.from({ length: 30 }, (_, i) => String(960100 + i));
    await Promise.all(ids.map((id) => post(shop, id, "10.00")));
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(await waitingCount(shop)).toBe(ids.length);
    expect(await untilApplied(shop, 5_000)).toBe(0);
    expect(await pointsOf(shop, ids)).toBe(ids.length * 10);
  });
});
