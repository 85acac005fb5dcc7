import path from "node:path";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, ledgerEntries, shops, webhookDeliveries } from "~/db/schema";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as customerDelete } from "~/routes/webhooks.customers.delete";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { readWebhookRequestBody } from "~/shopify/webhooks/body.server";
import { acceptWebhook } from "~/shopify/webhooks/intake.server";
import { drainWebhookQueue } from "~/shopify/webhooks/queue.server";
import { MAX_WEBHOOK_BODY_BYTES } from "~/shopify/webhooks/body.server";
import { contextFor } from "~/shopify.server";
import { readAppConfig } from "../sandbox/app-config";
import { neverInstalledShopDomain, newShopDomain } from "../factories/shops";
import { deliverWebhook, webhookRequest } from "../helpers/signed-requests";
import { orderMoney } from "../factories/orders";
import { samplePayload, shopifyJson } from "../helpers/shopify-samples";
import { first } from "../helpers/db";

const { db } = contextFor("any", "test");
type Action = Parameters<typeof deliverWebhook>[0];

// Every route module, so every topic's effect is registered for the lean path too.
const routeModules = import.meta.glob<{ action: Action }>("/app/routes/webhooks.*.ts", { eager: true });
const subscriptions = readAppConfig(path.resolve("shopify.app.toml")).subscriptions;
const routeOf = (uri: string): Action => {
  const module = routeModules[`/app/routes/${uri.slice(1).replace(/\//g, ".")}.ts`];
  if (!module) throw new Error(`no route module for ${uri}`);
  return module.action;
};

let sequence = 0;
function newCustomer() {
  sequence += 1;
  const id = 706405506930370000n + BigInt(Date.now() % 100_000) * 100n + BigInt(sequence);
  return { id, gid: `gid://shopify/Customer/${id}`, email: `trust-${id}@example.com` };
}
type Customer = ReturnType<typeof newCustomer>;

const customerBody = (customer: Customer) => ({
  ...samplePayload("customers/create"),
  id: customer.id,
  admin_graphql_api_id: customer.gid,
  email: customer.email,
  state: "enabled",
});

function paidOrderBody(customer: Customer, subtotal = "40.00") {
  sequence += 1;
  const orderId = 820982911946150000n + BigInt(Date.now() % 100_000) * 100n + BigInt(sequence);
  const order = samplePayload("orders/paid");
  return {
    ...order,
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    ...orderMoney(subtotal, "USD"),
    financial_status: "paid",
    cancelled_at: null,
    refunds: [],
    customer: { ...(order.customer as object), id: customer.id, admin_graphql_api_id: customer.gid, state: "enabled" },
  };
}

const redactBody = (shop: string, customer: Customer) => ({
  ...samplePayload("customers/redact"),
  shop_domain: shop,
  customer: { id: customer.id, email: customer.email, phone: null },
  orders_to_redact: [],
});

async function customerRow(shop: string, customer: Customer) {
  return await first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, customer.gid))),
  );
}
const deliveriesOf = async (shop: string) =>
  await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.shop, shop));
const entriesOf = async (shop: string) => await db.select().from(ledgerEntries).where(eq(ledgerEntries.shop, shop));

/**
 * Waits until a delivery is applied before the test reads on: on PostgreSQL the server's own background batch may hold
 * it (a batch skips rows another has locked, decision 037), so the queue is drained until it is no longer pending, for
 * up to 10 s (a loaded machine held one past the 2 s this once waited).
 */
