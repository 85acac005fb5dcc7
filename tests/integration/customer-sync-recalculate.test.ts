import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, customers, ledgerEntries } from "~/db/schema";
import { runShopJobs } from "~/jobs/scheduler.server";
import { action as profileAction, loader as profileLoader } from "~/routes/app.customers_.$id";
import { loader as homeLoader } from "~/routes/app._index";
import type { CustomerActionData } from "~/routes/app.customers_.$id";
import { contextFor, unauthenticated } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
// The in-process sandbox's webhooks reach no app: every change made in Shopify below is one Tally missed.
const sandboxOf = useSandbox();

type Args = LoaderFunctionArgs & ActionFunctionArgs;
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} }) as Args;

async function post(shop: string, customerId: number, fields: Record<string, string>) {
  const request = await sessionTokenRequest(shop, `/app/customers/${customerId}`, {
    method: "POST",
    body: new URLSearchParams(fields),
  });
  const answer = await profileAction(args(request, { id: String(customerId) }));
  return (answer instanceof Response ? { status: answer.status, ...(await answer.json()) } : answer) as
    | (CustomerActionData & { status?: number })
    | { status: number; error: string; code: string; fieldErrors?: Record<string, string[]> };
}

async function customerByEmail(shop: string, email: string) {
  return (await first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, email))),
  ))!;
}

const auditOf = (customerId: number) =>
  db.select().from(auditEvents).where(eq(auditEvents.customerId, customerId)).orderBy(auditEvents.id);

async function customerById(id: number) {
  return (await first(db.select().from(customers).where(eq(customers.id, id))))!;
}

/** A shop installed with one customer Tally knows from the install sync; nothing after it reaches Tally. */
async function shopWithKnownCustomer(email: string) {
  const shop = await newShopDomain();
  const { control } = sandboxOf();
  control.createShop({ shop });
  const buyer = control.createCustomerAccount({ shop, email });
  await control.idle();
  await installThroughAdmin(sandboxOf(), shop);
  await runShopJobs(shop, { force: true });
  return { shop, buyer, customer: await customerByEmail(shop, email) };
}

describe("Sync customer", () => {
  it("applies what Shopify has now and says what changed: the new email and the order Tally missed", async () => {
    const { shop, buyer, customer } = await shopWithKnownCustomer("before@example.com");
    const { control } = sandboxOf();
    control.placeOrder({ shop, customerId: String(buyer.id) });
    const { admin } = await unauthenticated.admin(shop);
    await admin.graphql(
      `mutation { customerUpdate(input: { id: "${customer.customerGid}", email: "after@example.com" }) { userErrors { message } } }`,
    );
    await control.idle();

    const answer = await post(shop, customer.id, { intent: "sync" });

    expect(answer).toMatchObject({ ok: true, intent: "sync" });
    const { changes } = (answer as Extract<CustomerActionData, { intent: "sync" }>).result;
    expect(changes[0]).toBe("email updated");
    expect(changes[1]).toBe("1 order found that was missed");
    expect(changes[2]).toMatch(/^\+\d+ points$/);
    const after = await customerById(customer.id);
    expect(after.email).toBe("after@example.com");
    expect(after.pointsBalance).toBe(customer.pointsBalance + Number(changes[2]!.replace(/\D/g, "")));
    expect(await auditOf(customer.id)).toMatchObject([
      {
        action: "customer.sync",
        actorName: "Sam Owner",
        before: { email: "before@example.com", balance: customer.pointsBalance },
        after: { email: "after@example.com", balance: after.pointsBalance, changes },
      },
    ]);

    // Synced again, nothing is new and nothing is counted twice.
    const again = await post(shop, customer.id, { intent: "sync" });
    expect((again as Extract<CustomerActionData, { intent: "sync" }>).result.changes).toEqual([]);
    expect((await customerById(customer.id)).pointsBalance).toBe(after.pointsBalance);
  });

  it("finds a missed refund as well, and says the customer no longer exists when Shopify deleted them", async () => {
    const { shop, buyer, customer } = await shopWithKnownCustomer("refunded@example.com");
    const { control } = sandboxOf();
    const order = control.placeOrder({ shop, customerId: String(buyer.id) });
    await control.idle();
    await post(shop, customer.id, { intent: "sync" });
    control.refund({ shop, orderId: order.id });
    await control.idle();

    const answer = await post(shop, customer.id, { intent: "sync" });
    const { changes } = (answer as Extract<CustomerActionData, { intent: "sync" }>).result;
    expect(changes[0]).toBe("1 refund found that was missed");
    expect(changes[1]).toMatch(/^−\d+ points$/);

    const guest = await shopWithKnownCustomer("gone@example.com");
    control.deleteCustomer({ shop: guest.shop, customerId: String(guest.buyer.id) });
    const gone = await post(guest.shop, guest.customer.id, { intent: "sync" });
    expect((gone as Extract<CustomerActionData, { intent: "sync" }>).result).toMatchObject({
      found: false,
      changes: ["Shopify no longer has this customer"],
    });
  });
});

