import { markCustomerDeleted } from "~/services/customers/customer-facts.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";
import { customerDeletePayload } from "~/shopify/webhooks/payloads";

// The payload carries no time of its own; X-Shopify-Triggered-At is when Shopify deleted the customer.
export const action = webhookAction(
  "customers/delete",
  customerDeletePayload,
  async ({ ctx, tx, payload, triggeredAt }) =>
    markCustomerDeleted({ ctx, tx, input: { customerGid: payload.admin_graphql_api_id, deletedAt: triggeredAt } }),
);
