import { resolveReservedRewards } from "~/services/rewards/redeem-points.server";
import { shopifyRewardLookup } from "~/shopify/admin/rewards.server";
import { contextFor } from "~/shopify.server";
import type { EveryTickShopJob } from "../scheduled-job";

/**
 * Redemptions a crash left reserved for over two minutes: looked up in Shopify, then confirmed, or their points given
 * back when Shopify certainly has no reward (resolveReservedRewards).
 */
export const settleReservedRewardsJob: EveryTickShopJob = {
  name: "settle reserved rewards",
  scope: "each shop",
  every: "tick",
  perform: ({ shop, graphql }) =>
    resolveReservedRewards({
      ctx: contextFor(shop, "tally-jobs"),
      input: { olderThanMs: 120_000 },
      lookup: shopifyRewardLookup(graphql),
    }),
};
