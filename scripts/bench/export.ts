// npm run bench:export: "Export customers" as the background task runs it (decision 026) over a large shop
// (1,000,000 customers by default, EXPORT_CUSTOMERS to change), every column chosen. Seeds a fresh SQLite file, then
// runs the export in a child process of its own so that its peak RSS is the export's alone (VmHWM, not getrusage,
// which carries the seeding parent's high-water mark across fork and exec), with a directory page asked for every
// 25 ms meanwhile. Prints the export's time, rows per second, file size and peak RSS against the targets (< 20 s,
// < 200 MB), beside baselines measured in the same run: a plain read of every row, and the keyset page idle. The built
// app's run ends with a summary: the app's RSS idle and at its peak during the export, the export writer's peak, and the
// two at once (decision 047); BENCH_BASELINE_DIR=<another checkout, built> puts that build's figures beside them.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import type { DirectoryCursor } from "~/domain/customers";
import { serverArgs } from "../server-command";
import { ms, pause, sampleWhile, stats } from "./sampling";

const CUSTOMERS = Number(process.env.EXPORT_CUSTOMERS ?? 1_000_000);
const shop = "bench-export.myshopify.com";
const child = process.env.BENCH_EXPORT_CHILD === "1";
// BENCH_EXPORT_KEEP=<dir> seeds that directory once and reuses it on later runs (for iterating on the export).
const kept = process.env.BENCH_EXPORT_KEEP;
const dir = child
  ? process.env.BENCH_EXPORT_DIR!
  : kept
    ? (mkdirSync(kept, { recursive: true }), kept)
    : mkdtempSync(path.join(tmpdir(), "tally-bench-export-"));
Object.assign(process.env, {
  DATABASE_PATH: path.join(dir, "bench.sqlite"),
  SHOPIFY_API_KEY: "bench",
  SHOPIFY_API_SECRET: "bench-secret",
  SHOPIFY_APP_URL: "https://tally.bench",
  SCOPES: "read_customers",
  NODE_ENV: "production",
  TALLY_ENCRYPTION_KEY: process.env.TALLY_ENCRYPTION_KEY ?? randomBytes(32).toString("base64"),
  TALLY_BACKGROUND_JOBS: "off",
});

const { contextFor } = await import("~/shopify.server");
const { customers, tasks } = await import("~/db/schema");
const { eq } = await import("drizzle-orm");
const ctx = contextFor(shop, { actor: "staff:1", actorName: "Bench" });

/** A process's figure from /proc/<pid>/status (VmRSS, VmHWM), in MB. */
const statusMb = (pid: number | "self", field: "VmRSS" | "VmHWM"): number => {
  const line = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return line ? Number(line[1]) / 1024 : Number.NaN;
};

/** The processes `pid` forked (the export writer), from /proc. */
const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

type Memory = Record<"rss" | "heapTotal" | "heapUsed" | "newSpace" | "oldSpace" | "external" | "arrayBuffers", number>;
const memoryOf = (file: string): Memory | undefined => {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { atPeak: Memory }).atPeak;
  } catch {
    return undefined;
  }
};
const breakdown = (of: Memory | undefined) =>
  of
    ? `V8 heap ${of.heapTotal.toFixed(0)} (used ${of.heapUsed.toFixed(0)}; new space ${of.newSpace.toFixed(0)}, old ${of.oldSpace.toFixed(0)}), external ${of.external.toFixed(0)} (array buffers ${of.arrayBuffers.toFixed(0)}), native and code ${(of.rss - of.heapTotal - of.external).toFixed(0)}`
    : "n/a";

/*
 * The export as production runs it: the built app (`npm run build`) served by server.js under plain Node 22, whose
 * scheduler's task runner takes the queued export up, as it would one staff started. Measured from outside: the
 * server's RSS every 25 ms from /proc (idle for 3 s first, then while the export runs) and its VmHWM, and the same
 * for the export writer it forks (decision 040); GET /healthz's latency meanwhile. A preloaded probe
 * (memory-probe.mjs) keeps each process's process.memoryUsage() at its RSS peak. `writer` is EXPORT_WRITER: "process"
 * (the default) or "in-app" (the export in the app's own process, as before decision 040), run one after the other.
 * `root` is the checkout whose build runs (BENCH_BASELINE_DIR: another one, built, measured in the same run), started
 * as its own `npm start` starts it.
 */
