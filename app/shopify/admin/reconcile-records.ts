import type { OrderEvent, RefundFact } from "~/domain/ledger";
import { goodsMoneyBack, type GoodsLine } from "~/domain/program";
import { shopifyCustomerStateSchema, toMinor, type CurrencyCode } from "~/domain/shared";
import type { reconcileCustomer } from "~/services/customers/sync-customer.server";
import type { OrderFacts } from "~/services/orders/apply-order-event.server";
import type { LineNode, OrderLinesRead, PagedCustomer, PagedOrder, RefundNode } from "./reconcile-queries.server";
import type { CustomerRecord, OrderRecord } from "./sync-records";

// What reconciliation's reads mean, as the services take them: pure, no I/O. An order becomes the same events its
// webhooks would have delivered (paid, updated, refund, cancelled, fulfilled), through the same money rules, so a
// missed webhook heals into exactly what it would have done.

/** An order as reconciliation reads it: a bulk record, or a paged node with its refunds and fulfilments. */
export type OrderNode = OrderRecord &
  Partial<Pick<PagedOrder, "totalPriceSet" | "taxesIncluded" | "dutiesIncluded">> &
  Pick<PagedOrder, "fulfillments" | "refunds">;

// The paged queries' answers are records of the same shape as the bulk lines, so one sync path takes both.
type Fits<Record, Selected extends Record> = Selected;
export type _PagedCustomerFits = Fits<CustomerRecord, PagedCustomer>;
export type _PagedOrderFits = Fits<OrderNode, PagedOrder>;

const PAID = new Set(["PAID", "PARTIALLY_REFUNDED", "REFUNDED"]);

/** Whether Shopify's financial status says the order was paid (refunds since included). */
export function isPaidInShopify(displayFinancialStatus: string | null | undefined): boolean {
  return PAID.has(displayFinancialStatus ?? "");
}

function minor(money: { shopMoney: { amount: string; currencyCode: string } } | null | undefined): number {
  if (!money) return 0;
  return toMinor(money.shopMoney.amount, money.shopMoney.currencyCode as CurrencyCode);
}

/** A refund read over GraphQL, through the same money rule as the webhook (`goodsMoneyBack`), all in shop money. */
export function refundFactOfNode(refund: RefundNode, currency: CurrencyCode): RefundFact {
  const money = goodsMoneyBack({
    currency,
    transactions: refund.transactions.nodes.map((transaction) => ({
      kind: transaction.kind,
      status: transaction.status,
      amountMinor: Math.max(0, minor(transaction.amountSet)),
    })),
    shippingLinesMinor: refund.refundShippingLines.nodes.reduce(
      (sum, line) => sum + minor(line.subtotalAmountSet) + minor(line.taxAmountSet),
      0,
    ),
    dutiesMinor: (refund.duties ?? []).reduce((sum, duty) => sum + minor(duty.amountSet), 0),
    giftCardLinesMinor: refund.refundLineItems.nodes
      .filter((line) => line.lineItem?.isGiftCard)
      .reduce((sum, line) => sum + minor(line.subtotalSet) + minor(line.totalTaxSet), 0),
  });
  return { refundGid: refund.id, goodsBackMinor: money.goodsBackMinor, moneyBackMinor: money.moneyBackMinor };
}

function goodsLinesOf(lines: LineNode[]): GoodsLine[] {
  return lines.map((line) => {
    const discounts = line.discountAllocations.reduce(
      (sum, allocation) => sum + minor(allocation.allocatedAmountSet),
      0,
    );
    return {
      lineGid: line.id,
      giftCard: line.isGiftCard,
      quantity: line.quantity,
      discountedMinor: Math.max(0, minor(line.originalUnitPriceSet) * line.quantity - discounts),
      taxMinor: line.taxLines.reduce((sum, tax) => sum + minor(tax.priceSet), 0),
      dutiesMinor: line.duties.reduce((sum, duty) => sum + minor(duty.price), 0),
    };
  });
}

/** Tax on the order's goods: its current total tax less the tax on its shipping lines (minor units, shop money). */
function goodsTaxMinor(lines: OrderLinesRead): number {
  const shippingTaxMinor = lines.shippingLines.nodes.reduce(
    (sum, line) => sum + line.taxLines.reduce((lineSum, tax) => lineSum + minor(tax.priceSet), 0),
    0,
  );
  return Math.max(0, minor(lines.currentTotalTaxSet) - shippingTaxMinor);
}

/**
 * Shopify's view of an order, as the same events its webhooks would have delivered. `lines` is given when Tally
 * needs them (a payment it never saw, an edit waiting for prices); without them no payment is replayed.
 */
