import { markCustomerDeleted } from "~/services/customers/customer-facts.server";
import { webhookAction } from "~/shopify/handle-webhook.server";
import { customerDeletePayload } from "~/shopify/webhook-payloads";

export const action = webhookAction("customers/delete", customerDeletePayload, ({ ctx, tx, payload }) =>
  markCustomerDeleted({ ctx, tx, input: { customerGid: payload.admin_graphql_api_id } }),
);
