import { and, eq, sql, type SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, ledgerEntries, webhookDeliveries } from "~/db/schema";
import { action as homeAction, loader as homeLoader } from "~/routes/app._index";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as shopUpdate } from "~/routes/webhooks.shop.update";
import { recordInstall } from "~/services/shops/record-install.server";
import { applyPendingDeliveries, MAX_ATTEMPTS } from "~/services/webhooks/process-webhook.server";
import { webhookEffects } from "~/shopify/webhooks/registry.server";
import { contextFor, contextForAllShops } from "~/shopify.server";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";
import { onPostgres } from "../helpers/dialect";
import { orderMoney } from "../factories/orders";
import { samplePayload } from "../helpers/shopify-samples";
import { auditActions } from "../helpers/audit";
import { first } from "../helpers/db";

const { db } = contextFor("any", "test");
const customerGid = "gid://shopify/Customer/706405506930370084";

function paid(orderId: string, currency: string, subtotal: string) {
  return {
    ...samplePayload("orders/paid"),
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    name: `#${orderId.slice(-4)}`,
    ...orderMoney(subtotal, currency),
    refunds: [],
    cancelled_at: null,
    customer: { admin_graphql_api_id: customerGid, state: "enabled", updated_at: null },
  };
}

async function installedShop() {
  const shop = await newShopDomain();
  await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_orders", currency: "CAD" } });
  await installOfflineSession(shop);
  return shop;
}

async function home(shop: string) {
  return homeLoader({ request: await sessionTokenRequest(shop, "/app"), params: {}, context: {} });
}

async function retry(shop: string, deliveryId: number) {
  const body = new URLSearchParams({ intent: "retry-delivery", deliveryId: String(deliveryId) });
  const request = await sessionTokenRequest(shop, "/app?index", { method: "POST", body });
  const answer = await homeAction({ request, params: {}, context: {} });
  return answer instanceof Response
    ? { status: answer.status, body: await answer.json() }
    : { status: 200, body: answer };
}

async function balance(shop: string) {
  return (
    await first(
      db
        .select({ points: customers.pointsBalance })
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid))),
    )
  )?.points;
}

async function deliveryOf(shop: string, webhookId: string) {
  return (await first(
    db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.shop, shop), eq(webhookDeliveries.webhookId, webhookId))),
  ))!;
}

describe("a delivery that fails the same way on every try", () => {
  it("is parked after a bounded number of tries, while the others keep flowing", async () => {
    const shop = await installedShop();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < MAX_ATTEMPTS + 2; attempt++) {
      statuses.push(
        (await deliverWebhook(orderPaid, "orders/paid", shop, paid("900001", "GBP", "40.00"), { webhookId: "gbp-1" }))
          .status,
      );
      // Another order between two tries: it is applied at once.
      if (attempt === 1) {
        expect((await deliverWebhook(orderPaid, "orders/paid", shop, paid("900002", "CAD", "25.00"))).status).toBe(200);
      }
    }
    // Shopify is told to retry until Tally parks the delivery; then it holds it and answers 200.
    expect(statuses).toEqual([500, 500, 500, 500, 200, 200, 200]);
    expect(await deliveryOf(shop, "gbp-1")).toMatchObject({ status: "parked", attempts: MAX_ATTEMPTS });
    expect(await balance(shop)).toBe(25);

    // The queue never picks it up again, however late.
    await applyPendingDeliveries({
      ctx: { ...contextForAllShops("test"), now: new Date(Date.now() + 24 * 3600 * 1000) },
      effects: webhookEffects,
      input: { limit: 100, includeFailed: true },
    });
    expect((await deliveryOf(shop, "gbp-1")).attempts).toBe(MAX_ATTEMPTS);

    const { health } = await home(shop);
    expect(health.stuck).toEqual([
      expect.objectContaining({
        topic: "orders/paid",
        attempts: MAX_ATTEMPTS,
        parkedAt: expect.any(String),
        error: expect.stringContaining("the amount is in GBP but the program earns in CAD"),
      }),
    ]);
  });

  it("Retry before the cause is fixed tries once and parks it again; after the fix it applies exactly once", async () => {
    const shop = await installedShop();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await deliverWebhook(orderPaid, "orders/paid", shop, paid("900003", "GBP", "40.00"), { webhookId: "gbp-2" });
    }
    const { id } = await deliveryOf(shop, "gbp-2");

    expect(await retry(shop, id)).toEqual({ status: 200, body: { ok: true, applied: false } });
    expect(await deliveryOf(shop, "gbp-2")).toMatchObject({ status: "parked", attempts: MAX_ATTEMPTS + 1 });

    // The cause: Tally never heard the store's currency became GBP. Shopify says so now.
    const update = { ...samplePayload("shop/update"), currency: "GBP", updated_at: new Date().toISOString() };
    expect((await deliverWebhook(shopUpdate, "shop/update", shop, update)).status).toBe(200);

    expect(await retry(shop, id)).toEqual({ status: 200, body: { ok: true, applied: true } });
    expect(await auditActions(shop)).toContain("delivery.retry");
    expect(await balance(shop)).toBe(40);
    // A second click, and Shopify's own late retry, apply nothing more.
    expect(await retry(shop, id)).toMatchObject({ status: 404, body: { code: "not_found" } });
    await deliverWebhook(orderPaid, "orders/paid", shop, paid("900003", "GBP", "40.00"), { webhookId: "gbp-2" });
    expect(await balance(shop)).toBe(40);
    const earns = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.sourceGid, "gid://shopify/Order/900003")));
    expect(earns).toHaveLength(1);
    expect((await home(shop)).health.stuck).toEqual([]);
  });

  it("Retry answers 404 for another shop's delivery", async () => {
    const shop = await installedShop();
    const other = await installedShop();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await deliverWebhook(orderPaid, "orders/paid", shop, paid("900004", "GBP", "40.00"), { webhookId: "gbp-3" });
    }
    expect((await retry(other, (await deliveryOf(shop, "gbp-3")).id)).status).toBe(404);
    expect((await deliveryOf(shop, "gbp-3")).status).toBe("parked");
  });

  it("waits longer between each try from the queue", async () => {
    const shop = await installedShop();
    await deliverWebhook(orderPaid, "orders/paid", shop, paid("900005", "GBP", "40.00"), { webhookId: "gbp-4" });
    const failedAt = Date.now();
    const drain = (afterMs: number) =>
      applyPendingDeliveries({
        ctx: { ...contextForAllShops("test"), now: new Date(failedAt + afterMs) },
        effects: webhookEffects,
        input: { limit: 1000, includeFailed: true },
      });
    await drain(10_000);
    expect((await deliveryOf(shop, "gbp-4")).attempts).toBe(1);
    await drain(31_000);
    expect((await deliveryOf(shop, "gbp-4")).attempts).toBe(2);
    await drain(31_000 + 60_000);
    expect((await deliveryOf(shop, "gbp-4")).attempts).toBe(2);
    await drain(31_000 + 121_000);
    expect((await deliveryOf(shop, "gbp-4")).attempts).toBe(3);
  });
});

