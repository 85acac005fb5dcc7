import { describe, expect, it } from "vitest";
import { defaultSettings } from "~/domain/program";
import { releaseHeldPoints } from "~/services/ledger/release-held-points.server";
import { setCustomerBlocked } from "~/services/customers/set-blocked.server";
import { findCustomerIdByGid } from "~/services/storefront/get-storefront-view.server";
import { saveProgram } from "~/services/program/save-program.server";
import { changeStoreCredit } from "~/services/store-credit/store-credit.server";
import { shopifyStoreCredit } from "~/shopify/admin/store-credit.server";
import { contextFor, unauthenticated } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { installThroughAdmin } from "../helpers/in-process-sandbox";
import { useSandboxWithProxyApp } from "../helpers/proxy-app";
import { Shopper } from "../helpers/shopper";

// What GET {proxy}/v1/me tells the widget beyond the balance, through the storefront as a shopper reaches it: the
// sandbox's app proxy signs the request and Tally's route answers; customers, orders and fulfilments are made in the
// sandbox and reach Tally as Shopify's webhooks.
const sandboxOf = useSandboxWithProxyApp();

async function shopWith(settings: Partial<ReturnType<typeof defaultSettings>> = {}, currency = "CAD") {
  const shop = await newShopDomain();
  sandboxOf().control.createShop({ shop, currency });
  await installThroughAdmin(sandboxOf(), shop);
  if (Object.keys(settings).length > 0) {
    await saveProgram({ ctx: contextFor(shop, "staff"), input: { ...defaultSettings(currency), ...settings } });
  }
  return shop;
}

async function member(shop: string, email: string) {
  const created = sandboxOf().control.createCustomerAccount({ shop, email, firstName: "Noor" });
  const id = String(created.id).replace(/\D/g, "");
  const shopper = new Shopper(sandboxOf().origin, shop);
  shopper.setCookie("sandbox_customer", id);
  return { id, gid: `gid://shopify/Customer/${id}`, shopper };
}

async function me(shopper: Shopper) {
  await sandboxOf().control.idle();
  const answer = await shopper.get("/apps/tally/v1/me");
  expect(answer.status).toBe(200);
  return JSON.parse(answer.text);
}

