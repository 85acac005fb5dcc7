import { startSandbox, type Sandbox } from "../sandbox/index";
import { freePort, startProductionApp, type RunningApp } from "./app-server";

export const sandboxCredentials = { apiKey: "tally-e2e-api-key", apiSecret: "tally-e2e-api-secret" };

/**
 * The production app wired to a loopback sandbox Shopify, each knowing the other's address, as `npm run demo` runs
 * them. The app is told only SHOPIFY_SANDBOX_ORIGIN; everything else is its production code path.
 */
export async function startSandboxAndApp(
  extraEnv: Record<string, string> = {},
): Promise<{ sandbox: Sandbox; app: RunningApp; stop(): Promise<void> }> {
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const sandbox = await startSandbox({ ...sandboxCredentials, appUrl, port: 0 });
  const app = await startProductionApp({
    PORT: String(appPort),
    SHOPIFY_APP_URL: appUrl,
    SHOPIFY_API_KEY: sandboxCredentials.apiKey,
    SHOPIFY_API_SECRET: sandboxCredentials.apiSecret,
    SHOPIFY_SANDBOX_ORIGIN: sandbox.origin,
    ...extraEnv,
  });
  return {
    sandbox,
    app,
    stop: async () => {
      await app.stop();
      await sandbox.close();
    },
  };
}
