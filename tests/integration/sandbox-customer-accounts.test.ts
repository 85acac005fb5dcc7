import { describe, expect, it } from "vitest";
import { useSandboxWithClient } from "../helpers/sandbox-with-client";
import { Shopper } from "../helpers/shopper";

/*
 * Settings > Customer accounts as the Admin API gives them (`Shop.customerAccountsV2`, shopify.dev 2026-10), from the
 * state the sandbox's Liquid reads too (`createShop({ legacyCustomerAccounts, loginLinks })`), changed later by
 * `setCustomerAccounts`.
 */

const { sandbox, shopify, app, installedShop } = useSandboxWithClient();

const ACCOUNTS = `#graphql
  query Accounts {
    shop {
      customerAccountsV2 { customerAccountsVersion loginLinksVisibleOnStorefrontAndCheckout loginRequiredAtCheckout url }
    }
  }`;

interface AccountsData {
  shop: {
    customerAccountsV2: {
      customerAccountsVersion: string;
      loginLinksVisibleOnStorefrontAndCheckout: boolean;
      loginRequiredAtCheckout: boolean;
      url: string | null;
    };
  };
}

describe("sandbox shop.customerAccountsV2", () => {
  it("answers classic accounts with login links shown for a shop created without options", async () => {
    const { shop, gql } = await installedShop();
    expect((await gql<AccountsData>(ACCOUNTS)).data?.shop.customerAccountsV2).toEqual({
      customerAccountsVersion: "CLASSIC",
      loginLinksVisibleOnStorefrontAndCheckout: true,
      loginRequiredAtCheckout: false,
      url: `https://${shop}/account`,
    });
  });

  it("answers new customer accounts, and hidden login links, as the shop was created", async () => {
    const fresh = await installedShop({ legacyCustomerAccounts: false });
    expect((await fresh.gql<AccountsData>(ACCOUNTS)).data?.shop.customerAccountsV2).toMatchObject({
      customerAccountsVersion: "NEW_CUSTOMER_ACCOUNTS",
      loginLinksVisibleOnStorefrontAndCheckout: true,
      url: expect.stringMatching(/^https:\/\/shopify\.com\/\d+\/account$/),
    });
    const hidden = await installedShop({ loginLinks: false });
    expect((await hidden.gql<AccountsData>(ACCOUNTS)).data?.shop.customerAccountsV2).toMatchObject({
      customerAccountsVersion: "CLASSIC",
      loginLinksVisibleOnStorefrontAndCheckout: false,
    });
  });

  it("follows the merchant's change of Settings > Customer accounts", async () => {
    const { shop, gql } = await installedShop();
    sandbox().control.setCustomerAccounts({ shop, legacyCustomerAccounts: false, loginLinks: false });
    expect((await gql<AccountsData>(ACCOUNTS)).data?.shop.customerAccountsV2).toMatchObject({
      customerAccountsVersion: "NEW_CUSTOMER_ACCOUNTS",
      loginLinksVisibleOnStorefrontAndCheckout: false,
    });
  });
});

describe("sandbox sign-in to new customer accounts", () => {
  const READ = `query Read($id: ID!) { customer(id: $id) { state verifiedEmail } }`;
  const signIn = (shop: string, email: string) =>
    new Shopper(sandbox().origin, shop).post("/customer_authentication/login", { return_to: "/", email });
  const received = (id: string) =>
    app().received.filter((r) => (r.json as { admin_graphql_api_id?: string }).admin_graphql_api_id === id);

  // shopify.dev changelog, 2026-10-28: a first sign-in to customer accounts sets Customer.state to ENABLED and sends
  // customers/enable and customers/update, as account activation does in classic accounts.
  it("enables a Guest at her first sign-in and sends customers/update and customers/enable, signed as every webhook", async () => {
    const { shop, gql } = await installedShop({ legacyCustomerAccounts: false });
    const guest = sandbox().control.createCustomer({ shop, email: "gwen@example.com", state: "DISABLED" });
    await sandbox().control.idle();
    expect((await signIn(shop, "gwen@example.com")).status).toBe(302);
    await sandbox().control.idle();
    const gid = `gid://shopify/Customer/${guest.id}`;
    expect((await gql(READ, { id: gid })).data?.customer).toEqual({ state: "ENABLED", verifiedEmail: true });
    const topics = received(gid).map((r) => r.topic);
    expect(topics).toEqual(["customers/create", "customers/update", "customers/enable"]);
    for (const delivery of received(gid).slice(1)) {
      expect(delivery.json).toMatchObject({ state: "enabled", email: "gwen@example.com" });
      const check = await shopify().webhooks.validate({
        rawBody: delivery.body,
        rawRequest: { method: "POST", url: "/webhooks", headers: delivery.headers },
      });
      expect(check).toMatchObject({ valid: true, domain: shop, apiVersion: "2026-10" });
    }

    // Her next sign-in is not a first one: nothing changes and nothing is sent.
    expect((await signIn(shop, "gwen@example.com")).status).toBe(302);
    await sandbox().control.idle();
    expect(received(gid)).toHaveLength(3);
  });

  it("makes the account of a first-time shopper, sending customers/create of an enabled customer only", async () => {
    const { shop } = await installedShop({ legacyCustomerAccounts: false });
    const before = app().received.length;
    expect((await signIn(shop, "nell@example.com")).status).toBe(302);
    await sandbox().control.idle();
    const made = app()
      .received.slice(before)
      .filter((r) => r.topic.startsWith("customers/"));
    expect(made.map((r) => [r.topic, r.json.state])).toEqual([["customers/create", "enabled"]]);
  });
});
