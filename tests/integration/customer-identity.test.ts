import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, asc, eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { customers, ledgerEntries } from "~/db/schema";
import { loader as profile } from "~/routes/app.customers_.$id";
import { loader as me } from "~/routes/proxy.v1.me";
import { action as redeem } from "~/routes/proxy.v1.redeem";
import { action as tagsAdded } from "~/routes/webhooks.customer.tags_added";
import { action as tagsRemoved } from "~/routes/webhooks.customer.tags_removed";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as customerDelete } from "~/routes/webhooks.customers.delete";
import { action as customerDisable } from "~/routes/webhooks.customers.disable";
import { action as customerEnable } from "~/routes/webhooks.customers.enable";
import { action as customerMerge } from "~/routes/webhooks.customers.merge";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { action as shopUpdate } from "~/routes/webhooks.shop.update";
import { listCustomers } from "~/services/customers/list-customers.server";
import { recalculateTotals } from "~/services/ledger/recalculate.server";
import { saveProgram } from "~/services/program/save-program.server";
import { recordInstall } from "~/services/shops/record-install.server";
import { emptyCustomerQuery } from "~/domain/customers";
import { defaultSettings } from "~/domain/program";
import { contextFor } from "~/shopify.server";
import type { Delivery } from "../sandbox/webhooks";
import { newShopDomain } from "../factories/shops";
import { appProxyRequest } from "../helpers/app-proxy";
import { installedSandboxShop, useSandbox } from "../helpers/in-process-sandbox";
import { sessionTokenRequest, webhookRequest } from "../helpers/signed-requests";
import { orderMoney } from "../factories/orders";
import { samplePayload, shopifyJson } from "../helpers/shopify-samples";
import { first } from "../helpers/db";
import { answerOf } from "../helpers/route-answers";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

type Handler = (args: ActionFunctionArgs) => Promise<Response>;
const actions: Record<string, Handler> = {
  "customers/create": customerCreate,
  "customers/update": customerUpdate,
  "customers/enable": customerEnable,
  "customers/disable": customerDisable,
  "customers/delete": customerDelete,
  "customers/merge": customerMerge,
  "customer.tags_added": tagsAdded,
  "customer.tags_removed": tagsRemoved,
  "orders/paid": orderPaid,
  "refunds/create": refundCreate,
  "shop/update": shopUpdate,
};

const args = (request: Request) => ({ request, params: {}, context: {} }) as LoaderFunctionArgs & ActionFunctionArgs;

/** Hands Tally a webhook exactly as Shopify sent it (body, ids, trigger time), signed with the app's secret. */
async function deliver(
  shop: string,
  delivery: Pick<Delivery, "topic" | "body" | "webhookId" | "eventId" | "triggeredAt">,
) {
  const action = actions[delivery.topic];
  if (!action) return;
  const response = await answerOf(() => action(args(webhookRequest({ shop, ...delivery }))));
  expect(response.status, `${delivery.topic}: ${await response.clone().text()}`).toBe(200);
}

/** What the sandbox sent for the shop since `from` (an index into its deliveries). */
const sentSince = (shop: string, from: number) => sandboxOf().control.deliveries({ shop }).slice(from);
const sentCount = (shop: string) => sandboxOf().control.deliveries({ shop }).length;

const installedShop = (currency = "CAD") => installedSandboxShop(sandboxOf(), { currency });

async function excludeTags(shop: string, tags: string[]) {
  await saveProgram({ ctx: contextFor(shop, "staff"), input: { ...defaultSettings("CAD"), excludedTags: tags } });
}

const numeric = (id: string) => id.replace(/\D/g, "");
const gidOf = (id: string) => `gid://shopify/Customer/${numeric(id)}`;

async function rowOf(shop: string, customerGid: string) {
  return (await first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid))),
  ))!;
}

async function entriesOf(shop: string, customerId: number) {
  return await db
    .select({ kind: ledgerEntries.kind, points: ledgerEntries.points, explanation: ledgerEntries.explanation })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.customerId, customerId)))
    .orderBy(asc(ledgerEntries.id));
}

async function storefrontPoints(shop: string, customerId: string) {
  const response = await answerOf(async () =>
    me(args(await appProxyRequest({ shop, customerId: numeric(customerId), path: "/v1/me" }))),
  );
  return (await response.json()) as {
    customer: { points: number; lifetimeEarned: number; lifetimeRedeemed: number };
    rewards: Array<{ code: string }>;
  };
}

