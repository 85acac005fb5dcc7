// npm run bench:webhooks: signed orders/paid deliveries over HTTP against the production build (server.js), beside a
// bare node:http server doing HMAC + one SQLite insert, measured in the same run with the same load. Run by hand.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../../tests/helpers/app-server";
import { orderJson } from "../../tests/factories/orders";
import { samplePayload, shopifyJson } from "../../tests/helpers/shopify-samples";
import { readAppConfig } from "../../tests/sandbox/app-config";
import { runLoad, type LoadResult } from "./load";

const secret = "bench-secret";
const total = Number(process.env.BENCH_REQUESTS ?? 4500);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const shop = "bench.myshopify.com";

function sign(body: string) {
  return createHmac("sha256", secret).update(body).digest("base64");
}

function headers(topic: string, body: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-hmac-sha256": sign(body),
    "x-shopify-shop-domain": shop,
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": randomUUID(),
    "x-shopify-event-id": randomUUID(),
    "x-shopify-triggered-at": new Date().toISOString(),
  };
}

const customers = 200;
const customerGid = (i: number) => `gid://shopify/Customer/${7000000000000000000n + BigInt(i)}`;
/** A distinct paid order each time, for one of `customers` Members, with Shopify's 18-digit ids. */
function paidOrder(i: number) {
  return shopifyJson(
    orderJson({
      id: 8000000000000000000n + BigInt(i),
      name: `#${1000 + i}`,
      lines: [{ id: 8100000000000000000n + BigInt(i), price: `${(i % 300) + 10}.50` }],
      customer: { admin_graphql_api_id: customerGid(i % customers) },
    }),
  );
}

async function waitFor(url: string, child: ChildProcess) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${url} did not answer`);
}

async function start(command: string[], env: Record<string, string>, port: number) {
  const extra =
    command[0] === "server.js" && process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=.cache/profile"] : [];
  const child = spawn(process.execPath, [...extra, ...command], {
    env: { ...process.env, ...env, PORT: String(port), NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitFor(`http://127.0.0.1:${port}/`, child);
  return child;
}

function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * A process's CPU time so far in milliseconds (user + system, from /proc on Linux; undefined elsewhere). CPU per
 * request is steadier than throughput on a machine shared with other work, which steals wall time from both servers.
 */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

function row(name: string, r: LoadResult) {
  return `${name.padEnd(22)} ${r.throughput.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms   max ${r.max.toFixed(1).padStart(7)} ms   ${JSON.stringify(r.statuses)}`;
}

