import { describe, expect, it } from "vitest";
import { defaultSettings } from "~/domain/program";
import { loader as directoryLoader } from "~/routes/app.customers";
import { saveProgram } from "~/services/program/save-program.server";
import { findCustomerIdByGid } from "~/services/storefront/get-storefront-view.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { installThroughAdmin } from "../helpers/in-process-sandbox";
import { useSandboxWithProxyApp } from "../helpers/proxy-app";
import { Shopper } from "../helpers/shopper";
import { sessionTokenRequest } from "../helpers/signed-requests";

// The directory's Store credit column (decision 027) after store credit moves where Tally can know it: a shopper's
// reward, a profile read, a checkout paid with it. Shopify sends no store credit webhook, so each is Tally's own doing.
const sandboxOf = useSandboxWithProxyApp();

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
  const redeem = (optionId: string) =>
    fetch(`${sandboxOf().origin}/apps/tally/v1/redeem`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: shopper.cookie },
      body: JSON.stringify({ optionId }),
    });
  return { shop, id, shopper, control, customerId, directoryFigure, redeem };
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
});
