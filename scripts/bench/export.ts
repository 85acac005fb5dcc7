// npm run bench:export: "Export customers" as the background task runs it (decision 026) over a large shop
// (1,000,000 customers by default, EXPORT_CUSTOMERS to change), every column chosen. Seeds a fresh SQLite file, then
// runs the export in a child process of its own so that its peak RSS is the export's alone, with a directory page
// asked for every 25 ms meanwhile. Prints the export's time, rows per second, file size and peak RSS against the
// targets (< 20 s, < 200 MB), and the plain keyset page idle and while the export runs, measured in the same run.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ms, pause, sampleWhile, stats } from "./sampling";

const CUSTOMERS = Number(process.env.EXPORT_CUSTOMERS ?? 1_000_000);
const shop = "bench-export.myshopify.com";
const child = process.env.BENCH_EXPORT_CHILD === "1";
const dir = child ? process.env.BENCH_EXPORT_DIR! : mkdtempSync(path.join(tmpdir(), "tally-bench-export-"));
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
  const countries = ["US", "CA", "GB", "DE", "FR", "PL", "IT", "JP"];
  for (let start = 0; start < CUSTOMERS; start += 400) {
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
  execFileSync(process.execPath, [...process.execArgv, process.argv[1]!], {
    stdio: "inherit",
    env: { ...process.env, BENCH_EXPORT_CHILD: "1", BENCH_EXPORT_DIR: dir },
  });
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

const { listCustomers } = await import("~/services/customers/list-customers.server");
const { emptyCustomerQuery } = await import("~/domain/customers");
const { exportColumns } = await import("~/domain/background-jobs");
const { submitTask } = await import("~/services/background-jobs/submit-task.server");
const { createTaskRunner } = await import("~/jobs/task-runner.server");
const { exportFilePath } = await import("~/lib/export-files.server");

const page = () => listCustomers({ ctx: { ...ctx, now: new Date() }, input: { query: emptyCustomerQuery, limit: 50 } });

await sampleWhile(page, pause(1000));
const idle = stats(await sampleWhile(page, pause(3000)));
const rssBefore = process.resourceUsage().maxRSS / 1024;

const { task } = await submitTask({
  ctx,
  input: {
    kind: "customers.export",
    input: { selection: { query: emptyCustomerQuery }, columns: [...exportColumns] },
    idempotencyKey: "bench",
  },
});
const started = performance.now();
const run = createTaskRunner({ shops: [shop], pauseMs: 0 }).drain();
const busy = stats(await sampleWhile(page, run));
const seconds = (performance.now() - started) / 1000;
const peak = process.resourceUsage().maxRSS / 1024;
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
  `peak RSS                  ${peak.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before the export)  target < 200 MB: ${verdict(peak < 200)}`,
);
console.log(`keyset page, idle         p50 ${ms(idle.p50)}  p95 ${ms(idle.p95)}  max ${ms(idle.max)}  (n=${idle.n})`);
console.log(`keyset page, export runs  p50 ${ms(busy.p50)}  p95 ${ms(busy.p95)}  max ${ms(busy.max)}  (n=${busy.n})`);
console.log(
  `ratio busy/idle           p50 ${(busy.p50 / idle.p50).toFixed(1)}x  p95 ${(busy.p95 / idle.p95).toFixed(1)}x`,
);
process.exit(row!.status === "succeeded" ? 0 : 1);
