import { GraphQLError } from "graphql";

/**
 * The access scope each root field needs, from its page in the GraphQL Admin reference (shopify.dev/docs/api/
 * admin-graphql/2026-10, "Requires `...` access scope"). Alternatives: any one is enough; a `write_` scope grants its
 * `read_`. Fields not listed need none, or depend on the object they touch (node, metafieldsSet, tagsAdd).
 */
const ROOT_FIELD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  customers: ["read_customers"],
  customer: ["read_customers"],
  customersCount: ["read_customers"],
  customerCreate: ["write_customers"],
  customerSet: ["write_customers"],
  customerUpdate: ["write_customers"],
  customerAddressCreate: ["write_customers"],
  customerDelete: ["write_customers"],
  customerEmailMarketingConsentUpdate: ["write_customers"],
  customerSmsMarketingConsentUpdate: ["write_customers"],
  customerSendAccountInviteEmail: ["write_customers"],
  customerRequestDataErasure: ["write_customer_data_erasure"],
  customerCancelDataErasure: ["write_customer_data_erasure"],
  segments: ["read_customers"],
  segment: ["read_customers"],
  segmentsCount: ["read_customers"],
  customerSegmentMembers: ["read_customers"],
  customerSegmentMembership: ["read_customers"],
  segmentCreate: ["write_customers"],
  segmentUpdate: ["write_customers"],
  segmentDelete: ["write_customers"],
  orders: ["read_orders"],
  order: ["read_orders"],
  ordersCount: ["read_orders"],
  codeDiscountNodeByCode: ["read_discounts"],
  codeDiscountNodes: ["read_discounts"],
  codeDiscountNode: ["read_discounts"],
  discountCodeBasicCreate: ["write_discounts"],
  discountCodeBasicUpdate: ["write_discounts"],
  discountCodeFreeShippingCreate: ["write_discounts"],
  discountCodeDelete: ["write_discounts"],
  discountCodeDeactivate: ["write_discounts"],
  automaticDiscountNode: ["read_discounts"],
  automaticDiscountNodes: ["read_discounts"],
  discountAutomaticBasicCreate: ["write_discounts"],
  discountAutomaticBasicUpdate: ["write_discounts"],
  discountAutomaticDelete: ["write_discounts"],
  storeCreditAccountCredit: ["write_store_credit_account_transactions"],
  storeCreditAccountDebit: ["write_store_credit_account_transactions"],
  webPresences: ["read_markets"],
};

const grants = (granted: readonly string[], scope: string) =>
  granted.includes(scope) || (scope.startsWith("read_") && granted.includes(`write_${scope.slice(5)}`));

/** The scope a root field is missing from the token's, or null when the token may use it. */
export function missingScope(field: string, granted: readonly string[]): string | null {
  const needs = ROOT_FIELD_SCOPES[field];
  if (!needs || needs.some((scope) => grants(granted, scope))) return null;
  return needs[0]!;
}

/** Shopify's answer for a root field the token's scopes do not cover: null data and this error on its path. */
export function accessDenied(field: string, scope: string) {
  const requiredAccess = `\`${scope}\` access scope.`;
  return new GraphQLError(`Access denied for ${field} field. Required access: ${requiredAccess}`, {
    extensions: {
      code: "ACCESS_DENIED",
      documentation: "https://shopify.dev/api/usage/access-scopes",
      requiredAccess,
    },
  });
}