async function profileOf(shop: string, customerId: number) {
  const request = await sessionTokenRequest(shop, `/app/customers/${customerId}`);
  return profile({ request, params: { id: String(customerId) }, context: {} });
}

describe("customers/merge", () => {
  /**
   * A (sign-up 100 + order of 700.00 − a 500-point reward = 300) is merged into B (sign-up 100), then A is deleted.
   * `arrange` puts the deliveries the merge caused in the order under test.
   */
  async function mergeScenario(arrange: (merge: Delivery[]) => Delivery[]) {
    const shop = await installedShop();
    const sandbox = sandboxOf().control;
    const a = sandbox.createCustomer({ shop, email: "ana@example.com", firstName: "Ana", state: "ENABLED" });
    const b = sandbox.createCustomer({ shop, email: "ben@example.com", firstName: "Ben", state: "ENABLED" });
    const order = sandbox.placeOrder({ shop, customerId: a.id, lines: [{ productIndex: 2, quantity: 20 }] });
    for (const delivery of sentSince(shop, 0)) await deliver(shop, delivery);
    const redeemed = await answerOf(async () =>
      redeem(
        args(
          await appProxyRequest({
            shop,
            customerId: a.id,
            path: "/v1/redeem",
            method: "POST",
            body: '{"optionId":"five-off"}',
          }),
        ),
      ),
    );
    expect(redeemed.status).toBe(200);
    expect((await storefrontPoints(shop, a.id)).customer.points).toBe(300);

    const before = sentCount(shop);
    sandbox.mergeCustomers({ shop, keptId: b.id, mergedId: a.id });
    const merge = sentSince(shop, before);
    expect(merge.map((d) => d.topic)).toEqual(expect.arrayContaining(["customers/merge", "customers/delete"]));
    for (const delivery of arrange(merge)) await deliver(shop, delivery);
    return { shop, a: await rowOf(shop, gidOf(a.id)), b: await rowOf(shop, gidOf(b.id)), aId: a.id, bId: b.id, order };
  }

  it("carries A's 300 points, history and reward to B (400), and leaves A at 0 saying where they went", async () => {
    const { shop, a, b, bId } = await mergeScenario((merge) => merge);

    const kept = await storefrontPoints(shop, bId);
    expect(kept.customer).toMatchObject({ points: 400, lifetimeEarned: 900, lifetimeRedeemed: 500 });
    expect(kept.rewards).toHaveLength(1);

    expect(a).toMatchObject({ pointsBalance: 0, pointsPending: 0, lifetimeEarned: 0, lifetimeRedeemed: 0 });
    expect(a.mergedIntoId).toBe(b.id);
    expect(a.deletedAt).not.toBeNull();
    const moved = (await entriesOf(shop, b.id)).filter((entry) => entry.kind === "move_in");
    expect(moved.map((entry) => [entry.points, entry.explanation])).toEqual([
      [100, "Moved from a merged customer (ana@example.com): +100: sign-up bonus for becoming a member"],
      [
        700,
        "Moved from a merged customer (ana@example.com): +700: order #1001 paid, 700.00 CAD at 1 point per 1.00 CAD",
      ],
      [-500, expect.stringMatching(/^Moved from a merged customer \(ana@example\.com\): −500: redeemed for/)],
    ]);
    expect((await entriesOf(shop, a.id)).filter((entry) => entry.kind === "move_out")).toHaveLength(3);

    const merged = await profileOf(shop, a.id);
    expect(merged.customer.mergedInto).toMatchObject({ id: b.id, label: "ben@example.com" });
    expect(merged.totals).toEqual({
      balance: 0,
      pending: 0,
      lifetimeEarned: 0,
      lifetimeRedeemed: 0,
      adjusted: 0,
      expired: 0,
    });
    expect(merged.activity.rows[0]?.explanation).toMatch(/^Moved to ben@example\.com, the customer Shopify merged/);
    const survivor = await profileOf(shop, b.id);
    expect(survivor.totals.balance).toBe(400);
    expect(survivor.customer.mergedFrom).toBe(1);
    // A's order and reward are on B's profile; B's Earned tab shows A's earnings moved in.
    expect(survivor.orders.map((order) => order.name)).toEqual(["#1001"]);
    expect(survivor.rewards).toHaveLength(1);
    const directory = await listCustomers({
      ctx: contextFor(shop, "staff"),
      input: { query: emptyCustomerQuery, limit: 10 },
    });
    // Shopify deleted A when it merged them (customers/delete): like Shopify's list, the directory lists only B now
    // (decision 036); A's profile above still opens and says where the points went.
    expect(directory.customers.find((row) => row.id === a.id)).toBeUndefined();
    expect(directory.customers.find((row) => row.id === b.id)).toMatchObject({ pointsBalance: 400 });
    expect(await recalculateTotals({ ctx: contextFor(shop, "test"), input: { repair: false } })).toEqual([]);
  });

  it("ends the same when customers/delete arrives first, and when everything is delivered twice", async () => {
    const reversed = await mergeScenario((merge) => [...merge].reverse());
    const twice = await mergeScenario((merge) => [
      ...merge,
      ...merge,
      // The same event again under new delivery ids (a second subscription, a resend).
      ...merge.map((delivery) => ({ ...delivery, webhookId: `${delivery.webhookId}-again` })),
    ]);
    for (const run of [reversed, twice]) {
      expect((await storefrontPoints(run.shop, run.bId)).customer.points).toBe(400);
      expect((await rowOf(run.shop, gidOf(run.aId))).pointsBalance).toBe(0);
      expect((await entriesOf(run.shop, run.b.id)).filter((entry) => entry.kind === "move_in")).toHaveLength(3);
      expect(await recalculateTotals({ ctx: contextFor(run.shop, "test"), input: { repair: false } })).toEqual([]);
    }
  });

  it("follows what A's order gives back after the merge to B, and leaves A at 0", async () => {
    const { shop, a, bId, order } = await mergeScenario((merge) => merge);
    const before = sentCount(shop);
    sandboxOf().control.refund({ shop, orderId: order.id, lines: [{ lineItemId: order.lines[0]!.id, quantity: 2 }] });
    for (const delivery of sentSince(shop, before)) await deliver(shop, delivery);
    // Two of the twenty beanies (70.00 of the 700.00 earning base) refunded: 70 points, taken from B where they went.
    expect((await storefrontPoints(shop, bId)).customer.points).toBe(330);
    expect((await rowOf(shop, a.customerGid)).pointsBalance).toBe(0);
    expect(await recalculateTotals({ ctx: contextFor(shop, "test"), input: { repair: false } })).toEqual([]);
  });
});

