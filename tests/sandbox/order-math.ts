import type { OrderRecord, RefundLine } from "./store";

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

export interface LineAmounts {
  lineId: string;
  quantity: number;
  grossCents: number;
  discountCents: number;
  /** After the order's discounts, before tax and shipping: what a refund of the whole line gives back as subtotal. */
  subtotalCents: number;
  taxCents: number;
}

/** Each line's share of the order's discount (by gross) and tax (by discounted subtotal). */
export function lineAmounts(o: OrderRecord): LineAmounts[] {
  const gross = o.lines.map((l) => l.quantity * l.unitCents);
  const discounts = allocate(o.discountCents, gross);
  const subtotals = gross.map((g, i) => g - discounts[i]!);
  const taxes = allocate(o.taxCents, subtotals);
  return o.lines.map((l, i) => ({
    lineId: l.id,
    quantity: l.quantity,
    grossCents: gross[i]!,
    discountCents: discounts[i]!,
    subtotalCents: subtotals[i]!,
    taxCents: taxes[i]!,
  }));
}

export interface Refundable {
  lineId: string;
  line: LineAmounts;
  quantity: number;
  subtotalCents: number;
  taxCents: number;
}

/** What each line still has to give back after the order's refunds so far. */
export function refundable(o: OrderRecord): Refundable[] {
  return lineAmounts(o).map((line) => {
    const done = o.refunds.flatMap((r) => r.lines).filter((r) => r.lineId === line.lineId);
    return {
      lineId: line.lineId,
      line,
      quantity: line.quantity - done.reduce((s, r) => s + r.quantity, 0),
      subtotalCents: line.subtotalCents - done.reduce((s, r) => s + r.subtotalCents, 0),
      taxCents: line.taxCents - done.reduce((s, r) => s + r.taxCents, 0),
    };
  });
}

export type PlannedRefundLine = Omit<RefundLine, "id">;

/** Refunds `quantity` units of a line: a proportional share, or exactly what is left when the last units go back. */
export function refundUnits(r: Refundable, quantity: number): PlannedRefundLine {
  if (quantity >= r.quantity)
    return { lineId: r.lineId, quantity: r.quantity, subtotalCents: r.subtotalCents, taxCents: r.taxCents };
  const share = (cents: number) => Math.round((cents * quantity) / r.line.quantity);
  return {
    lineId: r.lineId,
    quantity,
    subtotalCents: Math.min(r.subtotalCents, share(r.line.subtotalCents)),
    taxCents: Math.min(r.taxCents, share(r.line.taxCents)),
  };
}

/**
 * An amount-only refund spread over the lines in proportion to what each still has, split between subtotal and tax
 * the way the order's remainder is. Shopify itself records such a refund with no line items; the sandbox spreads it so
 * an app that reverses points from line subtotals sees the refund too.
 */
export function spreadAmount(rows: Refundable[], amountCents: number): PlannedRefundLine[] {
  const subtotalLeft = rows.reduce((s, r) => s + r.subtotalCents, 0);
  const taxLeft = rows.reduce((s, r) => s + r.taxCents, 0);
  if (subtotalLeft + taxLeft <= 0) return [];
  const subtotalPart = Math.min(subtotalLeft, Math.round((amountCents * subtotalLeft) / (subtotalLeft + taxLeft)));
  const taxPart = Math.min(taxLeft, amountCents - subtotalPart);
  const subtotals = allocate(
    subtotalPart,
    rows.map((r) => r.subtotalCents),
  );
  const taxes = allocate(
    taxPart,
    rows.map((r) => r.taxCents),
  );
  return rows
    .map((r, i) => {
      const subtotalCents = subtotals[i]!;
      const unit = r.line.subtotalCents / Math.max(r.line.quantity, 1);
      const quantity =
        subtotalCents >= r.subtotalCents ? r.quantity : Math.min(r.quantity, Math.floor(subtotalCents / unit));
      return { lineId: r.lineId, quantity, subtotalCents, taxCents: taxes[i]! };
    })
    .filter((l) => l.subtotalCents > 0 || l.taxCents > 0);
}
