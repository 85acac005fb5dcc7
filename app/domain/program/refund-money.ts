import { z } from "zod";
import { currencyCodeSchema } from "~/domain/shared";

/*
 * What a refund gave back, read from the money and not from how the refund was typed. Shopify records the same full
 * refund of 100.00 either as refund line items or as an amount with no line items (an order adjustment of kind
 * `refund_discrepancy` then balances the books); a return, a restocking fee or a goodwill amount changes the
 * transactions the same way. The transactions are what the customer got back, so they decide (shopify.dev Refund:
 * "The existence of a Refund object doesn't guarantee that the money has been returned to the customer ... check the
 * status of the associated transactions"):
 *
 * - only transactions of kind `refund` with status `success` count; a pending, failed or errored one gives nothing;
 * - shipping given back is left out: `refund_shipping_lines` (API 2024-10 on) or, in older payloads, order adjustments
 *   of kind `shipping_refund` (their amount is negative: money to the customer). Both describe the same shipping, so
 *   the larger of the two is taken, never their sum;
 * - refunded duties and refunded gift card lines are left out: neither ever earned;
 * - whatever the merchant kept (a restocking fee, a refund typed lower than the lines) is simply money not given back.
 *
 * Amounts are minor units of one currency: the refund transactions' own (the order's presentment currency when it
 * differs from the shop's); every other figure is read from the same side of Shopify's money sets.
 */

export const refundTransactionSchema = z.object({
  kind: z.string(),
  status: z.string(),
  amountMinor: z.int().min(0),
});

export const refundMoneySchema = z.object({
  currency: currencyCodeSchema,
  transactions: z.array(refundTransactionSchema).default([]),
  /** `refund_shipping_lines`: subtotal plus tax. */
  shippingLinesMinor: z.int().min(0).default(0),
  /** Order adjustments of kind `shipping_refund`, as the positive amount given back (amount plus tax, negated). */
  shippingAdjustmentsMinor: z.int().min(0).default(0),
  /** `total_duties_set` of the refund. */
  dutiesMinor: z.int().min(0).default(0),
  /** Refund line items whose line is a gift card: subtotal plus tax. */
  giftCardLinesMinor: z.int().min(0).default(0),
});
export type RefundMoney = z.input<typeof refundMoneySchema>;

export interface GoodsMoneyBack {
  currency: string;
  /** Everything the customer got back. */
  moneyBackMinor: number;
  /** The part of it that paid for goods that earn: what reverses points. */
  goodsBackMinor: number;
}

/** Rule: money given back is the successful refund transactions; anything else (pending, failure, error) is none. */
export function moneyGivenBack(refund: RefundMoney): number {
  return refundMoneySchema
    .parse(refund)
    .transactions.filter(
      (transaction) => transaction.kind.toLowerCase() === "refund" && transaction.status.toLowerCase() === "success",
    )
    .reduce((sum, transaction) => sum + transaction.amountMinor, 0);
}

/** Rule: shipping given back, from whichever of Shopify's two records of it is present (the larger if both are). */
export function shippingGivenBack(refund: RefundMoney): number {
  const parsed = refundMoneySchema.parse(refund);
  return Math.max(parsed.shippingLinesMinor, parsed.shippingAdjustmentsMinor);
}

/**
 * The goods money a refund gave back: the money given back less shipping, duties and gift card lines, never below
 * zero. Pure; amounts in minor units of `refund.currency`.
 */
export function goodsMoneyBack(refund: RefundMoney): GoodsMoneyBack {
  const parsed = refundMoneySchema.parse(refund);
  const moneyBackMinor = moneyGivenBack(parsed);
  const notGoods = shippingGivenBack(parsed) + parsed.dutiesMinor + parsed.giftCardLinesMinor;
  return { currency: parsed.currency, moneyBackMinor, goodsBackMinor: Math.max(0, moneyBackMinor - notGoods) };
}
