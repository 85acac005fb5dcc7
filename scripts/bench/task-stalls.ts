// npm run bench:task-stalls: the merchant-started tasks that write on every customer of a shop of 40,000
// (STALL_CUSTOMERS to change), each run by the task runner in this process as the web server runs it, one after the
// other: Recalculate points, a points import of 40,000 rows (its dry run, then "Move points in"), "Add Members to the
// referral program", a bulk block of everyone, then a bulk unblock. While each runs, the Customers directory is asked
// for every 25 ms (shop-under-load.ts, as bench:bulk-points does); the same is measured on the idle process first, in
// the same run. Prints, per task, the event loop's longest stall (what a request arriving then waits before it is
// handled), the directory loader's p50/p95 during the task beside the idle baseline and their ratio, and the task's
// time. STALL_TASKS=recalculate,block… runs only those (the import's dry run always runs before its move);
// STALL_ALONE=1 asks nothing while the tasks run (their own speed).
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { ms, stats } from "./sampling";
import { directoryProbe, openBenchShop } from "./shop-under-load";

const CUSTOMERS = Number(process.env.STALL_CUSTOMERS ?? 40_000);
const shop = "bench-task-stalls.myshopify.com";
const { ctx, dir, cleanup } = await openBenchShop({ name: "task-stalls", shop, count: CUSTOMERS });

const { emptyCustomerQuery } = await import("~/domain/customers");
const { submitTask } = await import("~/services/background-jobs/submit-task.server");
const { getTask } = await import("~/services/background-jobs/get-task.server");
const { startPointsImportCheck } = await import("~/services/imports/check-import.server");
const { startImport } = await import("~/services/imports/start-import.server");
const { queueReferralMembersJoining } = await import("~/services/referrals/referral-joining.server");
const { createTaskRunner } = await import("~/jobs/task-runner.server");

const now = () => ({ ...ctx, now: new Date() });
const wanted = process.env.STALL_TASKS?.split(",");
const asking = process.env.STALL_ALONE !== "1";
const probe = await directoryProbe(shop);
const idle = await probe.idle(3000);
const idleLoader = stats(idle.loader);

/** Each task's name and how it is started; it answers the task's id, or undefined when there is nothing to run. */
const startBulkEdit = (action: "block" | "unblock") => async () =>
  (
    await submitTask({
      ctx: now(),
      input: {
        kind: "customers.bulk-edit",
        input: { selection: { query: emptyCustomerQuery }, edit: { action } },
        idempotencyKey: `bench-${action}`,
      },
    })
  ).task.id;
const pointsFile = path.join(dir, "points.csv");
writeFileSync(
  pointsFile,
  `Email,Points balance\n${Array.from({ length: CUSTOMERS }, (_, i) => `c${i}@example.com,${1 + (i % 500)}`).join("\n")}\n`,
);
let importId = 0;
const jobs: { name: string; key: string; start: () => Promise<number | undefined> }[] = [
  {
    name: "Recalculate points",
    key: "recalculate",
    start: async () =>
      (
        await submitTask({
          ctx: now(),
          input: { kind: "points.recalculate", input: { repair: true }, idempotencyKey: "bench-recalculate" },
        })
      ).task.id,
  },
  {
    name: "Points import, dry run",
    key: "import",
    start: async () => {
      const checking = await startPointsImportCheck({
        ctx: now(),
        input: { fileName: "points.csv", filePath: pointsFile, source: "generic" },
      });
      importId = checking.id;
      return checking.taskId ?? undefined;
    },
  },
  {
    name: "Points import (Move points in)",
    key: "import",
    start: async () => (await startImport({ ctx: now(), input: { importId } })).task.id,
  },
  {
    name: "Add Members to referrals",
    key: "join",
    start: async () => {
      if (!(await queueReferralMembersJoining({ ctx: now() }))) return undefined;
      const { tasks } = await import("~/db/schema");
      const { desc } = await import("drizzle-orm");
      const [row] = await ctx.db.select({ id: tasks.id }).from(tasks).orderBy(desc(tasks.id)).limit(1);
      return row?.id;
    },
  },
  { name: "Bulk block everyone", key: "block", start: startBulkEdit("block") },
  { name: "Bulk unblock everyone", key: "unblock", start: startBulkEdit("unblock") },
];

const results: string[] = [];
let failed = false;
for (const job of jobs) {
  if (wanted && !wanted.includes(job.key)) continue;
  const taskId = await job.start();
  if (taskId === undefined) {
    results.push(`${job.name.padEnd(32)} nothing queued`);
    failed = true;
    continue;
  }
  const measured = await probe.during(createTaskRunner({ shops: [shop], pauseMs: 0 }).runTask(taskId), asking);
  const task = await getTask({ ctx: now(), input: { taskId } });
  if (task.status !== "succeeded") failed = true;
  const loader = stats(measured.loader);
  results.push(
    [
      job.name.padEnd(32),
      `stall ${ms(measured.loop.longest).padStart(9)}`,
      `loop p99 ${ms(measured.loop.p99).padStart(9)}`,
      loader.n === 0
        ? "directory not asked"
        : [
            `loader p50 ${ms(loader.p50).padStart(8)} (${(loader.p50 / idleLoader.p50).toFixed(1)}x)`,
            `p95 ${ms(loader.p95).padStart(9)} (${(loader.p95 / idleLoader.p95).toFixed(1)}x)`,
            `n=${loader.n}`,
          ].join("  "),
      `${measured.seconds.toFixed(1)} s`,
      `${task.status}, ${task.progress.done.toLocaleString("en")} done`,
    ].join("  "),
  );
}

console.log(`load ${loadavg()[0]!.toFixed(2)}, ${CUSTOMERS.toLocaleString("en")} customers`);
console.log(
  `${"idle baseline".padEnd(32)}  ${"".padEnd(15)}  ${"".padEnd(18)}  loader p50 ${ms(idleLoader.p50).padStart(8)}         p95 ${ms(idleLoader.p95).padStart(9)}         n=${idleLoader.n}`,
);
for (const line of results) console.log(line);
cleanup();
process.exit(failed ? 1 : 0);
