import { env } from "~/lib/env.server";
import { log } from "~/lib/log.server";
import {
  isJobDue,
  onJobRunRequested,
  recordJobRun,
  runAllShopsJobsAlone,
  runShopJobsAlone,
} from "~/services/scheduled-jobs/job-state.server";
import { listInstalledShops } from "~/services/shops/list-shops.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import { contextFor, contextForAllShops, unauthenticated } from "~/shopify.server";
import { schedule } from "./schedule.server";
import type { AllShopsJob, EachShopJob, ScheduledJob } from "./scheduled-job";
import { startTaskRunner, type TaskRunnerOptions } from "./task-runner.server";

// The clock-driven front door, beside app/routes (the request-driven one): runs the jobs listed in schedule.server.ts.
// It also runs the background tasks staff start (app/jobs/task-runner.server.ts). Started by server.js in production and
// by vite.config.ts's dev server (unless TALLY_BACKGROUND_JOBS is off); tests call runShopJobs and drain runners.

/** One scheduled job that failed for one shop (or for all shops); the others of the tick ran regardless. */
export class ScheduledJobFailed extends Error {
  constructor(
    readonly job: string,
    readonly shop: string | null,
    cause: unknown,
  ) {
    super(`Tally's scheduled job "${job}"${shop ? ` for ${shop}` : ""} failed`, { cause });
    this.name = "ScheduledJobFailed";
  }
}

const running = new Set<string>();

async function runForShop(job: EachShopJob, shop: string, graphql: AdminGraphql, force: boolean) {
  if (job.every === "tick") return job.perform({ shop, graphql });
  // The run is recorded as of its start, so a run requested while it ran is still due afterwards.
  const ctx = contextFor(shop, "tally-jobs");
  const { job: name, seconds } = job.every;
  if (!force && !(await isJobDue({ ctx, input: { job: name, everyMs: seconds() * 1000 } }))) return;
  const record = await job.perform({ shop, graphql });
  await recordJobRun({ ctx, input: { job: name, ...record } });
}

/**
 * Runs the shop's scheduled jobs, in the schedule's order, with the shop's offline Admin API client: each job on its
 * own, so one failing does not hold the others back. Interval jobs run when due (`force` runs them regardless).
 * One run per shop at a time: a call while one is running returns at once. Throws an AggregateError of
 * ScheduledJobFailed once every job has had its turn, when any failed.
 */
export async function runShopJobs(
  shop: string,
  { force = false, jobs = schedule }: { force?: boolean; jobs?: readonly ScheduledJob[] } = {},
) {
  if (running.has(shop)) return;
  running.add(shop);
  const failures: ScheduledJobFailed[] = [];
  try {
    const { admin } = await unauthenticated.admin(shop);
    // Another instance on the same PostgreSQL may be running this shop's jobs: then it is theirs this time.
    await runShopJobsAlone({
      ctx: contextFor(shop, "tally-jobs"),
      work: async () => {
        for (const job of jobs) {
          if (job.scope !== "each shop") continue;
          try {
            await runForShop(job, shop, admin.graphql, force);
          } catch (error) {
            failures.push(new ScheduledJobFailed(job.name, shop, error));
          }
        }
      },
    });
  } finally {
    running.delete(shop);
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} scheduled jobs for ${shop} failed`);
}

/** Runs the all-shops jobs once, each on its own; returns those that failed. */
async function runAllShopsJobs(jobs: readonly ScheduledJob[]): Promise<ScheduledJobFailed[]> {
  const failures: ScheduledJobFailed[] = [];
  await runAllShopsJobsAlone({
    ctx: contextForAllShops("tally-jobs"),
    work: async () => {
      for (const job of jobs.filter((job): job is AllShopsJob => job.scope === "all shops")) {
        try {
          await job.perform();
        } catch (error) {
          failures.push(new ScheduledJobFailed(job.name, null, error));
        }
      }
    },
  });
  return failures;
}

function logFailures(error: unknown) {
  const failures = error instanceof AggregateError ? error.errors : [error];
  for (const failure of failures) {
    if (failure instanceof ScheduledJobFailed) {
      log.error({ err: failure.cause, job: failure.job, shop: failure.shop }, failure.message);
    } else log.error({ err: failure }, "Tally's scheduled jobs failed");
  }
}

/**
 * Ticks every `intervalMs` (JOBS_INTERVAL_SECONDS): the all-shops jobs, then every installed shop's jobs. A run
 * requested in this process (an install: recordInstall) starts that shop's jobs at once instead of at the next tick;
 * one requested elsewhere waits for the tick. Starts the task runner too, which at once takes up the tasks queued or
 * left running by a previous process (decision 017). Does nothing when TALLY_BACKGROUND_JOBS is off. Returns a stop
 * function, which resolves once the tick in hand has finished its shop and the running tasks have handed back their
 * chunk in hand.
 */
export function startScheduler({
  intervalMs = env().JOBS_INTERVAL_SECONDS * 1000,
  jobs = schedule,
  tasks = {},
}: { intervalMs?: number; jobs?: readonly ScheduledJob[]; tasks?: TaskRunnerOptions } = {}): () => Promise<void> {
  if (env().TALLY_BACKGROUND_JOBS === "off") return async () => undefined;
  const taskRunner = startTaskRunner(tasks);
  let stopped = false;
  const tick = async () => {
    (await runAllShopsJobs(jobs)).forEach(logFailures);
    for (const shop of await listInstalledShops({ ctx: contextForAllShops("tally-jobs") })) {
      if (stopped) return;
      await runShopJobs(shop, { jobs }).catch(logFailures);
    }
  };
  // What runs now, so that stopping can wait for it: a tick ends after the shop in hand.
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const run = () => track(tick().catch(logFailures));
  const timer = setInterval(run, intervalMs);
  timer.unref();
  const unsubscribe = onJobRunRequested((shop) => {
    if (!stopped) track(runShopJobs(shop, { jobs }).catch(logFailures));
  });
  run();
  return async () => {
    stopped = true;
    clearInterval(timer);
    unsubscribe();
    await Promise.all([taskRunner.stop(), ...inFlight]);
  };
}
