import { eq } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Db } from "~/db/client.server";
import { openPostgres, poolOf } from "~/db/postgres/client.server";
import { tasks } from "~/db/schema";
import { defineTaskKind } from "~/domain/background-jobs";
import { queueNames, startPgBossDispatch, type PgBossDispatcher } from "~/jobs/dispatch/pg-boss.server";
import type { EveryTickShopJob, ScheduledJob } from "~/jobs/scheduled-job";
import type { AnyTaskRun, TaskRun } from "~/jobs/task-kind";
import { log } from "~/lib/log.server";
import { loader } from "~/routes/healthz";
import type { Health } from "~/services/operations/check-health.server";
import { claimNextTask } from "~/services/background-jobs/run-task.server";
import { submitTask } from "~/services/background-jobs/submit-task.server";
import { getEmailBatch, queueEmails } from "~/services/email/queue-emails.server";
import { stopWebhookDrain } from "~/shopify/webhooks/queue.server";
import { contextFor, contextForAllShops } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { onPostgres } from "../helpers/dialect";
import { earnsOf, installedShop, queuePaidOrders, statusesOf } from "../helpers/queued-orders";

// Every route module registers its topic's schema and effect when it loads.
import.meta.glob("/app/routes/webhooks.*.ts", { eager: true });

// Decision 038: on PostgreSQL the instances' background work goes through pg-boss. Each "instance" here is a pg-boss
// client and a pool of its own on this file's database, named so the test can cut its connections as a kill -9 would.

const { db } = contextFor("any", "test");
const url = process.env.DATABASE_URL!;
const started: Array<{ dispatcher: PgBossDispatcher; db?: Db }> = [];

// This process's own drain between requests is off: the instances under test apply the deliveries.
beforeAll(() => stopWebhookDrain());

afterEach(async () => {
  for (const { dispatcher, db: own } of started.splice(0)) {
    await dispatcher.abandon();
    if (own)
      await poolOf(own)
        .end()
        .catch(() => undefined);
  }
});

/** An instance: its own pool (named `name` in pg_stat_activity) and its own pg-boss client, both on this database. */
async function instance(
  name: string,
  {
    jobs = [],
    runs = [],
    shop,
    leaseMs = 1500,
  }: { jobs?: ScheduledJob[]; runs?: AnyTaskRun[]; shop?: string; leaseMs?: number } = {},
) {
  const named = `${url}${url.includes("?") ? "&" : "?"}application_name=${name}`;
  const own = await openPostgres(named, { poolSize: 3 });
  const dispatcher = await startPgBossDispatch({
    url: named,
    db: own,
    intervalMs: 3000,
    jobs,
    tasks: { tasks: runs, leaseMs, workerId: name, ...(shop ? { shops: [shop] } : {}) },
    boss: { application_name: name, superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 },
    routeWebhooks: false,
    tickTimer: false,
  });
  started.push({ dispatcher, db: own });
  return { dispatcher, db: own };
}

/** Plays kill -9 on an instance: its pg-boss stops dead and the server drops its connections, transactions rolled back. */
async function kill(name: string, { dispatcher, db: own }: { dispatcher: PgBossDispatcher; db: Db }) {
  // What the dead instance logs as its pools fail under it is a dead process's, not the test's.
  vi.mocked(log.error).mockImplementation(() => undefined);
  vi.mocked(console.error).mockImplementation(() => undefined);
  await dispatcher.abandon();
  const pool = poolOf(own);
  // Its clients in use (a batch's transaction) hear the server hang up: a dead process would not hear anything.
  for (const client of (pool as unknown as { _clients: Array<{ on(event: "error", listener: () => void): void }> })
    ._clients)
    client.on("error", () => undefined);
  void pool.end().catch(() => undefined);
  await poolOf(db).query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", [name]);
}

/** pg-boss jobs of Tally's queues not finished yet (waiting, retrying or running). */
async function unfinishedJobs() {
  const { rows } = await poolOf(db).query<{ count: number }>(
    "select count(*)::int as count from pgboss.job where name like 'tally-%' and state in ('created', 'retry', 'active')",
  );
  return rows[0]!.count;
}

/** pg-boss jobs of one task not finished yet (waiting, retrying or running). */
async function unfinishedJobsOfTask(taskId: number) {
  const { rows } = await poolOf(db).query<{ count: number }>(
    "select count(*)::int as count from pgboss.job where name = $1 and data->>'taskId' = $2 and state in ('created', 'retry', 'active')",
    [queueNames.tasks, String(taskId)],
  );
  return rows[0]!.count;
}

/** Waits until the clock is well inside a tick's slot of `seconds` (pg-boss throttles to slots of epoch time). */
async function middleOfNextSlot(seconds: number) {
  const ms = seconds * 1000;
  await new Promise((resolve) => setTimeout(resolve, ms - (Date.now() % ms) + ms / 3));
}

