import { z } from "zod";

// Only the fields Tally reads. Shopify adds fields freely, so unknown keys are ignored rather than rejected. Numeric
// ids are read as exact strings (see lossless-json.ts); Tally keys everything on admin_graphql_api_id where present.

const id = z.union([z.string(), z.number()]).transform(String);
const money = z.union([z.string(), z.number()]).transform(String);
const gid = (type: string) => z.string().startsWith(`gid://shopify/${type}/`);

export const scopesUpdatePayload = z.object({ current: z.array(z.string()) });

const address = z
  .object({
    // The street is read only for the referral program's shared-address signal, which keeps a hash of it.
    address1: z.string().nullish(),
    address2: z.string().nullish(),
    zip: z.string().nullish(),
    city: z.string().nullish(),
    province: z.string().nullish(),
    country_code: z.string().nullish(),
  })
  .nullish();

export const customerPayload = z.object({
  admin_graphql_api_id: gid("Customer"),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone: z.string().nullish(),
  state: z.string().transform((value) => value.toUpperCase()),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  currency: z.string().nullish(),
  default_address: address,
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  tax_exempt: z.boolean().nullish(),
});
export type CustomerPayload = z.infer<typeof customerPayload>;

export const customerDeletePayload = z.object({ admin_graphql_api_id: gid("Customer") });

export const purchasingSummaryPayload = z.object({
  customerId: gid("Customer"),
  numberOfOrders: z.coerce.number().int().nonnegative(),
  amountSpent: z.object({ amount: money, currencyCode: z.string() }),
  occurredAt: z.string(),
});

export const customerTagsPayload = z.object({
  customerId: gid("Customer"),
  tags: z.array(z.string()),
  occurredAt: z.string(),
});

export const emailConsentPayload = z.object({
  customer_id: id,
  email_address: z.string().nullish(),
  email_marketing_consent: z.object({ state: z.string(), consent_updated_at: z.string().nullish() }).nullish(),
});

const moneyAmount = z.object({ amount: money, currency_code: z.string() });
/** Shopify's money sets: shop money always, presentment money (what the customer paid in) alongside. */
const moneySet = z.object({ shop_money: moneyAmount, presentment_money: moneyAmount.nullish() });
const taxLines = z.array(z.object({ price: money.nullish(), price_set: moneySet.nullish() })).default([]);

/** A line item as order and refund payloads carry it; only what the earning base and order edits read. */
const lineItem = z.object({
  admin_graphql_api_id: gid("LineItem").nullish(),
  gift_card: z.boolean().nullish(),
  quantity: z.coerce.number().int().nonnegative().nullish(),
  current_quantity: z.coerce.number().int().nonnegative().nullish(),
  price: money.nullish(),
  price_set: moneySet.nullish(),
  discount_allocations: z.array(z.object({ amount: money.nullish(), amount_set: moneySet.nullish() })).default([]),
  tax_lines: taxLines,
  duties: z.array(z.object({ price_set: moneySet.nullish() })).default([]),
});
export type LineItemPayload = z.infer<typeof lineItem>;

export const refundPayload = z.object({
  admin_graphql_api_id: gid("Refund"),
  order_id: id,
  created_at: z.string().nullish(),
  refund_line_items: z
    .array(
      z.object({
        subtotal_set: moneySet.nullish(),
        subtotal: money.nullish(),
        total_tax_set: moneySet.nullish(),
        line_item: z.object({ gift_card: z.boolean().nullish() }).nullish(),
      }),
    )
    .default([]),
  transactions: z
    .array(
      z.object({
        kind: z.string().nullish(),
        status: z.string().nullish(),
        amount: money,
        currency: z.string().nullish(),
        gateway: z.string().nullish(),
      }),
    )
    .default([]),
  order_adjustments: z
    .array(
      z.object({
        kind: z.string().nullish(),
        amount: money.nullish(),
        tax_amount: money.nullish(),
        amount_set: moneySet.nullish(),
        tax_amount_set: moneySet.nullish(),
      }),
    )
    .default([]),
  refund_shipping_lines: z
    .array(z.object({ subtotal_amount_set: moneySet.nullish(), tax_amount_set: moneySet.nullish() }))
    .default([]),
  total_duties_set: moneySet.nullish(),
});
export type RefundPayload = z.infer<typeof refundPayload>;

