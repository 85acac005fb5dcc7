import { checkoutWebhookAction } from "~/shopify/shared-webhook-actions.server";

export const action = checkoutWebhookAction("checkouts/create");
