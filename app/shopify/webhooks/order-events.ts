import type { EditFact, OrderEvent, RefundFact } from "~/domain/ledger";
import type { PostalAddress } from "~/domain/referrals";
import { goodsMoneyBack, type GoodsLine } from "~/domain/program";
import { toMinor, type CurrencyCode } from "~/domain/shared";
import type { OrderFacts } from "~/services/orders/apply-order-event.server";
import { embeddedCustomerOf } from "./customer-snapshot";
import { type LineItemPayload, type OrderEditedPayload, type OrderPayload, type RefundPayload } from "./payloads";

type MoneyAmount = { amount: string; currency_code: string };
type MoneySet = { shop_money: MoneyAmount; presentment_money?: MoneyAmount | null } | null | undefined;

/** One side of a money set in minor units: the shop's, or the side in `currency` when asked (presentment). */
function minorOf(set: MoneySet, currency?: string): number {
  if (!set) return 0;
  const side =
    currency && set.shop_money.currency_code !== currency && set.presentment_money?.currency_code === currency
      ? set.presentment_money
      : set.shop_money;
  return toMinor(side.amount, side.currency_code as CurrencyCode);
}

/** The shop-money figure of a set, or the plain decimal Shopify writes beside it in older payloads. */
function shopMinor(set: MoneySet, plain: string | null | undefined, currency: CurrencyCode): number {
  if (set) return minorOf(set);
  return plain ? toMinor(plain, currency) : 0;
}

/** The order's own figures, as the directory and profile show them. */
export function orderFactsOf(order: OrderPayload): OrderFacts {
  const currency = (order.current_subtotal_price_set?.shop_money.currency_code ?? order.currency) as CurrencyCode;
  return {
    orderGid: order.admin_graphql_api_id,
    name: order.name,
    currency,
    subtotalMinor: shopMinor(order.current_subtotal_price_set, order.current_subtotal_price, currency),
    totalMinor:
      order.current_total_price_set || order.current_total_price
        ? shopMinor(order.current_total_price_set, order.current_total_price, currency)
        : null,
    financialStatus: order.financial_status ?? null,
    fulfillmentStatus: order.fulfillment_status ?? null,
    discountCodes: order.discount_codes.map((discount) => discount.code),
    cancelledAt: order.cancelled_at ?? null,
    processedAt: order.processed_at ?? order.created_at ?? null,
    updatedAt: order.updated_at ?? null,
    customer: order.customer
      ? {
          ...embeddedCustomerOf(order.customer),
          defaultAddress: postalAddressOf(order.customer.default_address),
          ...(order.customer_locale ? { orderLocale: order.customer_locale } : {}),
        }
      : null,
    shippingAddress: postalAddressOf(order.shipping_address),
  };
}

function postalAddressOf(address: OrderPayload["shipping_address"]): PostalAddress | null {
  if (!address) return null;
  return {
    address1: address.address1 ?? null,
    address2: address.address2 ?? null,
    city: address.city ?? null,
    zip: address.zip ?? null,
    countryCode: address.country_code ?? null,
  };
}

/**
 * A line item's money for the earning base, in shop money: price × quantity less its discount allocations (order-level
 * discounts included, as Shopify allocates them to lines), its tax lines and duties. Lines without an id (never seen
 * in real payloads) cannot be edited and are keyed by position.
 */
export function goodsLineOf(line: LineItemPayload, index: number, currency: CurrencyCode): GoodsLine {
  const quantity = line.quantity ?? 0;
  const unit = shopMinor(line.price_set, line.price, currency);
  const discounts = line.discount_allocations.reduce(
    (sum, allocation) => sum + shopMinor(allocation.amount_set, allocation.amount, currency),
    0,
  );
  return {
    lineGid: line.admin_graphql_api_id ?? `line-${index}`,
    giftCard: line.gift_card ?? false,
    quantity,
    currentQuantity: line.current_quantity ?? quantity,
    discountedMinor: Math.max(0, unit * quantity - discounts),
    taxMinor: line.tax_lines.reduce((sum, tax) => sum + shopMinor(tax.price_set, tax.price, currency), 0),
    dutiesMinor: line.duties.reduce((sum, duty) => sum + minorOf(duty.price_set), 0),
  };
}

function linesOf(order: OrderPayload, currency: CurrencyCode) {
  return {
    taxesIncluded: order.taxes_included ?? false,
    dutiesIncluded: order.duties_included ?? false,
    lines: order.line_items.map((line, index) => goodsLineOf(line, index, currency)),
  };
}

/**
 * What a refund gave back, read from its money (see `goodsMoneyBack`): the successful refund transactions, less
 * shipping (refund_shipping_lines, or shipping_refund order adjustments in older payloads), duties and gift card lines.
 * Transactions are in the currency the customer paid in; every other figure is read from the same side of its money
 * set. `shopCurrency` is the fallback when a transaction names no currency (Shopify's own sample does not).
 */
