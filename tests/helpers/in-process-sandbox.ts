import { afterAll, beforeAll } from "vitest";
import { loader as home } from "~/routes/app._index";
import { routeShopifyToSandbox } from "~/shopify/sandbox/fetch.server";
import { newShopDomain } from "../factories/shops";
import { startSandbox, type Sandbox } from "../sandbox/index";

/**
 * A sandbox Shopify for this test file, with the app's Shopify calls routed to it as SHOPIFY_SANDBOX_ORIGIN would.
 * No app server listens at its appUrl: webhooks it sends are lost, and tests deliver what they need themselves.
 */
export function useSandbox(): () => Sandbox {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({
      apiKey: process.env.SHOPIFY_API_KEY ?? "",
      apiSecret: process.env.SHOPIFY_API_SECRET ?? "",
      appUrl: "http://127.0.0.1:9",
      retry: { delaysMs: [10], maxAttempts: 1 },
    });
    routeShopifyToSandbox(sandbox.origin);
  });
  afterAll(() => sandbox?.close());
  return () => {
    if (!sandbox) throw new Error("the sandbox starts in beforeAll");
    return sandbox;
  };
}

/** Installs Tally the real way: a session token from the sandbox admin, then token exchange and afterAuth. */
export async function installThroughAdmin(sandbox: Sandbox, shop: string) {
  const token = sandbox.control.sessionToken({ shop });
  const request = new Request(`${process.env.SHOPIFY_APP_URL}/app`, { headers: { Authorization: `Bearer ${token}` } });
  await home({ request, params: {}, context: {} });
}

/**
 * A new shop in the sandbox (its currency CAD and classic customer accounts unless told) with Tally installed the real
 * way: answers its domain.
 */
export async function installedSandboxShop(
  sandbox: Sandbox,
  options: { currency?: string; legacyCustomerAccounts?: boolean; loginLinks?: boolean } = {},
): Promise<string> {
  const shop = await newShopDomain();
  sandbox.control.createShop({ shop, ...options });
  await installThroughAdmin(sandbox, shop);
  return shop;
}