// PostgreSQL only: a SQLite file has one process (README, "One instance only").
describe.skipIf(!onPostgres)("two instances on one PostgreSQL, dispatched by pg-boss", () => {
  it("runs a shop's jobs as soon as emails are queued for it, not at the next tick", { timeout: 60_000 }, async () => {
    const shop = await installedShop();
    const ctx = contextFor(shop, "test");
    // The send-emails job as the queue sees it: a run that finds the shop's email queued.
    let sawQueued = false;
    const sending: EveryTickShopJob = {
      name: "send emails",
      scope: "each shop",
      every: "tick",
      perform: async ({ shop: ran }) => {
        if (ran === shop && (await getEmailBatch({ ctx, input: { batch: "prompt" } })).queued > 0) sawQueued = true;
      },
    };
    // No tick timer, and the tick it sends as it starts long done: only the queueing's hint can run the job now. First
    // in the file: the killed instances of later tests leave shops' jobs that hold this instance's two workers a while.
    await instance("tally-emails-a", { jobs: [sending] });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const [customer] = await insertCustomers(db, shop, [{ status: "member", email: "ana@example.com" }]);
    await queueEmails({
      ctx,
      input: { kind: "points_reminder", customerIds: [customer!.id], batch: "prompt" },
      recipients: async (ids) => ids.map((customerId) => ({ customerId, mayEmail: true, skipReason: null })),
      prepare: async () => ({ email: "ana@example.com", rendered: { subject: "Hi", html: "<p>Hi</p>", text: "Hi" } }),
    });
    await expect.poll(() => sawQueued, { timeout: 5_000, interval: 50 }).toBe(true);
  });

  it(
    "runs a shop's scheduled jobs once per tick, however many instances send the tick",
    { timeout: 60_000 },
    async () => {
      const shop = await installedShop();
      const runs = new Map<string, number>();
      const counting: EveryTickShopJob = {
        name: "count the runs",
        scope: "each shop",
        every: "tick",
        perform: async ({ shop: ran }) => void runs.set(ran, (runs.get(ran) ?? 0) + 1),
      };
      const a = await instance("tally-tick-a", { jobs: [counting] });
      const b = await instance("tally-tick-b", { jobs: [counting] });
      // Each instance sent a tick as it started: let those run out first.
      await expect.poll(unfinishedJobs, { timeout: 20_000, interval: 200 }).toBe(0);
      const before = runs.get(shop) ?? 0;

      for (const round of [1, 2]) {
        await middleOfNextSlot(3);
        // Both instances' timers fire in the same slot, each twice.
        await Promise.all([a.dispatcher.tick(), b.dispatcher.tick(), a.dispatcher.tick(), b.dispatcher.tick()]);
        await expect.poll(() => runs.get(shop), { timeout: 20_000, interval: 100 }).toBe(before + round);
        await expect.poll(unfinishedJobs, { timeout: 20_000, interval: 200 }).toBe(0);
      }
      expect(runs.get(shop)).toBe(before + 2);
    },
  );

  it(
    "completes a webhook wake-up on the living instance when the one applying it dies mid-batch, each effect once",
    { timeout: 90_000 },
    async () => {
      const shop = await installedShop();
      const orders = ["930011", "930012", "930013"];
      await queuePaidOrders(shop, orders);

      // The ledger is held, so the first instance's batch stops at its first earn entry, deliveries claimed.
      const holder = await poolOf(db).connect();
      await holder.query("begin");
      await holder.query("lock table ledger_entries in share mode");
      const a = await instance("tally-hooks-a");
      await a.dispatcher.wakeWebhooks();
      await expect
        .poll(
          async () =>
            (
              await poolOf(db).query(
                "select count(*)::int as n from pg_stat_activity where application_name = 'tally-hooks-a' and wait_event_type = 'Lock'",
              )
            ).rows[0].n,
          { timeout: 20_000, interval: 100 },
        )
        .toBe(1);

      await kill("tally-hooks-a", a);
      await holder.query("rollback");
      holder.release();
      expect(await earnsOf(shop)).toEqual([]);

      // No new webhook arrives and no tick runs: only pg-boss handing the dead instance's job over can apply them.
      await instance("tally-hooks-b");
      await expect
        .poll(() => statusesOf(shop), { timeout: 60_000, interval: 250 })
        .toEqual(["processed", "processed", "processed"]);
      expect(await earnsOf(shop)).toEqual(["930011: 11", "930012: 12", "930013: 13"]);
    },
  );

  it(
    "runs a shop's writer and reader started on one instance on the other once the first is gone, each from its last checkpoint",
    { timeout: 90_000 },
    async () => {
      const shop = await installedShop();
      const acted: string[] = [];
      // On the first instance each task's second chunk hangs, as a process stuck calling Shopify and then killed.
      const hangs: Array<Promise<void>> = [];
      const onA = (name: string, lane: "write" | "read") => {
        let entered!: () => void;
        hangs.push(new Promise<void>((resolve) => (entered = resolve)));
        return stepsTask(
          async (step) => {
            if (step === 1) {
              entered();
              await new Promise(() => {});
            }
            acted.push(`${name} a:${step}`);
          },
          { kind: `test.${name}`, lane },
        );
      };
      const onB = (name: string, lane: "write" | "read") =>
        stepsTask(async (step) => void acted.push(`${name} b:${step}`), { kind: `test.${name}`, lane });
      const runsA = [onA("writer", "write"), onA("reader", "read")];

      const a = await instance("tally-task-a", { runs: runsA, shop });
      const ids: number[] = [];
      for (const name of ["writer", "reader"])
        ids.push(
          (
            await submitTask({
              kinds: runsA.map((run) => run.definition),
              ctx: contextFor(shop, { actor: "staff:7", actorName: "Ada" }),
              input: { kind: `test.${name}`, input: { steps: 3 }, idempotencyKey: name },
            })
          ).task.id,
        );
      await Promise.all(hangs);
      await kill("tally-task-a", a);

      await instance("tally-task-b", { runs: [onB("writer", "write"), onB("reader", "read")], shop });
      for (const id of ids)
        await expect.poll(async () => (await taskRow(id)).status, { timeout: 60_000, interval: 250 }).toBe("succeeded");
      // Step 0 committed on the first instance; the second resumed each at step 1 and did each remaining step once.
      for (const name of ["writer", "reader"])
        expect(acted.filter((line) => line.startsWith(`${name} `))).toEqual([
          `${name} a:0`,
          `${name} b:1`,
          `${name} b:2`,
        ]);
      for (const id of ids) expect(await taskRow(id)).toMatchObject({ progressDone: 3, lockedBy: null });
    },
  );
});

