import {
  listBalancesToPublish,
  markBalancesPublished,
  markBalancesRefused,
} from "~/services/customers/metafield-balances.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import { METAFIELDS_PER_CALL, setPointsMetafields } from "~/shopify/admin/metafields.server";
import { contextFor } from "~/shopify.server";
import type { EveryTickShopJob } from "../scheduled-job";

/**
 * Writes changed balances to each customer's points metafield, so Liquid and Shopify Email can show them: off the
 * webhook path, 25 at a time, up to `maxBatches` calls a run. An entry Shopify refuses (a customer it no longer has)
 * stops being retried, so it cannot block the shop, and the rest of its batch goes again.
 */
export async function publishBalances({
  shop,
  graphql,
  maxBatches = 40,
}: {
  shop: string;
  graphql: AdminGraphql;
  maxBatches?: number;
}) {
  const ctx = contextFor(shop, "tally-jobs");
  let published = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const rows = await listBalancesToPublish({ ctx, input: { limit: METAFIELDS_PER_CALL } });
    if (rows.length === 0) break;
    const { refused } = await setPointsMetafields(graphql, rows);
    if (refused.size > 0) {
      await markBalancesRefused({ ctx, input: rows.filter((_, index) => refused.has(index)) });
      continue;
    }
    published += (await markBalancesPublished({ ctx, input: rows })).published;
  }
  return { published };
}

export const publishMetafieldsJob: EveryTickShopJob = {
  name: "publish balances to metafields",
  scope: "each shop",
  every: "tick",
  perform: publishBalances,
};