export function orderEventsOf(
  order: OrderNode,
  refundNodes: RefundNode[],
  lines?: OrderLinesRead,
): { facts: OrderFacts; events: OrderEvent[] } {
  const currency = order.currencyCode as CurrencyCode;
  const refunds = refundNodes.map((refund) => refundFactOfNode(refund, currency));
  const facts: OrderFacts = {
    orderGid: order.id,
    name: order.name,
    currency,
    subtotalMinor: minor(order.subtotalPriceSet),
    totalMinor: order.currentTotalPriceSet ? minor(order.currentTotalPriceSet) : null,
    financialStatus: order.displayFinancialStatus?.toLowerCase() ?? null,
    fulfillmentStatus: order.displayFulfillmentStatus?.toLowerCase() ?? null,
    discountCodes: order.discountCodes,
    cancelledAt: order.cancelledAt ?? null,
    processedAt: order.processedAt,
    updatedAt: order.updatedAt,
    customer: order.customer
      ? {
          customerGid: order.customer.id,
          email: order.customer.defaultEmailAddress?.emailAddress ?? null,
          firstName: order.customer.firstName ?? null,
          lastName: order.customer.lastName ?? null,
        }
      : null,
  };
  const events: OrderEvent[] = [];
  const flags = { taxesIncluded: order.taxesIncluded ?? false, dutiesIncluded: order.dutiesIncluded ?? false };
  const goodsLines = lines ? goodsLinesOf(lines.lines) : [];
  // The base is taken as at payment: subtotalPriceSet is before returns, as orders/paid saw it. Edits committed before
  // this read are already in it, so the read's own time stands in for the payment's.
  if (lines && isPaidInShopify(order.displayFinancialStatus)) {
    events.push({
      kind: "paid",
      orderGid: order.id,
      orderName: order.name,
      subtotalMinor: facts.subtotalMinor,
      currency,
      ...flags,
      lines: goodsLines,
      orderGoodsTaxMinor: goodsTaxMinor(lines),
      paidAt: order.updatedAt,
      totalMinor: order.totalPriceSet ? minor(order.totalPriceSet) : null,
    });
  }
  if (lines) events.push({ kind: "updated", orderGid: order.id, orderName: order.name, ...flags, lines: goodsLines });
  for (const refund of refunds) events.push({ kind: "refund", orderGid: order.id, ...refund });
  if (order.cancelledAt) events.push({ kind: "cancelled", orderGid: order.id, orderName: order.name, refunds });
  const firstFulfilment = order.fulfillments.map((f) => f.createdAt).sort()[0];
  if (firstFulfilment) events.push({ kind: "fulfilled", orderGid: order.id, fulfilledAt: firstFulfilment });
  return { facts, events };
}

/**
 * A customer record as `reconcileCustomer` takes it. `existedBeforeInstall` is true for the install sync's customers:
 * they were Members before Tally, so they get no sign-up bonus.
 */
export function customerInputOf(
  record: CustomerRecord,
  existedBeforeInstall: boolean,
): Parameters<typeof reconcileCustomer>[0]["input"] {
  return {
    snapshot: {
      customerGid: record.id,
      shopifyState: shopifyCustomerStateSchema.catch("DISABLED").parse(record.state),
      updatedAt: record.updatedAt,
      email: record.defaultEmailAddress?.emailAddress ?? null,
      firstName: record.firstName ?? null,
      lastName: record.lastName ?? null,
      phone: record.defaultPhoneNumber?.phoneNumber ?? null,
      city: record.defaultAddress?.city ?? null,
      province: record.defaultAddress?.province ?? null,
      countryCode: record.defaultAddress?.countryCodeV2 ?? null,
      createdAt: record.createdAt,
      ...(typeof record.taxExempt === "boolean" ? { taxExempt: record.taxExempt } : {}),
      ...(record.locale ? { locale: record.locale } : {}),
      ...(record.defaultEmailAddress?.marketingState
        ? {
            emailConsent: {
              state: record.defaultEmailAddress.marketingState,
              updatedAt: record.defaultEmailAddress.marketingUpdatedAt ?? null,
            },
          }
        : {}),
      existedBeforeInstall,
    },
    lastOrderAt: record.lastOrder?.processedAt ?? null,
    tags: record.tags,
    purchasing: record.amountSpent
      ? {
          ordersCount: Number(record.numberOfOrders),
          amountSpentMinor: toMinor(record.amountSpent.amount, record.amountSpent.currencyCode as CurrencyCode),
          currency: record.amountSpent.currencyCode,
        }
      : null,
  };
}
