import { gid } from "../../ids";
import { moneyFormats } from "../../theme/money-format";
import type { ShopRecord } from "../../shops";
import { countryName } from "../../payloads";
import type { AdminContext, NodeFinders } from "../context";

// Views: plain objects whose properties graphql-js's default resolver reads; functions receive field arguments.

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
    // The store's address (only its country is kept); billingAddress is the deprecated name of the same address.
    shopAddress: () => shopAddressView(shop),
    billingAddress: () => shopAddressView(shop),
    timezoneAbbreviation: "EST",
    plan: { displayName: shop.plan, partnerDevelopment: false, shopifyPlus: false, publicDisplayName: shop.plan },
    primaryDomain: {
      id: gid("Domain", shop.numericId),
      host: shop.domain,
      url: `https://${shop.domain}`,
      sslEnabled: true,
    },
    enabledPresentmentCurrencies: shop.presentmentCurrencies,
  };
}

function shopAddressView(shop: ShopRecord) {
  return {
    __typename: "ShopAddress",
    id: gid("ShopAddress", shop.numericId),
    country: countryName(shop.country),
    countryCodeV2: shop.country,
    countryCode: shop.country,
    coordinatesValidated: false,
    formatted: () => [countryName(shop.country)],
    formattedArea: countryName(shop.country),
  };
}

export const shopNodes: NodeFinders = {
  Shop: (shop, id) => (id === shop.numericId ? shopView(shop) : null),
};

export const shopQueries = (ctx: AdminContext) => ({
  shop: () => shopView(ctx.shop),
});
