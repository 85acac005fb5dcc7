import { drainWebhookQueue } from "~/shopify/webhooks/queue.server";
import type { AllShopsJob } from "../scheduled-job";

/**
 * Deliveries a previous process accepted but never applied (a crash, a deploy), and effects that failed and are due a
 * retry (decision 009): up to 500 a tick. The production server applies fresh deliveries between requests already.
 */
export const drainWebhookQueueJob: AllShopsJob = {
  name: "drain the webhook queue",
  scope: "all shops",
  every: "tick",
  perform: () => drainWebhookQueue(),
};
