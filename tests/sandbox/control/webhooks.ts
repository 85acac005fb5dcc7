import { normalizeShop } from "../shops";
import type { Fault } from "../webhooks";
import type { ControlDeps } from "./deps";

/** Webhook subscriptions, deliveries and injected faults; `idle` waits for everything in flight. */
export function webhookControl({ webhooks, bulk, appConfig }: ControlDeps) {
  return {
    injectFault: (fault: Fault) => {
      webhooks.injectFault(fault);
      return { queued: fault };
    },
    deliveries: (filter: { shop?: string; topic?: string } = {}) =>
      webhooks.deliveries.filter(
        (d) => (!filter.shop || d.shop === normalizeShop(filter.shop)) && (!filter.topic || d.topic === filter.topic),
      ),
    /** Waits until every webhook delivery and bulk operation in flight has settled. */
    idle: async () => {
      while (bulk.running.size) await Promise.allSettled([...bulk.running]);
      await webhooks.idle();
      return { idle: true };
    },
    subscriptions: () => appConfig.subscriptions,
    addSubscription: (sub: { topic: string; uri: string }) => {
      appConfig.subscriptions.push(sub);
      return appConfig.subscriptions;
    },
  };
}
