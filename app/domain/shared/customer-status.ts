import { z } from "zod";

/** Tally's view: a Member has a Shopify customer account (state ENABLED); everyone else who orders is a Guest. */
export const customerStatusSchema = z.enum(["member", "guest"]);
export type CustomerStatus = z.infer<typeof customerStatusSchema>;

export const shopifyCustomerStateSchema = z.enum(["ENABLED", "DISABLED", "INVITED", "DECLINED"]);
export type ShopifyCustomerState = z.infer<typeof shopifyCustomerStateSchema>;

export function statusFromShopifyState(state: ShopifyCustomerState): CustomerStatus {
  return state === "ENABLED" ? "member" : "guest";
}
