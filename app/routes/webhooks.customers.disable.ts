// Same meaning as every customers/* state topic; see shared-webhook-actions.server.ts.
export { customerWebhookAction as action } from "~/shopify/shared-webhook-actions.server";
