import { exportCustomerData } from "~/services/compliance/export-customer-data.server";
import { customersDataRequestPayload } from "~/shopify/webhooks/compliance-payloads";
import { webhookAction } from "~/shopify/webhooks/intake.server";

export const action = webhookAction(
  "customers/data_request",
  customersDataRequestPayload,
  async ({ ctx, tx, payload }) =>
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
