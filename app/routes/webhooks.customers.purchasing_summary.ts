import { toMinor, type CurrencyCode } from "~/domain/shared";
import { updatePurchasingSummary } from "~/services/customers/customer-facts.server";
import { webhookAction } from "~/shopify/webhooks/intake.server";
import { purchasingSummaryPayload } from "~/shopify/webhooks/payloads";

export const action = webhookAction(
  "customers/purchasing_summary",
  purchasingSummaryPayload,
  async ({ ctx, tx, payload }) =>
    updatePurchasingSummary({
      ctx,
      tx,
      input: {
        customerGid: payload.customerId,
        ordersCount: payload.numberOfOrders,
        amountSpentMinor: toMinor(payload.amountSpent.amount, payload.amountSpent.currencyCode as CurrencyCode),
        currency: payload.amountSpent.currencyCode,
        occurredAt: payload.occurredAt,
      },
    }),
);
