import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Shopify } from "@shopify/shopify-api";
import type { Sandbox } from "../sandbox/index";
import { installedShop, sandboxWithClient } from "../sandbox/test-client";

/*
 * Settings > Customer accounts as the Admin API gives them (`Shop.customerAccountsV2`, shopify.dev 2026-10), from the
 * state the sandbox's Liquid reads too (`createShop({ legacyCustomerAccounts, loginLinks })`), changed later by
 * `setCustomerAccounts`.
 */

let sandbox: Sandbox;
let shopify: Shopify;
beforeAll(async () => {
  ({ sandbox, shopify } = await sandboxWithClient());
});
afterAll(async () => sandbox.close());

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
    const { shop, gql } = await installedShop(sandbox, shopify);
    expect((await gql<AccountsData>(ACCOUNTS)).data?.shop.customerAccountsV2).toEqual({
      customerAccountsVersion: "CLASSIC",
      loginLinksVisibleOnStorefrontAndCheckout: true,
      loginRequiredAtCheckout: false,
      url: `https://${shop}/account`,
    });
  });

  it("answers new customer accounts, and hidden login links, as the shop was created", async () => {
    const fresh = await installedShop(sandbox, shopify, { legacyCustomerAccounts: false });
    expect((await fresh.gql<AccountsData>(ACCOUNTS)).data?.shop.customerAccountsV2).toMatchObject({
      customerAccountsVersion: "NEW_CUSTOMER_ACCOUNTS",
      loginLinksVisibleOnStorefrontAndCheckout: true,
      url: expect.stringMatching(/^https:\/\/shopify\.com\/\d+\/account$/),
    });
    const hidden = await installedShop(sandbox, shopify, { loginLinks: false });
    expect((await hidden.gql<AccountsData>(ACCOUNTS)).data?.shop.customerAccountsV2).toMatchObject({
      customerAccountsVersion: "CLASSIC",
      loginLinksVisibleOnStorefrontAndCheckout: false,
    });
  });

  it("follows the merchant's change of Settings > Customer accounts", async () => {
    const { shop, gql } = await installedShop(sandbox, shopify);
    sandbox.control.setCustomerAccounts({ shop, legacyCustomerAccounts: false, loginLinks: false });
    expect((await gql<AccountsData>(ACCOUNTS)).data?.shop.customerAccountsV2).toMatchObject({
      customerAccountsVersion: "NEW_CUSTOMER_ACCOUNTS",
      loginLinksVisibleOnStorefrontAndCheckout: false,
    });
  });
});