async function untilApplied(shop: string, webhookId: string) {
  for (let tries = 0; tries < 1_000; tries++) {
    await drainWebhookQueue();
    const [row] = await db
      .select({ status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.shop, shop), eq(webhookDeliveries.webhookId, webhookId)));
    if (row?.status !== "pending") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The production server's lean path: what server.js hands acceptWebhook once the body is read, then the queue. */
async function viaLeanPath(options: Parameters<typeof webhookRequest>[0]) {
  const raw = typeof options.body === "string" ? options.body : shopifyJson(options.body);
  const request = webhookRequest({ ...options, body: raw });
  const read = await readWebhookRequestBody(request);
  if ("refusal" in read) return read.refusal;
  const response = await acceptWebhook(request, read);
  await untilApplied(options.shop, request.headers.get("X-Shopify-Webhook-Id") ?? "");
  return response;
}

/** The Remix route path: the route's own action, as `npm run dev` and Shopify's template serve it. */
async function viaRoute(action: Action, options: Parameters<typeof webhookRequest>[0]) {
  const raw = typeof options.body === "string" ? options.body : shopifyJson(options.body);
  const request = webhookRequest({ ...options, body: raw });
  let response: Response;
  try {
    response = await action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  await untilApplied(options.shop, request.headers.get("X-Shopify-Webhook-Id") ?? "");
  return response;
}

/** A Member with a paid order: 100 sign-up points plus 40. */
async function memberWithPoints(shop: string) {
  const customer = newCustomer();
  expect((await deliverWebhook(customerCreate, "customers/create", shop, customerBody(customer))).status).toBe(200);
  expect((await deliverWebhook(orderPaid, "orders/paid", shop, paidOrderBody(customer))).status).toBe(200);
  expect((await customerRow(shop, customer))?.pointsBalance).toBe(140);
  return customer;
}

describe("the route a delivery is posted to fixes its topic", () => {
  it("a signed customers/delete body posted to /webhooks/orders/paid deletes nobody", async () => {
    const shop = await newShopDomain();
    const customer = await memberWithPoints(shop);
    const before = (await deliveriesOf(shop)).length;
    const replay = {
      topic: "customers/delete",
      shop,
      body: { id: customer.id, admin_graphql_api_id: customer.gid },
      path: "/webhooks/orders/paid",
    };

    const throughRoute = await viaRoute(orderPaid, replay);
    const throughLeanPath = await viaLeanPath(replay);

    for (const response of [throughRoute, throughLeanPath]) {
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("does not match");
    }
    expect(await customerRow(shop, customer)).toMatchObject({ deletedAt: null, pointsBalance: 140 });
    expect(await deliveriesOf(shop)).toHaveLength(before);
  });

  it("no route accepts a delivery whose X-Shopify-Topic names another topic, on either path", async () => {
    const shop = await newShopDomain();
    expect(subscriptions.length).toBeGreaterThanOrEqual(20);
    for (const route of subscriptions) {
      for (const other of subscriptions.filter((s) => s.topic !== route.topic)) {
        const options = { topic: other.topic, shop, body: { shop_domain: shop, id: 1 }, path: route.uri };
        const answers = [await viaRoute(routeOf(route.uri), options), await viaLeanPath(options)];
        expect(
          answers.map((a) => a.status),
          `${other.topic} at ${route.uri}`,
        ).toEqual([400, 400]);
      }
    }
    expect(await deliveriesOf(shop)).toEqual([]);
  });

  it("records a delivery under its route's topic, as Shopify names it", async () => {
    const shop = await newShopDomain();
    const customer = newCustomer();
    const response = await viaLeanPath({ topic: "customers/create", shop, body: customerBody(customer) });
    expect(response.status).toBe(200);
    expect(await deliveriesOf(shop)).toMatchObject([{ topic: "customers/create", status: "processed" }]);
  });
});

describe("only shops that installed Tally are acted on", () => {
  it.each(["../../x", "x.myshopify.com/../../y", "EVIL.myshopify.com", "x.myshopify.com.evil.example", "x", ""])(
    "refuses the shop header %j with a 400 and stores nothing",
    async (shop) => {
      const customer = newCustomer();
      const options = { topic: "customers/create", shop, body: customerBody(customer) };
      expect((await viaRoute(customerCreate, options)).status).toBe(400);
      expect((await viaLeanPath(options)).status).toBe(400);
      expect(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.shop, shop))).toEqual([]);
      expect(await db.select().from(customers).where(eq(customers.customerGid, customer.gid))).toEqual([]);
    },
  );

  it("refuses every topic but the privacy ones for a shop that never installed, and stores nothing", async () => {
    const shop = neverInstalledShopDomain();
    for (const { topic, uri } of subscriptions) {
      const privacy = ["customers/data_request", "customers/redact", "shop/redact"].includes(topic);
      const body = { ...samplePayload(topic), shop_domain: shop };
      const answers = [await viaRoute(routeOf(uri), { topic, shop, body }), await viaLeanPath({ topic, shop, body })];
      // Shopify's privacy requests are signed with the shop inside the body: Tally holds nothing for that shop, so the
      // honest answer is "done", which keeps Shopify from retrying.
      expect(
        answers.map((a) => a.status),
        topic,
      ).toEqual(privacy ? [200, 200] : [403, 403]);
    }
    expect(await deliveriesOf(shop)).toEqual([]);
    expect(await db.select().from(shops).where(eq(shops.shop, shop))).toEqual([]);
    expect(await db.select().from(customers).where(eq(customers.shop, shop))).toEqual([]);
  });
});

