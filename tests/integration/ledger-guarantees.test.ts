import type { ActionFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, earningSkips, ledgerEntries } from "~/db/schema";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { setCustomerBlocked } from "~/services/customers/set-blocked.server";
import { recalculateTotals } from "~/services/ledger/recalculate.server";
import { reserveReward, resolveReservedRewards } from "~/services/rewards/redeem-points.server";
import { contextFor, contextForAllShops } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { webhookRequest } from "../helpers/signed-requests";
import { samplePayload, shopifyJson } from "../helpers/shopify-samples";
import { orderJson } from "../factories/orders";
import { first } from "../helpers/db";

const { db } = contextFor("any", "test");
let sequence = 0;

async function deliver(
  action: (args: ActionFunctionArgs) => Promise<Response>,
  topic: string,
  shop: string,
  body: unknown,
  ids: { webhookId?: string; eventId?: string } = {},
) {
  const request = webhookRequest({ topic, shop, body: shopifyJson(body), ...ids });
  return action({ request, params: {}, context: {} });
}

/** A Member with `spent` paid (100 sign-up points plus 1 per 1.00), and their Tally row. */
async function member(shop: string, spent: string) {
  sequence += 1;
  const customerGid = `gid://shopify/Customer/${5_000_000_000_000_000_000n + BigInt(sequence)}`;
  await deliver(customerCreate, "customers/create", shop, {
    ...samplePayload("customers/create"),
    admin_graphql_api_id: customerGid,
    state: "enabled",
  });
  if (spent !== "0") await pay(shop, customerGid, spent);
  const row = (await first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid))),
  ))!;
  return { customerGid, row };
}

async function pay(
  shop: string,
  customerGid: string,
  subtotal: string,
  ids: { webhookId?: string; eventId?: string } = {},
) {
  sequence += 1;
  const order = orderJson({
    id: 6_000_000_000_000_000_000n + BigInt(sequence),
    name: `#${2000 + sequence}`,
    lines: [{ id: 7_000_000_000_000_000_000n + BigInt(sequence), price: subtotal }],
    customer: { admin_graphql_api_id: customerGid },
  });
  return await deliver(orderPaid, "orders/paid", shop, order, ids);
}

const balanceOf = async (id: number) => (await first(db.select().from(customers).where(eq(customers.id, id))))!;

describe("ledger guarantees", () => {
  it("counts one Shopify event once, even when it arrives under two webhook ids", async () => {
    const shop = await newShopDomain();
    const { customerGid, row } = await member(shop, "0");
    const order = orderJson({
      id: 6999999999999999999n,
      lines: [{ id: 7999999999999999999n, price: "40.00" }],
      customer: { admin_graphql_api_id: customerGid },
    });
    await deliver(orderPaid, "orders/paid", shop, order, { webhookId: "w-1", eventId: "evt-1" });
    await deliver(orderPaid, "orders/paid", shop, order, { webhookId: "w-2", eventId: "evt-1" });
    expect((await balanceOf(row.id)).pointsBalance).toBe(140);
  });

  it("a blocked customer earns nothing, and what they would have earned is kept with the reason", async () => {
    const shop = await newShopDomain();
    const { customerGid, row } = await member(shop, "0");
    await setCustomerBlocked({ ctx: contextFor(shop, "staff"), input: { customerId: row.id, blocked: true } });
    await pay(shop, customerGid, "75.00");

    expect(await balanceOf(row.id)).toMatchObject({ pointsBalance: 100, lifetimeEarned: 100 });
    expect(await db.select().from(earningSkips).where(eq(earningSkips.customerId, row.id))).toMatchObject([
      { wouldHaveEarned: 75, reason: "blocked" },
    ]);
    await expect(
      reserveReward({ ctx: contextFor(shop, "storefront"), input: { customerId: row.id, optionId: "five-off" } }),
    ).rejects.toThrow(/blocked/);
  });

  it("recalculate finds a balance that drifted from its ledger rows, and repairs it", async () => {
    const shop = await newShopDomain();
    const { row } = await member(shop, "250.00");
    const ctx = contextFor(shop, "staff");
    expect(await recalculateTotals({ ctx, input: { repair: false } })).toEqual([]);

    await db.update(customers).set({ pointsBalance: 9_999 }).where(eq(customers.id, row.id));
    const drifts = await recalculateTotals({ ctx, input: { repair: true } });
    expect(drifts).toMatchObject([{ customerId: row.id, stored: { balance: 9_999 }, recomputed: { balance: 350 } }]);
    expect((await balanceOf(row.id)).pointsBalance).toBe(350);
    expect(await recalculateTotals({ ctx, input: { repair: false } })).toEqual([]);
  });

  it("a redemption a crash left reserved is confirmed if Shopify has the code, or returned if not", async () => {
    const shop = await newShopDomain();
    const { row } = await member(shop, "1200.00");
    const ctx = contextFor(shop, "storefront");
    const kept = (await reserveReward({ ctx, input: { customerId: row.id, optionId: "five-off" } })).reward;
    const lost = (await reserveReward({ ctx, input: { customerId: row.id, optionId: "five-off" } })).reward;
    expect((await balanceOf(row.id)).pointsBalance).toBe(1300 - 1000);

    const later = { ...ctx, now: new Date(ctx.now.getTime() + 10 * 60_000) };
    const result = await resolveReservedRewards({
      ctx: later,
      input: { olderThanMs: 120_000 },
      lookup: async (reward) => (reward.code === kept.code ? { shopifyGid: "gid://shopify/DiscountCodeNode/1" } : null),
    });

    expect(result).toEqual({ confirmed: 1, returned: 1, unresolved: 0 });
    expect(await balanceOf(row.id)).toMatchObject({ pointsBalance: 1300 - 500, lifetimeRedeemed: 500 });
    const kinds = (
      await db
        .select({ kind: ledgerEntries.kind, points: ledgerEntries.points })
        .from(ledgerEntries)
        .where(eq(ledgerEntries.customerId, row.id))
    ).map((entry) => `${entry.kind}:${entry.points}`);
    expect(kinds).toEqual(["earn:100", "earn:1200", "redeem:-500", "redeem:-500", "redemption_return:500"]);
    expect(lost.code).not.toBe(kept.code);
  });
});

