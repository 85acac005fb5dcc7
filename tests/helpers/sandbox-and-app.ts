import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startSandbox, type Sandbox } from "../sandbox/index";
import { freePort, startProductionApp, type RunningApp } from "./app-server";

export const sandboxCredentials = { apiKey: "tally-e2e-api-key", apiSecret: "tally-e2e-api-secret" };

/**
 * The production app wired to a loopback sandbox Shopify, each knowing the other's address, as `npm run demo` runs
 * them. The app is told only SHOPIFY_SANDBOX_ORIGIN; everything else is its production code path. `restartApp` kills
 * it as `kill -9` does (nothing handed back) and starts it again on the same address, database and key, as a crashed
 * Tally comes back; `whileDown` runs between the two, while no Tally process holds the database.
 */
export async function startSandboxAndApp(extraEnv: Record<string, string> = {}): Promise<{
  sandbox: Sandbox;
  readonly app: RunningApp;
  restartApp(options?: { whileDown?: () => void }): Promise<void>;
  stop(): Promise<void>;
}> {
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const sandbox = await startSandbox({ ...sandboxCredentials, appUrl, port: 0 });
  const appEnv = {
    PORT: String(appPort),
    SHOPIFY_APP_URL: appUrl,
    SHOPIFY_API_KEY: sandboxCredentials.apiKey,
    SHOPIFY_API_SECRET: sandboxCredentials.apiSecret,
    SHOPIFY_SANDBOX_ORIGIN: sandbox.origin,
    DATABASE_PATH: path.join(mkdtempSync(path.join(tmpdir(), "tally-e2e-")), "tally.sqlite"),
    TALLY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ...extraEnv,
  };
  let app = await startProductionApp(appEnv);
  return {
    sandbox,
    get app() {
      return app;
    },
    restartApp: async ({ whileDown }: { whileDown?: () => void } = {}) => {
      app.signal("SIGKILL");
      await app.exited;
      whileDown?.();
      app = await startProductionApp(appEnv);
    },
    stop: async () => {
      await app.stop();
      await sandbox.close();
    },
  };
}
