import { updateEmailConsent } from "~/services/customers/customer-facts.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";
import { emailConsentPayload } from "~/shopify/webhooks/payloads";

export const action = webhookAction(
  "customers_email_marketing_consent/update",
  emailConsentPayload,
  async ({ ctx, tx, payload, triggeredAt }) =>
    updateEmailConsent({
      ctx,
      tx,
      input: {
        // This topic names the customer by numeric id only; lossless parsing kept all 18 digits.
        customerGid: `gid://shopify/Customer/${payload.customer_id}`,
        state: payload.email_marketing_consent?.state.toUpperCase() ?? "NOT_SUBSCRIBED",
        updatedAt: payload.email_marketing_consent?.consent_updated_at ?? triggeredAt,
      },
    }),
);
