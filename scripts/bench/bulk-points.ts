// npm run bench:bulk-points: a bulk "Adjust points" on every customer of a shop of 40,000 (BULK_CUSTOMERS to change),
// as the directory's bulk action starts it, run by the task runner in this process as the web server runs it. While it
// runs, the Customers directory is asked for every 25 ms, served as server.js serves a request (inside withRequestId):
// its loader (the page of customers and the tab counts) and then its streamed count ("Counting…"), each timed; the same
// two are measured on the idle process first, in the same run. Prints p50/p95/max idle and during, their ratio, the
// event loop's longest stall while the job runs (what a request arriving then waits before it is handled), and the
// longest time the job's progress, as the running-jobs banner reads it every 1.5 s, stood still; then a second
// adjustment of everyone with nothing asked meanwhile, for the job's own speed.
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { ms, pause, sampleWhile, stats } from "./sampling";
import { directoryProbe, openBenchShop } from "./shop-under-load";

const CUSTOMERS = Number(process.env.BULK_CUSTOMERS ?? 40_000);
const shop = "bench-bulk-points.myshopify.com";
const { ctx, cleanup } = await openBenchShop({ name: "bulk-points", shop, count: CUSTOMERS });
const { db } = ctx;

const { ledgerEntries, tasks } = await import("~/db/schema");
const { emptyCustomerQuery } = await import("~/domain/customers");
const { submitTask } = await import("~/services/background-jobs/submit-task.server");
const { listTasks } = await import("~/services/background-jobs/get-task.server");
const { createTaskRunner } = await import("~/jobs/task-runner.server");
const { eq, sql } = await import("drizzle-orm");

const probe = await directoryProbe(shop);
const directory = probe.ask;

const { loader: idleLoader, count: idleCount } = await probe.idle(3000);

const { task } = await submitTask({
  ctx,
  input: {
    kind: "customers.bulk-edit",
    input: {
      selection: { query: emptyCustomerQuery },
      edit: { action: "points_adjust", points: 25, reason: "Bench gift" },
    },
    idempotencyKey: "bench",
  },
});
const runner = createTaskRunner({ shops: [shop], pauseMs: 0 });
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
const started = performance.now();
const cpuAt = process.cpuUsage();
loopDelay.enable();
const run = runner.drain();
// The banner's poll (app.jobs.active) every 1.5 s: the longest the progress it shows stood still while the job ran.
const banner = (async () => {
  let finished = false;
  void run.then(() => (finished = true));
  let last = -1;
  let since = performance.now();
  let longest = 0;
  while (!finished) {
    await pause(1500);
    const [active] = (await listTasks({ ctx: { ...ctx, now: new Date() }, input: { active: true, limit: 3 } })).tasks;
    const now = performance.now();
    const done = active?.progress.done ?? -1;
    if (done !== last) {
      longest = Math.max(longest, now - since);
      last = done;
      since = now;
    }
  }
  return longest;
})();
await sampleWhile(directory, run);
loopDelay.disable();
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuAt);
const bannerStill = await banner;
const busy = probe.take();
const busyLoader = stats(busy.loader);
const busyCount = stats(busy.count);
await sampleWhile(directory, pause(3000));
const idleAfter = probe.take();
const idleL = stats([...idleLoader, ...idleAfter.loader]);
const idleC = stats([...idleCount, ...idleAfter.count]);
const [row] = await db.select().from(tasks).where(eq(tasks.id, task.id));

// A second adjustment of everyone with nothing asked meanwhile: the job's own speed.
const { task: alone } = await submitTask({
  ctx,
  input: {
    kind: "customers.bulk-edit",
    input: {
      selection: { query: emptyCustomerQuery },
      edit: { action: "points_adjust", points: 5, reason: "Bench gift, alone" },
    },
    idempotencyKey: "bench-alone",
  },
});
const aloneStarted = performance.now();
await createTaskRunner({ shops: [shop], pauseMs: 0 }).drain();
const aloneSeconds = (performance.now() - aloneStarted) / 1000;
const [aloneRow] = await db.select().from(tasks).where(eq(tasks.id, alone.id));
const [{ adjusted }] = (await db
  .select({ adjusted: sql<number>`count(*)` })
  .from(ledgerEntries)
  .where(sql`${ledgerEntries.shop} = ${shop} and ${ledgerEntries.idempotencyKey} like 'adjust:%'`)) as [
  { adjusted: number },
];

const line = (label: string, s: ReturnType<typeof stats>) =>
  console.log(`${label.padEnd(30)} p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  max ${ms(s.max)}  (n=${s.n})`);
console.log(
  `job                            ${row!.status}, ${row!.progressDone.toLocaleString("en")} customers, ${adjusted.toLocaleString("en")} entries (should be ${(2 * CUSTOMERS).toLocaleString("en")}, both jobs)`,
);
console.log(
  `job time                       ${seconds.toFixed(1)} s (${Math.round(CUSTOMERS / seconds).toLocaleString("en")} customers/s), CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, load ${loadavg()[0]!.toFixed(2)}`,
);
console.log(
  `job time, nothing asked       ${aloneSeconds.toFixed(1)} s (${Math.round(CUSTOMERS / aloneSeconds).toLocaleString("en")} customers/s), ${aloneRow!.status}`,
);
line("directory loader, idle", idleL);
line("directory loader, job runs", busyLoader);
line("count (Counting…), idle", idleC);
line("count (Counting…), job runs", busyCount);
console.log(
  `ratio job/idle                 loader p50 ${(busyLoader.p50 / idleL.p50).toFixed(1)}x p95 ${(busyLoader.p95 / idleL.p95).toFixed(1)}x; count p50 ${(busyCount.p50 / idleC.p50).toFixed(1)}x p95 ${(busyCount.p95 / idleC.p95).toFixed(1)}x`,
);
console.log(
  `event loop while the job runs  p50 ${ms(loopDelay.percentile(50) / 1e6)}  p99 ${ms(loopDelay.percentile(99) / 1e6)}  longest stall ${ms(loopDelay.max / 1e6)}`,
);
console.log(`banner's progress stood still  longest ${(bannerStill / 1000).toFixed(1)} s (polled every 1.5 s)`);
cleanup();
process.exit(row!.status === "succeeded" && aloneRow!.status === "succeeded" && adjusted === 2 * CUSTOMERS ? 0 : 1);
