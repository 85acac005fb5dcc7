import { adminRequest, type AdminGraphql } from "./graphql.server";

const SHOP_FACTS = `#graphql
  query TallyShopFacts {
    shop { name currencyCode ianaTimezone }
  }
`;

/** The shop facts Tally keeps (decision 008): its currency, which points are earned in, time zone and name. */
export async function fetchShopFacts(
  graphql: AdminGraphql,
): Promise<{ currency: string; timezone: string | null; name: string | null }> {
  const data = await adminRequest(graphql, SHOP_FACTS);
  return { currency: data.shop.currencyCode, timezone: data.shop.ianaTimezone, name: data.shop.name };
}
