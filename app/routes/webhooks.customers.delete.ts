import type { ActionFunctionArgs } from "@remix-run/node";
import { markCustomerDeleted } from "~/services/customers/customer-facts.server";
import { handleWebhook } from "~/shopify/handle-webhook.server";
import { customerDeletePayload } from "~/shopify/webhook-payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, customerDeletePayload, ({ ctx, tx, payload }) =>
    markCustomerDeleted({ ctx, tx, input: { customerGid: payload.admin_graphql_api_id } }),
  );