describe("exclusion tags known at creation", () => {
  async function taggedCustomerPays(arrange: (sent: Delivery[]) => Delivery[]) {
    const shop = await installedShop();
    await excludeTags(shop, ["wholesale"]);
    const sandbox = sandboxOf().control;
    const customer = sandbox.createCustomer({ shop, email: "b2b@example.com", state: "ENABLED", tags: ["wholesale"] });
    // 2 × socks and 2 × mugs: 80.00.
    sandbox.placeOrder({
      shop,
      customerId: customer.id,
      lines: [
        { productIndex: 5, quantity: 2 },
        { productIndex: 3, quantity: 2 },
      ],
    });
    const sent = sentSince(shop, 0);
    expect(sent.map((d) => d.topic)).toContain("customer.tags_added");
    for (const delivery of arrange(sent)) await deliver(shop, delivery);
    return { shop, row: await rowOf(shop, gidOf(customer.id)) };
  }

  it("a customer created already tagged wholesale who pays 80.00 earns nothing, not even the sign-up bonus", async () => {
    const { shop, row } = await taggedCustomerPays((sent) => sent);
    expect(row).toMatchObject({ pointsBalance: 0, lifetimeEarned: 0, tags: ["wholesale"] });
    // Since 2025-01 the tag reaches apps as customer.tags_added after customers/create: the bonus paid on the
    // create is taken back when the tag arrives, and the order, paid with the tag known, earns nothing.
    expect(await entriesOf(shop, row.id)).toEqual([
      { kind: "earn", points: 100, explanation: "+100: sign-up bonus for becoming a member" },
      {
        kind: "correct",
        points: -100,
        explanation:
          '−100: sign-up bonus taken back: the customer already had the excluded tag "wholesale" when they became ' +
          "a member (Shopify told Tally later)",
      },
    ]);
    const view = await profileOf(shop, row.id);
    expect(view.orders[0]).toMatchObject({ pointsEarned: 0, skippedReason: "excluded_tag" });
    expect(view.skips.map((skip) => skip.wouldHaveEarned).sort()).toEqual([100, 80]);
  });

  it("the order arriving before the customer's webhooks is taken back, with the reason", async () => {
    const { shop, row } = await taggedCustomerPays((sent) => [...sent].reverse());
    expect(row).toMatchObject({ pointsBalance: 0, lifetimeEarned: 0 });
    const orderLines = (await entriesOf(shop, row.id)).filter((entry) => entry.explanation.includes("order #1001"));
    expect(orderLines).toEqual([
      { kind: "earn", points: 80, explanation: "+80: order #1001 paid, 80.00 CAD at 1 point per 1.00 CAD" },
      {
        kind: "correct",
        points: -80,
        explanation:
          '−80: taken back from order #1001: the customer already had the excluded tag "wholesale" when it was ' +
          "paid (Shopify told Tally later)",
      },
    ]);
  });

  it("reads `tags` from a customers/create payload that carries them (a comma-separated string)", async () => {
    const shop = await installedShop();
    await excludeTags(shop, ["wholesale"]);
    const customerGid = "gid://shopify/Customer/706405506930370084";
    await deliver(shop, {
      topic: "customers/create",
      body: shopifyJson({
        ...samplePayload("customers/create"),
        state: "enabled",
        tags: "VIP, Wholesale",
        updated_at: "2026-11-01T10:00:00-05:00",
      }),
      webhookId: crypto.randomUUID(),
      eventId: crypto.randomUUID(),
      triggeredAt: "2026-11-01T15:00:00Z",
    });
    await deliver(shop, {
      topic: "orders/paid",
      body: shopifyJson({
        ...samplePayload("orders/paid"),
        ...orderMoney("80.00", "CAD"),
        processed_at: "2026-11-01T11:00:00-05:00",
        refunds: [],
        cancelled_at: null,
        customer: { admin_graphql_api_id: customerGid, updated_at: null, state: "enabled" },
      }),
      webhookId: crypto.randomUUID(),
      eventId: crypto.randomUUID(),
      triggeredAt: "2026-11-01T16:00:00Z",
    });
    const row = await rowOf(shop, customerGid);
    expect(row).toMatchObject({ pointsBalance: 0, tags: ["VIP", "Wholesale"], status: "member" });
    // Known from the customer's own payload: no sign-up bonus and no order points are ever written.
    expect(await entriesOf(shop, row.id)).toEqual([]);
  });
});

