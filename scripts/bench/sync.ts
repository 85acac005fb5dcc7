// npm run bench:sync: "Sync customers" (decision 030) over a shop of 100,000 customers with 250,000 orders in the
// sandbox Shopify (SYNC_CUSTOMERS and SYNC_ORDERS to change), into an empty Tally and then again over the same shop.
// The sandbox (a process of its own, as Shopify is another machine) writes the bulk operation's JSONL as Shopify does;
// the task streams and applies it. While the first JSONL is applied, a directory page and a signed customers/update
// webhook are each asked for every 25 ms, each served as server.js serves a request (inside withRequestId); the same
// two are measured on the idle process first, in the same run. A second shop, seeded alike, is synced into Tally alone (nothing asked meanwhile), for the apply's own
// speed on new customers; a third, seeded alike, is synced while its progress is watched (the sync card's poll of the
// job every 1.5 s, marked as a poll as the card marks it: decision 030, sixth round); a fourth while Shopify sends a
// signed webhook every second, as a busy shop's own traffic does (seventh round). SQLite's WAL checkpoints run on a worker thread, as the production server runs them. Prints
// the apply time, customers/s and orders/s, the CPU the process spent meanwhile (what a loaded machine does not
// inflate), the process's RSS and the load average, and p50/p95 of the page and the webhook idle and during the apply,
// with their ratio. SYNC_PROBED=0 leaves out the first sync with the probes (for a large shop's apply alone);
// SYNC_CPU_PROFILE=file.cpuprofile writes a CPU profile of the first sync alone. Each sync also prints the event loop's
// delay while it applies: how long a request arriving then waits before it is handled.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import path from "node:path";
import { readAppConfig } from "../../tests/sandbox/app-config";
import { ms, pause, sampleWhile, stats } from "./sampling";

const CUSTOMERS = Number(process.env.SYNC_CUSTOMERS ?? 100_000);
const ORDERS = Number(process.env.SYNC_ORDERS ?? Math.round(CUSTOMERS * 2.5));
const shop = "bench-sync.myshopify.com";
const aloneShop = "bench-sync-alone.myshopify.com";
const watchedShop = "bench-sync-watched.myshopify.com";
const trafficShop = "bench-sync-traffic.myshopify.com";
const dir = mkdtempSync(path.join(tmpdir(), "tally-bench-sync-"));
const credentials = { apiKey: "bench-sync", apiSecret: "bench-sync-secret" };
Object.assign(process.env, {
  DATABASE_PATH: path.join(dir, "bench.sqlite"),
  SHOPIFY_API_KEY: credentials.apiKey,
  SHOPIFY_API_SECRET: credentials.apiSecret,
  SHOPIFY_APP_URL: "http://127.0.0.1:9",
  // The scopes shopify.app.toml asks for, as Shopify grants them on install.
  SCOPES: readAppConfig(path.resolve("shopify.app.toml")).scopes.join(","),
  NODE_ENV: "production",
  TALLY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  TALLY_BACKGROUND_JOBS: "off",
});

const { routeShopifyToSandbox } = await import("~/shopify/sandbox/fetch.server");
const { authenticate, contextFor, unauthenticated } = await import("~/shopify.server");
const { bulkLines, getBulkOperation } = await import("~/shopify/admin/bulk-query.server");
const { readCustomerSyncLine } = await import("~/shopify/admin/sync-records");
const { customerInputOf } = await import("~/shopify/admin/reconcile-records");
const { tasks } = await import("~/db/schema");
const { eq } = await import("drizzle-orm");
const { customerQueryParamsSchema } = await import("~/domain/customers");
const { countDirectoryMatches, loadCustomerDirectory } =
  await import("~/services/customers/load-customer-directory.server");
