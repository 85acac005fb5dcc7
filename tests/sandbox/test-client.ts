import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, shopifyApi, type Shopify } from "@shopify/shopify-api";
import { routeShopifyToSandbox } from "../../app/shopify/sandbox-fetch.server";
import { startSandbox, type Sandbox, type SandboxOptions } from "./index";

export const TEST_KEY = "sandbox-test-key";
export const TEST_SECRET = "sandbox-test-secret";

/**
 * A sandbox plus the real @shopify/shopify-api client pointed at it through the app's own redirect, so the tests
 * exercise the library's requests rather than hand-written ones.
 */
export async function sandboxWithClient(
  overrides: Partial<SandboxOptions> = {},
): Promise<{ sandbox: Sandbox; shopify: Shopify }> {
  const sandbox = await startSandbox({
    apiKey: TEST_KEY,
    apiSecret: TEST_SECRET,
    appUrl: "http://127.0.0.1:9",
    retry: { delaysMs: [10], maxAttempts: 2 },
    ...overrides,
  });
  routeShopifyToSandbox(sandbox.origin);
  const shopify = shopifyApi({
    apiKey: TEST_KEY,
    apiSecretKey: TEST_SECRET,
    apiVersion: ApiVersion.October26,
    hostName: "tally.test",
    isEmbeddedApp: true,
    scopes: ["read_customers"],
    logger: { level: LogSeverity.Error, log: async () => undefined },
  });
  return { sandbox, shopify };
}

let shopCounter = 0;
export const newShop = () => `sandbox-test-${process.pid}-${++shopCounter}.myshopify.com`;
