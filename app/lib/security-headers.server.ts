/**
 * Headers every answer carries, pages, JSON, assets and webhooks alike: server.js sets them on each response before
 * anything else writes to it. `nosniff`: a browser takes a response as the type it says it is
 * and nothing else. `same-origin`: the app's URLs carry `shop`, `host` and on first load the `id_token`, so no address
 * of Tally's is sent as a Referer to any other site.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
});

/** Pages that are never shown inside Shopify admin: the public landing page and the login form. */
const NEVER_FRAMED = new Set(["/", "/auth/login"]);

/**
 * Who may frame a page. Embedded app pages keep the `frame-ancestors` Shopify's library set for the shop's admin
 * (`addDocumentResponseHeaders`); the landing page, the login form and any page the library did not mark for an admin
 * may be framed by nobody (CSP `frame-ancestors 'none'`, and `X-Frame-Options: DENY` for browsers without CSP 2), so
 * no other site can overlay them to capture a merchant's clicks or shop domain.
 */
export function applyFramingPolicy(request: Request, headers: Headers): void {
  const csp = headers.get("Content-Security-Policy");
  if (NEVER_FRAMED.has(new URL(request.url).pathname) || !csp?.includes("frame-ancestors")) {
    headers.set("Content-Security-Policy", "frame-ancestors 'none';");
    headers.set("X-Frame-Options", "DENY");
  }
}
