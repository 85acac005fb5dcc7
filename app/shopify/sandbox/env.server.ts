// Imported before Shopify's node adapter, which reads APP_BRIDGE_URL once at load: against the loopback sandbox the
// library's bounce and exit-iframe pages must load the sandbox's App Bridge, not Shopify's CDN.
import { env } from "~/lib/env.server";

const { SHOPIFY_SANDBOX_ORIGIN: sandboxOrigin, APP_BRIDGE_URL } = env();
if (sandboxOrigin && !APP_BRIDGE_URL) {
  process.env.APP_BRIDGE_URL = new URL("/cdn/app-bridge.js", sandboxOrigin).toString();
}

/**
 * Shopify's headers only let admin.shopify.com frame the app; against the loopback sandbox its admin page must be
 * allowed too, or the browser refuses to show the app in it.
 */
export function allowSandboxFraming(headers: Headers) {
  const csp = headers.get("Content-Security-Policy");
  if (!sandboxOrigin || !csp?.includes("frame-ancestors")) return;
  headers.set(
    "Content-Security-Policy",
    csp.replace("frame-ancestors", `frame-ancestors ${new URL(sandboxOrigin).origin}`),
  );
}
