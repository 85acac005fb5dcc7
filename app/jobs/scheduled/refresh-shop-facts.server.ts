import { env } from "~/lib/env.server";
import { recordShopFacts } from "~/services/shops/update-shop-facts.server";
import { fetchShopFacts, fetchStorefrontRoots } from "~/shopify/admin/shop-facts.server";
import { contextFor } from "~/shopify.server";
import type { IntervalShopJob } from "../scheduled-job";

/**
 * Shop facts (currency, time zone, name, the storefront's root URLs per locale, its kind of customer accounts) heal like everything else: a missed shop/update, such as a change of store
 * currency, is read back from Shopify as often as reconciliation runs. Listed after reconciliation, so an install
 * sync starts as early as it can (it takes the orders it finds as pre-install).
 */
export const refreshShopFactsJob: IntervalShopJob = {
  name: "refresh shop facts",
  scope: "each shop",
  every: { job: "shop-facts", seconds: () => env().RECONCILE_INTERVAL_SECONDS },
  async perform({ shop, graphql }) {
    const facts = await fetchShopFacts(graphql);
    const storefrontRoots = await fetchStorefrontRoots(graphql);
    await recordShopFacts({ ctx: contextFor(shop, "tally-jobs"), input: { ...facts, storefrontRoots, at: null } });
    return { result: { ...facts, storefrontRoots } };
  },
};