async function waitForQueue(file: string) {
  const db = new Database(file, { readonly: true });
  const pending = db.prepare("select count(*) as n from webhook_deliveries where status <> 'processed'");
  while ((pending.get() as { n: number }).n > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  db.close();
}

async function main() {
  if (!existsSync("build/server/index.js"))
    throw new Error("Run `npm run build` first: the bench measures the production build.");
  const dir = mkdtempSync(path.join(tmpdir(), "tally-bench-"));
  const [appPort, barePort] = [await freePort(), await freePort()];

  const bare = await start(
    ["scripts/bench/bare-webhook-server.mjs"],
    { SHOPIFY_API_SECRET: secret, DATABASE_PATH: path.join(dir, "bare.sqlite") },
    barePort,
  );
  const app = await start(
    ["server.js"],
    {
      SHOPIFY_API_KEY: "bench-key",
      SHOPIFY_API_SECRET: secret,
      SHOPIFY_APP_URL: `http://127.0.0.1:${appPort}`,
      SCOPES: readAppConfig(path.resolve("shopify.app.toml")).scopes.join(","),
      DATABASE_PATH: path.join(dir, "tally.sqlite"),
      TALLY_BACKGROUND_JOBS: "off",
      TALLY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    },
    appPort,
  );
  // Tally acts only on shops that installed it; the bench shop installs as afterAuth would record it.
  const setup = new Database(path.join(dir, "tally.sqlite"));
  setup
    .prepare("insert into shops (shop, installed_at, scope, currency) values (?, ?, ?, 'USD')")
    .run(shop, new Date().toISOString(), "read_customers,read_orders");
  setup.close();

  // Members first, so every order earns points: the full path (ledger entry, balance, order state) is measured.
  await runLoad({
    url: `http://127.0.0.1:${appPort}`,
    total: customers,
    concurrency: 8,
    make: (i) => {
      const body = shopifyJson({
        ...samplePayload("customers/create"),
        admin_graphql_api_id: customerGid(i),
        state: "enabled",
      });
      return { path: "/webhooks/customers/create", headers: headers("customers/create", body), body };
    },
  });

  const make = (offset: number) => (i: number) => {
    const body = paidOrder(offset + i);
    return { path: "/webhooks/orders/paid", headers: headers("orders/paid", body), body };
  };
  const warm = Math.min(500, total / 4);
  await runLoad({ url: `http://127.0.0.1:${barePort}`, total: warm, concurrency, make: make(0) });
  await runLoad({ url: `http://127.0.0.1:${appPort}`, total: warm, concurrency, make: make(0) });

  // Interleaved rounds, so a noisy moment on the machine hurts both servers alike.
  const rounds = 3;
  const results: Record<"bare" | "tally", LoadResult[]> = { bare: [], tally: [] };
  const cpu = { bare: 0, tally: 0 };
  for (let round = 0; round < rounds; round++) {
    const offset = 100_000 * (round + 1);
    const bareCpu = cpuMs(bare.pid);
    results.bare.push(
      await runLoad({
        url: `http://127.0.0.1:${barePort}`,
        total: Math.floor(total / rounds),
        concurrency,
        make: make(offset),
      }),
    );
    cpu.bare += (cpuMs(bare.pid) ?? NaN) - (bareCpu ?? NaN);
    const tallyCpu = cpuMs(app.pid);
    results.tally.push(
      await runLoad({
        url: `http://127.0.0.1:${appPort}`,
        total: Math.floor(total / rounds),
        concurrency,
        make: make(offset),
      }),
    );
    // Tally's effects follow from the queue: wait for them so their CPU counts with the round's.
    await waitForQueue(path.join(dir, "tally.sqlite"));
    cpu.tally += (cpuMs(app.pid) ?? NaN) - (tallyCpu ?? NaN);
  }
  // Answers come before effects (the lean path queues them): wait until every delivery is applied, then count.
  const lastAnswer = performance.now();
  const db = new Database(path.join(dir, "tally.sqlite"), { readonly: true });
  const pending = db.prepare("select count(*) as n from webhook_deliveries where status <> 'processed'");
  while ((pending.get() as { n: number }).n > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const applyLagMs = performance.now() - lastAnswer;
  const orderEntries = (
    db.prepare("select count(*) as n from ledger_entries where idempotency_key like 'earn:order:%'").get() as {
      n: number;
    }
  ).n;
  db.close();
  await Promise.all([stop(app), stop(bare)]);

  const best = (list: LoadResult[]) => [...list].sort((a, b) => a.p99 - b.p99)[Math.floor(list.length / 2)]!;
  const bareResult = best(results.bare);
  const tallyResult = best(results.tally);
  console.log(
    `\nsigned orders/paid, ${total / rounds} requests a round, ${concurrency} in flight, median of ${rounds} rounds`,
  );
  console.log(row("bare node:http+insert", bareResult));
  console.log(row("Tally (server.js)", tallyResult));
  const ratio = tallyResult.throughput / bareResult.throughput;
  console.log(
    `\nTally / bare throughput: ${(ratio * 100).toFixed(0)}% (target >= 50%), Tally p99 ${tallyResult.p99.toFixed(1)} ms (target < 50 ms)`,
  );
  const perRequest = (ms: number) => ((ms * 1000) / (rounds * Math.floor(total / rounds))).toFixed(0);
  console.log(
    `server CPU per request (user + system, effects included): bare ${perRequest(cpu.bare)} µs, Tally ${perRequest(cpu.tally)} µs; bare / Tally ${((cpu.bare / cpu.tally) * 100).toFixed(0)}%`,
  );
  const sent = warm + rounds * Math.floor(total / rounds);
  console.log(
    `every delivery applied ${applyLagMs.toFixed(0)} ms after the last answer; ${orderEntries} earn entries for ${sent} distinct paid orders`,
  );
  const ok =
    orderEntries === sent &&
    ratio >= 0.5 &&
    tallyResult.p99 < 50 &&
    Object.keys(tallyResult.statuses).every((s) => s === "200");
  console.log(ok ? "targets met" : "targets NOT met");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