describe("the Orders card", () => {
  it("shows each order's purchase and shipped dates, total, payment, points, and its page in Shopify admin", async () => {
    const { shop, buyer, customer } = await shopWithKnownCustomer("orders-card@example.com");
    const { control } = sandboxOf();
    const shipped = control.placeOrder({ shop, customerId: String(buyer.id) });
    control.fulfil({ shop, orderId: shipped.id });
    const waiting = control.placeOrder({
      shop,
      customerId: String(buyer.id),
      lines: [{ productIndex: 2, quantity: 2 }],
    });
    await control.idle();
    await post(shop, customer.id, { intent: "sync" });

    const request = await sessionTokenRequest(shop, `/app/customers/${customer.id}`);
    const profile = await profileLoader(args(request, { id: String(customer.id) }));
    const byGid = new Map(profile.orders.map((order) => [order.orderGid.split("/").pop(), order]));
    const first = byGid.get(String(shipped.id).replace(/\D/g, ""))!;
    const second = byGid.get(String(waiting.id).replace(/\D/g, ""))!;
    expect(first).toMatchObject({ name: "#1001", financialStatus: "paid", fulfillmentStatus: "fulfilled" });
    expect(first.shippedAt).toEqual(expect.any(String));
    expect(first.processedAt).toEqual(expect.any(String));
    expect(first.totalMinor).toBe(shipped.totalCents);
    expect(first.pointsEarned).toBeGreaterThan(0);
    expect(second).toMatchObject({ shippedAt: null, fulfillmentStatus: "unfulfilled", totalMinor: waiting.totalCents });
  });
});

