// npm run bench:export: "Export customers" as the background task runs it (decision 026) over a large shop
// (1,000,000 customers by default, EXPORT_CUSTOMERS to change), every column chosen. Seeds a fresh SQLite file, then
// runs the export in a child process of its own so that its peak RSS is the export's alone (VmHWM, not getrusage,
// which carries the seeding parent's high-water mark across fork and exec), with a directory page asked for every
// 25 ms meanwhile. Prints the export's time, rows per second, file size and peak RSS against the targets (< 20 s,
// < 200 MB), beside baselines measured in the same run: a plain read of every row, and the keyset page idle.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
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
  execFileSync(process.execPath, [...process.execArgv, process.argv[1]!], {
    stdio: "inherit",
    env: { ...process.env, BENCH_EXPORT_CHILD: "1", BENCH_EXPORT_DIR: dir },
  });
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

// Baseline, same run: every row read in id order through one prepared statement, 2,000 a page, nothing written.
const { readSelectionPage } = await import("~/services/customers/bulk-customers.server");
const floorStarted = performance.now();
for (let afterId = 0; ;) {
  const input = { selection: { query: emptyCustomerQuery }, afterId, limit: 2_000, readKey: "baseline" };
  const { lastId } = await readSelectionPage({ ctx, input });
  if (lastId === undefined) break;
  afterId = lastId;
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
