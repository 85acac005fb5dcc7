import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers } from "~/db/schema";
import { defaultSettings } from "~/domain/program";
import { refreshStoreCredit } from "~/jobs/scheduled/refresh-store-credit.server";
import { runShopJobs } from "~/jobs/scheduler.server";
import { loader as directoryLoader } from "~/routes/app.customers";
import { loader as profileLoader } from "~/routes/app.customers_.$id";
import { saveProgram } from "~/services/program/save-program.server";
import { findCustomerIdByGid } from "~/services/storefront/get-storefront-view.server";
import { STORE_CREDIT_RETRY_MS } from "~/services/store-credit/store-credit.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import { contextFor, unauthenticated } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { installThroughAdmin } from "../helpers/in-process-sandbox";
import { useSandboxWithProxyApp } from "../helpers/proxy-app";
import { Shopper } from "../helpers/shopper";
import { sessionTokenRequest } from "../helpers/signed-requests";

// The directory's Store credit column (decision 027) after store credit moves where Tally can know it: a shopper's
// reward, a profile read, a checkout paid with it. Shopify sends no store credit webhook, so each is Tally's own doing.
const sandboxOf = useSandboxWithProxyApp();
const { db } = contextFor("any", "test");

type Args = LoaderFunctionArgs & ActionFunctionArgs;

async function shopWithMember() {
  const shop = await newShopDomain();
  const { control } = sandboxOf();
  control.createShop({ shop, currency: "CAD", presentmentCurrencies: ["CAD", "USD"] });
  await installThroughAdmin(sandboxOf(), shop);
  await saveProgram({
    ctx: contextFor(shop, "staff"),
    input: {
      ...defaultSettings("CAD"),
      redeemOptions: [
        ...defaultSettings("CAD").redeemOptions,
        {
          kind: "store_credit",
          id: "credit",
          title: "20.00 store credit",
          pointsCost: 100,
          amountMinor: 2000,
          minimumSubtotalMinor: 0,
        },
      ],
    },
  });
  const created = control.createCustomerAccount({ shop, email: "noor@example.com", firstName: "Noor" });
  const id = String(created.id).replace(/\D/g, "");
  const shopper = new Shopper(sandboxOf().origin, shop);
  shopper.setCookie("sandbox_customer", id);
  await control.idle();
  const customerId = (await findCustomerIdByGid({
    ctx: contextFor(shop, "test"),
    input: { customerGid: `gid://shopify/Customer/${id}` },
  }))!;
  /** Noor's Store credit cell in the directory, as the merchant reads it (minor units and currency). */
  const directoryFigure = async () => {
    const request = await sessionTokenRequest(shop, "/app/customers?sort=store_credit-desc");
    const { page } = await directoryLoader({ request, params: {}, context: {} });
    const row = page.customers.find((customer) => customer.id === customerId)!;
    return { amountMinor: row.storeCreditMinor, currency: row.storeCreditCurrency };
  };
  const openProfile = async () =>
    profileLoader({
      request: await sessionTokenRequest(shop, `/app/customers/${customerId}`),
      params: { id: String(customerId) },
      context: {},
    } as Args);
  const redeem = (optionId: string) =>
    fetch(`${sandboxOf().origin}/apps/tally/v1/redeem`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: shopper.cookie },
      body: JSON.stringify({ optionId }),
    });
  return { shop, id, shopper, control, customerId, directoryFigure, openProfile, redeem };
}

