import { adminRequest, ShopifyUserErrors, type AdminGraphql } from "./graphql.server";

/** The app-owned metafield declared in shopify.app.toml ([customer.metafields.app.points]). */
export const POINTS_METAFIELD = { namespace: "$app", key: "points", type: "number_integer" } as const;

const METAFIELDS_SET = `#graphql
  mutation TallyPublishBalances($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { id }
      userErrors { field message code }
    }
  }
`;

/** Shopify takes at most 25 metafields per metafieldsSet call. */
export const METAFIELDS_PER_CALL = 25;

/**
 * Writes each customer's balance (whole points) to their points metafield in one metafieldsSet call (at most
 * METAFIELDS_PER_CALL). metafieldsSet writes all or nothing: a refused entry is named by its index (field
 * ["metafields", "3", ...]), and returned as `refused` (those indexes) with nothing written. Throws ShopifyUserErrors
 * for a refusal that names no entry.
 */
export async function setPointsMetafields(
  graphql: AdminGraphql,
  balances: Array<{ customerGid: string; pointsBalance: number }>,
): Promise<{ refused: ReadonlySet<number> }> {
  const data = await adminRequest(graphql, METAFIELDS_SET, {
    variables: {
      metafields: balances.map((row) => ({
        ownerId: row.customerGid,
        ...POINTS_METAFIELD,
        value: String(row.pointsBalance),
      })),
    },
  });
  const errors = data.metafieldsSet?.userErrors ?? [];
  if (errors.length === 0) return { refused: new Set() };
  const refused = new Set(errors.map((error) => Number(error.field?.[1])).filter(Number.isInteger));
  if (refused.size === 0) throw new ShopifyUserErrors("metafieldsSet", errors);
  return { refused };
}
