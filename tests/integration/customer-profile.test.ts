import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, ledgerEntries } from "~/db/schema";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { action as profileAction, loader as profileLoader } from "~/routes/app.customers_.$id";
import { action as redeem } from "~/routes/proxy.v1.redeem";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { actorLabel } from "~/components/labels";
import { contextFor, sessionStorage } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { appProxyRequest } from "../helpers/app-proxy";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { sessionTokenRequest, webhookRequest } from "../helpers/signed-requests";
import { samplePayload, shopifyJson } from "../helpers/shopify-samples";
import { orderJson } from "../factories/orders";
import { first } from "../helpers/db";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

type Args = LoaderFunctionArgs & ActionFunctionArgs;
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} }) as Args;

/** Whatever a loader or action threw or returned, as a Response when it was one. */
async function settle<T>(run: () => Promise<T>): Promise<T | Response> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function deliver(action: (args: Args) => Promise<Response>, topic: string, shop: string, body: unknown) {
  return await settle(() => action(args(webhookRequest({ topic, shop, body: shopifyJson(body) }))));
}

async function loadProfile(shop: string, customerId: number, query = "") {
  const request = await sessionTokenRequest(shop, `/app/customers/${customerId}${query}`);
  const result = await settle(() => profileLoader(args(request, { id: String(customerId) })));
  if (result instanceof Response) throw new Error(`the profile answered ${result.status}`);
  return result;
}

async function post(shop: string, customerId: number, fields: Record<string, string>) {
  const request = await sessionTokenRequest(shop, `/app/customers/${customerId}`, {
    method: "POST",
    body: new URLSearchParams(fields),
  });
  return await settle(() => profileAction(args(request, { id: String(customerId) })));
}

function paidOrder(customerGid: string, subtotal: string, currency = "USD") {
  const id = BigInt(`${Date.now()}${Math.floor(Math.random() * 1000)}`);
  return orderJson({
    id,
    name: "#9999",
    currency,
    lines: [{ id: id * 10n, price: subtotal }],
    customer: { admin_graphql_api_id: customerGid },
  });
}

async function tallyCustomer(shop: string, customerGid: string) {
  return (await first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid))),
  ))!;
}

const entriesOf = async (customerId: number) =>
  await db.select().from(ledgerEntries).where(eq(ledgerEntries.customerId, customerId));

/** A Member with a sign-up bonus, a paid order and a reward, all through Tally's own webhooks and storefront API. */
async function memberWhoRedeemed() {
  const shop = await newShopDomain();
  const sandbox = sandboxOf();
  sandbox.control.createShop({ shop });
  await installThroughAdmin(sandbox, shop);
  const created = sandbox.control.createCustomer({ shop, email: `m-${Date.now()}@example.com`, state: "ENABLED" });
  const numericId = String(created.id).replace(/\D/g, "");
  const customerGid = `gid://shopify/Customer/${numericId}`;
  const payload = { ...samplePayload("customers/create"), admin_graphql_api_id: customerGid, state: "enabled" };
  await deliver(customerCreate, "customers/create", shop, payload);
  // The sandbox shop's currency, which Tally read from Shopify at install.
  await deliver(orderPaid, "orders/paid", shop, { ...paidOrder(customerGid, "420.00", "CAD"), name: "#1001" });
  const proxied = await appProxyRequest({
    shop,
    customerId: numericId,
    path: "/v1/redeem",
    method: "POST",
    body: JSON.stringify({ optionId: "five-off" }),
  });
  const redeemed = await settle(() => redeem(args(proxied)));
  expect((redeemed as Response).status).toBe(200);
  return { shop, customer: await tallyCustomer(shop, customerGid), numericId };
}

/** A Member of a shop installed without the sandbox, for what needs no Admin API. */
async function memberOfNewShop(points = 40) {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  const [customer] = await insertCustomers(db, shop, [
    { status: "member", pointsBalance: points, lifetimeEarned: points },
  ]);
  return { shop, customer: customer! };
}

