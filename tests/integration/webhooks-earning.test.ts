import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, ledgerEntries, orders } from "~/db/schema";
import { loader as profileLoader } from "~/routes/app.customers_.$id";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as orderEdited } from "~/routes/webhooks.orders.edited";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as orderUpdated } from "~/routes/webhooks.orders.updated";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { recordInstall } from "~/services/shops/record-install.server";
import { contextFor } from "~/shopify.server";
import { orderEditedJson, orderJson, refundJson, type LineSpec, type OrderSpec } from "../factories/orders";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";
import { samplePayload } from "../helpers/shopify-samples";
import { first } from "../helpers/db";

/*
 * Issue 7, sections 1 and 2: what an order earns on, and refunds that follow the money. Every payload is Shopify's
 * own sample with figures that agree with each other (tests/factories/orders.ts), delivered signed with a real HMAC.
 * Default program: 1 point per 1.00, 100-point sign-up bonus, guests earn.
 */

const { db } = contextFor("any", "test");
const customerGid = "gid://shopify/Customer/706405506930370084";
const orderGid = "gid://shopify/Order/820982911946154508";

const sunglasses: LineSpec = { id: 487817672276298554n, price: "100.00" };
const giftCard: LineSpec = { id: 487817672276298555n, price: "50.00", giftCard: true };

type Action = Parameters<typeof deliverWebhook>[0];
const deliver = (action: Action, topic: string, shop: string, body: unknown, webhookId?: string) =>
  deliverWebhook(action, topic, shop, body, webhookId ? { webhookId } : {});

function member() {
  return {
    ...samplePayload("customers/create"),
    state: "enabled",
    updated_at: "2026-11-01T10:00:00-05:00",
    admin_graphql_api_id: customerGid,
  };
}

function paid(spec: Partial<OrderSpec> & Pick<OrderSpec, "lines">) {
  const sample = samplePayload("orders/paid");
  return orderJson({
    customer: { ...(sample.customer as object), admin_graphql_api_id: customerGid, state: "enabled" },
    ...spec,
  });
}

/**
 * A shop installed in `currency` (Shopify tells Tally the shop's currency at install) with our member signed up
 * (+100), so every figure below is 100 plus what the order did.
 */
async function shopWithMember(currency = "USD") {
  const shop = await newShopDomain();
  await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: null, currency } });
  expect((await deliver(customerCreate, "customers/create", shop, member())).status).toBe(200);
  return shop;
}

async function balance(shop: string) {
  return (await first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.customerGid, customerGid))),
  ))!;
}

async function entries(shop: string) {
  return await db
    .select({ kind: ledgerEntries.kind, points: ledgerEntries.points, explanation: ledgerEntries.explanation })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.shop, shop))
    .orderBy(asc(ledgerEntries.id));
}

/** The order's entries: everything after the member's sign-up bonus. */
const orderEntries = async (shop: string) => (await entries(shop)).slice(1);

async function orderRow(shop: string) {
  return (await first(
    db
      .select()
      .from(orders)
      .where(and(eq(orders.shop, shop), eq(orders.orderGid, orderGid))),
  ))!;
}