const { action: customerUpdate } = await import("~/routes/webhooks.customers.update");
const { getCustomerSyncStatus, startCustomerSync } = await import("~/services/customers/customer-syncs.server");
const { createTaskRunner } = await import("~/jobs/task-runner.server");
const { customerSyncSummarySchema } = await import("~/domain/background-jobs");
const { getHmac } = await import("@shopify/shopify-api/test-helpers");
const { withRequestId } = await import("~/lib/log.server");
const { isSomeoneWaiting } = await import("~/lib/request-activity.server");
const { jobPollPath } = await import("~/domain/background-jobs");
const { getTask } = await import("~/services/background-jobs/get-task.server");
const POLL_MS = 1500;
/** A webhook every second: a busy shop's own traffic (orders and customers changing) while it syncs. */
const TRAFFIC_MS = 1000;

/**
 * The sandbox Shopify in a process of its own (tests/sandbox/main.ts), as Shopify is another machine to the app: its
 * seeded shops, the bulk operation writing the JSONL and the file's serving spend neither this process's CPU nor its
 * heap (in-process, they had: the process's RSS and its garbage collection were the sandbox's as much as Tally's).
 */
async function startSandboxProcess() {
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      "tests/sandbox/main.ts",
      "--port",
      "0",
      "--app-url",
      "http://127.0.0.1:9",
      "--shop",
      "bench-sync-unused.myshopify.com",
      "--bulk-page-size",
      "1000",
    ],
    {
      env: { ...process.env, SHOPIFY_API_KEY: credentials.apiKey, SHOPIFY_API_SECRET: credentials.apiSecret },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const origin = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const found = /Sandbox Shopify on (http:\/\/\S+)/.exec(out);
      if (found) resolve(found[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the sandbox exited (${code}) before it listened`)));
  });
  return {
    origin,
    async control(operation: string, input: object): Promise<unknown> {
      const response = await fetch(`${origin}/_sandbox/${operation}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(input),
      });
      if (!response.ok) throw new Error(`sandbox ${operation}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

// As the production server runs (server.js): SQLite's WAL checkpoints on a worker thread, not inside a COMMIT.
const { checkpointOffTheEventLoop } = await import("~/db/wal-checkpoints.server");
const stopWalCheckpoints = checkpointOffTheEventLoop(contextFor(shop, "staff:1").db);
const sandbox = await startSandboxProcess();
routeShopifyToSandbox(sandbox.origin);
const seedStart = performance.now();
for (const each of [shop, aloneShop, watchedShop, trafficShop]) {
  await sandbox.control("createShop", { shop: each });
  await sandbox.control("seed", { shop: each, customers: CUSTOMERS, orders: ORDERS, seed: 7 });
}
// Orders seeded before install earn nothing; the install happens in a later second (Shopify's times are seconds).
await pause(1100);
// Installed as the admin installs it: a session token exchanged for an offline token (afterAuth).
for (const each of [shop, aloneShop, watchedShop, trafficShop]) {
  const token = (await sandbox.control("sessionToken", { shop: each })) as string;
  await authenticate.admin(
    new Request(`${process.env.SHOPIFY_APP_URL}/app`, { headers: { Authorization: `Bearer ${token}` } }),
  );
}
console.log(
  `\nbench:sync: sandbox shop of ${CUSTOMERS.toLocaleString("en")} customers and ${ORDERS.toLocaleString("en")} orders, Tally installed, in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
);

const ctx = contextFor(shop, { actor: "staff:1", actorName: "Bench" });
/**
 * The directory loader's server work without Remix and without authenticate.admin (whose token exchange is a call to
 * the sandbox, not Tally's time): the page of customers, its tab counts and facets, the sync status and the count.
 */
async function directoryPage() {
  const pageCtx = { ...contextFor(shop, "staff:1"), now: new Date() };
  const view = await loadCustomerDirectory({
    ctx: pageCtx,
    input: { params: customerQueryParamsSchema.parse({}), staffId: "1" },
  });
  await getCustomerSyncStatus({ ctx: pageCtx });
  await countDirectoryMatches({ ctx: pageCtx, input: { query: view.query } });
}
let webhookCount = 0;
async function customersUpdateWebhook() {
  webhookCount += 1;
  const n = webhookCount % CUSTOMERS;
  const raw = JSON.stringify({
    id: 9_000_000 + n,
    admin_graphql_api_id: `gid://shopify/Customer/${9_000_000 + n}`,
    email: `webhook-${n}@example.com`,
    first_name: "Web",
    last_name: `Hook ${n}`,
    state: "enabled",
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    tags: "",
  });
  const response = await customerUpdate({
    request: new Request(`${process.env.SHOPIFY_APP_URL}/webhooks/customers/update`, {
      method: "POST",
      body: raw,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "customers/update",
        "X-Shopify-Hmac-Sha256": getHmac(raw, credentials.apiSecret),
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": randomBytes(8).toString("hex"),
        "X-Shopify-Event-Id": randomBytes(8).toString("hex"),
        "X-Shopify-Triggered-At": new Date().toISOString(),
      },
    }),
    params: {},
    context: {},
  });
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
}

