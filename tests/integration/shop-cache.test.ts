import { and, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ledgerEntries } from "~/db/schema";
import { defaultSettings } from "~/domain/program";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { inTransaction } from "~/services/context";
import { getProgram } from "~/services/program/get-program.server";
import { saveProgram } from "~/services/program/save-program.server";
import { recordInstall } from "~/services/shops/record-install.server";
import { contextFor } from "~/shopify.server";
import { orderJson } from "../factories/orders";
import { newShopDomain } from "../factories/shops";
import { deliverWebhook } from "../helpers/signed-requests";
import { samplePayload } from "../helpers/shopify-samples";

// The install state, the shop's currency and its newest program are kept per shop between deliveries (decision 039);
// these tests change each the way a merchant or Shopify does, between two deliveries, and look at what the next earns.

const { db } = contextFor("any", "test");
const customerGid = "gid://shopify/Customer/706405506930370084";

async function member(shop: string) {
  const payload = { ...samplePayload("customers/create"), state: "enabled", admin_graphql_api_id: customerGid };
  expect((await deliverWebhook(customerCreate, "customers/create", shop, payload)).status).toBe(200);
}

let nextOrder = 820982911946154508n;
/** Pays a new order of 50.00 for the Member; returns the answer's status and the points its earn entry gave. */
async function payOrder(shop: string): Promise<{ status: number; earned: number | undefined }> {
  const id = nextOrder++;
  const order = orderJson({
    id,
    name: `#${id % 10_000n}`,
    lines: [{ id: id + 1n, price: "50.00" }],
    customer: { ...(samplePayload("orders/paid").customer as object), admin_graphql_api_id: customerGid },
  });
  const { status } = await deliverWebhook(orderPaid, "orders/paid", shop, order);
  const [entry] = await db
    .select({ points: ledgerEntries.points })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.shop, shop), like(ledgerEntries.idempotencyKey, `earn:order:%${id}`)));
  return { status, earned: entry?.points };
}

describe("what every delivery reads is kept per shop and forgotten when it changes", () => {
  it("an order paid right after the program is saved earns by the saved rule", async () => {
    const shop = await newShopDomain();
    await member(shop);
    const before = await payOrder(shop);
    expect(before.earned).toBe(50);

    await saveProgram({ ctx: contextFor(shop, "staff"), input: { ...defaultSettings("USD"), pointsPerUnit: 3 } });
    expect((await payOrder(shop)).earned).toBe(150);
    await saveProgram({ ctx: contextFor(shop, "staff"), input: { ...defaultSettings("USD"), pointsPerUnit: 2 } });
    expect((await payOrder(shop)).earned).toBe(100);
  });

  it("a save that rolls back leaves orders earning by the program that was saved before it", async () => {
    const shop = await newShopDomain();
    await member(shop);
    const ctx = contextFor(shop, "staff");
    await saveProgram({ ctx, input: { ...defaultSettings("USD"), pointsPerUnit: 2 } });
    expect((await payOrder(shop)).earned).toBe(100);

    // The save and a read of its program in the same transaction, which then rolls back.
    await expect(
      inTransaction(ctx, async (tx) => {
        await saveProgram({ ctx, input: { ...defaultSettings("USD"), pointsPerUnit: 7 } });
        expect((await getProgram({ ctx, tx })).settings.pointsPerUnit).toBe(7);
        throw new Error("the save is abandoned");
      }),
    ).rejects.toThrow("the save is abandoned");

    expect((await getProgram({ ctx })).settings.pointsPerUnit).toBe(2);
    expect((await payOrder(shop)).earned).toBe(100);
  });

  it("an order for a shop uninstalled since its last delivery is refused and earns nothing, and earns after a reinstall", async () => {
    const shop = await newShopDomain();
    await member(shop);
    expect(await payOrder(shop)).toEqual({ status: 200, earned: 50 });

    expect((await deliverWebhook(uninstalled, "app/uninstalled", shop, { id: 1 })).status).toBe(200);
    expect(await payOrder(shop)).toEqual({ status: 403, earned: undefined });

    await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: process.env.SCOPES ?? "" } });
    expect(await payOrder(shop)).toEqual({ status: 200, earned: 50 });
  });
});