describe.skipIf(!onPostgres)("one writer per shop at a time, dispatched by pg-boss", () => {
  it("starts a shop's next task as soon as its running one ends, not a lease later", { timeout: 60_000 }, async () => {
    const shop = await installedShop();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const acted: string[] = [];
    const run = stepsTask(async (step) => {
      if (acted.length === 0) await gate;
      acted.push(`step ${step}`);
    });
    // A lease of 30 s, as in production: the shop's second task, refused while the first runs, must not wait it out.
    await instance("tally-task-next", { runs: [run], shop, leaseMs: 30_000 });
    const submit = (key: string) =>
      submitTask({
        kinds: [run.definition],
        ctx: contextFor(shop, { actor: "staff:7", actorName: "Ada" }),
        input: { kind: "test.steps", input: { steps: 1 }, idempotencyKey: key },
      });
    const first = await submit("first");
    await expect.poll(async () => (await taskRow(first.task.id)).status, { interval: 50 }).toBe("running");
    try {
      const second = await submit("second");
      // The second task's job was handed out and refused (its shop busy): no job of it waits a lease's length.
      await expect.poll(() => unfinishedJobsOfTask(second.task.id), { timeout: 10_000, interval: 100 }).toBe(0);
      expect((await taskRow(second.task.id)).status).toBe("queued");
      open();
      await expect
        .poll(async () => (await taskRow(second.task.id)).status, { timeout: 10_000, interval: 100 })
        .toBe("succeeded");
      expect(acted).toEqual(["step 0", "step 0"]);
    } finally {
      open();
    }
  });
});