describe("The directory's store credit figure", () => {
  it("moves when a shopper redeems points for store credit", async () => {
    const { directoryFigure, redeem } = await shopWithMember();
    expect(await directoryFigure()).toEqual({ amountMinor: 0, currency: null });

    const redeemed = await redeem("credit");
    expect(redeemed.status).toBe(200);
    expect((await redeemed.json()).reward).toMatchObject({ kind: "store_credit" });

    expect(await directoryFigure()).toEqual({ amountMinor: 2000, currency: "CAD" });
  });

  it("is healed by opening the profile when Shopify's accounts say otherwise, and a matching read writes nothing", async () => {
    const { shop, id, control, customerId, directoryFigure, openProfile } = await shopWithMember();
    const updatedAt = async () =>
      (await first(db.select({ at: customers.updatedAt }).from(customers).where(eq(customers.id, customerId))))!.at;
    // Issued in Shopify admin: Tally is not told.
    control.creditStoreCredit({ shop, customerId: id, amountCents: 3000 });
    control.creditStoreCredit({ shop, customerId: id, amountCents: 5000, currency: "USD" });
    expect(await directoryFigure()).toEqual({ amountMinor: 0, currency: null });

    const page = await openProfile();
    expect(page.storeCredit.stored).toEqual({ amountMinor: 3000, currency: "CAD" });
    // The shop's currency is the column's, though the USD account holds more.
    expect(await directoryFigure()).toEqual({ amountMinor: 3000, currency: "CAD" });

    const written = await updatedAt();
    await openProfile();
    expect(await updatedAt()).toBe(written);

    control.debitStoreCredit({ shop, customerId: id, amountCents: 1250 });
    await openProfile();
    expect(await directoryFigure()).toEqual({ amountMinor: 1750, currency: "CAD" });
  });

  it("moves after a checkout paid with store credit, read again from Shopify in the background", async () => {
    const { shop, id, control, customerId, directoryFigure, redeem } = await shopWithMember();
    expect((await redeem("credit")).status).toBe(200);
    expect(await directoryFigure()).toEqual({ amountMinor: 2000, currency: "CAD" });

    // The shopper spends $7.00 of it: Shopify's orders/paid names the store credit gateway, and no more.
    const order = control.placeOrder({ shop, customerId: id, useStoreCredit: 700 });
    expect(order.payments).toContainEqual(
      expect.objectContaining({ gateway: "shopify_store_credit", amountCents: 700 }),
    );
    await control.idle();
    const staleAt = async () =>
      (await first(
        db.select({ at: customers.storeCreditStaleAt }).from(customers).where(eq(customers.id, customerId)),
      ))!.at;
    expect(await staleAt()).not.toBeNull();

    await runShopJobs(shop, { force: true });
    expect(await directoryFigure()).toEqual({ amountMinor: 1300, currency: "CAD" });
    expect(await staleAt()).toBeNull();

    // An order paid by card alone says nothing of store credit: nobody is read again.
    control.placeOrder({ shop, customerId: id });
    await control.idle();
    expect(await staleAt()).toBeNull();
  });

  it("reads the others' while Shopify will not give one customer's, and hers again 15 minutes later", async () => {
    const { shop, id, control, customerId, directoryFigure } = await shopWithMember();
    const ada = control.createCustomerAccount({ shop, email: "ada@example.com", firstName: "Ada" });
    const adaId = String(ada.id).replace(/\D/g, "");
    await control.idle();
    const adaCustomerId = (await findCustomerIdByGid({
      ctx: contextFor(shop, "test"),
      input: { customerGid: `gid://shopify/Customer/${adaId}` },
    }))!;
    // Both pay with store credit staff issued in Shopify admin: Noor first, so hers is the oldest mark.
    control.creditStoreCredit({ shop, customerId: id, amountCents: 3000 });
    control.creditStoreCredit({ shop, customerId: adaId, amountCents: 4000 });
    control.placeOrder({ shop, customerId: id, useStoreCredit: 1000 });
    await control.idle();
    control.placeOrder({ shop, customerId: adaId, useStoreCredit: 1500 });
    await control.idle();

    // Shopify answers every read but Noor's (a throttle, an outage of that one call).
    const { admin } = await unauthenticated.admin(shop);
    const noorGid = `gid://shopify/Customer/${id}`;
    let noorReads = 0;
    const graphql: AdminGraphql = async (query, options) => {
      if ((options?.variables as { id?: string } | undefined)?.id === noorGid) {
        noorReads += 1;
        throw new Error("Throttled");
      }
      return admin.graphql(query, options);
    };
    const staleAt = async (customer: number) =>
      (await first(db.select({ at: customers.storeCreditStaleAt }).from(customers).where(eq(customers.id, customer))))!
        .at;

    const before = Date.now();
    expect(await refreshStoreCredit({ shop, graphql, limit: 1 })).toEqual({ refreshed: 0, failed: 1 });
    const postponed = Date.parse((await staleAt(customerId))!);
    expect(postponed).toBeGreaterThanOrEqual(before + STORE_CREDIT_RETRY_MS);

    // The next runs read Ada's, and do not ask for Noor's again until her 15 minutes are up.
    expect(await refreshStoreCredit({ shop, graphql, limit: 1 })).toEqual({ refreshed: 1, failed: 0 });
    expect(await refreshStoreCredit({ shop, graphql, limit: 1 })).toEqual({ refreshed: 0, failed: 0 });
    expect(noorReads).toBe(1);
    expect(await staleAt(adaCustomerId)).toBeNull();
    const request = await sessionTokenRequest(shop, "/app/customers?sort=store_credit-desc");
    const { page } = await directoryLoader({ request, params: {}, context: {} });
    expect(page.customers.find((customer) => customer.id === adaCustomerId)?.storeCreditMinor).toBe(2500);

    // 15 minutes later (her mark moved back, as the clock would have moved on), Shopify answers and her figure heals.
    await db
      .update(customers)
      .set({ storeCreditStaleAt: new Date(postponed - STORE_CREDIT_RETRY_MS - 1000).toISOString() })
      .where(eq(customers.id, customerId));
    expect(await refreshStoreCredit({ shop, graphql: admin.graphql, limit: 1 })).toEqual({ refreshed: 1, failed: 0 });
    expect(await directoryFigure()).toEqual({ amountMinor: 2000, currency: "CAD" });
    expect(await staleAt(customerId)).toBeNull();
  });
});
