import { gid } from "../../ids";
import { lineAmounts } from "../../order-math";
import type { ShopRecord } from "../../shops";
import { CATALOG, type OrderRecord, type RefundRecord } from "../../store/index";
import { connection, countOf, fromList, type ConnectionArgs } from "../connection";
import type { AdminContext, NodeFinders } from "../context";
import type { SearchFields } from "../search";
import { dt, money, moneyBag } from "../values";
import { metafieldsOf } from "./metafields";

export function orderSearch(shop: ShopRecord): SearchFields<OrderRecord> {
  return {
    text: (o) => [`#${o.number}`, String(o.number), o.email],
    fields: {
      id: (o) => o.id,
      name: (o) => `#${o.number}`,
      email: (o) => o.email,
      customer_id: (o) => (o.customerIndex === null ? null : shop.store.id("Customer", o.customerIndex)),
      updated_at: (o) => o.updatedAt,
      created_at: (o) => o.createdAt,
      processed_at: (o) => o.processedAt,
      financial_status: (o) => o.financialStatus,
      fulfillment_status: (o) => (o.fulfillmentStatus === "FULFILLED" ? "shipped" : "unshipped"),
      status: (o) => (o.cancelledAt ? "cancelled" : "open"),
      discount_code: (o) => o.discountCodes.map((d) => d.code),
      test: () => false,
    },
    dates: ["updated_at", "created_at", "processed_at"],
    numbers: ["id"],
  };
}

/** Orders from a position by id; `only` restricts the scan to some orders (a customer's). */
export function scanOrders(shop: ShopRecord, only?: number[]) {
  return function* (fromId: string | null, reverse: boolean): Generator<OrderRecord> {
    const store = shop.store;
    if (only) {
      const sorted = [...only].sort((a, b) => a - b);
      if (reverse) sorted.reverse();
      for (const i of sorted) {
        const o = store.orders.find(i)!;
        if (fromId === null || (reverse ? BigInt(o.id) <= BigInt(fromId) : BigInt(o.id) >= BigInt(fromId))) yield o;
      }
      return;
    }
    let start = reverse ? store.orders.slots - 1 : 0;
    if (fromId !== null) {
      const idx = store.indexOf("Order", fromId);
      const base = BigInt(store.id("Order", 0));
      start =
        idx ?? (BigInt(fromId) < base ? (reverse ? -1 : 0) : reverse ? store.orders.slots - 1 : store.orders.slots);
    }
    yield* store.orders.scan(start, reverse);
  };
}

/** A refund as Admin GraphQL shows it: its money in transactions, its lines, its shipping lines, each paged. */
function refundView(shop: ShopRecord, o: OrderRecord, r: RefundRecord): Record<string, unknown> {
  const cur = shop.currency;
  const given = r.status === "success" ? r.amountCents : 0;
  return {
    __typename: "Refund",
    id: gid("Refund", r.id),
    legacyResourceId: r.id,
    createdAt: dt(r.createdAt),
    updatedAt: dt(r.createdAt),
    processedAt: dt(r.createdAt),
    note: r.note,
    totalRefundedSet: moneyBag(given, cur),
    totalRefunded: money(given, cur),
    duties: [],
    order: () => orderView(shop, o),
    transactions: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList(r.status === null ? [] : [{ id: r.transactionId, status: r.status }], from, rev),
        view: (t) => ({
          __typename: "OrderTransaction",
          id: gid("OrderTransaction", t.id),
          kind: "REFUND",
          status: t.status.toUpperCase(),
          gateway: "bogus",
          amountSet: moneyBag(r.amountCents, cur),
          createdAt: dt(r.createdAt),
          processedAt: dt(r.createdAt),
        }),
      }),
    refundLineItems: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList(r.lines, from, rev),
        view: (l) => {
          const line = o.lines.find((x) => x.id === l.lineId)!;
          return {
            __typename: "RefundLineItem",
            id: gid("RefundLineItem", l.id),
            quantity: l.quantity,
            restockType: l.restockType.toUpperCase(),
            restocked: l.restockType !== "no_restock",
            subtotalSet: moneyBag(l.subtotalCents, cur),
            totalTaxSet: moneyBag(l.taxCents, cur),
            priceSet: moneyBag(line.unitCents, cur),
            lineItem: { __typename: "LineItem", id: gid("LineItem", line.id), isGiftCard: line.giftCard ?? false },
          };
        },
      }),
    refundShippingLines: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList(r.shippingCents > 0 ? [{ id: r.id }] : [], from, rev),
        view: (line) => ({
          __typename: "RefundShippingLine",
          id: gid("RefundShippingLine", line.id),
          subtotalAmountSet: moneyBag(r.shippingCents, cur),
          taxAmountSet: moneyBag(0, cur),
        }),
      }),
  };
}

