import type { OrderEvent, RefundFact } from "~/domain/ledger";
import { shopifyCustomerStateSchema, toMinor, type CurrencyCode } from "~/domain/shared";
import type { OrderFacts } from "~/services/orders/apply-order-event.server";
import { tagList, type OrderPayload, type RefundPayload } from "./webhook-payloads";

/** The order's own figures, as the directory and profile show them. */
export function orderFactsOf(order: OrderPayload): OrderFacts {
  const currency = order.currency as CurrencyCode;
  return {
    orderGid: order.admin_graphql_api_id,
    name: order.name,
    currency,
    subtotalMinor: toMinor(order.current_subtotal_price, currency),
    totalMinor: order.current_total_price ? toMinor(order.current_total_price, currency) : null,
    financialStatus: order.financial_status ?? null,
    fulfillmentStatus: order.fulfillment_status ?? null,
    discountCodes: order.discount_codes.map((discount) => discount.code),
    cancelledAt: order.cancelled_at ?? null,
    processedAt: order.processed_at ?? order.created_at ?? null,
    updatedAt: order.updated_at ?? null,
    customer: order.customer
      ? {
          customerGid: order.customer.admin_graphql_api_id,
          email: order.customer.email ?? null,
          firstName: order.customer.first_name ?? null,
          lastName: order.customer.last_name ?? null,
          shopifyState: shopifyCustomerStateSchema
            .nullable()
            .catch(null)
            .parse(order.customer.state?.toUpperCase() ?? null),
          tags: tagList(order.customer.tags) ?? null,
        }
      : null,
  };
}

/**
 * The part of the earning base a refund gave back: its refunded line items after discounts, in shop money, without
 * shipping or tax. (A refund of an amount with no line items gives back no base; see the issue note.)
 */
export function refundedBaseMinor(refund: Pick<RefundPayload, "refund_line_items">, currency: CurrencyCode): number {
  return refund.refund_line_items.reduce((sum, line) => {
    const shopMoney = line.subtotal_set?.shop_money;
    if (shopMoney) return sum + toMinor(shopMoney.amount, shopMoney.currency_code as CurrencyCode);
    return sum + toMinor(line.subtotal ?? "0", currency);
  }, 0);
}

export function paidEvent(order: OrderPayload): OrderEvent {
  const facts = orderFactsOf(order);
  return {
    kind: "paid",
    orderGid: facts.orderGid,
    orderName: facts.name,
    subtotalMinor: facts.subtotalMinor,
    currency: facts.currency,
  };
}

export function cancelledEvent(order: OrderPayload): OrderEvent {
  const currency = order.currency as CurrencyCode;
  const refunds: RefundFact[] = order.refunds.map((refund) => ({
    refundGid: refund.admin_graphql_api_id,
    refundedBaseMinor: refundedBaseMinor(refund, currency),
  }));
  return { kind: "cancelled", orderGid: order.admin_graphql_api_id, orderName: order.name, refunds };
}

export function fulfilledEvent(order: OrderPayload, fallbackAt: string): OrderEvent {
  const dates = order.fulfillments
    .map((fulfillment) => fulfillment.created_at)
    .filter((date): date is string => Boolean(date))
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return {
    kind: "fulfilled",
    orderGid: order.admin_graphql_api_id,
    orderName: order.name,
    fulfilledAt: dates[0] ?? order.updated_at ?? fallbackAt,
  };
}

/** `currency` is the shop's, used only for lines that come without shop money. */
export function refundEvent(refund: RefundPayload, currency: CurrencyCode): OrderEvent {
  return {
    kind: "refund",
    orderGid: `gid://shopify/Order/${refund.order_id}`,
    refundGid: refund.admin_graphql_api_id,
    refundedBaseMinor: refundedBaseMinor(refund, currency),
  };
}