describe("GET /v1/me for the storefront widget", () => {
  it("lists each order still holding points and when it releases, soonest first, unfulfilled last", async () => {
    const shop = await shopWith({ pendingDays: 14 });
    const { id, shopper } = await member(shop, "noor@example.com");
    const first = sandboxOf().control.placeOrder({ shop, customerId: id });
    const second = sandboxOf().control.placeOrder({ shop, customerId: id });
    sandboxOf().control.fulfil({ shop, orderId: String(first.id) });
    const view = await me(shopper);

    const earned = (order: typeof first) => Math.floor(order.subtotalCents / 100);
    const name = (order: typeof first) => `#${order.number}`;
    expect(view.customer.pendingPoints).toBe(earned(first) + earned(second));
    expect(view.customer.pendingReleases).toEqual([
      { source: "order", orderName: name(first), points: earned(first), releaseAt: expect.any(String), holdDays: 14 },
      { source: "order", orderName: name(second), points: earned(second), releaseAt: null, holdDays: 14 },
    ]);
    const days = (Date.parse(view.customer.pendingReleases[0].releaseAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);

    // Once released, the order leaves the list and its points are spendable.
    await releaseHeldPoints({
      ctx: { ...contextFor(shop, "tally-jobs"), now: new Date(Date.now() + 15 * 86_400_000) },
      input: { limit: 10 },
    });
    const later = await me(shopper);
    expect(later.customer.pendingReleases).toEqual([
      { source: "order", orderName: name(second), points: earned(second), releaseAt: null, holdDays: 14 },
    ]);
    expect(later.customer.points).toBe(100 + earned(first));
    expect(later.activity[0]).toMatchObject({ kind: "released", points: earned(first), orderName: name(first) });
  });

  it("gives recent activity as kinds the widget translates, newest first, with order names and reward titles", async () => {
    const shop = await shopWith();
    const { id, shopper } = await member(shop, "ines@example.com");
    // The sign-up is applied before the order is placed: activity is newest first by when Tally wrote it, and on
    // PostgreSQL two background batches may apply a customers/create and an orders/paid arriving together either way.
    await sandboxOf().control.idle();
    const order = sandboxOf().control.placeOrder({ shop, customerId: id, lines: [{ productIndex: 0, quantity: 30 }] });
    await sandboxOf().control.idle();
    const redeemed = await shopper.post("/apps/tally/v1/redeem", {});
    expect(redeemed.status).toBe(415);
    const response = await fetch(`${sandboxOf().origin}/apps/tally/v1/redeem`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: shopper.cookie },
      body: JSON.stringify({ optionId: "five-off" }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).reward).toMatchObject({ kind: "fixed_amount_off", used: false });
    sandboxOf().control.refund({ shop, orderId: String(order.id), amountCents: 1000 });

    const view = await me(shopper);
    expect(view.activity.map((entry: { kind: string }) => entry.kind)).toEqual([
      "reversed",
      "redeemed",
      "order",
      "signup",
    ]);
    // The title comes as data too, for the widget to word in the shopper's language (decision 051).
    const terms = {
      kind: "fixed_amount_off",
      value: 500,
      currency: "CAD",
      valueText: "$5.00 CAD",
      minimumSubtotalMinor: 0,
      minimumSubtotalText: null,
    };
    expect(view.activity[1]).toMatchObject({
      points: -500,
      rewardTitle: "$5.00 CAD off",
      rewardTerms: terms,
      orderName: null,
      pending: false,
    });
    expect(view.rewards).toMatchObject([{ title: "$5.00 CAD off", titleTerms: terms }]);
    expect(view.activity[2]).toMatchObject({ rewardTerms: null });
    expect(view.activity[2]).toMatchObject({ orderName: `#${order.number}`, rewardTitle: null });
    expect(view.activity[3]).toMatchObject({ points: 100, orderName: null });
    expect(view.activity[0].points).toBeLessThan(0);
    // Staff notes and the admin's English explanations never reach the storefront.
    expect(JSON.stringify(view.activity)).not.toMatch(/explanation|paid,|×/);
  });

  // Shopify's default formats for a new store in each currency (Settings > General > Store currency).
  it.each([
    { currency: "CAD", money: (amount: string) => `$${amount} CAD`, thousands: "$1,234.56 CAD" },
    { currency: "EUR", money: (amount: string) => `€${amount.replace(".", ",")} EUR`, thousands: "€1.234,56 EUR" },
  ])(
    "writes every amount as a $currency shop formats its money, with the code, and carries minor units beside",
    async ({ currency, money, thousands }) => {
      const shop = await shopWith(
        {
          pointName: "star",
          pointsName: "stars",
          unitMinor: 250,
          redeemOptions: [
            ...defaultSettings(currency).redeemOptions,
            {
              kind: "fixed_amount_off",
              id: "ten-off",
              title: "Ten off",
              pointsCost: 1000,
              amountMinor: 1000,
              minimumSubtotalMinor: 123456,
            },
            {
              kind: "percent_off",
              id: "pct",
              title: "15% off",
              pointsCost: 1500,
              percent: 15,
              minimumSubtotalMinor: 0,
            },
            { kind: "free_shipping", id: "ship", title: "Free shipping", pointsCost: 300, minimumSubtotalMinor: 0 },
            {
              kind: "store_credit",
              id: "credit",
              // The title Tally itself would give it.
              title: "20.00 store credit",
              pointsCost: 2000,
              amountMinor: 2000,
              minimumSubtotalMinor: 0,
            },
          ],
        },
        currency,
      );
      const view = await me(new Shopper(sandboxOf().origin, shop));
      expect(view.customer).toBeNull();
      expect(view.activity).toEqual([]);
      expect(view.program).toMatchObject({
        pointsName: "stars",
        pointName: "star",
        currency,
        earn: [
          {
            kind: "order",
            points: 1,
            unitMinor: 250,
            unitText: money("2.50"),
            description: `1 star per ${money("2.50")} spent`,
          },
          { kind: "signup", points: 100, description: "100 stars for creating an account" },
        ],
        redeem: [
          // The default's title was generated by Tally ("5.00 off"): it reads as the shop writes money.
          // Its terms let the widget word it in the shopper's language (decision 051).
          {
            id: "five-off",
            title: `${money("5.00")} off`,
            amountMinor: 500,
            amountText: money("5.00"),
            titleTerms: {
              kind: "fixed_amount_off",
              value: 500,
              currency,
              valueText: money("5.00"),
              minimumSubtotalMinor: 0,
              minimumSubtotalText: null,
            },
          },
          // The merchant's own title is theirs, in every language; the amounts beside it are written as the shop does.
          {
            id: "ten-off",
            title: "Ten off",
            titleTerms: null,
            value: "10.00",
            amountMinor: 1000,
            amountText: money("10.00"),
            minimumSubtotalMinor: 123456,
            minimumSubtotalText: thousands,
          },
          // Titles that only say what the reward is, in any case, are worded by the widget too.
          {
            id: "pct",
            value: 15,
            amountMinor: null,
            amountText: null,
            percent: 15,
            minimumSubtotalText: null,
            titleTerms: { kind: "percent_off", value: 15, valueText: null },
          },
          {
            id: "ship",
            value: null,
            amountMinor: null,
            amountText: null,
            percent: null,
            titleTerms: { kind: "free_shipping", value: null, valueText: null },
          },
          {
            id: "credit",
            title: `${money("20.00")} store credit`,
            amountText: money("20.00"),
            titleTerms: { kind: "store_credit", value: 2000, currency, valueText: money("20.00") },
          },
        ],
      });
      // No amount anywhere in the answer is a bare number: each carries the shop's symbol and code.
      const texts = JSON.stringify(view.program).match(/[^"]*\d[.,]\d\d[^"]*/g) ?? [];
      expect(texts.length).toBeGreaterThan(5);
      for (const text of texts.filter((t) => !/^\d+(\.\d+)?$/.test(t))) expect(text).toContain(currency);
    },
  );

  it("tells a shopper the store credit staff gave them, in the shop's money format, and nothing once it is spent", async () => {
    for (const [currency, fifteen] of [
      ["CAD", "$15.00 CAD"],
      ["EUR", "€15,00 EUR"],
      ["JPY", "¥1,500 JPY"],
    ] as const) {
      const shop = await shopWith({}, currency);
      const { gid, shopper } = await member(shop, "credit@example.com");
      expect((await me(shopper)).customer.storeCredit).toBeNull();
      const ctx = contextFor(shop, "staff");
      const customerId = (await findCustomerIdByGid({ ctx, input: { customerGid: gid } }))!;
      const { admin } = await unauthenticated.admin(shop);
      const change = (direction: "issue" | "deduct", amountMinor: number) =>
        changeStoreCredit({
          ctx,
          input: {
            direction,
            amountMinor,
            currency,
            expiresOn: null,
            reason: "Parcel late",
            requestId: crypto.randomUUID(),
            customerId,
          },
          shopify: shopifyStoreCredit(admin.graphql),
        });
      // 1500 minor units: 15.00 in two-decimal currencies, 1,500 yen.
      const amountMinor = 1500;
      await change("issue", amountMinor);
      expect((await me(shopper)).customer.storeCredit, currency).toEqual({ amountMinor, currency, text: fifteen });
      await change("deduct", amountMinor);
      expect((await me(shopper)).customer.storeCredit, currency).toBeNull();
    }
  });

  it("tells a blocked customer only that they are blocked; the widget shows a neutral message", async () => {
    const shop = await shopWith();
    const { gid, shopper } = await member(shop, "blocked@example.com");
    await sandboxOf().control.idle();
    const ctx = contextFor(shop, "staff");
    const customerId = await findCustomerIdByGid({ ctx, input: { customerGid: gid } });
    await setCustomerBlocked({ ctx, input: { customerId: customerId!, blocked: true } });
    const view = await me(shopper);
    expect(view.customer).toMatchObject({ known: true, blocked: true });
  });
});