describe("what an order earns on", () => {
  it("a 50.00 gift card sold earns nothing", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [giftCard] }));
    expect(await balance(shop)).toMatchObject({ pointsBalance: 100, lifetimeEarned: 100 });
    expect((await orderRow(shop)).pointsState.paid).toMatchObject({
      earned: 0,
      basis: "50.00 USD less 50.00 USD gift cards",
    });
  });

  it("a gift card spent later earns like any other payment, so the same 50.00 earns once", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ id: 820982911946154001n, lines: [giftCard] }));
    // The goods are paid with the card: a payment like any other, and the subtotal is the goods'.
    const spent = {
      ...paid({ id: 820982911946154002n, name: "#1043", lines: [{ id: 487817672276298601n, price: "50.00" }] }),
      payment_gateway_names: ["gift_card"],
    };
    await deliver(orderPaid, "orders/paid", shop, spent);
    expect(await balance(shop)).toMatchObject({ pointsBalance: 150 });
    expect((await entries(shop)).at(-1)).toMatchObject({
      explanation: "+50: order #1043 paid, 50.00 USD at 1 point per 1.00 USD",
    });
  });

  it("a EUR shop whose prices include tax earns on 120.00 less 20.00 tax: +100", async () => {
    const shop = await shopWithMember("EUR");
    await deliver(
      orderPaid,
      "orders/paid",
      shop,
      paid({ currency: "EUR", taxesIncluded: true, lines: [{ ...sunglasses, price: "120.00", tax: "20.00" }] }),
    );
    expect((await balance(shop)).pointsBalance).toBe(200);
    expect(await orderEntries(shop)).toEqual([
      {
        kind: "earn",
        points: 100,
        explanation: "+100: order #1042 paid, 120.00 EUR less 20.00 EUR tax, at 1 point per 1.00 EUR",
      },
    ]);
  });

  it("tax inside prices with a discount: 150.00 less 30.00 off, 20.00 of it tax, earns 100", async () => {
    const shop = await shopWithMember("EUR");
    const lines = [{ ...sunglasses, price: "150.00", discount: "30.00", tax: "20.00" }];
    await deliver(orderPaid, "orders/paid", shop, paid({ currency: "EUR", taxesIncluded: true, lines }));
    expect((await balance(shop)).pointsBalance).toBe(200);
  });

  it("tax on top of prices never reaches the subtotal: 100.00 plus 13.00 tax earns 100", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [{ ...sunglasses, tax: "13.00", taxRate: 0.13 }] }));
    expect(await orderEntries(shop)).toEqual([
      { kind: "earn", points: 100, explanation: "+100: order #1042 paid, 100.00 USD at 1 point per 1.00 USD" },
    ]);
  });

  it("shipping, duties outside prices and tips never earn", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses], shipping: "10.00", tip: "5.00" }));
    expect((await balance(shop)).pointsBalance).toBe(200);
  });

  it("duties inside prices (duties_included) come out of the base", async () => {
    const shop = await shopWithMember();
    const body = paid({ lines: [{ ...sunglasses, price: "110.00" }] });
    const line = (body.line_items as Record<string, unknown>[])[0]!;
    line.duties = [{ price_set: { shop_money: { amount: "10.00", currency_code: "USD" } } }];
    await deliver(orderPaid, "orders/paid", shop, { ...body, duties_included: true });
    expect((await orderEntries(shop))[0]).toMatchObject({
      points: 100,
      explanation: "+100: order #1042 paid, 110.00 USD less 10.00 USD duties, at 1 point per 1.00 USD",
    });
  });

  it("a gift card and goods in one order: only the goods earn", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [giftCard, { ...sunglasses, price: "70.00" }] }));
    expect(await orderEntries(shop)).toEqual([
      {
        kind: "earn",
        points: 70,
        explanation: "+70: order #1042 paid, 120.00 USD less 50.00 USD gift cards, at 1 point per 1.00 USD",
      },
    ]);
  });

  it("an order presented in EUR earns on the shop's USD money, and a EUR refund reverses its share", async () => {
    const shop = await shopWithMember();
    const presentment = { currency: "EUR", rate: 0.9 };
    await deliver(orderPaid, "orders/paid", shop, paid({ presentment, lines: [{ ...sunglasses, price: "110.00" }] }));
    expect((await balance(shop)).pointsBalance).toBe(210);
    // Half the goods back, paid out in the customer's EUR: 49.50 of the 99.00 EUR they paid.
    const refund = refundJson({ id: 7001n, presentment, transactions: [{ amount: "49.50", currency: "EUR" }] });
    await deliver(refundCreate, "refunds/create", shop, refund);
    expect((await balance(shop)).pointsBalance).toBe(155);
  });
});

