import { gid } from "../../ids";
import { moneyFormats } from "../../theme/money-format";
import type { ShopAddressRecord, ShopRecord } from "../../shops";
import type { AdminContext, NodeFinders } from "../context";

// Views: plain objects whose properties graphql-js's default resolver reads; functions receive field arguments.

/**
 * A ShopAddress: `formatted` as Shopify writes a North American address (the company when asked, the street lines,
 * "City ON M5H 1K4", the country), empty lines left out; every field null for a shop with no address.
 */
function shopAddressView(shop: ShopRecord, address: ShopAddressRecord) {
  const area = [address.city, address.provinceCode, address.zip].filter(Boolean).join(" ");
  return {
    __typename: "ShopAddress",
    id: gid("ShopAddress", shop.numericId),
    ...address,
    countryCodeV2: address.countryCode,
    coordinatesValidated: false,
    latitude: null,
    longitude: null,
    phone: null,
    firstName: null,
    lastName: null,
    name: null,
    formatted: ({ withCompany = true }: { withCompany?: boolean }) =>
      [withCompany ? address.company : null, address.address1, address.address2, area, address.country].filter(
        (line): line is string => typeof line === "string" && line !== "",
      ),
    formattedArea: [address.city, address.province, address.country].filter(Boolean).join(", ") || null,
  };
}

export function shopView(shop: ShopRecord) {
  return {
    __typename: "Shop",
    id: gid("Shop", shop.numericId),
    name: shop.name,
    currencyCode: shop.currency,
    // The store's formats (Settings > General > Store currency); emails use the same ones unless changed.
    currencyFormats: () => {
      const formats = moneyFormats(shop.currency);
      return {
        moneyFormat: formats.money,
        moneyWithCurrencyFormat: formats.withCurrency,
        moneyInEmailsFormat: formats.money,
        moneyWithCurrencyInEmailsFormat: formats.withCurrency,
      };
    },
    myshopifyDomain: shop.domain,
    email: shop.email,
    contactEmail: shop.email,
    url: `https://${shop.domain}`,
    ianaTimezone: shop.timezone,
    timezoneAbbreviation: "EST",
    plan: { displayName: shop.plan, partnerDevelopment: false, shopifyPlus: false, publicDisplayName: shop.plan },
    primaryDomain: {
      id: gid("Domain", shop.numericId),
      host: shop.domain,
      url: `https://${shop.domain}`,
      sslEnabled: true,
    },
    enabledPresentmentCurrencies: shop.presentmentCurrencies,
    shopAddress: () => shopAddressView(shop, shop.address),
    // Deprecated in 2026-10 for shopAddress; the sandbox's shop has one address, as a small store does.
    billingAddress: () => shopAddressView(shop, shop.address),
    // Settings > Customer accounts, from the same state Liquid's routes and `shop.customer_accounts_enabled` read.
    // `url`: the account pages' root, the storefront's /account on classic accounts and Shopify's own on new ones.
    customerAccountsV2: {
      __typename: "CustomerAccountsV2",
      customerAccountsVersion: shop.legacyCustomerAccounts ? "CLASSIC" : "NEW_CUSTOMER_ACCOUNTS",
      loginLinksVisibleOnStorefrontAndCheckout: shop.loginLinks,
      loginRequiredAtCheckout: false,
      url: shop.legacyCustomerAccounts
        ? `https://${shop.domain}/account`
        : `https://shopify.com/${shop.numericId}/account`,
    },
  };
}

export const shopNodes: NodeFinders = {
  Shop: (shop, id) => (id === shop.numericId ? shopView(shop) : null),
};

export const shopQueries = (ctx: AdminContext) => ({
  shop: () => shopView(ctx.shop),
});
