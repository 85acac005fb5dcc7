import { z } from "zod";

// The mandatory compliance topics. Ids arrive as JSON numbers; lossless-json.ts hands 18-digit ones over as exact digit
// strings, so both shapes are accepted and kept as digits: a gid must be built from the real id, never a rounded one.

const numericId = z
  .union([z.string().regex(/^\d+$/, { error: "must be a numeric id" }), z.int().nonnegative()])
  .transform(String);

/**
 * A numeric id as its gid. The gid itself is taken as is: the queue parses a stored payload (this schema's own output)
 * again before applying it, so every schema here must accept what it produced.
 */
const gidOf = (type: string) =>
  z.union([
    z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+$`)),
    numericId.transform((digits) => `gid://shopify/${type}/${digits}`),
  ]);
const customerGid = gidOf("Customer");
const orderGid = gidOf("Order");

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
