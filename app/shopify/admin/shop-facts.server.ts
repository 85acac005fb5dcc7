import { adminRequest, type AdminGraphql } from "./graphql.server";

const SHOP_FACTS = `#graphql
  query TallyShopFacts {
    shop {
      name
      currencyCode
      ianaTimezone
      currencyFormats { moneyFormat moneyWithCurrencyFormat }
    }
  }
`;

/**
 * The shop facts Tally keeps (decision 008): its currency, which points are earned in, time zone and name, and its
 * money formats, which the storefront writes amounts with (decision 041).
 */
export async function fetchShopFacts(graphql: AdminGraphql): Promise<{
  currency: string;
  timezone: string | null;
  name: string | null;
  moneyFormat: string;
  moneyWithCurrencyFormat: string;
}> {
  const { shop } = await adminRequest(graphql, SHOP_FACTS);
  return {
    currency: shop.currencyCode,
    timezone: shop.ianaTimezone,
    name: shop.name,
    moneyFormat: shop.currencyFormats.moneyFormat,
    moneyWithCurrencyFormat: shop.currencyFormats.moneyWithCurrencyFormat,
  };
}
