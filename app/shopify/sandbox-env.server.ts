// Imported before Shopify's node adapter, which reads APP_BRIDGE_URL once at load: against the loopback sandbox the
// library's bounce and exit-iframe pages must load the sandbox's App Bridge, not Shopify's CDN.
const sandboxOrigin = process.env.SHOPIFY_SANDBOX_ORIGIN;
if (sandboxOrigin && !process.env.APP_BRIDGE_URL) {
  process.env.APP_BRIDGE_URL = new URL("/cdn/app-bridge.js", sandboxOrigin).toString();
}
export {};
