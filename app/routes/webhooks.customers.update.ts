import { customerWebhookAction } from "~/shopify/webhooks/shared-actions.server";

// Every customers/* state topic carries the same customer and means the same: sync this version.
export const action = customerWebhookAction("customers/update");
