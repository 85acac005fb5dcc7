import type { ActionFunctionArgs } from "@remix-run/node";
import { toMinor, type CurrencyCode } from "~/domain/shared";
import { updatePurchasingSummary } from "~/services/customers/customer-facts.server";
import { handleWebhook } from "~/shopify/handle-webhook.server";
import { purchasingSummaryPayload } from "~/shopify/webhook-payloads";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, purchasingSummaryPayload, ({ ctx, tx, payload }) =>
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