export function orderView(shop: ShopRecord, o: OrderRecord): Record<string, unknown> {
  const cur = shop.currency;
  const fulfilled = o.fulfillmentStatus === "FULFILLED";
  const amounts = lineAmounts(o);
  const refundedLines = o.refunds.flatMap((r) => r.lines);
  const refundedUnits = (lineId: string) =>
    refundedLines.filter((l) => l.lineId === lineId).reduce((sum, l) => sum + l.quantity, 0);
  return {
    __typename: "Order",
    id: gid("Order", o.id),
    legacyResourceId: o.id,
    name: `#${o.number}`,
    number: o.number - 1000,
    email: o.email,
    confirmationNumber: `SBX${o.number}`,
    createdAt: dt(o.createdAt),
    updatedAt: dt(o.updatedAt),
    processedAt: dt(o.processedAt),
    cancelledAt: dt(o.cancelledAt),
    cancelReason: o.cancelReason,
    closed: false,
    closedAt: null,
    test: false,
    currencyCode: cur,
    presentmentCurrencyCode: cur,
    customer: (_args: unknown, ctx: AdminContext) => {
      const c = o.customerIndex === null ? undefined : shop.store.customers.find(o.customerIndex);
      return c ? ctx.views.customer(shop, c) : null;
    },
    discountCode: o.discountCodes[0]?.code ?? null,
    discountCodes: o.discountCodes.map((d) => d.code),
    paymentGatewayNames: o.payments ? o.payments.map((p) => p.gateway) : ["bogus"],
    transactions: () => [
      ...(
        o.payments ?? [{ gateway: "bogus", amountCents: o.receivedCents ?? o.totalCents, transactionId: `${o.id}0` }]
      ).map((p) => ({
        __typename: "OrderTransaction",
        id: gid("OrderTransaction", p.transactionId),
        kind: "SALE",
        status: "SUCCESS",
        gateway: p.gateway,
        amountSet: moneyBag(p.amountCents, cur),
        createdAt: dt(o.processedAt),
        processedAt: dt(o.processedAt),
      })),
      ...o.refunds
        .filter((r) => r.status !== null)
        .map((r) => ({
          __typename: "OrderTransaction",
          id: gid("OrderTransaction", r.transactionId),
          kind: "REFUND",
          status: r.status!.toUpperCase(),
          gateway: "bogus",
          amountSet: moneyBag(r.amountCents, cur),
          createdAt: dt(r.createdAt),
          processedAt: dt(r.createdAt),
        })),
    ],
    displayFinancialStatus: o.financialStatus,
    displayFulfillmentStatus: fulfilled ? "FULFILLED" : "UNFULFILLED",
    fullyPaid: (o.receivedCents ?? o.totalCents) >= o.totalCents,
    taxesIncluded: o.taxesIncluded ?? false,
    dutiesIncluded: false,
    subtotalPriceSet: moneyBag(o.subtotalCents, cur),
    currentSubtotalPriceSet: moneyBag(
      o.subtotalCents - refundedLines.reduce((sum, l) => sum + l.subtotalCents, 0),
      cur,
    ),
    totalPriceSet: moneyBag(o.totalCents, cur),
    currentTotalPriceSet: moneyBag(o.totalCents - o.refundedCents, cur),
    totalDiscountsSet: moneyBag(o.discountCents + (o.shippingDiscountCents ?? 0), cur),
    currentTotalDiscountsSet: moneyBag(o.discountCents + (o.shippingDiscountCents ?? 0), cur),
    totalTaxSet: moneyBag(o.taxCents, cur),
    currentTotalTaxSet: moneyBag(o.taxCents - refundedLines.reduce((sum, l) => sum + l.taxCents, 0), cur),
    totalShippingPriceSet: moneyBag(o.shippingCents, cur),
    totalTipReceivedSet: moneyBag(0, cur),
    totalRefundedSet: moneyBag(o.refundedCents, cur),
    netPaymentSet: moneyBag((o.receivedCents ?? o.totalCents) - o.refundedCents, cur),
    totalOutstandingSet: moneyBag(o.totalCents - (o.receivedCents ?? o.totalCents), cur),
    shippingLines: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList(o.shippingCents > 0 ? [{ id: String(9_000_000_000 + o.index) }] : [], from, rev),
        view: (line) => ({
          __typename: "ShippingLine",
          id: gid("ShippingLine", line.id),
          title: "Standard",
          code: "Standard",
          isRemoved: false,
          originalPriceSet: moneyBag(o.shippingCents, cur),
          discountedPriceSet: moneyBag(o.shippingCents - (o.shippingDiscountCents ?? 0), cur),
          currentDiscountedPriceSet: moneyBag(o.shippingCents - (o.shippingDiscountCents ?? 0), cur),
          taxLines: [],
          discountAllocations: [],
        }),
      }),
    tags: [],
    note: null,
    sourceName: "web",
    lineItems: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList(o.lines, from, rev),
        view: (l) => {
          const line = amounts.find((a) => a.lineId === l.id)!;
          const current = line.currentQuantity - refundedUnits(l.id);
          return {
            __typename: "LineItem",
            id: gid("LineItem", l.id),
            title: l.title,
            name: l.title,
            sku: l.sku,
            isGiftCard: l.giftCard ?? false,
            quantity: l.quantity,
            currentQuantity: current,
            refundableQuantity: current,
            unfulfilledQuantity: fulfilled ? 0 : current,
            variantTitle: null,
            vendor: shop.name,
            product: null,
            variant: null,
            originalUnitPriceSet: moneyBag(l.unitCents, cur),
            discountedUnitPriceSet: moneyBag(l.unitCents, cur),
            originalTotalSet: moneyBag(l.unitCents * l.quantity, cur),
            discountedTotalSet: () => moneyBag(l.unitCents * l.quantity, cur),
            totalDiscountSet: moneyBag(line.discountCents, cur),
            discountAllocations:
              line.discountCents > 0
                ? [{ __typename: "DiscountAllocation", allocatedAmountSet: moneyBag(line.discountCents, cur) }]
                : [],
            taxLines:
              line.taxCents > 0
                ? [
                    {
                      __typename: "TaxLine",
                      priceSet: moneyBag(line.taxCents, cur),
                      rate: shop.taxRate,
                      title: shop.taxRate === 0.13 ? "HST" : "VAT",
                      channelLiable: false,
                    },
                  ]
                : [],
            duties: [],
            taxable: !l.giftCard,
            requiresShipping: CATALOG[l.productIndex]?.sku !== "GFT-008",
          };
        },
      }),
    fulfillments: () =>
      o.fulfillments.map((f) => ({
        __typename: "Fulfillment",
        id: gid("Fulfillment", f.id),
        legacyResourceId: f.id,
        createdAt: dt(f.createdAt),
        updatedAt: dt(f.createdAt),
        status: "SUCCESS",
        displayStatus: "FULFILLED",
        name: `#${o.number}-F1`,
        deliveredAt: null,
        estimatedDeliveryAt: null,
        inTransitAt: null,
        totalQuantity: o.lines.reduce((s, l) => s + l.quantity, 0),
        trackingInfo: () => [],
      })),
    refunds: (args: { first?: number | null }) =>
      o.refunds.slice(0, args.first ?? undefined).map((r) => refundView(shop, o, r)),
    ...metafieldsOf(shop, gid("Order", o.id)),
  };
}

export const orderNodes: NodeFinders = {
  Order: (shop, id) => {
    const o = shop.store.orders.findById(id);
    return o ? orderView(shop, o) : null;
  },
  Refund: (shop, id) => {
    // Refunds only exist on orders changed since seeding, which all live in the overrides.
    for (const o of shop.store.orders.overrides.values()) {
      const r = o.refunds.find((x) => x.id === id);
      if (r) return refundView(shop, o, r);
    }
    return null;
  },
};

export const orderQueries = (ctx: AdminContext) => {
  const { shop } = ctx;
  return {
    order: ({ id }: { id: string }) => ctx.views.node(shop, id.startsWith("gid://shopify/Order/") ? id : "x"),
    orders: (args: ConnectionArgs) =>
      connection(args, ctx, false, {
        scan: scanOrders(shop),
        view: (o) => orderView(shop, o),
        search: orderSearch(shop),
        sort: { UPDATED_AT: (o) => o.updatedAt, CREATED_AT: (o) => o.createdAt, PROCESSED_AT: (o) => o.processedAt },
      }),
    ordersCount: ({ query, limit }: { query?: string; limit?: number | null }) =>
      countOf(shop.store.orders.scan(), orderSearch(shop), query, limit),
  };
};