describe("Recalculate points from orders", () => {
  it("shows a missed refund entry by entry, changes nothing until staff apply it, then corrects it once", async () => {
    const { shop, buyer, customer } = await shopWithKnownCustomer("recalc@example.com");
    const { control } = sandboxOf();
    const order = control.placeOrder({ shop, customerId: String(buyer.id) });
    await control.idle();
    await post(shop, customer.id, { intent: "sync" });
    const earned = await customerById(customer.id);
    // Half the order's money back, and Tally never hears of it.
    control.refund({ shop, orderId: order.id, amountCents: Math.floor(order.totalCents / 2) });
    await control.idle();

    const preview = (await post(shop, customer.id, { intent: "recalculate" })) as Extract<
      CustomerActionData,
      { intent: "recalculate" }
    >;
    expect(preview.recalculation.orders).toHaveLength(1);
    const [differing] = preview.recalculation.orders;
    const missed = differing!.lines.filter((line) => line.recorded === null);
    expect(missed).toHaveLength(1);
    expect(missed[0]!.key).toMatch(/^reverse:refund:/);
    expect(missed[0]!.expected).toBeLessThan(0);
    expect(missed[0]!.explanation).toMatch(/refund/i);
    // The earn entry agrees with the ledger: shown beside it, no difference.
    expect(differing!.lines.find((line) => line.key.startsWith("earn:order:"))).toMatchObject({
      expected: expect.any(Number),
    });
    expect(differing!.difference).toBe(missed[0]!.expected);
    expect((await customerById(customer.id)).pointsBalance).toBe(earned.pointsBalance);

    // A fingerprint of another difference (staff looked at an older preview) applies nothing.
    const stale = await post(shop, customer.id, { intent: "apply-recalculation", fingerprint: "0000000000000000" });
    expect(stale).toMatchObject({ status: 409, code: "conflict" });
    expect((await customerById(customer.id)).pointsBalance).toBe(earned.pointsBalance);

    const applied = await post(shop, customer.id, {
      intent: "apply-recalculation",
      fingerprint: preview.recalculation.fingerprint,
    });
    expect(applied).toMatchObject({ ok: true, result: { corrected: 1, points: differing!.difference } });
    const after = await customerById(customer.id);
    expect(after.pointsBalance).toBe(earned.pointsBalance + differing!.difference);
    expect((await auditOf(customer.id)).filter((row) => row.action === "points.recalculate")).toMatchObject([
      {
        actorName: "Sam Owner",
        before: { balance: earned.pointsBalance },
        after: { balance: after.pointsBalance, orders: [{ order: "#1001", difference: differing!.difference }] },
      },
    ]);
    const reversal = await first(
      db
        .select()
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.customerId, customer.id), eq(ledgerEntries.idempotencyKey, missed[0]!.key))),
    );
    expect(reversal?.explanation).toMatch(/refund/i);

    const agreed = (await post(shop, customer.id, { intent: "recalculate" })) as Extract<
      CustomerActionData,
      { intent: "recalculate" }
    >;
    expect(agreed.recalculation.orders).toEqual([]);
    // The webhook Tally missed, arriving late through reconciliation, takes nothing more.
    await runShopJobs(shop, { force: true });
    expect((await customerById(customer.id)).pointsBalance).toBe(after.pointsBalance);
  });
});

describe("Adjust points into a debt", () => {
  it("warns before a change leaves a negative balance and makes it only when staff confirm", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const [customer] = await insertCustomers(db, shop, [{ status: "member", pointsBalance: 343, lifetimeEarned: 343 }]);
    const fields = { intent: "adjust", points: "-2000", reason: "Chargeback", requestId: "debt-1" };

    const warned = await post(shop, customer!.id, fields);
    expect(warned).toMatchObject({
      status: 409,
      fieldErrors: { points: ["Leaves −1,657: the customer will owe points"] },
    });
    expect((await customerById(customer!.id)).pointsBalance).toBe(343);

    expect(await post(shop, customer!.id, { ...fields, allowDebt: "true" })).toMatchObject({ ok: true, applied: true });
    expect((await customerById(customer!.id)).pointsBalance).toBe(-1657);
    // Taking points from a customer who already owes still asks; adding to it never does.
    expect(await post(shop, customer!.id, { ...fields, points: "-1", requestId: "debt-2" })).toMatchObject({
      status: 409,
    });
    expect(await post(shop, customer!.id, { ...fields, points: "+7", requestId: "debt-3" })).toMatchObject({
      ok: true,
    });
  });

  it("Home counts points outstanding without the debts, and shows the debts apart", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    await insertCustomers(db, shop, [
      { status: "member", pointsBalance: 500 },
      { status: "member", pointsBalance: -1657 },
      { status: "guest", pointsBalance: -3 },
    ]);
    const request = await sessionTokenRequest(shop, "/app");
    expect(await homeLoader({ request, params: {}, context: {} })).toMatchObject({
      pointsOutstanding: 500,
      pointsOwed: 1660,
      customersOwing: 2,
    });
  });
});
