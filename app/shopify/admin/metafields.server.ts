import {
  listBalancesToPublish,
  markBalancesPublished,
  markBalancesRefused,
  type BalanceToPublish,
} from "~/services/customers/metafield-balances.server";
import type { ServiceContext } from "~/services/context";
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
const BATCH = 25;

/**
 * Writes changed balances to each customer's points metafield, so Liquid and Shopify Email can show them. Runs off the
 * webhook path, in batches of 25, until nothing is left or `maxBatches` is reached.
 */
export async function publishBalances({
  ctx,
  graphql,
  maxBatches = 40,
}: {
  ctx: ServiceContext;
  graphql: AdminGraphql;
  maxBatches?: number;
}) {
  let published = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const rows: BalanceToPublish[] = await listBalancesToPublish({ ctx, input: { limit: BATCH } });
    if (rows.length === 0) break;
    const data = await adminRequest(graphql, METAFIELDS_SET, {
      variables: {
        metafields: rows.map((row) => ({
          ownerId: row.customerGid,
          ...POINTS_METAFIELD,
          value: String(row.pointsBalance),
        })),
      },
    });
    // metafieldsSet writes all or nothing. A refused entry is named by its index (field ["metafields", "3", ...]):
    // it stops being retried, so one customer Shopify no longer has cannot block the shop, and the batch goes again.
    const errors = data.metafieldsSet?.userErrors ?? [];
    if (errors.length > 0) {
      const refused = new Set(errors.map((error) => Number(error.field?.[1])).filter(Number.isInteger));
      if (refused.size === 0) throw new ShopifyUserErrors("metafieldsSet", errors);
      await markBalancesRefused({ ctx, input: rows.filter((_, index) => refused.has(index)) });
      continue;
    }
    published += (await markBalancesPublished({ ctx, input: rows })).published;
  }
  return { published };
}
