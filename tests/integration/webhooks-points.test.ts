import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, ledgerEntries, orders } from "~/db/schema";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as orderCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { action as tagsAdded } from "~/routes/webhooks.customer.tags_added";
import { activityActorLabel } from "~/components/labels";
import { loader as profileLoader } from "~/routes/app.customers_.$id";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { contextFor } from "~/shopify.server";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";
import { samplePayload } from "../helpers/shopify-samples";
import { orderJson, refundJson } from "../factories/orders";
import { first } from "../helpers/db";

const { db } = contextFor("any", "test");
const deliver = (
  action: Parameters<typeof deliverWebhook>[0],
  topic: string,
  shop: string,
  body: unknown,
  webhookId?: string,
) => deliverWebhook(action, topic, shop, body, webhookId ? { webhookId } : {});

const customerGid = "gid://shopify/Customer/706405506930370084";
const orderGid = "gid://shopify/Order/820982911946154508";

function customerPayload(state: string, updatedAt: string) {
  return { ...samplePayload("customers/create"), state, updated_at: updatedAt, admin_graphql_api_id: customerGid };
}

const line = { id: 487817672276298554n, price: "0.00" };

function paidOrder(subtotal: string) {
  const order = samplePayload("orders/paid");
  return orderJson({
    lines: [{ ...line, price: subtotal }],
    customer: { ...(order.customer as object), admin_graphql_api_id: customerGid, state: "enabled" },
  });
}

function refund(refundId: string, amount: string) {
  // Shopify writes the order id as a bare 18-digit number; JSON.parse would round it to ...154500.
  return refundJson({ id: BigInt(refundId), orderId: 820982911946154508n, lines: [{ line, subtotal: amount }] });
}

async function customerRow(shop: string) {
  return await first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid))),
  );
}

async function entriesOf(shop: string) {
  return await db
    .select({ kind: ledgerEntries.kind, points: ledgerEntries.points, explanation: ledgerEntries.explanation })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.shop, shop))
    .orderBy(asc(ledgerEntries.id));
}

describe("customer webhooks keep Member/Guest status", () => {
  it("a customer with an account becomes a Member and gets the 100-point sign-up bonus once", async () => {
    const shop = await newShopDomain();
    const payload = customerPayload("enabled", "2026-11-01T10:00:00-05:00");
    expect((await deliver(customerCreate, "customers/create", shop, payload, "c-1")).status).toBe(200);
    expect((await deliver(customerCreate, "customers/create", shop, payload, "c-1")).status).toBe(200);
    expect((await deliver(customerUpdate, "customers/update", shop, payload, "c-2")).status).toBe(200);

    expect(await customerRow(shop)).toMatchObject({ status: "member", pointsBalance: 100, email: "bob@biller.com" });
    expect(await entriesOf(shop)).toEqual([
      { kind: "earn", points: 100, explanation: "+100: sign-up bonus for becoming a member" },
    ]);
  });

  it("Shopify's sample (state disabled) is a Guest with no bonus", async () => {
    const shop = await newShopDomain();
    await deliver(customerCreate, "customers/create", shop, samplePayload("customers/create"));
    expect(await first(db.select().from(customers).where(eq(customers.shop, shop)))).toMatchObject({
      status: "guest",
      pointsBalance: 0,
      customerGid,
    });
  });

  it("an older update arriving late never overwrites a newer one", async () => {
    const shop = await newShopDomain();
    await deliver(customerUpdate, "customers/update", shop, customerPayload("enabled", "2026-11-02T10:00:00Z"));
    await deliver(customerUpdate, "customers/update", shop, {
      ...customerPayload("disabled", "2026-11-01T10:00:00Z"),
      email: "old@example.com",
    });
    expect(await customerRow(shop)).toMatchObject({ status: "member", email: "bob@biller.com", pointsBalance: 100 });
  });
});

