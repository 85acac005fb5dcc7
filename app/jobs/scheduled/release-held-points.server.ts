import { releaseHeldPoints } from "~/services/ledger/release-held-points.server";
import { contextFor } from "~/shopify.server";
import type { EveryTickShopJob } from "../scheduled-job";

/** Held points become spendable once their pending period after fulfilment is over: up to 500 orders a tick. */
export const releaseHeldPointsJob: EveryTickShopJob = {
  name: "release held points",
  scope: "each shop",
  every: "tick",
  perform: ({ shop }) => releaseHeldPoints({ ctx: contextFor(shop, "tally-jobs"), input: { limit: 500 } }),
};