/** A street address, only as far as the referral program's shared-address signal compares it. */
const postalAddress = z
  .object({
    address1: z.string().nullish(),
    address2: z.string().nullish(),
    city: z.string().nullish(),
    zip: z.string().nullish(),
    country_code: z.string().nullish(),
  })
  .nullish();

/**
 * The customer an order or a checkout embeds: a REST customer with its own created_at and updated_at (Shopify's
 * samples leave them null), whose contact details Tally keeps (ensureEmbeddedCustomer).
 */
const embeddedCustomerPayload = z.object({
  admin_graphql_api_id: gid("Customer"),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone: z.string().nullish(),
  state: z.string().nullish(),
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  tax_exempt: z.boolean().nullish(),
  default_address: address,
});
export type EmbeddedCustomerPayload = z.infer<typeof embeddedCustomerPayload>;

/** The storefront language an order or checkout was placed in ("fr", "pt-BR"); a malformed one is read as none. */
const customerLocale = z
  .string()
  .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/)
  .nullish()
  .catch(null);

export const orderPayload = z.object({
  admin_graphql_api_id: gid("Order"),
  name: z.string(),
  currency: z.string(),
  current_subtotal_price: money,
  current_subtotal_price_set: moneySet.nullish(),
  subtotal_price: money.nullish(),
  total_price_set: moneySet.nullish(),
  current_total_tax_set: moneySet.nullish(),
  taxes_included: z.boolean().nullish(),
  duties_included: z.boolean().nullish(),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  processed_at: z.string().nullish(),
  current_total_price: money.nullish(),
  current_total_price_set: moneySet.nullish(),
  discount_codes: z.array(z.object({ code: z.string() })).default([]),
  payment_gateway_names: z.array(z.string()).nullish(),
  customer: embeddedCustomerPayload.nullish(),
  customer_locale: customerLocale,
  shipping_address: postalAddress,
  line_items: z.array(lineItem).default([]),
  shipping_lines: z.array(z.object({ tax_lines: taxLines })).default([]),
  refunds: z.array(refundPayload.omit({ order_id: true })).default([]),
  fulfillments: z.array(z.object({ created_at: z.string().nullish(), status: z.string().nullish() })).default([]),
});
export type OrderPayload = z.infer<typeof orderPayload>;

const editLines = z.array(z.object({ id, delta: z.coerce.number().int().positive() })).default([]);

/** orders/edited: which line items one committed edit added and removed, by id and units; no money. */
export const orderEditedPayload = z.object({
  order_edit: z.object({
    id,
    order_id: id,
    committed_at: z.string().nullish(),
    created_at: z.string().nullish(),
    line_items: z.object({ additions: editLines, removals: editLines }).default({ additions: [], removals: [] }),
  }),
});
export type OrderEditedPayload = z.infer<typeof orderEditedPayload>;

export const checkoutPayload = z.object({
  token: id,
  email: z.string().nullish(),
  completed_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  customer: embeddedCustomerPayload.nullish(),
  customer_locale: customerLocale,
});

// Customer identity and shop facts (issue 7, sections 3-4).

/** The REST `tags` field: one comma-separated string ("wholesale, vip"); undefined when the payload has none. */
export function tagList(tags: string | readonly string[] | null | undefined): string[] | undefined {
  if (tags === undefined || tags === null) return undefined;
  const list = typeof tags === "string" ? tags.split(",") : tags;
  return list.map((tag) => tag.trim()).filter((tag) => tag.length > 0);
}

export const customerMergePayload = z.object({
  admin_graphql_api_customer_kept_id: gid("Customer"),
  admin_graphql_api_customer_deleted_id: gid("Customer"),
  /** CustomerMergeRequestStatus, lowercased: requested, in_progress, completed, failed. */
  status: z.string().transform((value) => value.toLowerCase()),
});

export const shopUpdatePayload = z.object({
  name: z.string().nullish(),
  currency: z.string().nullish(),
  iana_timezone: z.string().nullish(),
  money_format: z.string().nullish(),
  money_with_currency_format: z.string().nullish(),
  /** The shop's country (ISO 3166-1 alpha-2), the Admin API's shop.shopAddress.countryCodeV2. */
  country_code: z.string().nullish(),
  updated_at: z.string().nullish(),
});