describe("facts without a date of their own", () => {
  it("an order's embedded customer (updated_at null) never overwrites the dated customer", async () => {
    const shop = await installedShop();
    const customerGid = "gid://shopify/Customer/706405506930370084";
    const dated = {
      ...samplePayload("customers/create"),
      state: "enabled",
      email: "dated@example.com",
      updated_at: "2026-11-01T10:00:00Z",
    };
    const ids = () => ({ webhookId: crypto.randomUUID(), eventId: crypto.randomUUID() });
    // The undated word arrives with a later delivery time than the dated one, and then again before it in a new shop.
    for (const order of ["dated first", "undated first"]) {
      const target = order === "dated first" ? shop : await installedShop();
      const create = {
        topic: "customers/create",
        body: shopifyJson(dated),
        ...ids(),
        triggeredAt: "2026-11-01T10:00:01Z",
      };
      const paid = {
        topic: "orders/paid",
        body: shopifyJson({
          ...samplePayload("orders/paid"),
          ...orderMoney("10.00", "CAD"),
          refunds: [],
          cancelled_at: null,
          // Shopify's own sample: the embedded customer has no updated_at and says "disabled".
          customer: { ...(samplePayload("orders/paid").customer as object), admin_graphql_api_id: customerGid },
        }),
        ...ids(),
        triggeredAt: "2026-11-02T10:00:00Z",
      };
      const undatedUpdate = {
        topic: "customers/update",
        body: shopifyJson({ ...dated, state: "disabled", email: "undated@example.com", updated_at: null }),
        ...ids(),
        triggeredAt: "2026-11-03T10:00:00Z",
      };
      const sequence = order === "dated first" ? [create, paid, undatedUpdate] : [paid, undatedUpdate, create];
      for (const delivery of sequence) await deliver(target, delivery);
      expect(await rowOf(target, customerGid), order).toMatchObject({
        status: "member",
        shopifyState: "ENABLED",
        email: "dated@example.com",
        pointsBalance: 110,
      });
    }
  });
});