describe("redemption when Shopify's answer is lost", () => {
  it("keeps the points reserved (never returns them) when the outcome is unknown, and asks staff about store credit", async () => {
    const { redeemPoints, RewardIssueUnconfirmed } = await import("~/services/rewards/redeem-points.server");
    const { shopifyRewardLookup } = await import("~/shopify/admin/rewards.server");
    const shop = await newShopDomain();
    const { row } = await member(shop, "600.00");
    const ctx = contextFor(shop, "storefront");
    const lostConnection = async () => {
      throw new TypeError("fetch failed");
    };
    await expect(
      redeemPoints({ ctx, input: { customerId: row.id, optionId: "five-off" }, issue: lostConnection }),
    ).rejects.toBeInstanceOf(RewardIssueUnconfirmed);
    expect((await balanceOf(row.id)).pointsBalance).toBe(700 - 500);

    const neverCalled = async () => {
      throw new Error("store credit has no code to look up");
    };
    const verdict = await shopifyRewardLookup(neverCalled)({
      kind: "store_credit",
      code: null,
    } as Parameters<ReturnType<typeof shopifyRewardLookup>>[0]);
    expect(verdict).toBe("unknown");
  });
});

describe("webhook log retention", () => {
  it("forgets applied deliveries after a week, keeps recent and unapplied ones", async () => {
    const { webhookDeliveries } = await import("~/db/schema");
    const { pruneDeliveries } = await import("~/services/webhooks/process-webhook.server");
    const shop = await newShopDomain();
    const row = (webhookId: string, receivedAt: string, status: "processed" | "pending") => ({
      shop,
      webhookId,
      topic: "orders/paid",
      receivedAt,
      status,
    });
    await db
      .insert(webhookDeliveries)
      .values([
        row("old-done", "2026-01-01T00:00:00.000Z", "processed"),
        row("old-pending", "2026-01-01T00:00:00.000Z", "pending"),
        row("new-done", "2026-11-20T00:00:00.000Z", "processed"),
      ]);
    await pruneDeliveries({
      ctx: { ...contextForAllShops("test"), now: new Date("2026-11-24T00:00:00Z") },
      input: { keepDays: 7, limit: 100 },
    });
    const left = await db
      .select({ webhookId: webhookDeliveries.webhookId })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.shop, shop));
    expect(left.map((r) => r.webhookId).sort()).toEqual(["new-done", "old-pending"]);
  });
});
