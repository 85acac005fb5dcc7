import { mergeCustomers } from "~/services/customers/merge-customers.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";
import { customerMergePayload } from "~/shopify/webhooks/payloads";

// Only a completed merge moves anything; Shopify also reports requested, in-progress and failed ones.
export const action = webhookAction(
  "customers/merge",
  customerMergePayload,
  async ({ ctx, tx, payload, triggeredAt }) => {
    if (payload.status !== "completed") return;
    await mergeCustomers({
      ctx,
      tx,
      input: {
        keptGid: payload.admin_graphql_api_customer_kept_id,
        mergedGid: payload.admin_graphql_api_customer_deleted_id,
        mergedAt: triggeredAt,
      },
    });
  },
);