describe("customer profile", () => {
  it("shows the customer, their points, orders, rewards and activity newest first", async () => {
    const { shop, customer, numericId } = await memberWhoRedeemed();
    const profile = await loadProfile(shop, customer.id);

    expect(profile.customer).toMatchObject({
      id: customer.id,
      customerGid: `gid://shopify/Customer/${numericId}`,
      status: "member",
      blocked: false,
    });
    expect(profile.totals).toEqual({
      balance: 20,
      pending: 0,
      lifetimeEarned: 520,
      lifetimeRedeemed: 500,
      adjusted: 0,
      expired: 0,
    });
    expect(profile.activity.rows.map((row) => [row.kind, row.points])).toEqual([
      ["redeem", -500],
      ["earn", 420],
      ["earn", 100],
    ]);
    expect(profile.activity.nextCursor).toBeUndefined();
    // The storefront redemption is recorded under the customer's gid; the log names the customer instead.
    const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
    expect(name).not.toBe("");
    expect(profile.activity.rows[0]).toMatchObject({ actor: customer.customerGid, actorName: name });
    expect(profile.orders).toEqual([
      expect.objectContaining({ name: "#1001", subtotalMinor: 42_000, currency: "CAD", pointsEarned: 420 }),
    ]);
    // The default reward's title, which Tally wrote, names the currency on the profile (it read "5.00 off").
    expect(profile.rewards).toEqual([expect.objectContaining({ points: 500, status: "issued", title: "$5.00 off" })]);
    expect(profile.rewards[0]!.code).toMatch(/^TALLY-/);
    expect(profile.skips).toEqual([]);
  });

  it("filters the activity log to Earned or Redeemed; adjustments show only under All", async () => {
    const { shop, customer } = await memberWhoRedeemed();
    await post(shop, customer.id, { intent: "adjust", points: "15", reason: "Goodwill", requestId: "filter-1" });

    const earned = await loadProfile(shop, customer.id, "?tab=earned");
    expect(earned.activity.tab).toBe("earned");
    expect(earned.activity.rows.map((row) => [row.kind, row.points])).toEqual([
      ["earn", 420],
      ["earn", 100],
    ]);
    const redeemed = await loadProfile(shop, customer.id, "?tab=redeemed");
    expect(redeemed.activity.rows.map((row) => [row.kind, row.points])).toEqual([["redeem", -500]]);
    const all = await loadProfile(shop, customer.id);
    expect(all.activity.rows.map((row) => row.kind)).toEqual(["adjust", "redeem", "earn", "earn"]);
  });

  it("pages the activity log 50 entries at a time without repeating one", async () => {
    const { shop, customer } = await memberOfNewShop();
    const ctx = contextFor(shop, "staff:1");
    for (let i = 1; i <= 51; i += 1) {
      await adjustPoints({
        ctx,
        input: { customerId: customer.id, points: i, reason: `Entry ${i}`, requestId: `page-${i}` },
      });
    }

    const first = await loadProfile(shop, customer.id);
    expect(first.activity.rows).toHaveLength(50);
    expect(first.activity.rows[0]!.points).toBe(51);
    const second = await loadProfile(shop, customer.id, `?cursor=${first.activity.nextCursor}`);
    expect(second.activity.rows.map((row) => row.points)).toEqual([1]);
    expect(second.activity.nextCursor).toBeUndefined();
    expect(second.activity.cursor).toBe(first.activity.nextCursor);
  });

  it("adjusts points with a reason, under the staff member who did it", async () => {
    const { shop, customer } = await memberOfNewShop(40);
    const result = await post(shop, customer.id, {
      intent: "adjust",
      points: "-55",
      reason: "Returned the gift",
      requestId: "adjust-1",
      allowDebt: "true",
    });

    expect(result).toEqual({ ok: true, intent: "adjust", applied: true, requestId: "adjust-1" });
    const profile = await loadProfile(shop, customer.id);
    expect(profile.totals.balance).toBe(-15);
    expect(profile.activity.rows).toEqual([
      expect.objectContaining({
        kind: "adjust",
        points: -55,
        explanation: "\u221255: adjusted by staff (Returned the gift); balance now \u221215, repaid from future points",
        actor: "staff:12345",
        // As token exchange named the staff member in the online session, stored with the entry.
        actorName: "Alex Morgan",
      }),
    ]);
  });

  it("names an erased customer's redemption no more, and keeps staff names after the session is gone", async () => {
    const { shop, customer } = await memberWhoRedeemed();
    await post(shop, customer.id, { intent: "adjust", points: "5", reason: "Sorry", requestId: "named-1" });
    // Shopify's redaction erases the name; Tally's log then says "the customer", not a gid.
    await db.update(customers).set({ firstName: null, lastName: null }).where(eq(customers.id, customer.id));
    await sessionStorage.deleteSessions(
      (await sessionStorage.findSessionsByShop(shop)).filter((s) => s.isOnline).map((s) => s.id),
    );
    await installOfflineSession(shop, undefined, null);

    const rows = (await loadProfile(shop, customer.id)).activity.rows;
    expect(rows.map((row) => actorLabel(row.actor, row.actorName))).toEqual([
      // The name the sandbox's token exchange gave with the online session, kept with the entry.
      "Sam Owner",
      "The customer",
      "Shopify",
      "Shopify",
    ]);
  });

  it("answers a blank reason or a fractional amount with field errors, and writes nothing", async () => {
    const { shop, customer } = await memberOfNewShop(40);

    const blank = await post(shop, customer.id, { intent: "adjust", points: "10", reason: "  ", requestId: "bad-1" });
    expect(blank).toBeInstanceOf(Response);
    expect((blank as Response).status).toBe(400);
    expect(await (blank as Response).json()).toMatchObject({
      code: "invalid_input",
      fieldErrors: { reason: [expect.any(String)] },
    });

    const fraction = await post(shop, customer.id, {
      intent: "adjust",
      points: "2.5",
      reason: "x",
      requestId: "bad-2",
    });
    expect((fraction as Response).status).toBe(400);
    expect(await (fraction as Response).json()).toMatchObject({ fieldErrors: { points: [expect.any(String)] } });

    const zero = await post(shop, customer.id, { intent: "adjust", points: "0", reason: "x", requestId: "bad-3" });
    expect(await (zero as Response).json()).toMatchObject({ fieldErrors: { points: [expect.any(String)] } });

    expect(await entriesOf(customer.id)).toEqual([]);
    expect((await loadProfile(shop, customer.id)).totals.balance).toBe(40);
  });

  it("treats a resubmitted request id as the one adjustment it already is", async () => {
    const { shop, customer } = await memberOfNewShop(40);
    const fields = { intent: "adjust", points: "10", reason: "Birthday", requestId: "double-click" };

    expect(await post(shop, customer.id, fields)).toMatchObject({ applied: true });
    expect(await post(shop, customer.id, fields)).toMatchObject({ ok: true, applied: false });

    expect(await entriesOf(customer.id)).toHaveLength(1);
    expect((await loadProfile(shop, customer.id)).totals.balance).toBe(50);
  });

  it("blocks a customer, whose next order then shows under Points not earned, and unblocks them", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const customerGid = `gid://shopify/Customer/${Date.now()}`;
    const payload = { ...samplePayload("customers/create"), admin_graphql_api_id: customerGid, state: "enabled" };
    await deliver(customerCreate, "customers/create", shop, payload);
    const customer = await tallyCustomer(shop, customerGid);

    expect(await post(shop, customer.id, { intent: "block" })).toEqual({ ok: true, intent: "block" });
    expect((await loadProfile(shop, customer.id)).customer.blocked).toBe(true);

    await deliver(orderPaid, "orders/paid", shop, paidOrder(customerGid, "80.00"));
    const blocked = await loadProfile(shop, customer.id);
    expect(blocked.totals.balance).toBe(100);
    expect(blocked.skips).toEqual([expect.objectContaining({ reason: "blocked", wouldHaveEarned: 80 })]);
    expect(blocked.orders).toEqual([expect.objectContaining({ pointsEarned: 0, skippedReason: "blocked" })]);

    expect(await post(shop, customer.id, { intent: "unblock" })).toEqual({ ok: true, intent: "unblock" });
    expect((await loadProfile(shop, customer.id)).customer.blocked).toBe(false);
  });

  it("answers 404 for another shop's customer or an unknown id, and changes nothing of theirs", async () => {
    const { customer: theirs } = await memberOfNewShop(5);
    const shop = await newShopDomain();
    await installOfflineSession(shop);

    for (const id of [theirs.id, 999_999_999]) {
      const request = await sessionTokenRequest(shop, `/app/customers/${id}`);
      const answer = await settle(() => profileLoader(args(request, { id: String(id) })));
      expect(answer).toBeInstanceOf(Response);
      expect((answer as Response).status).toBe(404);
    }

    const adjust = await post(shop, theirs.id, { intent: "adjust", points: "1000", reason: "Free", requestId: "x-1" });
    expect((adjust as Response).status).toBe(404);
    expect(((await post(shop, theirs.id, { intent: "block" })) as Response).status).toBe(404);
    expect(await entriesOf(theirs.id)).toEqual([]);
    expect(await first(db.select().from(customers).where(eq(customers.id, theirs.id)))).toMatchObject({
      pointsBalance: 5,
      blocked: false,
    });
  });

  it("answers 404 to a path naming no customer, as to another shop's, and 400 to a cursor that is not a number", async () => {
    const { shop, customer } = await memberOfNewShop();
    for (const id of ["abc", "0", "1.5", "9".repeat(16)]) {
      const request = await sessionTokenRequest(shop, `/app/customers/${id}`);
      expect(((await settle(() => profileLoader(args(request, { id })))) as Response).status, id).toBe(404);
    }
    const cursor = await sessionTokenRequest(shop, `/app/customers/${customer.id}?cursor=soon`);
    expect(((await settle(() => profileLoader(args(cursor, { id: String(customer.id) })))) as Response).status).toBe(
      400,
    );
  });
});
