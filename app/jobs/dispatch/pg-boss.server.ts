import { PgBoss, type ConstructorOptions, type Job } from "pg-boss";
import { log } from "~/lib/log.server";
import { findUnfinishedTask, listDueTasks } from "~/services/background-jobs/run-task.server";
import { onTaskQueued } from "~/services/background-jobs/submit-task.server";
import type { AllShopsContext } from "~/services/context";
import { onJobRunRequested } from "~/services/scheduled-jobs/job-state.server";
import { listInstalledShops } from "~/services/shops/list-shops.server";
import { applyQueuedBatches, routeWebhookDrain } from "~/shopify/webhooks/queue.server";
import { contextForAllShops } from "~/shopify.server";
import type { DispatchOptions, Dispatcher } from "../dispatch.server";
import { logFailures, runAllShopsJobs, runShopJobs } from "../scheduler.server";
import { createTaskRunner } from "../task-runner.server";

/*
 * PostgreSQL's dispatcher (decision 038): every instance runs one pg-boss client on the app's database, and the work
 * goes through four pg-boss queues, each job fetched by one instance with SKIP LOCKED:
 *
 * - `tally-webhooks`: the wake-up after intake has committed deliveries. A "short" queue (one job waiting, any number
 *   active), so a burst of webhooks leaves one job waiting while others run; its handler applies batches of the
 *   delivery queue (claim + effect + processed mark, one transaction: decisions 035 and 037) until one comes back short.
 *   The rows are the truth: a job retried after its batch committed finds the deliveries processed and does nothing.
 * - `tally-tick`: one job per JOBS_INTERVAL_SECONDS slot across all instances (each instance's timer sends it throttled
 *   to the slot; pg-boss keeps the first). Its handler runs the all-shops jobs, then sends each installed shop's job,
 *   and re-sends the tasks that are due but that no instance holds.
 * - `tally-shop-jobs`: one shop's scheduled jobs (held points, rewards, referrals, emails, reconciliation, shop facts,
 *   metafields, program names), a "stately" queue keyed by shop: at most one waiting and one running per shop.
 * - `tally-tasks`: a background task's id; the handler claims that task's lease (decision 017) and runs it, once no
 *   other task holds its shop's lane (a writer and a reader of a shop may run at once).
 *
 * An instance killed mid-job stops sending its jobs' heartbeats; pg-boss's monitor then fails the job over to a
 * living instance (`heartbeatSeconds`), while PostgreSQL has already rolled back the dead connection's transaction.
 */

export const queueNames = {
  webhooks: "tally-webhooks",
  tick: "tally-tick",
  shopJobs: "tally-shop-jobs",
  tasks: "tally-tasks",
} as const;

/** What a dead instance's job waits before pg-boss hands it to another (pg-boss's minimum is 10 s). */
const HEARTBEAT_SECONDS = 10;
/** Completed jobs are wake-ups and ticks, of no use once done: kept an hour for operators, then deleted. */
const KEEP_DONE_SECONDS = 3600;

export interface PgBossDispatchOptions extends DispatchOptions {
  url: string;
  /** The database the handlers use; by default the process's (tests play a second instance with its own pool). */
  db?: AllShopsContext["db"];
  /** pg-boss settings over Tally's (tests shorten the monitor's interval). */
  boss?: Partial<ConstructorOptions>;
  /** Leave the delivery queue's wake-up where it is (tests running two instances in one process route it once). */
  routeWebhooks?: boolean;
  /** Send the tick every `intervalMs` (tests send it themselves with `tick()`). */
  tickTimer?: boolean;
  /** How long stopping waits for the handlers in flight before pg-boss gives up on them (their jobs then fail over). */
  stopTimeoutMs?: number;
}

export interface PgBossDispatcher extends Dispatcher {
  readonly boss: PgBoss;
  /** Sends this slot's tick (every instance does each interval; pg-boss keeps one per slot). */
  tick(): Promise<void>;
  /** Sends the wake-up that makes an instance apply the delivery queue. */
  wakeWebhooks(): Promise<void>;
  /**
   * Plays `kill -9` in tests: stops polling and gives up the job in hand without finishing or failing it, and the task
   * runner stops renewing its leases, as a process that died would; the database connections are the caller's to cut.
   */
  abandon(): Promise<void>;
}

