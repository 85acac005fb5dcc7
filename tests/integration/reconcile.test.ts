import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, ledgerEntries, orders } from "~/db/schema";
import { action as orderEdited } from "~/routes/webhooks.orders.edited";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { runShopJobs } from "~/jobs/scheduler.server";
import { contextFor } from "~/shopify.server";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { neverInstalledShopDomain, newShopDomain } from "../factories/shops";
import { orderEditedJson } from "../factories/orders";
import { deliverWebhook, webhookRequest } from "../helpers/signed-requests";
import { first } from "../helpers/db";

const { db } = contextFor("any", "test");
// Every webhook the sandbox sends is lost (no app listens): healing that is what reconciliation is for.
const sandboxOf = useSandbox();
const install = (shop: string) => installThroughAdmin(sandboxOf(), shop);

const count = async (table: typeof customers | typeof orders | typeof ledgerEntries, shop: string) =>
  (
    await first(
      db
        .select({ n: sql<number>`count(*)` })
        .from(table)
        .where(eq(table.shop, shop)),
    )
  )?.n ?? 0;

/**
 * Shopify's times are whole seconds, and Tally counts an order of the install's own second as after install (so no
 * order Shopify sent a webhook for loses its points): a shop meant to have orders from before install installs in a
 * later second.
 */
async function nextSecond() {
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
}

