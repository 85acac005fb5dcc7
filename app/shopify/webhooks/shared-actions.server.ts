import { recordCheckout } from "~/services/checkouts/record-checkout.server";
import { syncCustomer } from "~/services/customers/sync-customer.server";
import { customerSnapshotOf, embeddedCustomerOf } from "./customer-snapshot";
import { webhookAction } from "./intake.server";
import { checkoutPayload, customerPayload } from "./payloads";

/** customers/create, /update, /enable and /disable carry the same customer and mean the same: sync this version. */
export const customerWebhookAction = (topic: string) =>
  webhookAction(topic, customerPayload, async ({ ctx, tx, payload }) =>
    syncCustomer({ ctx, tx, input: customerSnapshotOf(payload) }),
  );

/** checkouts/create and /update: keep the newest state of the checkout. */
export const checkoutWebhookAction = (topic: string) =>
  webhookAction(topic, checkoutPayload, async ({ ctx, tx, payload, triggeredAt }) =>
    recordCheckout({
      ctx,
      tx,
      input: {
        token: payload.token,
        customer: payload.customer
          ? {
              ...embeddedCustomerOf(payload.customer),
              ...(payload.customer_locale ? { orderLocale: payload.customer_locale } : {}),
            }
          : null,
        email: payload.email ?? null,
        completedAt: payload.completed_at ?? null,
        updatedAt: payload.updated_at ?? triggeredAt,
      },
    }),
  );
