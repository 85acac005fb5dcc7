import type { WebhookDelivery } from "~/services/webhooks/process-webhook.server";

interface AuthenticatedWebhook {
  topic: string | number | symbol;
  webhookId: string;
  eventId?: string;
  apiVersion: string;
  triggeredAt?: string;
}

/** The delivery facts Tally records, taken from what the library verified. */
export function deliveryOf(webhook: AuthenticatedWebhook): WebhookDelivery {
  return {
    webhookId: webhook.webhookId,
    eventId: webhook.eventId ?? null,
    topic: String(webhook.topic),
    apiVersion: webhook.apiVersion || null,
    triggeredAt: webhook.triggeredAt ?? null,
  };
}