describe.skipIf(!onPostgres)("a shop's two lanes, dispatched by pg-boss", () => {
  it(
    "runs a reader's job beside the shop's running writer, and the shop's next writer once the first ends",
    { timeout: 60_000 },
    async () => {
      const shop = await installedShop();
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const acted: string[] = [];
      let writes = 0;
      const write = stepsTask(async (step) => {
        if ((writes += 1) === 1) await gate;
        acted.push(`write ${step}`);
      });
      const read = stepsTask(async (step) => void acted.push(`read ${step}`), { kind: "test.reading", lane: "read" });
      await instance("tally-lanes", { runs: [write, read], shop, leaseMs: 30_000 });
      const submit = (kind: string, key: string) =>
        submitTask({
          kinds: [write.definition, read.definition],
          ctx: contextFor(shop, { actor: "staff:7", actorName: "Ada" }),
          input: { kind, input: { steps: 2 }, idempotencyKey: key },
        });
      const first = await submit("test.steps", "first");
      await expect.poll(async () => (await taskRow(first.task.id)).status, { interval: 50 }).toBe("running");
      try {
        const reading = await submit("test.reading", "reading");
        await expect
          .poll(async () => (await taskRow(reading.task.id)).status, { timeout: 10_000, interval: 100 })
          .toBe("succeeded");
        const second = await submit("test.steps", "second");
        // The second writer's job was handed out and refused (its lane busy): no job of it waits a lease's length.
        await expect.poll(() => unfinishedJobsOfTask(second.task.id), { timeout: 10_000, interval: 100 }).toBe(0);
        expect((await taskRow(second.task.id)).status).toBe("queued");
        expect((await taskRow(first.task.id)).status).toBe("running");
        open();
        await expect
          .poll(async () => (await taskRow(second.task.id)).status, { timeout: 10_000, interval: 100 })
          .toBe("succeeded");
        expect(acted).toEqual(["read 0", "read 1", "write 0", "write 1", "write 0", "write 1"]);
        expect((await taskRow(second.task.id)).startedAt! >= (await taskRow(first.task.id)).finishedAt!).toBe(true);
      } finally {
        open();
      }
    },
  );

  it("lets one of two instances claiming two writers of one shop at the same moment run, never both", async () => {
    const pools = await Promise.all(
      ["tally-claim-a", "tally-claim-b"].map((name) =>
        openPostgres(`${url}${url.includes("?") ? "&" : "?"}application_name=${name}`, { poolSize: 2 }),
      ),
    );
    try {
      const run = stepsTask(async () => undefined);
      for (let round = 0; round < 8; round += 1) {
        const shop = await installedShop();
        const ids: number[] = [];
        for (const key of ["one", "two"])
          ids.push(
            (
              await submitTask({
                kinds: [run.definition],
                ctx: contextFor(shop, "staff:7"),
                input: { kind: "test.steps", input: { steps: 1 }, idempotencyKey: key },
              })
            ).task.id,
          );
        // Each instance's job names its own task: without a lock per lane, both would read the lane as free.
        const claims = await Promise.all(
          pools.map((own, index) =>
            claimNextTask({
              ctx: { ...contextForAllShops("tally-jobs"), db: own },
              input: { workerId: `instance-${index}`, leaseMs: 30_000, busy: [], taskId: ids[index]! },
            }),
          ),
        );
        expect(claims.filter((claim) => claim !== undefined)).toHaveLength(1);
        const rows = await db.select().from(tasks).where(eq(tasks.shop, shop));
        expect(rows.map((row) => row.status).sort()).toEqual(["queued", "running"]);
      }
    } finally {
      for (const own of pools) await poolOf(own).end();
    }
  });
});

describe.skipIf(!onPostgres)("/healthz with pg-boss", () => {
  it("reports the age of the oldest job no instance has fetched, and 503 once it is past the limit", async () => {
    const probe = async () => {
      const response = await loader();
      return { status: response.status, body: (await response.json()) as Health };
    };
    const boss = new PgBoss({ connectionString: url, max: 1 });
    await boss.start();
    try {
      await boss.deleteAllJobs();
      expect((await probe()).body.jobQueue).toEqual({ oldestDueSeconds: null, limitSeconds: 120 });
      // A task's job due ten minutes ago that no instance fetched (every instance down, or all of them stuck).
      const tenMinutesAgo = new Date(Date.now() - 600_000).toISOString();
      await boss.send(queueNames.tasks, { taskId: 0 }, { singletonKey: "healthz", startAfter: tenMinutesAgo });
      const lagging = await probe();
      expect(lagging.status).toBe(503);
      expect(lagging.body.reasons).toEqual([expect.stringMatching(/^job queue lags: a pg-boss job has waited 60\d s/)]);
      await boss.deleteAllJobs();
      expect(await probe()).toMatchObject({ status: 200, body: { jobQueue: { oldestDueSeconds: null } } });
    } finally {
      await boss.stop({ graceful: false });
    }
  });
});

function stepsTask(
  act: (step: number) => Promise<void>,
  { kind = "test.steps", lane = "write" }: { kind?: string; lane?: "write" | "read" } = {},
): TaskRun<{ steps: number }, { step: number }> {
  return {
    definition: defineTaskKind({
      kind,
      title: () => (lane === "read" ? "Reading steps" : "Steps"),
      unit: { one: "step", other: "steps" },
      input: z.object({ steps: z.number().int() }),
      lane,
    }),
    checkpoint: z.object({ step: z.number().int() }),
    initialCheckpoint: { step: 0 },
    begin: async ({ input }) => ({ total: input.steps }),
    chunk: async ({ input, checkpoint, report }) => {
      await act(checkpoint.step);
      report.progress({ advance: 1 });
      const next = checkpoint.step + 1;
      return next >= input.steps ? { done: true } : { next: { step: next } };
    },
  };
}

async function taskRow(id: number) {
  const [row] = await db.select().from(tasks).where(eq(tasks.id, id));
  return row!;
}
