import { flushErasedData } from "~/services/compliance/flush-erased-data.server";
import { redactCustomer } from "~/services/compliance/redact-customer.server";
import { customersRedactPayload } from "~/shopify/webhooks/compliance-payloads";
import { webhookAction } from "~/shopify/webhooks/intake.server";

export const action = webhookAction(
  "customers/redact",
  customersRedactPayload,
  async ({ ctx, tx, payload }) =>
    redactCustomer({ ctx, tx, input: { customerGid: payload.customer.id, email: payload.customer.email ?? null } }),
  { afterCommit: (ctx) => flushErasedData({ ctx }) },
);
