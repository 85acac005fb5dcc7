import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers } from "~/db/schema";
import { loader as profile } from "~/routes/app.customers_.$id";
import { action as redeem } from "~/routes/proxy.v1.redeem";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as shopUpdate } from "~/routes/webhooks.shop.update";
import { inTransaction } from "~/services/context";
import { appendEntries } from "~/services/ledger/append-entries.server";
import { contextFor } from "~/shopify.server";
import type { Delivery } from "../sandbox/webhooks";
import { appProxyRequest } from "../helpers/app-proxy";
import { installedSandboxShop, useSandbox } from "../helpers/in-process-sandbox";
import { sessionTokenRequest, webhookRequest } from "../helpers/signed-requests";
import { first } from "../helpers/db";
import { answerOf } from "../helpers/route-answers";

/*
 * The profile's Activity log writes money as the rest of the admin does (decision 052): "$36.00" in the store's
 * currency, "$36.00 USD" in any other, whatever words the entry was recorded with.
 */

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

const actions: Record<string, (args: ActionFunctionArgs) => Promise<Response>> = {
  "customers/create": customerCreate,
  "customers/update": customerUpdate,
  "orders/paid": orderPaid,
  "shop/update": shopUpdate,
};
const args = (request: Request) => ({ request, params: {}, context: {} }) as LoaderFunctionArgs & ActionFunctionArgs;

async function deliverSince(shop: string, from: number) {
  for (const delivery of sandboxOf().control.deliveries({ shop }).slice(from) as Delivery[]) {
    const action = actions[delivery.topic];
    if (!action) continue;
    const { topic, body, webhookId, eventId, triggeredAt } = delivery;
    const signed = webhookRequest({ shop, topic, body, webhookId, eventId, triggeredAt });
    const response = await answerOf(() => action(args(signed)));
    expect(response.status, delivery.topic).toBe(200);
  }
}
const sentCount = (shop: string) => sandboxOf().control.deliveries({ shop }).length;

async function customerIdOf(shop: string, shopifyId: string) {
  const gid = `gid://shopify/Customer/${shopifyId.replace(/\D/g, "")}`;
  const row = await first(
    db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, gid))),
  );
  return row!.id;
}

/** The Activity log's lines as the merchant reads them on the customer's profile, newest first. */
async function activityOf(shop: string, customerId: number, query = "") {
  const request = await sessionTokenRequest(shop, `/app/customers/${customerId}${query}`);
  const loaded = await profile({ request, params: { id: String(customerId) }, context: {} });
  return loaded.activity.rows.map((row) => row.explanation);
}

describe("money on the Activity log", () => {
  it("reads an order and a redemption in the store's currency as the admin writes money, and finds them by order name", async () => {
    const shop = await installedSandboxShop(sandboxOf(), { currency: "CAD" });
    const sandbox = sandboxOf().control;
    const member = sandbox.createCustomer({ shop, email: "ana@example.com", state: "ENABLED" });
    // 20 × 35.00 CAD: 700 points.
    sandbox.placeOrder({ shop, customerId: member.id, lines: [{ productIndex: 2, quantity: 20 }] });
    await deliverSince(shop, 0);
    const redeemed = await answerOf(async () =>
      redeem(
        args(
          await appProxyRequest({
            shop,
            customerId: member.id.replace(/\D/g, ""),
            path: "/v1/redeem",
            method: "POST",
            body: '{"optionId":"five-off"}',
          }),
        ),
      ),
    );
    expect(redeemed.status).toBe(200);
    const customerId = await customerIdOf(shop, member.id);

    expect(await activityOf(shop, customerId)).toEqual([
      "\u2212500: redeemed for $5.00 off",
      "+700: order #1001 paid, $700.00 at 1 point per $1.00",
      "+100: sign-up bonus for becoming a member",
    ]);
    // The search still finds the order by its name and the redemption by what it was.
    expect(await activityOf(shop, customerId, "?q=%231001")).toEqual([
      "+700: order #1001 paid, $700.00 at 1 point per $1.00",
    ]);
    expect(await activityOf(shop, customerId, "?q=redeemed")).toEqual(["\u2212500: redeemed for $5.00 off"]);
  });

  it("writes an order paid before the store currency changed with its own currency, and one after in the store's", async () => {
    const shop = await installedSandboxShop(sandboxOf(), { currency: "USD" });
    const sandbox = sandboxOf().control;
    const member = sandbox.createCustomer({ shop, email: "eu@example.com", state: "ENABLED" });
    // 2 mugs, 36.00 USD, paid before the switch.
    sandbox.placeOrder({ shop, customerId: member.id, lines: [{ productIndex: 3, quantity: 2 }] });
    await deliverSince(shop, 0);
    const before = sentCount(shop);
    sandbox.updateShop({ shop, currency: "EUR" });
    // 5 totes, 120.00 EUR.
    sandbox.placeOrder({ shop, customerId: member.id, lines: [{ productIndex: 1, quantity: 5 }] });
    await deliverSince(shop, before);
    const customerId = await customerIdOf(shop, member.id);

    expect(await activityOf(shop, customerId)).toEqual([
      "+120: order #1002 paid, €120.00 at 1 point per €1.00",
      "+36: order #1001 paid, $36.00 USD at 1 point per $1.00 USD",
      "+100: sign-up bonus for becoming a member",
    ]);
  });

  it("shows an entry recorded before amounts carried their currency as it was written", async () => {
    const shop = await installedSandboxShop(sandboxOf(), { currency: "CAD" });
    const member = sandboxOf().control.createCustomer({ shop, email: "old@example.com", state: "ENABLED" });
    await deliverSince(shop, 0);
    const customerId = await customerIdOf(shop, member.id);
    const ctx = contextFor(shop, "test");
    const order = "gid://shopify/Order/4242";
    await inTransaction(ctx, (tx) =>
      appendEntries({
        ctx,
        tx,
        customerId,
        entries: [
          {
            kind: "earn",
            source: "order",
            points: 69,
            pending: false,
            programVersion: 1,
            orderGid: order,
            idempotencyKey: `earn:order:${order}`,
            explanation: "+69: order #1001 paid, 69.16 at 1 point per 1.00",
          },
        ],
      }),
    );

    expect((await activityOf(shop, customerId))[0]).toBe("+69: order #1001 paid, 69.16 at 1 point per 1.00");
  });
});
