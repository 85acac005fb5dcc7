import { customerWebhookAction } from "~/shopify/shared-webhook-actions.server";

// Every customers/* state topic carries the same customer and means the same: sync this version.
export const action = customerWebhookAction("customers/disable");
