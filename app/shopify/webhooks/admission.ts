import type { InstallState } from "~/services/shops/get-shop.server";

/**
 * Shopify's mandatory privacy topics. Shopify sends them after uninstall too (shop/redact 48 hours after
 * app/uninstalled; shopify.dev, "Privacy law compliance"), and the law expects them acted on, so uninstall does not
 * stop them. Their shop is authenticated by the signed body's `shop_domain`, not only by the header.
 */
export const PRIVACY_TOPICS: ReadonlySet<string> = new Set([
  "customers/data_request",
  "customers/redact",
  "shop/redact",
]);

/**
 * What Tally does with a verified delivery for a shop, by the shop's install state: `accept` (record and apply),
 * `ignore` (answer 200, store nothing: there is nothing to do and Shopify must not retry) or `refuse` (403: this
 * shop has not installed Tally, so a delivery for it is either stale or forged with a genuine body under another
 * shop's header, which the HMAC does not cover).
 *
 * | topic            | installed | uninstalled            | never installed        |
 * | privacy topics   | accept    | accept                 | ignore (nothing held)  |
 * | app/uninstalled  | accept    | ignore (already done)  | refuse                 |
 * | every other      | accept    | refuse                 | refuse                 |
 */
export function deliveryAdmission(topic: string, state: InstallState): "accept" | "ignore" | "refuse" {
  if (state === "installed") return "accept";
  if (PRIVACY_TOPICS.has(topic)) return state === "uninstalled" ? "accept" : "ignore";
  if (topic === "app/uninstalled" && state === "uninstalled") return "ignore";
  return "refuse";
}
