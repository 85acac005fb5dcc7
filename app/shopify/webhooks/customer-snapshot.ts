import { shopifyCustomerStateSchema } from "~/domain/shared";
import type { EmbeddedCustomer } from "~/services/customers/customer-rows.server";
import type { CustomerSnapshot } from "~/services/customers/sync-customer.server";
import { tagList, type CustomerPayload, type EmbeddedCustomerPayload } from "./payloads";

/**
 * A customers/* payload as the sync service takes it. A payload without `updated_at` is a fact without a date: the
 * delivery's time is not the customer's, so it only fills what no dated version has said.
 */
export function customerSnapshotOf(payload: CustomerPayload): CustomerSnapshot {
  const tags = tagList(payload.tags);
  return {
    customerGid: payload.admin_graphql_api_id,
    shopifyState: shopifyCustomerStateSchema.catch("DISABLED").parse(payload.state),
    updatedAt: payload.updated_at ?? null,
    ...(tags ? { tags } : {}),
    email: payload.email ?? null,
    firstName: payload.first_name ?? null,
    lastName: payload.last_name ?? null,
    phone: payload.phone ?? null,
    city: payload.default_address?.city ?? null,
    province: payload.default_address?.province ?? null,
    countryCode: payload.default_address?.country_code ?? null,
    createdAt: payload.created_at ?? null,
    ...(typeof payload.tax_exempt === "boolean" ? { taxExempt: payload.tax_exempt } : {}),
    defaultAddress: payload.default_address
      ? {
          address1: payload.default_address.address1 ?? null,
          address2: payload.default_address.address2 ?? null,
          city: payload.default_address.city ?? null,
          zip: payload.default_address.zip ?? null,
          countryCode: payload.default_address.country_code ?? null,
        }
      : null,
  };
}

/**
 * The customer an order or checkout payload embeds, as ensureEmbeddedCustomer takes it: its contact details, the
 * state and tags, and its own dates (null in Shopify's samples, and then it only fills blanks).
 */
export function embeddedCustomerOf(customer: EmbeddedCustomerPayload): EmbeddedCustomer {
  return {
    customerGid: customer.admin_graphql_api_id,
    email: customer.email ?? null,
    firstName: customer.first_name ?? null,
    lastName: customer.last_name ?? null,
    phone: customer.phone ?? null,
    city: customer.default_address?.city ?? null,
    province: customer.default_address?.province ?? null,
    countryCode: customer.default_address?.country_code ?? null,
    shopifyState: shopifyCustomerStateSchema
      .nullable()
      .catch(null)
      .parse(customer.state?.toUpperCase() ?? null),
    tags: tagList(customer.tags) ?? null,
    updatedAt: customer.updated_at ?? null,
    createdAt: customer.created_at ?? null,
    ...(typeof customer.tax_exempt === "boolean" ? { taxExempt: customer.tax_exempt } : {}),
  };
}
