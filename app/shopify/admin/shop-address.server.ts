import { adminRequest, type AdminGraphql } from "./graphql.server";

// `shopAddress`, the address "as it will appear to buyers": Shop.billingAddress is deprecated in 2026-10 in its favour.
const SHOP_POSTAL_ADDRESS = `#graphql
  query TallyShopPostalAddress {
    shop {
      shopAddress {
        formatted(withCompany: true)
      }
    }
  }
`;

/**
 * The shop's postal address as Shopify formats it for the shop's country, one entry a line (the company first, the
 * country last), for the footer of the marketing emails Tally sends (CASL, CAN-SPAM). Empty lines are left out; an
 * empty list when the merchant has filled in no address.
 */
export async function fetchShopPostalAddress(graphql: AdminGraphql): Promise<string[]> {
  const { shop } = await adminRequest(graphql, SHOP_POSTAL_ADDRESS);
  return shop.shopAddress.formatted.map((line) => line.trim()).filter((line) => line !== "");
}