describe("reconciliation", () => {
  it("brings a shop's customers and orders in at install, without bonuses or points for the past", async () => {
    const shop = await newShopDomain();
    sandboxOf().control.createShop({ shop });
    sandboxOf().control.seed({ shop, customers: 120, orders: 300, seed: 7 });
    await install(shop);
    await runShopJobs(shop, { force: true });

    expect(await count(customers, shop)).toBe(120);
    expect(await count(orders, shop)).toBe(300);
    expect(await count(ledgerEntries, shop)).toBe(0);
    const members = (
      await first(
        db
          .select({ n: sql<number>`count(*)` })
          .from(customers)
          .where(and(eq(customers.shop, shop), eq(customers.status, "member"))),
      )
    )?.n;
    expect(members).toBeGreaterThan(0);
    expect(members).toBeLessThan(120);
    // The directory's Orders and Total spent columns come from Shopify's own figures.
    const buyers = (
      await first(
        db
          .select({ n: sql<number>`count(*)` })
          .from(customers)
          .where(
            and(eq(customers.shop, shop), sql`${customers.ordersCount} > 0 and ${customers.amountSpentMinor} > 0`),
          ),
      )
    )?.n;
    expect(buyers).toBeGreaterThan(0);
  });

  it("heals a missed orders/paid: the points arrive with the next reconciliation, once", async () => {
    const shop = await newShopDomain();
    sandboxOf().control.createShop({ shop });
    sandboxOf().control.seed({ shop, customers: 5, orders: 0, seed: 3 });
    await install(shop);
    await runShopJobs(shop, { force: true });

    const buyer = sandboxOf().control.createCustomerAccount({ shop, email: "late@example.com" });
    sandboxOf().control.placeOrder({ shop, customerId: String(buyer.id) });
    await sandboxOf().control.idle();
    await runShopJobs(shop, { force: true });
    await runShopJobs(shop, { force: true });

    const row = await first(
      db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.email, "late@example.com"))),
    );
    expect(row?.status).toBe("member");
    const entries = await db
      .select({ kind: ledgerEntries.kind, points: ledgerEntries.points })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.customerId, row?.id ?? -1));
    // The sign-up bonus (an account made after install) and the order's points, each exactly once.
    expect(entries.map((entry) => entry.kind).sort()).toEqual(["earn", "earn"]);
    expect(row?.pointsBalance).toBe(entries.reduce((sum, entry) => sum + entry.points, 0));
    expect(row?.pointsBalance).toBeGreaterThan(100);
  });

  it("publishes changed balances to the customer's app metafield", async () => {
    const shop = await newShopDomain();
    sandboxOf().control.createShop({ shop });
    await install(shop);
    await runShopJobs(shop, { force: true });
    const buyer = sandboxOf().control.createCustomerAccount({ shop, email: "meta@example.com" });
    await runShopJobs(shop, { force: true });

    const metafields = sandboxOf().control.metafields({ shop });
    const mine = metafields.filter((m) => m.ownerGid.endsWith(`/${String(buyer.id).replace(/\D/g, "")}`));
    expect(mine).toMatchObject([{ key: "points", value: "100" }]);
    expect(
      await db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.metafieldDirty, true))),
    ).toHaveLength(0);
  });

  it("an order paid after install that the install sync reads before its orders/paid arrives still earns, once", async () => {
    const shop = await newShopDomain();
    const control = sandboxOf().control;
    control.createShop({ shop });
    const buyer = control.createCustomerAccount({ shop, email: "overlap@example.com" });
    await control.idle();
    await install(shop);
    // Paid while the install sync is about to read the shop's orders: its webhook reaches Tally after that read.
    const order = control.placeOrder({ shop, customerId: String(buyer.id) });
    await control.idle();
    await runShopJobs(shop, { force: true });
    const paid = control.deliveries({ shop, topic: "orders/paid" }).at(-1)!;
    const { body, webhookId, eventId, triggeredAt } = paid;
    const request = webhookRequest({ shop, topic: "orders/paid", body, webhookId, eventId, triggeredAt });
    expect((await orderPaid({ request, params: {}, context: {} })).status).toBe(200);
    await runShopJobs(shop, { force: true });

    const earned = await db
      .select({ points: ledgerEntries.points, key: ledgerEntries.idempotencyKey })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.sourceGid, `gid://shopify/Order/${order.id}`)));
    expect(earned).toEqual([{ points: expect.any(Number), key: `earn:order:gid://shopify/Order/${order.id}` }]);
    expect(earned[0]!.points).toBeGreaterThan(0);
  });

  it("never pays points for orders placed before install, even when they change afterwards", async () => {
    const shop = neverInstalledShopDomain();
    const control = sandboxOf().control;
    control.createShop({ shop });
    const buyer = control.createCustomerAccount({ shop, email: "early@example.com" });
    const order = control.placeOrder({ shop, customerId: String(buyer.id) });
    await control.idle();
    await nextSecond();
    await install(shop);
    await runShopJobs(shop, { force: true });

    control.fulfil({ shop, orderId: order.id });
    await control.idle();
    await runShopJobs(shop, { force: true });
    await runShopJobs(shop, { force: true });

    expect(await count(ledgerEntries, shop)).toBe(0);
  });

  it("a guest from before install who signs up afterwards gets the sign-up bonus", async () => {
    const shop = neverInstalledShopDomain();
    const control = sandboxOf().control;
    control.createShop({ shop });
    control.placeOrder({ shop, email: "guest-then-member@example.com" });
    await control.idle();
    await nextSecond();
    await install(shop);
    await runShopJobs(shop, { force: true });

    control.createCustomerAccount({ shop, email: "guest-then-member@example.com" });
    await control.idle();
    await runShopJobs(shop, { force: true });

    const row = await first(
      db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.email, "guest-then-member@example.com"))),
    );
    expect(row).toMatchObject({ status: "member", pointsBalance: 100 });
  });

  it("earns on the goods only when it replays a missed payment: a gift card and the VAT inside prices left out", async () => {
    const shop = await newShopDomain();
    const control = sandboxOf().control;
    control.createShop({ shop, currency: "EUR", taxesIncluded: true });
    await install(shop);
    await runShopJobs(shop, { force: true });
    const buyer = control.createCustomerAccount({ shop, email: "vat@example.com" });
    // A 68.00 shirt with 11.33 of VAT inside, and a 50.00 gift card.
    control.placeOrder({
      shop,
      customerId: String(buyer.id),
      lines: [
        { productIndex: 4, quantity: 1 },
        { productIndex: 7, quantity: 1 },
      ],
    });
    await runShopJobs(shop, { force: true });
    expect(
      (await entriesOf(shop, "vat@example.com")).map((entry) => [entry.kind, entry.points, entry.explanation]),
    ).toEqual([
      ["earn", 100, "+100: sign-up bonus for becoming a member"],
      [
        "earn",
        56,
        expect.stringContaining("118.00 EUR less 50.00 EUR gift cards and 11.33 EUR tax, at 1 point per 1.00 EUR"),
      ],
    ]);
  });

  it("reads every refund of an order, each with all its lines and transactions, however many", async () => {
    const shop = await newShopDomain();
    const control = sandboxOf().control;
    control.createShop({ shop });
    await install(shop);
    await runShopJobs(shop, { force: true });
    const buyer = control.createCustomerAccount({ shop, email: "many@example.com" });
    // Sixty totes: 1,440.00 of goods and 187.20 tax on top.
    const order = control.placeOrder({
      shop,
      customerId: String(buyer.id),
      lines: Array.from({ length: 60 }, () => ({ productIndex: 1, quantity: 1 })),
    });
    await runShopJobs(shop, { force: true });
    // Eleven goodwill amounts of 10.00, then every line back for what money is left: twelve refunds, one of sixty lines.
    for (let i = 0; i < 11; i++) control.refund({ shop, orderId: order.id, amountCents: 1000 });
    const left = order.totalCents - 11 * 1000;
    control.refund({
      shop,
      orderId: order.id,
      lines: order.lines.map((line) => ({ lineItemId: line.id, quantity: 1 })),
      amountCents: left,
    });
    await runShopJobs(shop, { force: true });
    await runShopJobs(shop, { force: true });

    const ledger = await entriesOf(shop, "many@example.com");
    expect(ledger.filter((entry) => entry.kind === "reverse")).toHaveLength(13);
    expect(ledger.reduce((sum, entry) => sum + entry.points, 0)).toBe(100);
    expect(await customerOf(shop, "many@example.com")).toMatchObject({ pointsBalance: 100, lifetimeEarned: 100 });
  });

  it("prices an edit whose orders/updated was lost, at the next reconciliation", async () => {
    const shop = await newShopDomain();
    const control = sandboxOf().control;
    control.createShop({ shop });
    await install(shop);
    await runShopJobs(shop, { force: true });
    const buyer = control.createCustomerAccount({ shop, email: "edit@example.com" });
    const order = control.placeOrder({ shop, customerId: String(buyer.id), lines: [{ productIndex: 1, quantity: 1 }] });
    await runShopJobs(shop, { force: true });
    const edited = control.editOrder({ shop, orderId: order.id, add: [{ productIndex: 2, quantity: 1 }] });
    const edit = edited.edits!.at(-1)!;
    // orders/edited reached Tally; orders/updated, with the new line's price, was lost.
    const response = await deliverWebhook(
      orderEdited,
      "orders/edited",
      shop,
      orderEditedJson({
        id: BigInt(edit.id),
        orderId: BigInt(order.id),
        committedAt: edit.committedAt,
        add: edit.additions.map((a) => [BigInt(a.lineId), a.delta] as [bigint, number]),
      }),
    );
    expect(response.status).toBe(200);
    expect((await customerOf(shop, "edit@example.com"))?.pointsBalance).toBe(124);
    await runShopJobs(shop, { force: true });
    expect((await customerOf(shop, "edit@example.com"))?.pointsBalance).toBe(159);
  });
});

async function customerOf(shop: string, email: string) {
  return await first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, email))),
  );
}

async function entriesOf(shop: string, email: string) {
  const row = await customerOf(shop, email);
  return await db
    .select({ kind: ledgerEntries.kind, points: ledgerEntries.points, explanation: ledgerEntries.explanation })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.customerId, row?.id ?? -1))
    .orderBy(asc(ledgerEntries.id));
}
