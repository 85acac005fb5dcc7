import { adminRequest, type AdminGraphql } from "./admin-graphql.server";

const SHOP_CURRENCY = `#graphql
  query TallyShopCurrency {
    shop { currencyCode }
  }
`;

export const shopOperations = [SHOP_CURRENCY];

/** The shop's currency: points are earned on amounts in it. */
export async function fetchShopCurrency(graphql: AdminGraphql): Promise<string> {
  const data = await adminRequest<{ shop: { currencyCode: string } }>(graphql, SHOP_CURRENCY);
  return data.shop.currencyCode;
}
