import { pruneDeliveries } from "~/services/webhooks/process-webhook.server";
import { contextForAllShops } from "~/shopify.server";
import type { AllShopsJob } from "../scheduled-job";

/** The record of a delivery (ids and topic, no payload) is let go 7 days after it was applied or given up. */
export const pruneDeliveriesJob: AllShopsJob = {
  name: "prune webhook deliveries",
  scope: "all shops",
  every: "tick",
  perform: () => pruneDeliveries({ ctx: contextForAllShops("tally-jobs"), input: { keepDays: 7, limit: 5000 } }),
};
