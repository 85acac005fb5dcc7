import type { OrderLine, OrderRecord, RefundLine } from "./store/index";

/** Splits `total` minor units over `weights` in proportion, the rounding remainder going to the largest fractions. */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0 || total === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((s, v) => s + v, 0);
  const order = exact.map((v, i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left -= 1;
  }
  return out;
}

/** A share of a whole-line figure for `units` of its `quantity`, rounded to the nearest minor unit. */
export const unitsShare = (cents: number, units: number, quantity: number) =>
  quantity <= 0 ? 0 : Math.round((cents * units) / quantity);

/**
 * Tax on a taxable amount at `rate`: on top of it, or (when prices include tax) the part of it that is tax. Shopify
 * computes tax per line and rounds each line.
 */
export function taxOn(cents: number, rate: number, included: boolean): number {
  return Math.round(included ? (cents * rate) / (1 + rate) : cents * rate);
}

export interface LineAmounts {
  lineId: string;
  /** Units ordered, including removed ones: what Shopify's line money covers. */
  quantity: number;
  /** Units still on the order after edits (refunds aside). */
  currentQuantity: number;
  giftCard: boolean;
  grossCents: number;
  discountCents: number;
  /** After the order's discounts, without shipping; tax included when the order's prices include it. All units. */
  subtotalCents: number;
  taxCents: number;
}

/**
 * Each line's discount and tax for all its units: as priced when the line was added (orders placed in the sandbox), or
 * for seeded orders spread from the order's figures (discount by gross, tax by discounted subtotal; gift cards take
 * neither).
 */
export function lineAmounts(o: OrderRecord): LineAmounts[] {
  const goods = (l: OrderLine) => (l.giftCard ? 0 : l.quantity * l.unitCents);
  const discounts = allocate(o.discountCents, o.lines.map(goods));
  const subtotals = o.lines.map((l, i) => l.quantity * l.unitCents - discounts[i]!);
  const taxes = allocate(
    o.taxCents,
    subtotals.map((s, i) => (o.lines[i]!.giftCard ? 0 : s)),
  );
  return o.lines.map((l, i) => {
    const discountCents = l.discountCents ?? discounts[i]!;
    const grossCents = l.quantity * l.unitCents;
    return {
      lineId: l.id,
      quantity: l.quantity,
      currentQuantity: l.quantity - (l.removed ?? 0),
      giftCard: l.giftCard ?? false,
      grossCents,
      discountCents,
      subtotalCents: grossCents - discountCents,
      taxCents: l.taxCents ?? taxes[i]!,
    };
  });
}

/** The order's subtotal and tax for the units still on it (edits applied, refunds not). */
export function orderFigures(o: OrderRecord): { subtotalCents: number; taxCents: number } {
  return lineAmounts(o).reduce(
    (sum, line) => ({
      subtotalCents: sum.subtotalCents + unitsShare(line.subtotalCents, line.currentQuantity, line.quantity),
      taxCents: sum.taxCents + unitsShare(line.taxCents, line.currentQuantity, line.quantity),
    }),
    { subtotalCents: 0, taxCents: 0 },
  );
}

export interface Refundable {
  lineId: string;
  line: LineAmounts;
  quantity: number;
  subtotalCents: number;
  taxCents: number;
}

/** What each line still has to give back after the order's edits and refunds so far. */
export function refundable(o: OrderRecord): Refundable[] {
  return lineAmounts(o).map((line) => {
    const done = o.refunds.flatMap((r) => r.lines).filter((r) => r.lineId === line.lineId);
    return {
      lineId: line.lineId,
      line,
      quantity: line.currentQuantity - done.reduce((s, r) => s + r.quantity, 0),
      subtotalCents:
        unitsShare(line.subtotalCents, line.currentQuantity, line.quantity) -
        done.reduce((s, r) => s + r.subtotalCents, 0),
      taxCents:
        unitsShare(line.taxCents, line.currentQuantity, line.quantity) - done.reduce((s, r) => s + r.taxCents, 0),
    };
  });
}

export type PlannedRefundLine = Omit<RefundLine, "id">;

/** Refunds `quantity` units of a line: a proportional share, or exactly what is left when the last units go back. */
export function refundUnits(
  r: Refundable,
  quantity: number,
  restockType: RefundLine["restockType"] = "no_restock",
): PlannedRefundLine {
  if (quantity >= r.quantity)
    return {
      lineId: r.lineId,
      quantity: r.quantity,
      subtotalCents: r.subtotalCents,
      taxCents: r.taxCents,
      restockType,
    };
  return {
    lineId: r.lineId,
    quantity,
    subtotalCents: Math.min(r.subtotalCents, unitsShare(r.line.subtotalCents, quantity, r.line.quantity)),
    taxCents: Math.min(r.taxCents, unitsShare(r.line.taxCents, quantity, r.line.quantity)),
    restockType,
  };
}
