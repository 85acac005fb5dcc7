import { adminRequest, type AdminGraphql } from "./graphql.server";

const SHOP_FACTS = `#graphql
  query TallyShopFacts {
    shop {
      name
      currencyCode
      ianaTimezone
      currencyFormats { moneyFormat moneyWithCurrencyFormat }
      shopAddress { countryCodeV2 }
    }
  }
`;

/**
 * The shop facts Tally keeps (decision 008): its currency, which points are earned in, time zone and name, and its
 * money formats, which the storefront writes amounts with (decision 041), and its country, where staff's national
 * phone numbers are read (decision 053; `shopAddress`, since `billingAddress` is deprecated from 2026-01 with the same
 * values).
 */
export async function fetchShopFacts(graphql: AdminGraphql): Promise<{
  currency: string;
  timezone: string | null;
  name: string | null;
  moneyFormat: string;
  moneyWithCurrencyFormat: string;
  country: string | null;
}> {
  const { shop } = await adminRequest(graphql, SHOP_FACTS);
  return {
    currency: shop.currencyCode,
    timezone: shop.ianaTimezone,
    name: shop.name,
    moneyFormat: shop.currencyFormats.moneyFormat,
    moneyWithCurrencyFormat: shop.currencyFormats.moneyWithCurrencyFormat,
    country: shop.shopAddress.countryCodeV2 ?? null,
  };
}