describe("orders change after payment", () => {
  const tote: LineSpec = { id: 487817672276298777n, price: "30.00" };

  it("an item added to a paid order earns, exactly once, whichever of orders/edited and orders/updated comes first", async () => {
    for (const updatedFirst of [false, true]) {
      const shop = await shopWithMember();
      await deliver(
        orderPaid,
        "orders/paid",
        shop,
        paid({ lines: [sunglasses], updatedAt: "2026-11-02T10:00:00-05:00" }),
      );
      const edit = orderEditedJson({ id: 78912328793123780n, add: [[tote.id, 1]] });
      const updated = paid({
        lines: [sunglasses, tote],
        updatedAt: "2026-11-04T10:00:00-05:00",
        financialStatus: "partially_paid",
      });
      if (updatedFirst) await deliver(orderUpdated, "orders/updated", shop, updated);
      await deliver(orderEdited, "orders/edited", shop, edit, `edit-${updatedFirst}`);
      await deliver(orderEdited, "orders/edited", shop, edit, `edit-${updatedFirst}`);
      if (!updatedFirst) await deliver(orderUpdated, "orders/updated", shop, updated);
      await deliver(orderEdited, "orders/edited", shop, edit);
      expect((await balance(shop)).pointsBalance).toBe(230);
      expect((await orderEntries(shop)).at(-1)).toEqual({
        kind: "earn",
        points: 30,
        explanation: "+30: order #1042 edited, 30.00 USD added, at 1 point per 1.00 USD",
      });
    }
  });

  it("an item removed from a paid order reverses its points", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses, tote] }));
    await deliver(
      orderEdited,
      "orders/edited",
      shop,
      orderEditedJson({ id: 78912328793123781n, remove: [[tote.id, 1]] }),
    );
    expect((await balance(shop)).pointsBalance).toBe(200);
    expect((await orderEntries(shop)).at(-1)).toMatchObject({
      kind: "reverse",
      points: -30,
      explanation: "\u221230: order #1042 edited, 30.00 USD removed, at 1 point per 1.00 USD",
    });
  });

  it("an edit that adds an item and one that removes it again leave the order's points as they were", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses] }));
    await deliver(
      orderUpdated,
      "orders/updated",
      shop,
      paid({ lines: [sunglasses, tote], updatedAt: "2026-11-04T10:00:00-05:00" }),
    );
    await deliver(
      orderEdited,
      "orders/edited",
      shop,
      orderEditedJson({ id: 78912328793123782n, remove: [[tote.id, 1]], committedAt: "2026-11-05T10:00:00-05:00" }),
    );
    await deliver(orderEdited, "orders/edited", shop, orderEditedJson({ id: 78912328793123781n, add: [[tote.id, 1]] }));
    expect((await balance(shop)).pointsBalance).toBe(200);
  });

  it("removing an item and then refunding its money takes its points back once", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses, tote] }));
    await deliver(
      orderEdited,
      "orders/edited",
      shop,
      orderEditedJson({ id: 78912328793123783n, remove: [[tote.id, 1]] }),
    );
    // The refund owed for the removed tote, typed as an amount, as Shopify records it.
    const owed = refundJson({
      id: 7002n,
      transactions: [{ amount: "30.00" }],
      adjustments: [{ kind: "refund_discrepancy", amount: "-30.00" }],
    });
    await deliver(refundCreate, "refunds/create", shop, owed);
    expect((await balance(shop)).pointsBalance).toBe(200);
  });

  it("an edit committed before the payment is already in the subtotal and earns nothing more", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses, tote] }));
    await deliver(
      orderEdited,
      "orders/edited",
      shop,
      orderEditedJson({ id: 78912328793123784n, add: [[tote.id, 1]], committedAt: "2026-11-01T10:00:00-05:00" }),
    );
    expect((await balance(shop)).pointsBalance).toBe(230);
  });
});

