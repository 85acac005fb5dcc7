import { runReferralJobs } from "~/services/referrals/referral-jobs.server";
import { shopifyReferralDiscounts } from "~/shopify/admin/referral-discounts.server";
import { contextFor } from "~/shopify.server";
import type { EveryTickShopJob } from "../scheduled-job";

/**
 * The referral program's off-request work for a shop (runReferralJobs): advocate rewards whose pending period ended
 * released, referral discount codes created, confirmed or deactivated in Shopify, old claim attempts forgotten.
 */
export const settleReferralsJob: EveryTickShopJob = {
  name: "settle referrals",
  scope: "each shop",
  every: "tick",
  perform: ({ shop, graphql }) =>
    runReferralJobs({ ctx: contextFor(shop, "tally-jobs"), gateway: shopifyReferralDiscounts(graphql) }),
};