export function refundFactOf(refund: Omit<RefundPayload, "order_id">, shopCurrency: CurrencyCode): RefundFact {
  const sets = [
    ...refund.refund_line_items.flatMap((line) => [line.subtotal_set, line.total_tax_set]),
    ...refund.order_adjustments.flatMap((adjustment) => [adjustment.amount_set, adjustment.tax_amount_set]),
    ...refund.refund_shipping_lines.flatMap((line) => [line.subtotal_amount_set, line.tax_amount_set]),
    refund.total_duties_set,
  ].filter((set): set is NonNullable<MoneySet> => Boolean(set));
  const shop = (sets[0]?.shop_money.currency_code ?? shopCurrency) as CurrencyCode;
  const presentment = sets.find((set) => set.presentment_money)?.presentment_money?.currency_code;
  const named = refund.transactions.find((transaction) => transaction.currency)?.currency;
  const currency = (named ?? presentment ?? shop) as CurrencyCode;
  const money = goodsMoneyBack({
    currency,
    transactions: refund.transactions.map((transaction) => ({
      kind: transaction.kind ?? "",
      status: transaction.status ?? "",
      amountMinor: Math.max(0, toMinor(transaction.amount, currency)),
    })),
    shippingLinesMinor: refund.refund_shipping_lines.reduce(
      (sum, line) => sum + minorOf(line.subtotal_amount_set, currency) + minorOf(line.tax_amount_set, currency),
      0,
    ),
    shippingAdjustmentsMinor: Math.max(
      0,
      -refund.order_adjustments
        .filter((adjustment) => adjustment.kind === "shipping_refund")
        .reduce(
          (sum, adjustment) =>
            sum +
            (adjustment.amount_set
              ? minorOf(adjustment.amount_set, currency)
              : toMinor(adjustment.amount ?? "0", currency)) +
            (adjustment.tax_amount_set
              ? minorOf(adjustment.tax_amount_set, currency)
              : toMinor(adjustment.tax_amount ?? "0", currency)),
          0,
        ),
    ),
    dutiesMinor: minorOf(refund.total_duties_set, currency),
    giftCardLinesMinor: refund.refund_line_items
      .filter((line) => line.line_item?.gift_card)
      .reduce((sum, line) => sum + minorOf(line.subtotal_set, currency) + minorOf(line.total_tax_set, currency), 0),
  });
  return {
    refundGid: refund.admin_graphql_api_id,
    currency: money.currency === shop ? null : money.currency,
    goodsBackMinor: money.goodsBackMinor,
    moneyBackMinor: money.moneyBackMinor,
  };
}

/** Shopify's gateway for store credit, in an order's `payment_gateway_names` and a refund's transactions. */
const STORE_CREDIT_GATEWAY = "shopify_store_credit";

/**
 * The order was paid, in part or whole, with store credit: the customer's balance moved at checkout (and moves back
 * when the order is cancelled). Shopify sends no store credit webhook; this is how Tally learns of it (decision 027).
 */
export function paidWithStoreCredit(order: OrderPayload): boolean {
  return (order.payment_gateway_names ?? []).includes(STORE_CREDIT_GATEWAY);
}

/** A refund with a transaction on the store credit gateway that did not fail: credit went back to the customer. */
export function refundedToStoreCredit(refund: RefundPayload): boolean {
  return refund.transactions.some(
    (transaction) =>
      transaction.gateway === STORE_CREDIT_GATEWAY && !["failure", "error"].includes(transaction.status ?? ""),
  );
}

export function paidEvent(order: OrderPayload): OrderEvent {
  const facts = orderFactsOf(order);
  const currency = facts.currency as CurrencyCode;
  const presentment = order.current_subtotal_price_set?.presentment_money;
  const shippingTax = order.shipping_lines.reduce(
    (sum, line) =>
      sum + line.tax_lines.reduce((lineSum, tax) => lineSum + shopMinor(tax.price_set, tax.price, currency), 0),
    0,
  );
  return {
    kind: "paid",
    orderGid: facts.orderGid,
    orderName: facts.name,
    subtotalMinor: facts.subtotalMinor,
    currency,
    ...linesOf(order, currency),
    orderGoodsTaxMinor: Math.max(0, minorOf(order.current_total_tax_set) - shippingTax),
    presentment:
      presentment && presentment.currency_code !== currency
        ? {
            currency: presentment.currency_code,
            subtotalMinor: toMinor(presentment.amount, presentment.currency_code as CurrencyCode),
          }
        : null,
    paidAt: order.updated_at ?? order.processed_at ?? null,
    totalMinor: order.total_price_set ? minorOf(order.total_price_set) : null,
  };
}

/** orders/updated: the order's lines (prices for edits) and its refunds (heals a missed refunds/create). */
export function updatedEvent(order: OrderPayload): OrderEvent {
  const currency = orderFactsOf(order).currency as CurrencyCode;
  return {
    kind: "updated",
    orderGid: order.admin_graphql_api_id,
    orderName: order.name,
    ...linesOf(order, currency),
    refunds: order.refunds.map((refund) => refundFactOf(refund, currency)),
  };
}

export function cancelledEvent(order: OrderPayload): OrderEvent {
  const currency = orderFactsOf(order).currency as CurrencyCode;
  return {
    kind: "cancelled",
    orderGid: order.admin_graphql_api_id,
    orderName: order.name,
    refunds: order.refunds.map((refund) => refundFactOf(refund, currency)),
  };
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

/** `currency` is the shop's, used when the refund's transactions and money sets name none. */
export function refundEvent(refund: RefundPayload, currency: CurrencyCode): OrderEvent {
  return { kind: "refund", orderGid: `gid://shopify/Order/${refund.order_id}`, ...refundFactOf(refund, currency) };
}

/**
 * orders/edited: the edit's line item ids become LineItem GIDs (the key every order payload uses), `delta` the units
 * added or removed. `triggeredAt` stands in for a missing `committed_at`.
 */
export function editedEvent(payload: OrderEditedPayload, triggeredAt: string): OrderEvent {
  const edit = payload.order_edit;
  const lines = (list: Array<{ id: string; delta: number }>) =>
    list.map((line) => ({ lineGid: `gid://shopify/LineItem/${line.id}`, units: line.delta }));
  const fact: EditFact = {
    editId: edit.id,
    committedAt: edit.committed_at ?? edit.created_at ?? triggeredAt,
    additions: lines(edit.line_items.additions),
    removals: lines(edit.line_items.removals),
  };
  return { kind: "edited", orderGid: `gid://shopify/Order/${edit.order_id}`, ...fact };
}
