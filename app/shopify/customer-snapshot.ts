import { shopifyCustomerStateSchema } from "~/domain/shared";
import type { CustomerSnapshot } from "~/services/customers/sync-customer.server";
import type { CustomerPayload } from "./webhook-payloads";

/** A customers/* payload as the sync service takes it; `triggeredAt` stands in for a missing updated_at. */
export function customerSnapshotOf(payload: CustomerPayload, triggeredAt: string): CustomerSnapshot {
  return {
    customerGid: payload.admin_graphql_api_id,
    shopifyState: shopifyCustomerStateSchema.catch("DISABLED").parse(payload.state),
    updatedAt: payload.updated_at ?? triggeredAt,
    email: payload.email ?? null,
    firstName: payload.first_name ?? null,
    lastName: payload.last_name ?? null,
    phone: payload.phone ?? null,
    city: payload.default_address?.city ?? null,
    province: payload.default_address?.province ?? null,
    countryCode: payload.default_address?.country_code ?? null,
    createdAt: payload.created_at ?? null,
  };
}
