// Same meaning as checkouts/create and /update; see shared-webhook-actions.server.ts.
export { checkoutWebhookAction as action } from "~/shopify/shared-webhook-actions.server";