describe("uninstall stops everything but the privacy topics", () => {
  for (const [name, deliver] of [
    ["through the route", (action: Action, options: Parameters<typeof webhookRequest>[0]) => viaRoute(action, options)],
    ["through the lean path", (_action: Action, options: Parameters<typeof webhookRequest>[0]) => viaLeanPath(options)],
  ] as const) {
    it(`refuses order and customer deliveries after app/uninstalled, and still erases on request (${name})`, async () => {
      const shop = await newShopDomain();
      const customer = await memberWithPoints(shop);
      const entriesBefore = (await entriesOf(shop)).length;
      expect((await deliver(uninstalled, { topic: "app/uninstalled", shop, body: { id: 1 } })).status).toBe(200);

      const late = [
        await deliver(orderPaid, { topic: "orders/paid", shop, body: paidOrderBody(customer, "500.00") }),
        await deliver(customerUpdate, {
          topic: "customers/update",
          shop,
          body: { ...customerBody(customer), email: "changed@example.com" },
        }),
        await deliver(customerDelete, {
          topic: "customers/delete",
          shop,
          body: { id: customer.id, admin_graphql_api_id: customer.gid },
        }),
      ];
      expect(late.map((response) => response.status)).toEqual([403, 403, 403]);
      expect(await customerRow(shop, customer)).toMatchObject({
        pointsBalance: 140,
        email: customer.email,
        deletedAt: null,
      });
      expect(await entriesOf(shop)).toHaveLength(entriesBefore);

      const data = { ...samplePayload("customers/data_request"), shop_domain: shop, customer: { id: customer.id } };
      expect((await deliver(dataRequest, { topic: "customers/data_request", shop, body: data })).status).toBe(200);
      const redact = await deliver(customersRedact, {
        topic: "customers/redact",
        shop,
        body: redactBody(shop, customer),
      });
      expect(redact.status).toBe(200);
      expect(await customerRow(shop, customer)).toMatchObject({ email: null, redactedAt: expect.any(String) });

      // shop/redact comes 48 hours after the uninstall, and erases the shop.
      const twoDaysLater = new Date(Date.now() + 48 * 3600 * 1000).toISOString();
      const erase = await deliver(shopRedact, {
        topic: "shop/redact",
        shop,
        body: { shop_id: 1, shop_domain: shop },
        triggeredAt: twoDaysLater,
      });
      expect(erase.status).toBe(200);
      expect(await db.select().from(shops).where(eq(shops.shop, shop))).toEqual([]);
      expect(await db.select().from(customers).where(eq(customers.shop, shop))).toEqual([]);
    });
  }

  it("a reinstall makes the shop's deliveries count again", async () => {
    const shop = await newShopDomain();
    const customer = await memberWithPoints(shop);
    await deliverWebhook(uninstalled, "app/uninstalled", shop, { id: 1 });
    expect((await deliverWebhook(orderPaid, "orders/paid", shop, paidOrderBody(customer))).status).toBe(403);
    const { recordInstall } = await import("~/services/shops/record-install.server");
    await recordInstall({ ctx: contextFor(shop, "shopify"), input: { scope: "read_customers" } });
    expect((await deliverWebhook(orderPaid, "orders/paid", shop, paidOrderBody(customer))).status).toBe(200);
    expect((await customerRow(shop, customer))?.pointsBalance).toBe(180);
  });
});

describe("the Remix route path reads bodies under the same rules as server.js", () => {
  it("refuses a body with no HMAC header (401) and one over 20 MiB (413), storing nothing", async () => {
    const shop = await newShopDomain();
    const customer = newCustomer();
    const signed = webhookRequest({ topic: "customers/create", shop, body: shopifyJson(customerBody(customer)) });
    const headers = new Headers(signed.headers);
    headers.delete("X-Shopify-Hmac-Sha256");
    const unsigned = new Request(signed.url, { method: "POST", headers, body: shopifyJson(customerBody(customer)) });
    expect((await customerCreate({ request: unsigned, params: {}, context: {} })).status).toBe(401);

    const huge = shopifyJson({ ...customerBody(customer), note: "x".repeat(MAX_WEBHOOK_BODY_BYTES) });
    // Correctly signed, and counted as it streams in (a Request carries no declared length).
    const oversized = webhookRequest({ topic: "customers/create", shop, body: huge });
    expect((await customerCreate({ request: oversized, params: {}, context: {} })).status).toBe(413);
    expect(await deliveriesOf(shop)).toEqual([]);
    expect(await customerRow(shop, customer)).toBeUndefined();
  });
});
