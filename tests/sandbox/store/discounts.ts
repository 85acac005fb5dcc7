/** What a code takes off: a percentage (0..1) or an amount of the goods, or the shipping. */
export type DiscountValue =
  | { percentage: number }
  | { amountCents: number; appliesOnEachItem?: boolean }
  | { freeShipping: true; maximumShippingCents: number | null };

export interface DiscountCodeRecord {
  id: string;
  codeId: string;
  code: string;
  title: string;
  value: DiscountValue;
  appliesOncePerCustomer: boolean;
  usageLimit: number | null;
  /** Who may use it: everyone, or these customers (numeric ids); `segmentIds`, when set, are members of segments. */
  customerIds: string[] | "all";
  segmentIds?: string[];
  /** Minimum subtotal of the goods (gift cards left out) before discounts, in minor units. */
  minimumSubtotalCents?: number | null;
  startsAt: string;
  endsAt: string | null;
  /** Shopify's asyncUsageCount: orders placed with the code. */
  usageCount: number;
  /** Customers (numeric ids) who have used the code, for appliesOncePerCustomer. */
  usedBy?: string[];
  /** What orders placed with the code came to, in minor units (Shopify's totalSales). */
  totalSalesCents?: number;
  tags?: string[];
  combinesWith?: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  createdAt: string;
  updatedAt: string;
}

/**
 * An automatic discount (discountAutomaticBasicCreate): no code, applied at checkout to every cart it qualifies for
 * (who: everyone, customers, or segment members; a minimum subtotal), an amount or percentage off the order's goods.
 */
export interface AutomaticDiscountRecord {
  id: string;
  title: string;
  value: { percentage: number } | { amountCents: number; appliesOnEachItem?: boolean };
  customerIds: string[] | "all";
  segmentIds?: string[];
  minimumSubtotalCents: number | null;
  startsAt: string;
  endsAt: string | null;
  /** Orders it was applied to (Shopify's asyncUsageCount). */
  usageCount: number;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  createdAt: string;
  updatedAt: string;
}

/** A shop's discount codes, found by code (case-insensitively, as checkout does) without a scan. */
export class DiscountTable {
  readonly all: DiscountCodeRecord[] = [];
  /** Automatic discounts, oldest first: a shop has at most a few dozen, so checkout reads them all. */
  readonly automatic: AutomaticDiscountRecord[] = [];
  private readonly byCode = new Map<string, DiscountCodeRecord>();

  add(record: DiscountCodeRecord) {
    this.all.push(record);
    this.byCode.set(record.code.toLowerCase(), record);
  }

  findByCode(code: string) {
    return this.byCode.get(code.trim().toLowerCase());
  }

  findById(id: string) {
    return this.all.find((d) => d.id === id);
  }

  /** A code changed (discountCodeBasicUpdate): found by its new code, no longer by its old. */
  recode(record: DiscountCodeRecord, code: string) {
    this.byCode.delete(record.code.toLowerCase());
    record.code = code;
    this.byCode.set(code.toLowerCase(), record);
  }

  remove(record: DiscountCodeRecord) {
    this.all.splice(this.all.indexOf(record), 1);
    this.byCode.delete(record.code.toLowerCase());
  }
}

/** A code's status at an instant, as DiscountStatus: not started, running, or over. */
export function discountStatus(d: Pick<DiscountCodeRecord, "startsAt" | "endsAt">, nowMs = Date.now()) {
  if (Date.parse(d.startsAt) > nowMs) return "SCHEDULED" as const;
  if (d.endsAt && Date.parse(d.endsAt) <= nowMs) return "EXPIRED" as const;
  return "ACTIVE" as const;
}