// Each probe is served as server.js serves a request: inside withRequestId, which also tells a running sync's apply
// that requests are being served (app/lib/request-activity.server.ts).
const asRequest = (work: () => Promise<void>) => () => withRequestId(randomBytes(4).toString("hex"), work);
const page = asRequest(directoryPage);
// A webhook is served as server.js serves one: nobody waits on it, so the sync does not give way (isSomeoneWaiting).
const webhook = () =>
  withRequestId(randomBytes(4).toString("hex"), customersUpdateWebhook, {
    activity: isSomeoneWaiting({ method: "POST", url: "/webhooks/customers/update", webhook: true }),
  });
await sampleWhile(page, pause(1000));
const [idlePage, idleHook] = await Promise.all([sampleWhile(page, pause(4000)), sampleWhile(webhook, pause(4000))]);

async function taskRow(id: number) {
  const [row] = await ctx.db.select().from(tasks).where(eq(tasks.id, id));
  return row!;
}

/** One Sync customers, timed from the moment its JSONL is being applied; the page and webhook sampled meanwhile. */
async function runSync(
  label: string,
  syncShop: string,
  sample: boolean,
  { watched = false, webhookEveryMs }: { watched?: boolean; webhookEveryMs?: number } = {},
) {
  const syncCtx = { ...contextFor(syncShop, { actor: "staff:1", actorName: "Bench" }), now: new Date() };
  const { task } = await startCustomerSync({ ctx: syncCtx, input: { requestId: label } });
  const started = performance.now();
  const run = createTaskRunner({ shops: [syncShop], pauseMs: 0 }).drain();
  let applyStart = 0;
  let bulkOperationId: string | undefined;
  for (;;) {
    const row = await taskRow(task.id);
    const checkpoint = row.checkpoint as { phase?: string; bulkOperationId?: string } | null;
    bulkOperationId = checkpoint?.bulkOperationId ?? bulkOperationId;
    if (checkpoint?.phase === "apply") break;
    if (row.status !== "running" && row.status !== "queued")
      throw new Error(`${label}: the sync ended (${row.status}) before its apply was seen`);
    await pause(5);
  }
  applyStart = performance.now();
  const rssAtApply = process.memoryUsage().rss / 2 ** 20;
  const loadAtApply = loadavg()[0]!;
  const cpuAtApply = process.cpuUsage();
  let peakRss = rssAtApply;
  const memory = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss / 2 ** 20)), 25);
  // A merchant watching the sync: the directory's sync card asks for the job's figures every POLL_MS
  // (customer-sync-status.tsx), each served as server.js serves it (a progress poll is no sign of a waiting merchant).
  let polls = 0;
  const watching = watched
    ? (async () => {
        let finished = false;
        void run.then(() => (finished = true));
        while (!finished) {
          await pause(POLL_MS);
          const url = jobPollPath(task.id);
          await withRequestId(
            randomBytes(4).toString("hex"),
            () => getTask({ ctx: contextFor(syncShop, "staff"), input: { taskId: task.id } }),
            { activity: isSomeoneWaiting({ method: "GET", url, webhook: false }) },
          );
          polls += 1;
        }
      })()
    : Promise.resolve();
  // What a request arriving while it applies waits before it is handled: the event loop's delay, sampled every 10 ms
  // (perf_hooks), which no request of the pacer's sees, so a lone sync stays unattended (ChunkPacer, decision 030).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  // A shop's own traffic: Shopify sends a signed customers/update every `webhookEveryMs`, each served as server.js
  // serves it (a request the sync gives way to), timed.
  const hooks: number[] = [];
  const traffic = webhookEveryMs
    ? (async () => {
        let finished = false;
        void run.then(() => (finished = true));
        while (!finished) {
          await pause(webhookEveryMs);
          const began = performance.now();
          await webhook();
          hooks.push(performance.now() - began);
        }
      })()
    : Promise.resolve();
  const [busyPage, busyHook] = sample
    ? await Promise.all([sampleWhile(page, run), sampleWhile(webhook, run)])
    : [[0], [0]];
  await run;
  await watching;
  await traffic;
  loopDelay.disable();
  clearInterval(memory);
  const applySeconds = (performance.now() - applyStart) / 1000;
  const cpu = process.cpuUsage(cpuAtApply);
  const row = await taskRow(task.id);
  const summary = customerSyncSummarySchema.parse(row.summary);
  return {
    label,
    polls,
    bulkOperationId,
    row,
    summary,
    readSeconds: (applyStart - started) / 1000,
    applySeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    load: [loadAtApply, loadavg()[0]!],
    rssAtApply,
    peakRss,
    busyPage: stats(busyPage),
    busyHook: stats(busyHook),
    hooks: hooks.length > 0 ? stats(hooks) : undefined,
    loopDelay: {
      p50: loopDelay.percentile(50) / 1e6,
      p99: loopDelay.percentile(99) / 1e6,
      max: loopDelay.max / 1e6,
    },
  };
}

