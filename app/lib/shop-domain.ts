/**
 * A shop's permanent domain as Shopify names it in the `X-Shopify-Shop-Domain` header, the app proxy's `shop`
 * parameter and session tokens: a lowercase handle then `.myshopify.com` (shopify.dev, "Shop" `myshopifyDomain`).
 * The webhook header is not covered by the HMAC, so anything else (`../../x`, an uppercase twin, a trailing slash) is
 * refused rather than stored under a name no real shop has. `customDomain` is SHOP_CUSTOM_DOMAIN (Shopify's own
 * development domains), accepted in the same form.
 */
export function isShopDomain(value: string, customDomain?: string): boolean {
  if (value.length > 255) return false;
  const suffix = customDomain ? `(?:myshopify\\.com|${escapeRegExp(customDomain.toLowerCase())})` : "myshopify\\.com";
  return new RegExp(`^[a-z0-9][a-z0-9-]*\\.${suffix}$`).test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