describe("the profile's order facts follow Shopify", () => {
  async function ordersCard(shop: string) {
    const id = (await balance(shop)).id;
    const request = await sessionTokenRequest(shop, `/app/customers/${id}`);
    const profile = await profileLoader({ request, params: { id: String(id) }, context: {} } as LoaderFunctionArgs &
      ActionFunctionArgs);
    return profile.orders;
  }

  it("an order refunded twice shows PARTIALLY_REFUNDED with what was refunded, and an older snapshot never undoes it", async () => {
    const shop = await shopWithMember();
    await installOfflineSession(shop);
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [{ ...sunglasses, tax: "13.00" }] }));
    await deliver(refundCreate, "refunds/create", shop, refundJson({ id: 7101n, transactions: [{ amount: "20.00" }] }));
    await deliver(refundCreate, "refunds/create", shop, refundJson({ id: 7102n, transactions: [{ amount: "30.00" }] }));
    // Shopify's own orders/updated after the second refund says so too; a late one from before the refunds does not win.
    expect(await ordersCard(shop)).toEqual([
      expect.objectContaining({ financialStatus: "partially_refunded", totalMinor: 11300, refundedMinor: 5000 }),
    ]);
    await deliver(orderUpdated, "orders/updated", shop, {
      ...paid({
        lines: [{ ...sunglasses, tax: "13.00" }],
        updatedAt: "2026-11-03T11:00:00-05:00",
        financialStatus: "partially_refunded",
      }),
      refunds: [
        refundJson({ id: 7101n, transactions: [{ amount: "20.00" }] }),
        refundJson({ id: 7102n, transactions: [{ amount: "30.00" }] }),
      ],
    });
    await deliver(
      orderUpdated,
      "orders/updated",
      shop,
      paid({ lines: [{ ...sunglasses, tax: "13.00" }], updatedAt: "2026-11-02T10:30:00-05:00" }),
    );
    expect(await ordersCard(shop)).toEqual([
      expect.objectContaining({
        financialStatus: "partially_refunded",
        refundedMinor: 5000,
        pointsEarned: 100,
        pointsReversed: 43,
      }),
    ]);
  });

  it("the full amount back shows the order refunded", async () => {
    const shop = await shopWithMember();
    await installOfflineSession(shop);
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses] }));
    await deliver(
      refundCreate,
      "refunds/create",
      shop,
      refundJson({ id: 7103n, transactions: [{ amount: "100.00" }] }),
    );
    expect(await ordersCard(shop)).toEqual([
      expect.objectContaining({
        financialStatus: "refunded",
        refundedMinor: 10000,
        pointsEarned: 100,
        pointsReversed: 100,
      }),
    ]);
  });
});

