import { applyRetention } from "~/services/retention/apply-retention.server";
import { contextForAllShops } from "~/shopify.server";
import type { AllShopsJob } from "../scheduled-job";

/** What Tally holds only in passing (checkouts, unapplied payloads, failed attempts) goes when its time is up (README). */
export const applyRetentionJob: AllShopsJob = {
  name: "apply retention",
  scope: "all shops",
  every: "tick",
  perform: () => applyRetention({ ctx: contextForAllShops("tally-jobs"), input: { limit: 5000 } }),
};