const idle = { page: stats(idlePage), hook: stats(idleHook) };
// The first sync (everything new to Tally) with the page and the webhook asked meanwhile; the other shop's first sync
// alone, and then its second (nothing changed) alone, for the apply's own speed.
const profileFile = process.env.SYNC_CPU_PROFILE;
const profiler = profileFile ? new (await import("node:inspector/promises")).Session() : undefined;
const results = process.env.SYNC_PROBED === "0" ? [] : [await runSync("bench-first", shop, true)];
if (profiler) {
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.start");
}
results.push(await runSync("bench-first-alone", aloneShop, false));
if (profiler) {
  const { profile } = await profiler.post("Profiler.stop");
  writeFileSync(profileFile!, JSON.stringify(profile));
  console.log(`CPU profile of the first sync alone written to ${profileFile}`);
}
results.push(await runSync("bench-second", aloneShop, false));
results.push(await runSync("bench-first-watched", watchedShop, false, { watched: true }));
results.push(await runSync("bench-first-traffic", trafficShop, false, { webhookEveryMs: TRAFFIC_MS }));
/**
 * The floor under any apply: the same JSONL downloaded, each line parsed and validated as the task reads it, and
 * nothing written. Measured right after the syncs, on the other shop's bulk operation.
 */
async function readOnly(syncShop: string, bulkOperationId: string) {
  const { admin } = await unauthenticated.admin(syncShop);
  const operation = await getBulkOperation(admin.graphql, bulkOperationId);
  const started = performance.now();
  let customers = 0;
  let lines = 0;
  for await (const each of bulkLines(operation!.url!)) {
    lines += 1;
    const read = readCustomerSyncLine(each.number, each.text);
    if ("customer" in read) {
      customerInputOf(read.customer, false);
      customers += 1;
    }
  }
  return { seconds: (performance.now() - started) / 1000, customers, lines };
}
const floor = await readOnly(aloneShop, results.find((each) => each.label === "bench-first-alone")!.bulkOperationId!);

const titles: Record<string, string> = {
  "bench-first": "first sync (into an empty Tally), a page and a webhook asked every 25 ms",
  "bench-first-alone": "first sync of the other shop, alone",
  "bench-second": "second sync of the other shop (nothing changed), alone",
  "bench-first-watched": "first sync of a third shop, watched (its progress asked every 1.5 s, as the sync card asks)",
  "bench-first-traffic":
    "first sync of a fourth shop while Shopify sends a webhook every second (a busy shop's traffic)",
};