describe("refunds follow the money", () => {
  const amountOnly = (id: bigint, amount: string) =>
    refundJson({ id, transactions: [{ amount }], adjustments: [{ kind: "refund_discrepancy", amount: `-${amount}` }] });

  it("a full refund typed as an amount (no refund line items) reverses all 100 and closes the order at 0", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses] }));
    const refund = amountOnly(7201n, "100.00");
    expect(refund.refund_line_items).toEqual([]);
    await deliver(refundCreate, "refunds/create", shop, refund);
    expect(await balance(shop)).toMatchObject({ pointsBalance: 100, lifetimeEarned: 100 });
    expect((await orderEntries(shop)).map((entry) => entry.points)).toEqual([100, -100]);
    expect((await orderRow(shop)).pointsState).toMatchObject({ closed: true, reversed: 100 });
  });

  it("a partial amount refund reverses its share", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses] }));
    await deliver(refundCreate, "refunds/create", shop, amountOnly(7202n, "40.00"));
    expect((await balance(shop)).pointsBalance).toBe(160);
    expect((await orderEntries(shop)).at(-1)?.explanation).toBe("\u221240: refund on order #1042 (40% of 100.00 USD)");
  });

  it("a refund by lines with tax on top reverses the goods it gave back", async () => {
    const shop = await shopWithMember();
    const line = { ...sunglasses, tax: "13.00", taxRate: 0.13 };
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [line] }));
    await deliver(
      refundCreate,
      "refunds/create",
      shop,
      refundJson({ id: 7203n, lines: [{ line, subtotal: "100.00", tax: "13.00" }] }),
    );
    expect((await balance(shop)).pointsBalance).toBe(100);
  });

  it("in a shop whose prices include tax, half the money back is half the points", async () => {
    const shop = await shopWithMember("EUR");
    await deliver(
      orderPaid,
      "orders/paid",
      shop,
      paid({ currency: "EUR", taxesIncluded: true, lines: [{ ...sunglasses, price: "120.00", tax: "20.00" }] }),
    );
    await deliver(
      refundCreate,
      "refunds/create",
      shop,
      refundJson({ id: 7204n, currency: "EUR", transactions: [{ amount: "60.00" }] }),
    );
    expect((await balance(shop)).pointsBalance).toBe(150);
  });

  it("a refund that is only shipping takes no points back, whichever way Shopify records the shipping", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses], shipping: "10.00" }));
    await deliver(
      refundCreate,
      "refunds/create",
      shop,
      refundJson({ id: 7205n, shippingLines: [{ subtotal: "10.00" }] }),
    );
    // An older API version writes the same as a shipping_refund order adjustment.
    await deliver(
      refundCreate,
      "refunds/create",
      shop,
      refundJson({
        id: 7206n,
        transactions: [{ amount: "10.00" }],
        adjustments: [{ kind: "shipping_refund", amount: "-10.00" }],
      }),
    );
    expect((await balance(shop)).pointsBalance).toBe(200);
  });

  it("goods and shipping back together reverse the goods only", async () => {
    const shop = await shopWithMember();
    const line = { ...sunglasses, quantity: 2, price: "50.00" };
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [line], shipping: "10.00" }));
    await deliver(
      refundCreate,
      "refunds/create",
      shop,
      refundJson({
        id: 7207n,
        lines: [{ line, quantity: 1, subtotal: "50.00" }],
        shippingLines: [{ subtotal: "10.00" }],
      }),
    );
    expect((await balance(shop)).pointsBalance).toBe(150);
  });

  it("a refund whose transaction failed takes nothing back; the retry that succeeds does", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses] }));
    const failed = refundJson({
      id: 7208n,
      lines: [{ line: sunglasses, subtotal: "100.00" }],
      transactions: [{ amount: "100.00", status: "failure" }],
    });
    await deliver(refundCreate, "refunds/create", shop, failed);
    expect((await balance(shop)).pointsBalance).toBe(200);
    await deliver(refundCreate, "refunds/create", shop, amountOnly(7209n, "100.00"));
    expect((await balance(shop)).pointsBalance).toBe(100);
  });

  it("a restock that gives no money back takes no points back", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses] }));
    const restock = refundJson({
      id: 7210n,
      restock: true,
      lines: [{ line: sunglasses, subtotal: "100.00", restockType: "return" }],
      transactions: [],
    });
    await deliver(refundCreate, "refunds/create", shop, restock);
    expect((await balance(shop)).pointsBalance).toBe(200);
  });

  it("a return with a 10.00 restocking fee reverses the 90.00 given back", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses] }));
    const returned = refundJson({
      id: 7211n,
      returnId: 945120000000000001n,
      restock: true,
      lines: [{ line: sunglasses, subtotal: "100.00", restockType: "return" }],
      transactions: [{ amount: "90.00" }],
      adjustments: [{ kind: "refund_discrepancy", amount: "10.00", reason: "restock" }],
    });
    await deliver(refundCreate, "refunds/create", shop, returned);
    expect((await balance(shop)).pointsBalance).toBe(110);
    expect((await orderRow(shop)).pointsState.closed).toBe(false);
  });

  it("never takes back more than the order earned, however much money goes back", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses], shipping: "10.00" }));
    await deliver(refundCreate, "refunds/create", shop, amountOnly(7212n, "110.00"));
    await deliver(refundCreate, "refunds/create", shop, amountOnly(7212n, "110.00"));
    expect(await balance(shop)).toMatchObject({ pointsBalance: 100, lifetimeEarned: 100 });
  });

  it("a refunded gift card line takes no points back", async () => {
    const shop = await shopWithMember();
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [giftCard, sunglasses] }));
    await deliver(
      refundCreate,
      "refunds/create",
      shop,
      refundJson({ id: 7213n, lines: [{ line: giftCard, subtotal: "50.00" }] }),
    );
    expect((await balance(shop)).pointsBalance).toBe(200);
  });

  it("a refund that overtakes orders/paid still reverses its share once the payment arrives", async () => {
    const shop = await shopWithMember();
    await deliver(refundCreate, "refunds/create", shop, amountOnly(7214n, "25.00"));
    await deliver(orderPaid, "orders/paid", shop, paid({ lines: [sunglasses] }));
    expect((await balance(shop)).pointsBalance).toBe(175);
  });
});
