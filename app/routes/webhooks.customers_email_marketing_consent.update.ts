import type { ActionFunctionArgs } from "@remix-run/node";
import { updateEmailConsent } from "~/services/customers/customer-facts.server";
import { handleWebhook } from "~/shopify/handle-webhook.server";
import { emailConsentPayload } from "~/shopify/webhook-payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, emailConsentPayload, ({ ctx, tx, payload, triggeredAt }) =>
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