const verdict = (ok: boolean) => (ok ? "ok" : "MISS");
const per = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString("en");
console.log(
  `directory page, idle         p50 ${ms(idle.page.p50)}  p95 ${ms(idle.page.p95)}  max ${ms(idle.page.max)}  (n=${idle.page.n})`,
);
console.log(
  `customers/update, idle       p50 ${ms(idle.hook.p50)}  p95 ${ms(idle.hook.p95)}  max ${ms(idle.hook.max)}  (n=${idle.hook.n})`,
);
console.log(
  `JSONL read and parsed, nothing applied (the floor)  ${floor.seconds.toFixed(1)} s for ${floor.lines.toLocaleString("en")} lines: ${per(floor.customers, floor.seconds)} customers/s, ${per(floor.lines, floor.seconds)} lines/s`,
);
for (const result of results) {
  const { summary } = result;
  console.log(
    `\n${titles[result.label]}: ${result.row.status} (load average ${result.load[0]!.toFixed(1)} as it began, ${result.load[1]!.toFixed(1)} as it ended)`,
  );
  console.log(
    `  Shopify's bulk read (sandbox)  ${result.readSeconds.toFixed(1)} s, ${summary.objectsRead.toLocaleString("en")} objects`,
  );
  console.log(
    `  JSONL applied                  ${result.applySeconds.toFixed(1)} s: ${per(summary.customers, result.applySeconds)} customers/s, ${per(summary.orders, result.applySeconds)} orders/s (${summary.customersChanged.toLocaleString("en")} customers changed), ${(result.applySeconds / floor.seconds).toFixed(1)}x the floor  target 100,000 customers < 10 s: ${verdict(result.applySeconds < 10 * (CUSTOMERS / 100_000))}`,
  );
  console.log(
    `  CPU while applying             ${result.cpuSeconds.toFixed(1)} s (this process's threads, the WAL checkpoints' included; not the sandbox's): what the apply costs whatever the machine's load`,
  );
  console.log(
    `  process RSS                    ${result.rssAtApply.toFixed(0)} MB when applying began, peak ${result.peakRss.toFixed(0)} MB while applying (this process: the sandbox runs in its own)`,
  );
  console.log(
    `  a request arriving meanwhile waits  p50 ${ms(result.loopDelay.p50)}  p99 ${ms(result.loopDelay.p99)}  max ${ms(result.loopDelay.max)} before it is handled (the event loop's delay: the chunk in hand)`,
  );
  if (result.label === "bench-first-watched")
    console.log(`  progress polls                 ${result.polls} (/app/jobs/:id with the sync card's poll marker)`);
  if (result.hooks)
    console.log(
      `  webhooks meanwhile             p50 ${ms(result.hooks.p50)}  p95 ${ms(result.hooks.p95)}  max ${ms(result.hooks.max)}  (n=${result.hooks.n}; idle p95 ${ms(idle.hook.p95)})`,
    );
  if (result.label !== "bench-first") continue;
  const p = result.busyPage;
  const h = result.busyHook;
  console.log(
    `  directory page, applying       p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  max ${ms(p.max)}  (n=${p.n})  p95 ${(p.p95 / idle.page.p95).toFixed(1)}x idle  target < 2x: ${verdict(p.p95 < 2 * idle.page.p95)}`,
  );
  console.log(
    `  customers/update, applying     p50 ${ms(h.p50)}  p95 ${ms(h.p95)}  max ${ms(h.max)}  (n=${h.n})  p95 ${(h.p95 / idle.hook.p95).toFixed(1)}x idle  target max < 2.5 s (half of Shopify's 5 s): ${verdict(h.max < 2500)}`,
  );
}
await stopWalCheckpoints();
await sandbox.close();
rmSync(dir, { recursive: true, force: true });
process.exit(results.every((result) => result.row.status === "succeeded") ? 0 : 1);
