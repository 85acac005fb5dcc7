import type { AddressRecord } from "../store/index";
import { type ControlDeps, customerId, orderId, shopOf } from "./deps";

/** Orders from checkout to refund, as a shopper places them and a merchant changes them. */
export function orderControl({ shops, ops }: ControlDeps) {
  return {
    placeOrder: (input: {
      shop: string;
      customerId?: string | null;
      email?: string;
      lines?: { productIndex: number; quantity: number }[];
      discountCode?: string;
      /** Shipping charged on the order (untaxed), in minor units. */
      shippingCents?: number;
      /** Pay with the customer's store credit: all it covers (true), or up to this many minor units. */
      useStoreCredit?: boolean | number;
      /** Where it ships (address1, city, zip, countryCode...); by default the customer's address. */
      shippingAddress?: Partial<AddressRecord>;
    }) =>
      ops.orders.place(shopOf(shops, input.shop), {
        ...(input.customerId ? { customerId: customerId(input.customerId) } : {}),
        ...(input.email ? { email: input.email } : {}),
        ...(input.discountCode ? { discountCode: input.discountCode } : {}),
        ...(input.shippingCents ? { shippingCents: Number(input.shippingCents) } : {}),
        ...(input.useStoreCredit ? { useStoreCredit: input.useStoreCredit } : {}),
        ...(input.shippingAddress ? { shippingAddress: input.shippingAddress } : {}),
        lines: input.lines ?? [{ productIndex: 0, quantity: 1 }],
      }),
    /**
     * A staff order edit, committed at once: units added (new line items) and removed (by line item id). Fires
     * orders/edited and orders/updated, as Shopify does.
     */
    editOrder: (input: {
      shop: string;
      orderId: string;
      add?: { productIndex: number; quantity: number }[];
      remove?: { lineItemId: string; quantity: number }[];
    }) =>
      ops.orders.edit(shopOf(shops, input.shop), orderId(input.orderId), {
        add: input.add ?? [],
        remove: input.remove ?? [],
      }),
    fulfil: ({ shop, orderId: id }: { shop: string; orderId: string }) =>
      ops.orders.fulfil(shopOf(shops, shop), orderId(id)),
    /**
     * Refunds whole line units, an amount typed without lines (recorded as Shopify does: no refund line items, one
     * transaction, a refund_discrepancy adjustment), or with neither everything left. Options: shipping given back, a
     * restocking fee kept on a return, a transaction that fails, a restock with no money.
     */
    refund: ({
      shop,
      orderId: id,
      lines,
      amountCents,
      note,
      ...options
    }: {
      shop: string;
      orderId: string;
      lines?: { lineItemId: string; quantity: number }[];
      amountCents?: number | string;
      note?: string;
      shippingCents?: number;
      restockingFeeCents?: number;
      viaReturn?: boolean;
      transactionStatus?: "success" | "failure";
      restockOnly?: boolean;
    }) =>
      ops.orders.refund(shopOf(shops, shop), orderId(id), {
        ...(lines ? { lines } : {}),
        ...(amountCents !== undefined && amountCents !== "" ? { amountCents: Number(amountCents) } : {}),
        ...(note ? { note } : {}),
        ...options,
      }),
    cancel: ({ shop, orderId: id, reason }: { shop: string; orderId: string; reason?: string }) =>
      ops.orders.cancel(shopOf(shops, shop), orderId(id), reason),
    abandonCheckout: (input: { shop: string; customerId?: string; email?: string; productIndex?: number }) =>
      ops.orders.abandonCheckout(shopOf(shops, input.shop), {
        ...(input.customerId ? { customerId: customerId(input.customerId) } : {}),
        ...(input.email ? { email: input.email } : {}),
        ...(input.productIndex !== undefined ? { productIndex: input.productIndex } : {}),
      }),
  };
}