async function createQueues(boss: PgBoss, leaseSeconds: number) {
  const done = { deleteAfterSeconds: KEEP_DONE_SECONDS };
  await boss.createQueue(queueNames.webhooks, {
    policy: "short",
    notify: true,
    retryLimit: 5,
    retryDelay: 1,
    expireInSeconds: 300,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    ...done,
  });
  await boss.createQueue(queueNames.tick, {
    policy: "standard",
    notify: true,
    retryLimit: 0,
    expireInSeconds: 900,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    ...done,
  });
  // Stately queues never retry twice at once (pg-boss's docs); a shop's failed run is retried by the next tick.
  await boss.createQueue(queueNames.shopJobs, {
    policy: "stately",
    notify: true,
    retryLimit: 0,
    expireInSeconds: 900,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    ...done,
  });
  // A task runs for as long as it needs (a million-customer sync); its lease, not the job's expiry, says it is alive.
  await boss.createQueue(queueNames.tasks, {
    policy: "short",
    notify: true,
    retryLimit: 20,
    retryDelay: Math.max(1, Math.ceil(leaseSeconds)),
    expireInSeconds: 24 * 3600,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    ...done,
  });
}

/**
 * Starts this instance's pg-boss client on `url` (pg-boss installs or migrates its own schema, `pgboss`, under its
 * advisory lock, so instances may start together), creates Tally's queues, and works them. Resolves once it is working.
 */
