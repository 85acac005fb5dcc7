import { z } from "zod";
import { formatRecordMoney, mulDivFloor, type CurrencyCode } from "~/domain/shared";

/*
 * The earning base: the goods the customer paid for, after discounts, without tax, shipping, duties, tips or gift
 * cards. Shopify's `current_subtotal_price` is the starting point because its definition already leaves out three of
 * those: it is "after discounts", and shipping and tips are never part of it (tips are line items Shopify keeps out
 * of the subtotal; `total_tip_received` is separate). What the subtotal can still hold is taken out by one rule each:
 *
 * - gift cards: a gift card sold is money held for later, not a sale (`line_items[].gift_card`). Spending the card
 *   later is a payment like any other on an order whose goods earn, so the same money earns once.
 * - tax, when prices include it (`taxes_included`): the subtotal then holds the lines' tax (`line_items[].tax_lines`).
 *   When prices exclude tax the subtotal holds none, so nothing is taken.
 * - duties, when prices include them (`duties_included`): the lines' duties come out the same way.
 *
 * All amounts are shop money (the `shop_money` side of Shopify's *_set fields), so a presentment currency other than
 * the shop's never changes what an order earns. Sources: shopify.dev Order object (`currentSubtotalPriceSet`,
 * `taxesIncluded`, `dutiesIncluded`, `LineItem.isGiftCard`, `LineItem.taxLines`, `nonFulfillableLineItems` on tips)
 * and docs/decisions/011-earning-base-and-refunds.md.
 */

/** One line item's money, in minor units of shop money, for all `quantity` units. */
export const goodsLineSchema = z.object({
  lineGid: z.string().min(1),
  giftCard: z.boolean().default(false),
  /** Units ordered, including units later removed by an edit. */
  quantity: z.int().min(0),
  /** Units still on the order; Shopify's `current_quantity`. */
  currentQuantity: z.int().min(0).optional(),
  /** price × quantity less the line's discount allocations; holds tax (duties) when prices include them. */
  discountedMinor: z.int().min(0),
  /** Sum of the line's `tax_lines`. */
  taxMinor: z.int().min(0).default(0),
  /** Sum of the line's duties. */
  dutiesMinor: z.int().min(0).default(0),
});
export type GoodsLine = z.input<typeof goodsLineSchema>;

export const orderGoodsSchema = z.object({
  /** Shopify's current subtotal in shop money: after discounts, without shipping or tips. */
  subtotalMinor: z.int().min(0),
  taxesIncluded: z.boolean().default(false),
  dutiesIncluded: z.boolean().default(false),
  /**
   * The order's tax on goods (`current_total_tax` less the shipping lines' tax), used only when no line carries its
   * own tax lines, as older or trimmed payloads may.
   */
  orderGoodsTaxMinor: z.int().min(0).default(0),
  lines: z.array(goodsLineSchema).default([]),
});
export type OrderGoods = z.input<typeof orderGoodsSchema>;
export type ParsedGoods = z.output<typeof orderGoodsSchema>;
export type ParsedLine = z.output<typeof goodsLineSchema>;

export type DeductionKind = "gift_cards" | "tax" | "duties";

export interface Deduction {
  kind: DeductionKind;
  amountMinor: number;
}

export interface EarningBase {
  /** What Shopify calls the subtotal, the figure the merchant sees on the order. */
  subtotalMinor: number;
  /** What earns points: the subtotal less every deduction, never below zero. */
  baseMinor: number;
  /** Money the customer paid for the goods that earn: the base plus their tax. Refunds are measured against it. */
  goodsMinor: number;
  deductions: Deduction[];
}

/** A line's figure for the units still on the order: Shopify reports line money for every unit ever ordered. */
function current(line: ParsedLine, amountMinor: number): number {
  const units = line.currentQuantity ?? line.quantity;
  if (line.quantity === 0 || units >= line.quantity) return amountMinor;
  return mulDivFloor(amountMinor, units, line.quantity);
}

// Each rule below parses its input once and hands the parsed goods to the others (`…Of`), so the base of one order
// is validated once, not once per rule (decision 039).

/** Rule: gift cards sold are money held for later. Their lines leave the base whole (price after discounts). */
export function giftCardDeduction(goods: OrderGoods): number {
  return giftCardDeductionOf(orderGoodsSchema.parse(goods));
}

function giftCardDeductionOf(parsed: ParsedGoods): number {
  return parsed.lines
    .filter((line) => line.giftCard)
    .reduce((sum, line) => sum + current(line, line.discountedMinor), 0);
}

/** The tax charged on the goods that earn, whether or not prices include it. */
export function goodsTax(goods: OrderGoods): number {
  return goodsTaxOf(orderGoodsSchema.parse(goods));
}

function goodsTaxOf(parsed: ParsedGoods): number {
  const lines = parsed.lines.filter((line) => !line.giftCard);
  const fromLines = lines.reduce((sum, line) => sum + current(line, line.taxMinor), 0);
  const anyLineTaxed = lines.some((line) => line.taxMinor > 0);
  return anyLineTaxed ? fromLines : parsed.orderGoodsTaxMinor;
}

