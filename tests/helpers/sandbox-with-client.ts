import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Shopify } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Sandbox } from "../sandbox/index";
import { installedShop, sandboxWithClient, webhookReceiver } from "../sandbox/test-client";

const allTopicsToml = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "../sandbox/fixtures/all-topics.app.toml",
);

export type WebhookReceiver = Awaited<ReturnType<typeof webhookReceiver>>;

/**
 * One sandbox Shopify for a test file, as the sandbox's own tests drive it: subscribed to every topic of
 * fixtures/all-topics.app.toml, delivering to a loopback app that keeps what it receives (webhookReceiver), with the
 * real @shopify/shopify-api client pointed at it (sandboxWithClient). Started before the file's tests, closed after
 * them; the app's received webhooks are forgotten before each test. `sandbox()`, `shopify()` and `app()` are the
 * running ones; `installedShop(options)` is test-client's installedShop on them.
 */
export function useSandboxWithClient(): {
  sandbox: () => Sandbox;
  shopify: () => Shopify;
  app: () => WebhookReceiver;
  installedShop: (options?: Parameters<typeof installedShop>[2]) => ReturnType<typeof installedShop>;
} {
  let running: { sandbox: Sandbox; shopify: Shopify; app: WebhookReceiver } | undefined;
  beforeAll(async () => {
    const app = await webhookReceiver();
    running = { app, ...(await sandboxWithClient({ appUrl: app.url, appTomlPath: allTopicsToml })) };
  });
  afterAll(async () => {
    await running?.sandbox.close();
    await running?.app.close();
  });
  beforeEach(() => {
    if (running) running.app.received.length = 0;
  });
  const get = () => {
    if (!running) throw new Error("useSandboxWithClient: the sandbox starts in beforeAll");
    return running;
  };
  return {
    sandbox: () => get().sandbox,
    shopify: () => get().shopify,
    app: () => get().app,
    installedShop: (options) => installedShop(get().sandbox, get().shopify, options),
  };
}
