/*
 * App proxy answers rendered by Shopify in the shop's theme: a body sent as `Content-Type: application/liquid` is
 * Liquid, which Shopify renders inside the theme's layout with the storefront's objects (`shop`, `customer`, ...)
 * (shopify.dev, "Display dynamic store data with app proxies"). Anything Tally puts into it from its own data (an
 * advocate's first name, a code) is text a shopper or an advocate chose, so it is escaped twice: for HTML, and for
 * Liquid, whose `{{` and `{%` would otherwise run inside the merchant's theme. Braces become HTML character references,
 * which the browser shows as braces and Liquid never sees.
 */

/** Text made safe for an HTML text node or attribute and inert for Liquid. */
export function escapeLiquidText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/\{/g, "&#123;")
    .replace(/\}/g, "&#125;");
}

/** A Liquid page Shopify renders in the theme; `status` and headers (Retry-After) pass through the app proxy. */
export function liquidResponse(body: string, init: { status?: number; headers?: Record<string, string> } = {}) {
  return new Response(body, {
    status: init.status ?? 200,
    headers: {
      "Content-Type": "application/liquid; charset=utf-8",
      // Personal answers (a code for one email) and pages that change as the program does: never cached.
      "Cache-Control": "no-store",
      ...init.headers,
    },
  });
}
