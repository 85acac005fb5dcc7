// npm run bench:tasks: Recalculate points as a background task over a large shop (200,000 customers by default,
// TASKS_CUSTOMERS to change), in one process with a directory page asked for every 25 ms meanwhile, as staff browsing
// would. Prints the task's throughput and the page's latency while the task runs beside the same page on an idle
// process, measured in the same run (decision 017: the runner yields between chunks so requests interleave).
import { ms, pause, sampleWhile, stats } from "./sampling";
import { openBenchShop } from "./shop-under-load";

const CUSTOMERS = Number(process.env.TASKS_CUSTOMERS ?? 200_000);
const shop = "bench-tasks.myshopify.com";

const { ctx, cleanup } = await openBenchShop({ name: "tasks", shop, count: CUSTOMERS });
const { db } = ctx;
const { customers, tasks } = await import("~/db/schema");
const { listCustomers } = await import("~/services/customers/list-customers.server");
const { emptyCustomerQuery } = await import("~/domain/customers");
const { recalculateTotals } = await import("~/services/ledger/recalculate.server");
const { submitTask } = await import("~/services/background-jobs/submit-task.server");
const { createTaskRunner } = await import("~/jobs/task-runner.server");
const { eq, sql } = await import("drizzle-orm");

// One customer in a thousand drifted.
await db
  .update(customers)
  .set({ pointsBalance: sql`${customers.pointsBalance} + 7` })
  .where(sql`${customers.shop} = ${shop} and ${customers.id} % 1000 = 1`);

const page = () =>
  listCustomers({
    ctx: { ...ctx, now: new Date() },
    input: { query: { ...emptyCustomerQuery, sort: "points-desc" }, limit: 50 },
  });

await sampleWhile(page, pause(1000));
const idleBefore = await sampleWhile(page, pause(3000));

const { task } = await submitTask({
  ctx,
  input: { kind: "points.recalculate", input: { repair: true }, idempotencyKey: "bench" },
});
const runner = createTaskRunner({ shops: [shop], pauseMs: 0 });
const started = performance.now();
const run = runner.drain();
const busy = stats(await sampleWhile(page, run));
const seconds = (performance.now() - started) / 1000;
const idle = stats([...idleBefore, ...(await sampleWhile(page, pause(3000)))]);
const [row] = await db.select().from(tasks).where(eq(tasks.id, task.id));
const left = await recalculateTotals({ ctx, input: { repair: false } });

console.log(
  `task                       ${row!.status}, ${row!.progressDone.toLocaleString("en")} customers checked, ${row!.doneItems} repaired, ${left.length} drifts left`,
);
console.log(
  `task time                  ${seconds.toFixed(1)} s (${Math.round(CUSTOMERS / seconds).toLocaleString("en")} customers/s, chunks of 250)`,
);
console.log(`directory page, idle       p50 ${ms(idle.p50)}  p95 ${ms(idle.p95)}  max ${ms(idle.max)}  (n=${idle.n})`);
console.log(`directory page, task runs  p50 ${ms(busy.p50)}  p95 ${ms(busy.p95)}  max ${ms(busy.max)}  (n=${busy.n})`);
console.log(
  `ratio busy/idle            p50 ${(busy.p50 / idle.p50).toFixed(1)}x  p95 ${(busy.p95 / idle.p95).toFixed(1)}x`,
);
cleanup();
process.exit(row!.status === "succeeded" && left.length === 0 ? 0 : 1);
