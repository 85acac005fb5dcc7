import { z } from "zod";

// The mandatory compliance topics. Ids arrive as JSON numbers; lossless-json.ts hands 18-digit ones over as exact digit
// strings, so both shapes are accepted and kept as digits: a gid must be built from the real id, never a rounded one.

const numericId = z
  .union([z.string().regex(/^\d+$/, { error: "must be a numeric id" }), z.int().nonnegative()])
  .transform(String);

const customerGid = numericId.transform((digits) => `gid://shopify/Customer/${digits}`);
const orderGid = numericId.transform((digits) => `gid://shopify/Order/${digits}`);

const customer = z.object({
  id: customerGid,
  email: z.string().nullish(),
  phone: z.string().nullish(),
});

// The shop the request is about, inside the signed body; the X-Shopify-Shop-Domain header is not covered by the HMAC.
const shopDomain = { shop_domain: z.string().min(1) };

export const customersDataRequestPayload = z.object({
  ...shopDomain,
  customer,
  orders_requested: z.array(orderGid).default([]),
  data_request: z.object({ id: numericId }),
});
export type CustomersDataRequestPayload = z.infer<typeof customersDataRequestPayload>;

// orders_to_redact is not read: Tally's order rows hold no personal data (see redactCustomer).
export const customersRedactPayload = z.object({ ...shopDomain, customer });
export type CustomersRedactPayload = z.infer<typeof customersRedactPayload>;

/** shop/redact: the signed body names the shop to erase. */
export const shopRedactPayload = z.object({ ...shopDomain });
