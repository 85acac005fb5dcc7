import { shopifyCustomerStateSchema } from "~/domain/shared";
import type { CustomerSnapshot } from "~/services/customers/sync-customer.server";
import { tagList, type CustomerPayload } from "./payloads";

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
