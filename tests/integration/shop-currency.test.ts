import type { ActionFunctionArgs } from "@remix-run/node";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, ledgerEntries, programVersions, shops } from "~/db/schema";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as shopUpdate } from "~/routes/webhooks.shop.update";
import { getSyncHealth } from "~/services/home/get-sync-health.server";
import { getProgram } from "~/services/program/get-program.server";
import { contextFor } from "~/shopify.server";
import type { Delivery } from "../sandbox/webhooks";
import { newShopDomain } from "../factories/shops";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { webhookRequest } from "../helpers/signed-requests";
import { first } from "../helpers/db";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

const actions: Record<string, (args: ActionFunctionArgs) => Promise<Response>> = {
  "customers/create": customerCreate,
  "customers/update": customerUpdate,
  "orders/paid": orderPaid,
  "shop/update": shopUpdate,
};

/** Hands Tally a webhook exactly as the sandbox sent it; returns the status Tally answered. */
async function deliver(shop: string, delivery: Delivery): Promise<number> {
  const action = actions[delivery.topic];
  if (!action) return 200;
  const { topic, body, webhookId, eventId, triggeredAt } = delivery;
  try {
    return (
      await action({
        request: webhookRequest({ shop, topic, body, webhookId, eventId, triggeredAt }),
        params: {},
        context: {},
      })
    ).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

const sent = (shop: string, topic?: string) => sandboxOf().control.deliveries({ shop, ...(topic ? { topic } : {}) });

async function usdShopWithMember() {
  const shop = await newShopDomain();
  const sandbox = sandboxOf().control;
  sandbox.createShop({ shop, currency: "USD" });
  await installThroughAdmin(sandboxOf(), shop);
  const member = sandbox.createCustomer({ shop, email: "eu@example.com", state: "ENABLED" });
  for (const delivery of sent(shop)) expect(await deliver(shop, delivery)).toBe(200);
  return { shop, member, customerGid: `gid://shopify/Customer/${member.id}` };
}

async function pointsOf(shop: string, customerGid: string) {
  return await first(
    db
      .select({ balance: customers.pointsBalance, earned: customers.lifetimeEarned })
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid))),
  );
}

async function explanations(shop: string) {
  return (
    await db
      .select({ explanation: ledgerEntries.explanation })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.shop, shop))
      .orderBy(asc(ledgerEntries.id))
  ).map((row) => row.explanation);
}

describe("a shop that switches its store currency after install", () => {
  it("earns on every EUR order after shop/update, and a USD order paid before the switch still earns", async () => {
    const { shop, member, customerGid } = await usdShopWithMember();
    const sandbox = sandboxOf().control;
    // 2 mugs, 36.00 USD, paid before the switch; its orders/paid reaches Tally only after it.
    const late = sandbox.placeOrder({ shop, customerId: member.id, lines: [{ productIndex: 3, quantity: 2 }] });
    const latePaid = sent(shop, "orders/paid").find((d) => d.body.includes(`"name":"#${late.number}"`))!;
    const before = sent(shop).length;

    sandbox.updateShop({ shop, currency: "EUR", timezone: "Europe/Paris" });
    // 5 totes, 120.00 EUR.
    sandbox.placeOrder({ shop, customerId: member.id, lines: [{ productIndex: 1, quantity: 5 }] });
    for (const delivery of sent(shop).slice(before)) expect(await deliver(shop, delivery), delivery.topic).toBe(200);
    expect(await deliver(shop, latePaid)).toBe(200);

    expect(await pointsOf(shop, customerGid)).toEqual({ balance: 100 + 120 + 36, earned: 256 });
    expect(await explanations(shop)).toEqual([
      "+100: sign-up bonus for becoming a member",
      "+120: order #1002 paid, 120.00 EUR at 1 point per 1.00 EUR",
      "+36: order #1001 paid, 36.00 USD at 1 point per 1.00 USD",
    ]);
    expect(await first(db.select().from(shops).where(eq(shops.shop, shop)))).toMatchObject({
      currency: "EUR",
      previousCurrency: "USD",
      timezone: "Europe/Paris",
      // The money formats came with the same shop/update: the storefront writes euros as the shop now does.
      moneyFormat: "€{{amount_with_comma_separator}}",
      moneyWithCurrencyFormat: "€{{amount_with_comma_separator}} EUR",
    });
    // The program carried over at face value, as a new version by Shopify; the old one is kept in USD.
    const versions = await db
      .select({ version: programVersions.version, currency: programVersions.currency, actor: programVersions.actor })
      .from(programVersions)
      .where(eq(programVersions.shop, shop))
      .orderBy(asc(programVersions.version));
    expect(versions).toEqual([
      { version: 1, currency: "USD", actor: "tally" },
      { version: 2, currency: "EUR", actor: "shopify" },
    ]);
    const program = await getProgram({ ctx: contextFor(shop, "test") });
    expect(program).toMatchObject({ currency: "EUR", settings: { unitMinor: 100, pointsPerUnit: 1 } });
    expect(program.settings.redeemOptions[0]).toMatchObject({ title: "€5.00 off", amountMinor: 500 });
    expect((await getSyncHealth({ ctx: contextFor(shop, "staff") })).currencyChange).toMatchObject({
      from: "USD",
      to: "EUR",
    });
  });

  it("an EUR order that overtakes shop/update fails until the switch is known, then earns exactly once", async () => {
    const { shop, member, customerGid } = await usdShopWithMember();
    const sandbox = sandboxOf().control;
    const before = sent(shop).length;
    sandbox.updateShop({ shop, currency: "EUR" });
    sandbox.placeOrder({ shop, customerId: member.id, lines: [{ productIndex: 1, quantity: 5 }] });
    const paid = sent(shop, "orders/paid").at(-1)!;
    const switched = sent(shop, "shop/update").at(-1)!;

    expect(await deliver(shop, paid)).toBe(500);
    expect((await pointsOf(shop, customerGid))?.balance).toBe(100);
    for (const delivery of sent(shop).slice(before)) if (delivery !== paid) await deliver(shop, delivery);
    expect(switched).toBeDefined();
    // Shopify retries with the same webhook id.
    expect(await deliver(shop, paid)).toBe(200);
    expect(await deliver(shop, paid)).toBe(200);
    expect(await pointsOf(shop, customerGid)).toEqual({ balance: 220, earned: 220 });
  });

  it("ignores a shop/update older than what Tally already knows", async () => {
    const { shop } = await usdShopWithMember();
    const sandbox = sandboxOf().control;
    sandbox.updateShop({ shop, currency: "EUR" });
    const older = sent(shop, "shop/update").at(-1)!;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    sandbox.updateShop({ shop, currency: "GBP" });
    const newer = sent(shop, "shop/update").at(-1)!;
    expect(await deliver(shop, newer)).toBe(200);
    expect(await deliver(shop, older)).toBe(200);
    expect((await first(db.select().from(shops).where(eq(shops.shop, shop))))?.currency).toBe("GBP");
  });
});