export async function startPgBossDispatch(options: PgBossDispatchOptions): Promise<PgBossDispatcher> {
  const { url, intervalMs, jobs } = options;
  const intervalSeconds = Math.max(1, Math.round(intervalMs / 1000));
  const runner = createTaskRunner({ ...options.tasks, ...(options.db ? { db: options.db } : {}) });
  const leaseSeconds = (options.tasks.leaseMs ?? 30_000) / 1000;
  const boss = new PgBoss({
    connectionString: url,
    max: 4,
    application_name: "tally-jobs",
    useListenNotify: true,
    // A dead instance's jobs are failed over within HEARTBEAT_SECONDS plus this.
    superviseIntervalSeconds: 10,
    monitorIntervalSeconds: 10,
    ...options.boss,
  });
  boss.on("error", (error) => log.error({ err: error }, "pg-boss reported an error"));
  await boss.start();
  await createQueues(boss, leaseSeconds);

  let stopping = false;
  const allShops = () => ({ ...contextForAllShops("tally-jobs"), ...(options.db ? { db: options.db } : {}) });

  const sendShopJobs = async (shops: readonly string[]) => {
    if (shops.length === 0) return;
    await boss.insert(
      queueNames.shopJobs,
      shops.map((shop) => ({ data: { shop }, singletonKey: shop })),
    );
  };
  const sendTask = (taskId: number, startAfter?: number) =>
    boss.send(queueNames.tasks, { taskId }, { singletonKey: String(taskId), ...(startAfter ? { startAfter } : {}) });

  await boss.work<{ shop?: never }>(queueNames.tick, async () => {
    (await runAllShopsJobs(jobs)).forEach(logFailures);
    if (stopping) return;
    await sendShopJobs(await listInstalledShops({ ctx: allShops() }));
    // A task whose job was lost (its instance died between committing it and sending the job) is handed out again.
    for (const task of await listDueTasks({ ctx: allShops(), input: { limit: 100 } })) await sendTask(task.id);
  });

  await boss.work<{ shop: string }>(
    queueNames.shopJobs,
    { localConcurrency: 2 },
    async ([job]: Job<{ shop: string }>[]) => {
      if (!job || stopping) return;
      await runShopJobs(job.data.shop, { jobs }).catch(logFailures);
    },
  );

  // While this instance applies the queue, a wake-up from its own intake needs no job: the handler reads again before
  // it ends (`wokenMeanwhile`), and a delivery committed before the wake-up is in that read.
  let draining = 0;
  let wokenMeanwhile = false;
  await boss.work(queueNames.webhooks, async () => {
    draining += 1;
    try {
      do {
        wokenMeanwhile = false;
        await applyQueuedBatches({ shouldStop: () => stopping, ...(options.db ? { db: options.db } : {}) });
      } while (wokenMeanwhile && !stopping);
    } finally {
      draining -= 1;
    }
  });

  await boss.work<{ taskId: number }>(
    queueNames.tasks,
    { localConcurrency: options.tasks.concurrency ?? 3 },
    async ([job]: Job<{ taskId: number }>[]) => {
      if (!job) return;
      const { taskId } = job.data;
      const ran = await runner.runTask(taskId);
      // Finished: its shop's lane is free again, so the shop's tasks that were refused meanwhile (one writer and one
      // reader per shop at a time, decision 017) are handed out now. Otherwise it is asked again once its wait is
      // over: handed back mid-way (a deploy: at once, another instance goes on from its checkpoint), a chunk that threw
      // (after its backoff), a live lease elsewhere (when it runs out). Not claimable with nothing to wait for means its
      // lane is busy with another task: the end of that task hands it out, and the tick's hand-out of due tasks is the
      // net should that instance die first.
      const unfinished = await findUnfinishedTask({ ctx: allShops(), input: { taskId } });
      if (!unfinished) {
        if (ran)
          for (const next of await listDueTasks({ ctx: allShops(), input: { limit: 10, shop: ran.shop } }))
            await sendTask(next.id);
        return;
      }
      if (!unfinished.waitUntil && !ran) return;
      const waitMs = unfinished.waitUntil ? Date.parse(unfinished.waitUntil) - Date.now() : 0;
      await sendTask(taskId, Math.ceil(Math.max(0, waitMs) / 1000));
    },
  );

  // Sends that fail (the database briefly away) are logged: the rows wait for the next tick, which sends again.
  const quietly = (what: string) => (error: unknown) => log.error({ err: error }, `pg-boss could not send ${what}`);
  const tick = async () => {
    await boss.send(queueNames.tick, {}, { singletonSeconds: intervalSeconds });
  };
  // The wake-up after intake: none while this instance applies the queue, else one send at a time from this instance
  // and one more if deliveries came in meanwhile.
  let sending: Promise<void> | undefined;
  let again = false;
  const wakeWebhooks = (): Promise<void> => {
    if (draining > 0 && !stopping) {
      wokenMeanwhile = true;
      return Promise.resolve();
    }
    if (sending) {
      again = true;
      return sending;
    }
    again = false;
    sending = boss
      .send(queueNames.webhooks, {})
      .then(() => undefined, quietly("the webhook queue's wake-up"))
      .finally(() => {
        sending = undefined;
        if (again && !stopping) void wakeWebhooks();
      });
    return sending;
  };
  if (options.routeWebhooks !== false) routeWebhookDrain(() => void wakeWebhooks());
  const unsubscribeTasks = onTaskQueued((_shop, taskId) => void sendTask(taskId).catch(quietly(`task ${taskId}`)));
  const unsubscribeRuns = onJobRunRequested((shop) => void sendShopJobs([shop]).catch(quietly(`${shop}'s jobs`)));

  const timer =
    options.tickTimer === false ? undefined : setInterval(() => void tick().catch(quietly("the tick")), intervalMs);
  timer?.unref();
  // The first tick of this slot also drains what a previous process accepted but did not apply (the all-shops jobs).
  await tick().catch(quietly("the tick"));

  const detach = () => {
    stopping = true;
    clearInterval(timer);
    unsubscribeTasks();
    unsubscribeRuns();
    if (options.routeWebhooks !== false) routeWebhookDrain(undefined);
  };
  return {
    name: "pg-boss",
    boss,
    tick,
    wakeWebhooks,
    async stop() {
      detach();
      // The runner hands its tasks back after their chunk in hand, which lets their jobs' handlers return; pg-boss
      // waits for every handler in flight, completes their jobs, and closes its pool.
      await Promise.all([runner.stop(), boss.stop({ graceful: true, timeout: options.stopTimeoutMs ?? 30_000 })]);
    },
    async abandon() {
      detach();
      runner.abandon();
      await boss.stop({ graceful: false, close: true }).catch(() => undefined);
    },
  };
}
