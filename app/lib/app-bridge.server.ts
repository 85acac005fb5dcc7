import { env } from "./env.server";

/** App Bridge comes from Shopify's CDN; only against the loopback sandbox is it served by the sandbox itself. */
export function appBridgeUrl(): string | undefined {
  const sandbox = env().SHOPIFY_SANDBOX_ORIGIN;
  return sandbox ? new URL("/cdn/app-bridge.js", sandbox).toString() : undefined;
}