/*
 * The kind, through signed webhooks: one customer's facts (created, enabled, tagged, untagged, email changed, deleted
 * and a stale create arriving again) and one order, delivered in sampled arrival orders, each to a fresh shop. The
 * ledger must end as if the facts had been known from the start.
 */
describe("customer facts through webhooks, in any arrival order", () => {
  const customerGid = "gid://shopify/Customer/706405506930370084";
  const customer = (fields: Record<string, unknown>) =>
    shopifyJson({ ...samplePayload("customers/create"), admin_graphql_api_id: customerGid, ...fields });
  const tags = (topic: "customer.tags_added" | "customer.tags_removed", occurredAt: string) =>
    shopifyJson({ customerId: customerGid, tags: ["wholesale"], occurredAt });
  const paid = (processedAt: string) =>
    shopifyJson({
      ...samplePayload("orders/paid"),
      ...orderMoney("80.00", "CAD"),
      processed_at: processedAt,
      refunds: [],
      cancelled_at: null,
      customer: { ...(samplePayload("orders/paid").customer as object), admin_graphql_api_id: customerGid },
    });

  /** Facts of one customer and one order; `orderAt` decides whether the wholesale tag was on when it was paid. */
  function facts(orderAt: string) {
    const made = (topic: string, body: string, triggeredAt: string) => ({
      topic,
      body,
      webhookId: crypto.randomUUID(),
      eventId: crypto.randomUUID(),
      triggeredAt,
    });
    return [
      made(
        "customers/create",
        customer({ state: "disabled", updated_at: "2026-11-01T09:00:00Z" }),
        "2026-11-01T09:00:00Z",
      ),
      made(
        "customers/enable",
        customer({ state: "enabled", updated_at: "2026-11-01T09:30:00Z" }),
        "2026-11-01T09:30:00Z",
      ),
      made("customer.tags_added", tags("customer.tags_added", "2026-11-01T10:00:00Z"), "2026-11-01T10:00:00Z"),
      made("customer.tags_removed", tags("customer.tags_removed", "2026-11-01T12:00:00Z"), "2026-11-01T12:00:00Z"),
      made(
        "customers/update",
        customer({ state: "enabled", email: "new@example.com", updated_at: "2026-11-01T13:00:00Z" }),
        "2026-11-01T13:00:00Z",
      ),
      made("orders/paid", paid(orderAt), orderAt),
      made("customers/delete", shopifyJson({ admin_graphql_api_id: customerGid }), "2026-11-01T14:00:00Z"),
    ];
  }

  const cases = [
    { orderAt: "2026-11-01T11:00:00Z", balance: 100, why: "paid while tagged wholesale: the order earns nothing" },
    { orderAt: "2026-11-01T12:30:00Z", balance: 180, why: "paid after the tag was removed: the order earns 80" },
  ];

  it.each(cases)("$why, whatever the arrival order", async ({ orderAt, balance }) => {
    const orders = fc.sample(fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6], { minLength: 7, maxLength: 7 }), {
      numRuns: 12,
      seed: 7,
    });
    for (const order of [[0, 1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1, 0], ...orders]) {
      const shop = await newShopDomain();
      await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_customers", currency: "CAD" } });
      await excludeTags(shop, ["wholesale"]);
      const list = facts(orderAt);
      for (const index of order) await deliver(shop, list[index]!);
      // The stale customers/create, delivered again at the end, changes nothing.
      await deliver(shop, { ...list[0]!, webhookId: crypto.randomUUID() });
      const row = await rowOf(shop, customerGid);
      expect(row, `arrival order ${order.join(",")}`).toMatchObject({
        pointsBalance: balance,
        email: "new@example.com",
        status: "member",
        tags: [],
      });
      expect(row.deletedAt).toBe("2026-11-01T14:00:00Z");
      expect(await recalculateTotals({ ctx: contextFor(shop, "test"), input: { repair: false } })).toEqual([]);
    }
  });
});
