import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { serverArgs } from "../../scripts/server-command";
import { readAppConfig } from "../sandbox/app-config";

export interface RunningApp {
  url: string;
  databasePath: string;
  /** The server process, for measuring its memory. */
  pid: number;
  stop(): Promise<void>;
  /** Sends the process a signal (SIGTERM: a deploy stopping it). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the process's exit code once it has exited. */
  exited: Promise<number | null>;
  output(): string;
}

/** A free loopback port, asked of the OS rather than guessed. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Starts the production server (`npm start`'s command, its V8 flags included) on a fresh SQLite file and waits until it answers.
 * `npm run build` must have run first; the e2e script does that.
 */
export function startProductionApp(extraEnv: Record<string, string> = {}): Promise<RunningApp> {
  return startApp(serverArgs(), "production", extraEnv, 30_000);
}

/**
 * Starts the Vite dev server (`npm run dev` runs it through the Shopify CLI: shopify.web.toml) on a fresh SQLite file
 * and waits until it answers; its first answer compiles the server build, so it gets longer.
 */
export async function startDevApp(extraEnv: Record<string, string> = {}): Promise<RunningApp> {
  const port = extraEnv.PORT ?? String(await freePort());
  const cli = path.resolve("node_modules/@remix-run/dev/dist/cli.js");
  const args = [cli, "vite:dev", "--port", port, "--strictPort", "--host", "127.0.0.1"];
  return startApp(args, "development", { ...extraEnv, PORT: port }, 90_000);
}

async function startApp(
  args: string[],
  mode: "production" | "development",
  extraEnv: Record<string, string>,
  answerWithinMs: number,
): Promise<RunningApp> {
  const port = Number(extraEnv.PORT ?? (await freePort()));
  const url = `http://127.0.0.1:${port}`;
  const databasePath = path.join(mkdtempSync(path.join(tmpdir(), "tally-e2e-")), "tally.sqlite");
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      NODE_ENV: mode,
      PORT: String(port),
      HOST: "127.0.0.1",
      SHOPIFY_API_KEY: "tally-e2e-api-key",
      SHOPIFY_API_SECRET: "tally-e2e-api-secret",
      SHOPIFY_APP_URL: url,
      SCOPES: readAppConfig(path.resolve("shopify.app.toml")).scopes.join(","),
      DATABASE_PATH: databasePath,
      // Production refuses to start without it (decision 007); a fresh database gets a fresh key.
      TALLY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

  const deadline = Date.now() + answerWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The app did not answer within ${answerWithinMs / 1000} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    databasePath: extraEnv.DATABASE_PATH ?? databasePath,
    pid: child.pid ?? 0,
    output: () => output,
    signal: (signal) => void child.kill(signal),
    exited,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * A process's resident memory and its peak since start, in bytes: /proc on Linux (VmRSS, VmHWM), `ps` elsewhere
 * (where the peak is not kept, so it is the current figure).
 */
export function memoryOf(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb("VmRSS"), peak: kb("VmHWM") };
  } catch {
    const rss = Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim()) * 1024;
    return { rss, peak: rss };
  }
}
