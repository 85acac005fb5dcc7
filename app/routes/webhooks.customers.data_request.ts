import type { ActionFunctionArgs } from "@remix-run/node";
import { exportCustomerData } from "~/services/compliance/export-customer-data.server";
import { customersDataRequestPayload } from "~/shopify/compliance-payloads";
import { handleWebhook } from "~/shopify/handle-webhook.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, customersDataRequestPayload, ({ ctx, tx, payload }) =>
    exportCustomerData({
      ctx,
      tx,
      input: {
        dataRequestId: payload.data_request.id,
        customerGid: payload.customer.id,
        email: payload.customer.email ?? null,
        orderGids: payload.orders_requested,
      },
    }),
  );