async function measureBuiltServer(writer: "process" | "in-app", root: string): Promise<BuiltRun> {
  const node = process.execPath;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const memoryFile = path.join(dir, `memory-${writer}-${path.basename(root)}`);
  const server = spawn(node, serverArgs(root), {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      TALLY_BACKGROUND_JOBS: "on",
      JOBS_INTERVAL_SECONDS: "3600",
      EXPORT_WRITER: writer,
      NODE_OPTIONS: `--import ${path.join(root, "scripts/bench/memory-probe.mjs")}`,
      BENCH_MEMORY_OUT: memoryFile,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise((resolve) => server.once("exit", resolve));
  // A bench that fails midway leaves no server behind to take up the next run's export from the same file.
  const stopServer = () => server.kill("SIGKILL");
  process.once("exit", stopServer);
  const health = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    await response.arrayBuffer();
  };
  for (let tries = 0; ; tries++) {
    try {
      await health();
      break;
    } catch (error) {
      if (tries > 300) throw error;
      await pause(100);
    }
  }
  await sampleWhile(health, pause(1000));
  let rssIdleMax = 0;
  const idle = stats(
    await sampleWhile(() => {
      rssIdleMax = Math.max(rssIdleMax, statusMb(server.pid!, "VmRSS"));
      return health();
    }, pause(3000)),
  );
  const rssIdle = statusMb(server.pid!, "VmRSS");

  const { submitTask } = await import("~/services/background-jobs/submit-task.server");
  const { exportColumns } = await import("~/domain/background-jobs");
  const { emptyCustomerQuery } = await import("~/domain/customers");
  const { task } = await submitTask({
    ctx,
    input: {
      kind: "customers.export",
      input: { selection: { query: emptyCustomerQuery }, columns: [...exportColumns] },
      idempotencyKey: `bench-${writer}-${Date.now()}`,
    },
  });
  const started = performance.now();
  let rssPeak = 0;
  let sumPeak = 0;
  let writerPid: number | undefined;
  let writerPeak = 0;
  let status = "queued";
  let ranFrom: number | undefined;
  const finished = (async () => {
    while (status === "queued" || status === "running") {
      await pause(100);
      const [row] = await ctx.db.select({ status: tasks.status }).from(tasks).where(eq(tasks.id, task.id));
      status = row!.status;
      if (status === "running" && ranFrom === undefined) ranFrom = performance.now();
    }
  })();
  const busy = stats(
    await sampleWhile(() => {
      const rss = statusMb(server.pid!, "VmRSS");
      rssPeak = Math.max(rssPeak, rss);
      writerPid ??= childrenOf(server.pid!)[0];
      const writerRss = writerPid ? statusMb(writerPid, "VmRSS") : 0;
      writerPeak = Math.max(writerPeak, Number.isNaN(writerRss) ? 0 : writerRss);
      sumPeak = Math.max(sumPeak, rss + (Number.isNaN(writerRss) ? 0 : writerRss));
      return health();
    }, finished),
  );
  const seconds = (performance.now() - (ranFrom ?? started)) / 1000;
  const hwm = statusMb(server.pid!, "VmHWM");
  const writerHwm = writerPid ? statusMb(writerPid, "VmHWM") : Number.NaN;
  await pause(400);
  server.kill("SIGTERM");
  await exited;
  process.off("exit", stopServer);
  const [row] = await ctx.db.select().from(tasks).where(eq(tasks.id, task.id));
  const { exportFilePath } = await import("~/lib/export-files.server");
  const bytes = statSync(exportFilePath(shop, task.id)).size;
  const verdict = (peak: number) => (peak < 200 ? "ok" : "MISS");
  console.log(
    `\nEXPORT_WRITER=${writer}: ${root}'s build under plain Node ${process.version}, node ${serverArgs(root).join(" ").replace(`${root}/`, "")} (load ${loadavg()[0]!.toFixed(1)})`,
  );
  console.log(
    `  export task             ${row!.status}, ${row!.progressDone.toLocaleString("en")} customers × ${exportColumns.length} columns, ${(bytes / 2 ** 20).toFixed(0)} MiB, ${seconds.toFixed(1)} s from the runner taking it up (${Math.round(row!.progressDone / seconds).toLocaleString("en")} customers/s)`,
  );
  console.log(
    `  app (server.js) RSS     idle ${rssIdle.toFixed(0)} MB (max ${rssIdleMax.toFixed(0)} over 3 s); peak during the export ${Math.max(rssPeak, hwm).toFixed(0)} MB (sampled ${rssPeak.toFixed(0)}, VmHWM ${hwm.toFixed(0)})  ${verdict(Math.max(rssPeak, hwm))}`,
  );
  console.log(`    at its peak (MB)      ${breakdown(memoryOf(`${memoryFile}.${server.pid}.json`))}`);
  if (writerPid) {
    console.log(
      `  export writer RSS       peak ${Math.max(writerPeak, writerHwm || 0).toFixed(0)} MB (sampled ${writerPeak.toFixed(0)}, VmHWM ${writerHwm.toFixed(0)})  ${verdict(Math.max(writerPeak, writerHwm || 0))}; app + writer at once, peak ${sumPeak.toFixed(0)} MB`,
    );
    console.log(`    at its peak (MB)      ${breakdown(memoryOf(`${memoryFile}.${writerPid}.json`))}`);
  }
  console.log(`  GET /healthz, idle      p50 ${ms(idle.p50)}  p95 ${ms(idle.p95)}  max ${ms(idle.max)}  (n=${idle.n})`);
  console.log(`  GET /healthz, exporting p50 ${ms(busy.p50)}  p95 ${ms(busy.p95)}  max ${ms(busy.max)}  (n=${busy.n})`);
  return {
    label: `${path.basename(root)}, EXPORT_WRITER=${writer}`,
    seconds,
    appIdle: rssIdle,
    appPeak: Math.max(rssPeak, hwm),
    writerPeak: writerPid ? Math.max(writerPeak, writerHwm || 0) : undefined,
    sumPeak: writerPid ? sumPeak : Math.max(rssPeak, hwm),
  };
}

/** One built app's export, in MB and seconds: the app idle and at its peak, the writer's peak, both at once. */
interface BuiltRun {
  label: string;
  seconds: number;
  appIdle: number;
  appPeak: number;
  writerPeak: number | undefined;
  sumPeak: number;
}

/** The runs side by side with the plain read, each process's peak against the 200 MB target and the time against 20 s. */
function printSummary(runs: BuiltRun[], floor: Floor) {
  const mb = (value: number | undefined) => (value === undefined ? "-" : `${value.toFixed(0)} MB`);
  const rows = [
    ["", "export", "app idle", "app peak", "writer peak", "app + writer"],
    ["baseline: plain read", `${floor.seconds.toFixed(1)} s`, mb(floor.rssBefore), mb(floor.peak), "-", mb(floor.peak)],
    ...runs.map((run) => [
      run.label,
      `${run.seconds.toFixed(1)} s${run.seconds < 20 * (CUSTOMERS / 1_000_000) ? "" : " MISS"}`,
      mb(run.appIdle),
      `${mb(run.appPeak)}${run.appPeak < 200 ? "" : " MISS"}`,
      run.writerPeak === undefined ? "-" : `${mb(run.writerPeak)}${run.writerPeak < 200 ? "" : " MISS"}`,
      mb(run.sumPeak),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log(`\nSummary (targets: < 20 s, < 200 MB for each process; load ${loadavg()[0]!.toFixed(1)}):`);
  for (const row of rows) console.log(`  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ")}`);
}

type Floor = { rows: number; seconds: number; rssBefore: number; peak: number };

/** The floor, same run: a plain Node process that only opens the file and reads every row (export-floor.mjs). */
function measureFloor(): Floor {
  const floor = JSON.parse(
    execFileSync(process.execPath, [path.join(process.cwd(), "scripts/bench/export-floor.mjs")], {
      env: { ...process.env, BENCH_SHOP: shop },
      encoding: "utf8",
    }),
  ) as Floor;
  console.log(
    `\nbaseline: plain read      ${floor.seconds.toFixed(1)} s, ${floor.rows.toLocaleString("en")} rows × every column (plain Node, better-sqlite3 iterate(), nothing else loaded): RSS ${floor.rssBefore.toFixed(0)} MB before, peak ${floor.peak.toFixed(0)} MB`,
  );
  return floor;
}

if (!child) {
  const { searchColumnsOf } = await import("~/domain/customers");
  const started = performance.now();
  const seeded = kept !== undefined && existsSync(path.join(dir, "seeded"));
  const countries = ["US", "CA", "GB", "DE", "FR", "PL", "IT", "JP"];
  for (let start = 0; !seeded && start < CUSTOMERS; start += 400) {
    await ctx.db.insert(customers).values(
      Array.from({ length: Math.min(400, CUSTOMERS - start) }, (_, i) => {
        const n = start + i;
        const names = { firstName: n % 7 === 0 ? "=cmd|' /C calc'!A0" : `Łukasz${n % 100}`, lastName: `Nowak ${n}` };
        return {
          shop,
          customerGid: `gid://shopify/Customer/${10_000_000 + n}`,
          email: `c${n}@example.com`,
          phone: null,
          ...names,
          ...searchColumnsOf({ ...names, email: `c${n}@example.com`, phone: null }),
          status: n % 3 === 0 ? ("member" as const) : ("guest" as const),
          pointsBalance: (n % 900) - 50,
          ordersCount: n % 12,
          amountSpentMinor: (n % 12) * 4_250,
          currency: "USD",
          timeZone: null,
          city: "Kraków",
          countryCode: countries[n % countries.length]!,
          tags: n % 5 === 0 ? ["VIP", "newsletter"] : [],
          joinedAt: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString(),
        };
      }),
    );
  }
  console.log(
    `\nbench:export: seeded ${CUSTOMERS.toLocaleString("en")} customers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (kept) writeFileSync(path.join(dir, "seeded"), String(CUSTOMERS));
  // BENCH_EXPORT_MODE: "built" (the built app only), "in-process" (the tsx child only), or both (the default).
  const mode = process.env.BENCH_EXPORT_MODE ?? "both";
  if (mode !== "in-process") {
    if (!existsSync(path.join(process.cwd(), "build/server/index.js"))) throw new Error("npm run build first");
    const floor = measureFloor();
    // BENCH_EXPORT_WRITERS: which EXPORT_WRITER settings to measure, in order (default both).
    const writers = (process.env.BENCH_EXPORT_WRITERS ?? "in-app,process").split(",") as Array<"in-app" | "process">;
    // BENCH_BASELINE_DIR=<another checkout, built>: its app measured too, before this one, for each setting.
    const roots = [process.env.BENCH_BASELINE_DIR, process.cwd()].filter((root): root is string => Boolean(root));
    for (const root of roots) {
      if (!existsSync(path.join(root, "build/server/index.js"))) throw new Error(`npm run build in ${root} first`);
    }
    const runs: BuiltRun[] = [];
    for (const writer of writers) for (const root of roots) runs.push(await measureBuiltServer(writer, root));
    printSummary(runs, floor);
  }
  if (mode !== "built") {
    console.log(
      `\nThe export task run by a tsx process of its own (EXPORT_WRITER=${process.env.EXPORT_WRITER ?? "process"}; its RSS, not the writer's), a directory page every 25 ms in it:`,
    );
    execFileSync(process.execPath, [...process.execArgv, process.argv[1]!], {
      stdio: "inherit",
      env: { ...process.env, BENCH_EXPORT_CHILD: "1", BENCH_EXPORT_DIR: dir },
    });
  }
  if (!kept) rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

const { listCustomers } = await import("~/services/customers/list-customers.server");
const { emptyCustomerQuery } = await import("~/domain/customers");
const { exportColumns } = await import("~/domain/background-jobs");
const { submitTask } = await import("~/services/background-jobs/submit-task.server");
const { createTaskRunner } = await import("~/jobs/task-runner.server");
const { exportFilePath } = await import("~/lib/export-files.server");

const rssLoaded = process.memoryUsage.rss() / 2 ** 20;
const page = () => listCustomers({ ctx: { ...ctx, now: new Date() }, input: { query: emptyCustomerQuery, limit: 50 } });

await sampleWhile(page, pause(1000));
const idle = stats(await sampleWhile(page, pause(3000)));

// Baseline, same run: every row read in the directory's order through the prepared keyset reads, 2,000 a page, nothing written.
const { readSelectionPage } = await import("~/services/customers/bulk-customers.server");
const floorStarted = performance.now();
for (let after: DirectoryCursor | null = null; ;) {
  const input = { selection: { query: emptyCustomerQuery }, after, limit: 2_000, readKey: "baseline" };
  const { last } = await readSelectionPage({ ctx, input });
  if (last === undefined) break;
  after = last;
}
const floorSeconds = (performance.now() - floorStarted) / 1000;

/*
 * The process's own memory. Not getrusage's maxRSS: Linux carries a parent's high-water mark into a child across
 * fork and exec, so the child reported the seeding parent's 431 MB before it had done anything. VmHWM (this process's
 * address space since exec) where /proc has it, and the largest RSS sampled every 25 ms while the export runs.
 */
const highWater = (): number | undefined => {
  try {
    const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return line ? Number(line[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
};
let detail = "";
const rssNow = () => {
  const rss = process.memoryUsage.rss() / 2 ** 20;
  if (process.env.BENCH_EXPORT_MEMORY && rss > rssSampled) {
    const m = process.memoryUsage();
    detail = `heapTotal ${(m.heapTotal / 2 ** 20).toFixed(0)} heapUsed ${(m.heapUsed / 2 ** 20).toFixed(0)} external ${(m.external / 2 ** 20).toFixed(0)} buffers ${(m.arrayBuffers / 2 ** 20).toFixed(0)}`;
  }
  return rss;
};
let rssSampled = 0;
const rssBefore = rssNow();
rssSampled = rssBefore;

const { task } = await submitTask({
  ctx,
  input: {
    kind: "customers.export",
    input: { selection: { query: emptyCustomerQuery }, columns: [...exportColumns] },
    idempotencyKey: `bench-${Date.now()}`,
  },
});
const started = performance.now();
const run = createTaskRunner({ shops: [shop], pauseMs: 0 }).drain();
const busy = stats(
  await sampleWhile(() => {
    rssSampled = Math.max(rssSampled, rssNow());
    return page();
  }, run),
);
const seconds = (performance.now() - started) / 1000;
const peak = Math.max(rssSampled, highWater() ?? 0);
const [row] = await ctx.db.select().from(tasks).where(eq(tasks.id, task.id));
const bytes = statSync(exportFilePath(shop, task.id)).size;

const verdict = (ok: boolean) => (ok ? "ok" : "MISS");
console.log(
  `export task               ${row!.status}, ${row!.progressDone.toLocaleString("en")} customers, ${exportColumns.length} columns, ${(bytes / 2 ** 20).toFixed(0)} MiB file`,
);
console.log(
  `export time               ${seconds.toFixed(1)} s (${Math.round(row!.progressDone / seconds).toLocaleString("en")} customers/s)  target < 20 s at 1,000,000: ${verdict(seconds < 20 * (CUSTOMERS / 1_000_000))}`,
);
console.log(
  `baseline: plain read      ${floorSeconds.toFixed(1)} s (every row, one prepared statement, no CSV); export/baseline ${(seconds / floorSeconds).toFixed(1)}x`,
);
console.log(
  `peak RSS                  ${peak.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before the export, ${rssLoaded.toFixed(0)} MB once the app was loaded; VmHWM ${highWater()?.toFixed(0) ?? "n/a"} MB, sampled ${rssSampled.toFixed(0)} MB)  target < 200 MB: ${verdict(peak < 200)}`,
);
console.log(`keyset page, idle         p50 ${ms(idle.p50)}  p95 ${ms(idle.p95)}  max ${ms(idle.max)}  (n=${idle.n})`);
console.log(`keyset page, export runs  p50 ${ms(busy.p50)}  p95 ${ms(busy.p95)}  max ${ms(busy.max)}  (n=${busy.n})`);
console.log(
  `ratio busy/idle           p50 ${(busy.p50 / idle.p50).toFixed(1)}x  p95 ${(busy.p95 / idle.p95).toFixed(1)}x`,
);
if (detail) console.log(`at the sampled peak        ${detail} (MB)`);
process.exit(row!.status === "succeeded" ? 0 : 1);