/** A trigger that fails every erasure of the shop's customers with "disk I/O error". */
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
        `CREATE TRIGGER ${trigger} BEFORE UPDATE OF redacted_at ON customers FOR EACH ROW ` +
          `WHEN (NEW.shop = '${shop}') EXECUTE FUNCTION ${trigger}()`,
      ),
    );
    return;
  }
  // eslint-disable-next-line tally/async-data-access -- SQLite: the raw driver runs the trigger's DDL
  db.$client.exec(
    `CREATE TRIGGER ${trigger} BEFORE UPDATE OF redacted_at ON customers WHEN NEW.shop = '${shop}' ` +
      `BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`,
  );
}

async function dropFaultTrigger(trigger: string) {
  if (onPostgres) {
    const pg = db as unknown as { execute(query: SQL): Promise<unknown> };
    await pg.execute(sql.raw(`DROP TRIGGER ${trigger} ON customers`));
    await pg.execute(sql.raw(`DROP FUNCTION ${trigger}()`));
    return;
  }
  // eslint-disable-next-line tally/async-data-access -- SQLite: the raw driver runs the trigger's DDL
  db.$client.exec(`DROP TRIGGER ${trigger}`);
}

describe("a privacy request that keeps failing", () => {
  it("is never parked, shows on Home while it fails, and is applied once the cause is gone", async () => {
    const shop = await installedShop();
    const customer = { id: 706405506930370084n, email: "bob@biller.com", phone: null };
    await deliverWebhook(orderPaid, "orders/paid", shop, paid("900006", "CAD", "10.00"));
    // A real fault at the database: the erasure cannot be written for this shop (a trigger, in each dialect's words).
    const trigger = `block_redact_${shop.replace(/\W/g, "_")}`;
    await addFaultTrigger(trigger, shop);
    try {
      const body = { ...samplePayload("customers/redact"), shop_domain: shop, customer, orders_to_redact: [] };
      const statuses: number[] = [];
      for (let attempt = 0; attempt < MAX_ATTEMPTS + 2; attempt++) {
        statuses.push(
          (await deliverWebhook(customersRedact, "customers/redact", shop, body, { webhookId: "redact-1" })).status,
        );
      }
      expect(statuses.every((status) => status === 500)).toBe(true);
      expect(await deliveryOf(shop, "redact-1")).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS + 2 });
      expect((await home(shop)).health.stuck).toEqual([
        expect.objectContaining({ topic: "customers/redact", parkedAt: null, error: "disk I/O error" }),
      ]);
    } finally {
      await dropFaultTrigger(trigger);
    }
    // The hourly retry from the queue applies it.
    await applyPendingDeliveries({
      ctx: { ...contextForAllShops("test"), now: new Date(Date.now() + 2 * 3600 * 1000) },
      effects: webhookEffects,
      input: { limit: 1000, includeFailed: true },
    });
    expect((await deliveryOf(shop, "redact-1")).status).toBe("processed");
    const row = await first(
      db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid))),
    );
    expect(row).toMatchObject({ email: null, pointsBalance: 10 });
    expect(row?.redactedAt).not.toBeNull();
    expect((await home(shop)).health.stuck).toEqual([]);
  });
});
