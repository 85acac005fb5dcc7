import { checkoutWebhookAction } from "~/shopify/webhooks/shared-actions.server";

export const action = checkoutWebhookAction("checkouts/update");
