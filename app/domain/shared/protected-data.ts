import { z } from "zod";

/**
 * Shopify's protected customer fields (level 2 of protected customer data): an app sees each only once Shopify has
 * approved it for that field (shopify.dev, "Work with protected customer data"). Until then the Admin API answers it
 * null beside an ACCESS_DENIED error, and customer webhooks leave it out.
 */
export const protectedFields = ["name", "email", "phone", "address"] as const;
export const protectedFieldSchema = z.enum(protectedFields);
export type ProtectedField = z.infer<typeof protectedFieldSchema>;