describe("order webhooks keep the points ledger", () => {
  it("orders/paid earns 1 point per 1.00 of the current subtotal, rounded down", async () => {
    const shop = await newShopDomain();
    await deliver(customerCreate, "customers/create", shop, customerPayload("enabled", "2026-11-01T10:00:00Z"));
    await deliver(orderPaid, "orders/paid", shop, paidOrder("120.99"), "o-1");
    await deliver(orderPaid, "orders/paid", shop, paidOrder("120.99"), "o-1");
    await deliver(orderPaid, "orders/paid", shop, paidOrder("120.99"), "o-2");

    expect(await customerRow(shop)).toMatchObject({ pointsBalance: 220, lifetimeEarned: 220 });
    expect((await entriesOf(shop)).at(-1)).toEqual({
      kind: "earn",
      points: 120,
      explanation: "+120: order #1042 paid, 120.99 USD at 1 point per 1.00 USD",
    });
  });

  it("credits the points Tally's program gave on Shopify's webhooks to Tally, and staff adjustments to the staff member", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    await deliver(customerCreate, "customers/create", shop, customerPayload("enabled", "2026-11-01T10:00:00Z"));
    await deliver(orderPaid, "orders/paid", shop, paidOrder("120.99"), "o-1");
    const customer = (await customerRow(shop))!;
    await adjustPoints({
      ctx: contextFor(shop, { actor: "staff:7", actorName: "Sam Owner" }),
      input: { customerId: customer.id, points: 5, reason: "Goodwill", requestId: "goodwill-1" },
    });
    const request = await sessionTokenRequest(shop, `/app/customers/${customer.id}`);
    const profile = await profileLoader({ request, params: { id: String(customer.id) }, context: {} });
    expect(
      profile.activity.rows.map((row) => [row.explanation.split(":")[0], activityActorLabel(row)]).reverse(),
    ).toEqual([
      ["+100", "Tally (points program)"],
      ["+120", "Tally (points program)"],
      ["+5", "Sam Owner"],
    ]);
  });

  it("a refund that arrives before orders/paid still ends right, keyed on the exact 18-digit order id", async () => {
    const shop = await newShopDomain();
    await deliver(customerCreate, "customers/create", shop, customerPayload("enabled", "2026-11-01T10:00:00Z"));
    await deliver(refundCreate, "refunds/create", shop, refund("1", "50.00"));
    await deliver(orderPaid, "orders/paid", shop, paidOrder("100.00"));

    const order = await db.select().from(orders).where(eq(orders.shop, shop));
    expect(order.map((row) => row.orderGid)).toEqual([orderGid]);
    expect(await customerRow(shop)).toMatchObject({ pointsBalance: 100 + 100 - 50, lifetimeEarned: 150 });
  });

  it("cancellation reverses what the order still holds, and never more than it earned", async () => {
    const shop = await newShopDomain();
    await deliver(customerCreate, "customers/create", shop, customerPayload("enabled", "2026-11-01T10:00:00Z"));
    await deliver(orderPaid, "orders/paid", shop, paidOrder("80.00"));
    await deliver(refundCreate, "refunds/create", shop, refund("2", "20.00"));
    const cancelled = { ...paidOrder("80.00"), cancelled_at: "2026-11-03T10:00:00Z", financial_status: "refunded" };
    await deliver(orderCancelled, "orders/cancelled", shop, cancelled);
    await deliver(orderCancelled, "orders/cancelled", shop, cancelled);

    expect(await customerRow(shop)).toMatchObject({ pointsBalance: 100, lifetimeEarned: 100 });
    // The refund payload names no customer; its explanation still speaks of the customer's real balance (no debt).
    expect((await entriesOf(shop))[2]?.explanation).toBe("−20: refund on order #1042 (25% of 80.00 USD)");
    expect((await entriesOf(shop)).map((entry) => [entry.kind, entry.points])).toEqual([
      ["earn", 100],
      ["earn", 80],
      ["reverse", -20],
      ["reverse", -60],
    ]);
  });

  it("a customer carrying an excluded tag earns nothing (the default program excludes none)", async () => {
    const shop = await newShopDomain();
    await deliver(customerCreate, "customers/create", shop, customerPayload("enabled", "2026-11-01T10:00:00Z"));
    await deliver(tagsAdded, "customer.tags_added", shop, {
      customerId: customerGid,
      tags: ["VIP"],
      occurredAt: "2026-11-01T11:00:00Z",
    });
    expect((await customerRow(shop))?.tags).toEqual(["VIP"]);
  });

  it("rejects an orders/paid payload without the order's gid, and records nothing", async () => {
    const shop = await newShopDomain();
    const { admin_graphql_api_id: _dropped, ...broken } = paidOrder("10.00");
    expect((await deliver(orderPaid, "orders/paid", shop, broken)).status).toBe(400);
    expect(await db.select().from(orders).where(eq(orders.shop, shop))).toHaveLength(0);
  });
});
