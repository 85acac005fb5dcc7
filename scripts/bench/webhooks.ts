// npm run bench:webhooks: signed orders/paid deliveries over HTTP against the production build (server.js), beside a
// bare node:http server doing HMAC + one SQLite insert, measured in the same run with the same load. Run by hand.
// `-- --instances 1,2` adds Tally on PostgreSQL (a throwaway cluster: scripts/postgres-cluster.ts) with one and with two
// instances, the load spread over the instances' ports in turn as a load balancer would (decision 037), their deliveries
// applied through pg-boss (decision 038).
// BENCH_BASELINE_DIR=<another checkout, built> adds that build as a third setup in the same rounds (decision 039).
// BENCH_ORDER_CUSTOMER=dated embeds each order's customer with a newer updated_at, as Shopify's orders carry it.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../../tests/helpers/app-server";
import { orderJson } from "../../tests/factories/orders";
import { samplePayload, shopifyJson } from "../../tests/helpers/shopify-samples";
import { readAppConfig } from "../../tests/sandbox/app-config";
import pg from "pg";
import { findPostgresBin, startPostgresCluster, type PostgresCluster } from "../postgres-cluster";
import { serverArgs } from "../server-command";
import { runLoad, type LoadResult } from "./load";
import { postgresProbe, sqliteProbe, type Probe } from "./probe";

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
/**
 * BENCH_ORDER_CUSTOMER=dated: each order embeds its customer as Shopify's orders do, with their contact and an
 * `updated_at` newer than Tally's (Shopify touches the customer as the order lands), so each order takes the embedded
 * customer's newer version (decision 010) as well. Default: the customer's id alone, as the bench always sent.
 */