/** Rule: when prices include tax, the goods' tax comes out of the subtotal; when they exclude it there is none in it. */
export function includedTaxDeduction(goods: OrderGoods): number {
  return includedTaxDeductionOf(orderGoodsSchema.parse(goods));
}

function includedTaxDeductionOf(parsed: ParsedGoods): number {
  return parsed.taxesIncluded ? goodsTaxOf(parsed) : 0;
}

/** Rule: when prices include duties (`duties_included`), the goods' duties come out of the subtotal. */
export function includedDutiesDeduction(goods: OrderGoods): number {
  return includedDutiesDeductionOf(orderGoodsSchema.parse(goods));
}

function includedDutiesDeductionOf(parsed: ParsedGoods): number {
  if (!parsed.dutiesIncluded) return 0;
  return parsed.lines.filter((line) => !line.giftCard).reduce((sum, line) => sum + current(line, line.dutiesMinor), 0);
}

/**
 * The earning base of an order at payment, with what was left out and why. Pure: amounts in minor units of shop money;
 * a base that deductions would take below zero is zero. Shipping, tips and discounts need no rule of their own
 * because Shopify's subtotal is already after discounts and holds neither shipping nor tips.
 */
export function earningBase(goods: OrderGoods): EarningBase {
  return earningBaseOf(orderGoodsSchema.parse(goods));
}

/** `earningBase` of goods already parsed by `orderGoodsSchema` (or a schema that embeds its shape, as order events do). */
export function earningBaseOf(parsed: ParsedGoods): EarningBase {
  const deductions: Deduction[] = [
    { kind: "gift_cards" as const, amountMinor: giftCardDeductionOf(parsed) },
    { kind: "tax" as const, amountMinor: includedTaxDeductionOf(parsed) },
    { kind: "duties" as const, amountMinor: includedDutiesDeductionOf(parsed) },
  ].filter((deduction) => deduction.amountMinor > 0);
  const taken = deductions.reduce((sum, deduction) => sum + deduction.amountMinor, 0);
  const baseMinor = Math.max(0, parsed.subtotalMinor - taken);
  return { subtotalMinor: parsed.subtotalMinor, baseMinor, goodsMinor: baseMinor + goodsTaxOf(parsed), deductions };
}

const deductionLabel: Record<DeductionKind, string> = { gift_cards: "gift cards", tax: "tax", duties: "duties" };

/**
 * "120.00 CAD less 20.00 CAD tax", "170.00 CAD less 50.00 CAD gift cards and 20.00 CAD tax", or "120.00 CAD" when
 * nothing was left out: amounts with their currency, as records write them (the admin words them, decision 052).
 */
export function describeBase(
  base: { subtotalMinor: number; deductions: readonly Deduction[] },
  currency: CurrencyCode,
): string {
  const subtotal = formatRecordMoney(base.subtotalMinor, currency);
  if (base.deductions.length === 0) return subtotal;
  const parts = base.deductions.map(
    (deduction) => `${formatRecordMoney(deduction.amountMinor, currency)} ${deductionLabel[deduction.kind]}`,
  );
  const listed = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
  return `${subtotal} less ${listed}`;
}

/** A line's worth for all its `quantity` units: what it adds to the earning base and to the goods money paid. */
export interface LineValue {
  quantity: number;
  baseMinor: number;
  goodsMinor: number;
}

/**
 * The same rules for one line, for order edits: a gift card line is worth nothing to the base, included tax and
 * duties come out, and the goods money is the base plus the line's tax.
 */
export function lineValue(line: GoodsLine, flags: { taxesIncluded: boolean; dutiesIncluded: boolean }): LineValue {
  return lineValueOf(goodsLineSchema.parse(line), flags);
}

/** `lineValue` of a line already parsed by `goodsLineSchema`. */
export function lineValueOf(parsed: ParsedLine, flags: { taxesIncluded: boolean; dutiesIncluded: boolean }): LineValue {
  if (parsed.giftCard) return { quantity: parsed.quantity, baseMinor: 0, goodsMinor: 0 };
  const inside = (flags.taxesIncluded ? parsed.taxMinor : 0) + (flags.dutiesIncluded ? parsed.dutiesMinor : 0);
  const baseMinor = Math.max(0, parsed.discountedMinor - inside);
  return { quantity: parsed.quantity, baseMinor, goodsMinor: baseMinor + parsed.taxMinor };
}

/** `units` of a line: its base and goods money in proportion, rounded down. */
export function unitsValue(value: LineValue, units: number): { baseMinor: number; goodsMinor: number } {
  if (value.quantity === 0) return { baseMinor: 0, goodsMinor: 0 };
  return {
    baseMinor: mulDivFloor(value.baseMinor, units, value.quantity),
    goodsMinor: mulDivFloor(value.goodsMinor, units, value.quantity),
  };
}