const datedCustomers = process.env.BENCH_ORDER_CUSTOMER === "dated";
/** A distinct paid order each time, for one of `customers` Members, with Shopify's 18-digit ids. */
function paidOrder(i: number) {
  const customer = datedCustomers
    ? {
        ...samplePayload("customers/create"),
        admin_graphql_api_id: customerGid(i % customers),
        state: "enabled",
        updated_at: new Date(Date.parse("2026-11-30T00:00:00Z") + i * 1000).toISOString(),
      }
    : { admin_graphql_api_id: customerGid(i % customers) };
  return shopifyJson(
    orderJson({
      id: 8000000000000000000n + BigInt(i),
      name: `#${1000 + i}`,
      lines: [{ id: 8100000000000000000n + BigInt(i), price: `${(i % 300) + 10}.50` }],
      customer,
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

async function start(command: string[], env: Record<string, string>, port: number, cwd?: string) {
  const extra =
    command[0] === "server.js" && process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=.cache/profile"] : [];
  // Tally as its own `npm start` runs it (V8 flags included), whichever checkout `cwd` is.
  const args = command[0] === "server.js" ? serverArgs(cwd ?? process.cwd()) : command;
  const child = spawn(process.execPath, [...extra, ...args], {
    cwd,
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

/**
 * The CPU time of a PostgreSQL server so far: the postmaster, the backends it reaped, and the live ones but `except`
 * (the bench's own connection, polling the queue, is not Tally's work).
 */
function clusterCpuMs(postmaster: number, except: number[]): number {
  const stat = (pid: number | string) => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const own = stat(postmaster);
  let ms = ((Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) * 1000) / 100;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const fields = stat(pid);
      if (Number(fields[1]) === postmaster && !except.includes(Number(pid)))
        ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      // Exited meanwhile: its time is in the postmaster's reaped children now.
    }
  }
  return ms;
}

function row(name: string, r: LoadResult) {
  return `${name.padEnd(24)} ${r.throughput.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms   max ${r.max.toFixed(1).padStart(7)} ms   ${JSON.stringify(r.statuses)}`;
}

/** One server setup under the load: its processes, the ports the load is spread over, and its database. */
interface Setup {
  name: string;
  children: ChildProcess[];
  urls: string[];
  /** Tally's database, to wait for the queue and count entries; undefined for the bare server. */
  probe?: Probe;
  /** The PostgreSQL server's share of the CPU counts with the setup's own. */
  cluster?: PostgresCluster;
  results: LoadResult[];
  /** Per round, ms from the last answer to the last effect applied (the queue empty); 0 for the bare server. */
  drainMs: number[];
  cpu: { app: number; database: number };
}

function parseInstances(argv: string[]): number[] {
  const at = argv.indexOf("--instances");
  if (at === -1) return [];
  const list = (argv[at + 1] ?? "").split(",").map(Number);
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 8))
    throw new Error("--instances takes a list of instance counts from 1 to 8, e.g. --instances 1,2");
  return list;
}

const setupCpuMs = (setup: Setup) => ({
  app: setup.children.reduce((sum, child) => sum + (cpuMs(child.pid) ?? NaN), 0),
  database: setup.cluster ? clusterCpuMs(setup.cluster.pid, probeBackends) : 0,
});
/** The PostgreSQL backends serving the bench's probes. */
const probeBackends: number[] = [];

/** Waits until every recorded delivery is applied; returns when that was seen, in performance.now() ms. */
async function waitForQueue(probe: Probe) {
  while ((await probe.count("select count(*) as n from webhook_deliveries where status <> 'processed'")) > 0)
    await new Promise((resolve) => setTimeout(resolve, 5));
  return performance.now();
}

function tallyEnv(port: number, database: Record<string, string>): Record<string, string> {
  return {
    SHOPIFY_API_KEY: "bench-key",
    SHOPIFY_API_SECRET: secret,
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    SCOPES: readAppConfig(path.resolve("shopify.app.toml")).scopes.join(","),
    TALLY_BACKGROUND_JOBS: "off",
    TALLY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ...database,
  };
}

/** Tally acts only on shops that installed it; the bench shop installs as afterAuth would record it. */
async function install(probe: Probe) {
  await probe.run(
    "insert into shops (shop, installed_at, scope, currency) values (?, ?, ?, 'USD')",
    shop,
    new Date().toISOString(),
    "read_customers,read_orders",
  );
}

async function main() {
  if (!existsSync("build/server/index.js"))
    throw new Error("Run `npm run build` first: the bench measures the production build.");
  const instanceCounts = parseInstances(process.argv.slice(2));
  const dir = mkdtempSync(path.join(tmpdir(), "tally-bench-"));
  const setups: Setup[] = [];
  let cluster: PostgresCluster | undefined;
  // Interrupted (Ctrl-C), the servers and the PostgreSQL cluster go too.
  process.once("SIGINT", () => {
    for (const setup of setups) for (const child of setup.children) child.kill("SIGKILL");
    cluster?.stop();
    process.exit(130);
  });
  try {
    const barePort = await freePort();
    setups.push({
      name: "bare node:http+insert",
      children: [
        await start(
          ["scripts/bench/bare-webhook-server.mjs"],
          { SHOPIFY_API_SECRET: secret, DATABASE_PATH: path.join(dir, "bare.sqlite") },
          barePort,
        ),
      ],
      urls: [`http://127.0.0.1:${barePort}`],
      results: [],
      drainMs: [],
      cpu: { app: 0, database: 0 },
    });
    const sqlitePort = await freePort();
    const sqliteFile = path.join(dir, "tally.sqlite");
    setups.push({
      name: "Tally, SQLite",
      children: [await start(["server.js"], tallyEnv(sqlitePort, { DATABASE_PATH: sqliteFile }), sqlitePort)],
      urls: [`http://127.0.0.1:${sqlitePort}`],
      probe: sqliteProbe(sqliteFile),
      results: [],
      drainMs: [],
      cpu: { app: 0, database: 0 },
    });
    // BENCH_BASELINE_DIR: another build of Tally (a checkout of main with `npm run build` done), measured beside this
    // one in the same interleaved rounds, so a change is compared under the same load.
    const baselineDir = process.env.BENCH_BASELINE_DIR;
    if (baselineDir) {
      const port = await freePort();
      const file = path.join(dir, "baseline.sqlite");
      setups.push({
        name: "Tally baseline, SQLite",
        children: [await start(["server.js"], tallyEnv(port, { DATABASE_PATH: file }), port, baselineDir)],
        urls: [`http://127.0.0.1:${port}`],
        probe: sqliteProbe(file),
        results: [],
        drainMs: [],
        cpu: { app: 0, database: 0 },
      });
    }
    if (instanceCounts.length > 0) {
      const bin = findPostgresBin();
      if (!bin) throw new Error("--instances needs PostgreSQL installed here (apt-get install postgresql)");
      cluster = await startPostgresCluster(bin);
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      // `--compare-dispatch` adds one instance applying its deliveries in process, as before pg-boss (decision 037).
      const variants = [
        ...instanceCounts.map((count) => ({ count, pgBoss: true })),
        ...(process.argv.includes("--compare-dispatch") ? [{ count: 1, pgBoss: false }] : []),
      ];
      for (const { count, pgBoss } of variants) {
        const label = pgBoss ? `${count}` : `${count}_local`;
        // A database per setup, so each starts from an empty queue and ledger.
        await admin.query(`create database bench_${label}`);
        const url = cluster.url.replace(/\/postgres$/, `/bench_${label}`);
        const ports: number[] = [];
        const children: ChildProcess[] = [];
        // One at a time: the first migrates (under its advisory lock), the others find nothing to do.
        for (let i = 0; i < count; i++) {
          const port = await freePort();
          // Background work on: on PostgreSQL the deliveries are applied by pg-boss's wake-ups (decision 038). The
          // tick only runs at start, before the bench shop installs, so no scheduled job competes with the load.
          const database: Record<string, string> = pgBoss
            ? { DATABASE_URL: url, TALLY_BACKGROUND_JOBS: "on", JOBS_INTERVAL_SECONDS: "3600" }
            : { DATABASE_URL: url };
          children.push(await start(["server.js"], tallyEnv(port, database), port));
          ports.push(port);
        }
        const probe = await postgresProbe(url);
        probeBackends.push(await probe.count("select pg_backend_pid() as n"));
        setups.push({
          name: pgBoss ? `Tally, PostgreSQL x${count}` : `Tally, PG x${count} no pg-boss`,
          children,
          urls: ports.map((port) => `http://127.0.0.1:${port}`),
          probe,
          cluster,
          results: [],
          drainMs: [],
          cpu: { app: 0, database: 0 },
        });
      }
      await admin.end();
    }

    for (const setup of setups) {
      if (!setup.probe) continue;
      await install(setup.probe);
      // Members first, so every order earns points: the full path (ledger entry, balance, order state) is measured.
      await runLoad({
        url: setup.urls,
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
    }

    const make = (offset: number) => (i: number) => {
      const body = paidOrder(offset + i);
      return { path: "/webhooks/orders/paid", headers: headers("orders/paid", body), body };
    };
    const warm = Math.min(500, total / 4);
    for (const setup of setups) {
      await runLoad({ url: setup.urls, total: warm, concurrency, make: make(0) });
      if (setup.probe) await waitForQueue(setup.probe);
    }

    // Interleaved rounds, so a noisy moment on the machine hurts every setup alike.
    const rounds = 3;
    for (let round = 0; round < rounds; round++) {
      const offset = 100_000 * (round + 1);
      for (const setup of setups) {
        const before = setupCpuMs(setup);
        setup.results.push(
          await runLoad({ url: setup.urls, total: Math.floor(total / rounds), concurrency, make: make(offset) }),
        );
        const answered = performance.now();
        // Tally's effects follow from the queue: wait for them so their CPU counts with the round's, and say how long
        // after the last answer the last effect was applied (the queue keeps up when that stays small).
        setup.drainMs.push(setup.probe ? (await waitForQueue(setup.probe)) - answered : 0);
        const after = setupCpuMs(setup);
        setup.cpu.app += after.app - before.app;
        setup.cpu.database += after.database - before.database;
      }
    }

    const sent = warm + rounds * Math.floor(total / rounds);
    const median = (list: LoadResult[]) => [...list].sort((a, b) => a.p99 - b.p99)[Math.floor(list.length / 2)]!;
    const us = (ms: number) => (ms * 1000) / (rounds * Math.floor(total / rounds));
    const perRequestUs = (setup: Setup) => us(setup.cpu.app + setup.cpu.database);
    console.log(
      `\nsigned orders/paid, ${total / rounds} requests a round, ${concurrency} in flight, median of ${rounds} rounds (by p99)`,
    );
    console.log(
      `${"".padEnd(24)} ${"".padStart(13)}   ${"".padStart(14)}   ${"".padStart(14)}   ${"".padStart(13)}   CPU a request (app + database, effects included)`,
    );
    const bare = median(setups[0]!.results);
    let ok = true;
    for (const setup of setups) {
      const result = median(setup.results);
      const split = setup.cluster
        ? ` (app ${us(setup.cpu.app).toFixed(0)} + PostgreSQL ${us(setup.cpu.database).toFixed(0)})`
        : "";
      console.log(`${row(setup.name, result)}   ${perRequestUs(setup).toFixed(0)} µs${split}`);
      if (setup.probe) {
        const drains = setup.drainMs.map((ms) => ms.toFixed(0)).join(", ");
        const applied = setup.results.map((r, i) => r.requests / (r.seconds + setup.drainMs[i]! / 1000));
        console.log(
          `  last effect applied ${drains} ms after the last answer (per round); effects applied ${[...applied].sort((a, b) => a - b)[Math.floor(applied.length / 2)]!.toFixed(0)}/s from first request to last effect (median)`,
        );
      }
      if (setup.probe) {
        const entries = await setup.probe.count(
          "select count(*) as n from ledger_entries where idempotency_key like 'earn:order:%'",
        );
        if (entries !== sent) {
          ok = false;
          console.log(`  ${setup.name}: ${entries} earn entries for ${sent} distinct paid orders`);
        }
        if (Object.keys(result.statuses).some((s) => s !== "200")) ok = false;
      }
    }
    console.log("");
    for (const setup of setups.slice(1)) {
      const result = median(setup.results);
      console.log(
        `${setup.name} / bare: throughput ${((result.throughput / bare.throughput) * 100).toFixed(0)}%, CPU a request ${((perRequestUs(setup) / perRequestUs(setups[0]!)) * 100).toFixed(0)}% of bare's`,
      );
    }
    const single = setups.find((s) => s.name === "Tally, PostgreSQL x1");
    for (const setup of setups.filter((s) => s.cluster && s !== single && single)) {
      const ratio = median(setup.results).throughput / median(single!.results).throughput;
      console.log(
        `${setup.name} / x1: throughput ${(ratio * 100).toFixed(0)}% (${os.availableParallelism()} cores here, shared with the load and the database)`,
      );
    }
    const sqlite = median(setups[1]!.results);
    const ratio = sqlite.throughput / bare.throughput;
    console.log(
      `\nTally on SQLite / bare throughput: ${(ratio * 100).toFixed(0)}% (target >= 50%), p99 ${sqlite.p99.toFixed(1)} ms (target < 50 ms)`,
    );
    console.log(`${sent} distinct paid orders to each setup; ${ok ? "each earned once" : "NOT each earned once"}`);
    const wal = path.join(dir, "tally.sqlite-wal");
    if (existsSync(wal))
      console.log(`Tally's SQLite WAL at the end: ${(statSync(wal).size / 1024 / 1024).toFixed(1)} MB`);
    const [load1, load5] = os.loadavg();
    console.log(
      `load average ${load1!.toFixed(1)} (1 min), ${load5!.toFixed(1)} (5 min) on ${os.availableParallelism()} cores`,
    );
    console.log(ok && ratio >= 0.5 && sqlite.p99 < 50 ? "targets met" : "targets NOT met");
  } finally {
    for (const setup of setups) await setup.probe?.close();
    await Promise.all(setups.flatMap((setup) => setup.children.map(stop)));
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
