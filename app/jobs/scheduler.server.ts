import { log } from "~/lib/log.server";
import {
  isJobDue,
  recordJobRun,
  runAllShopsJobsAlone,
  runShopJobsAlone,
} from "~/services/scheduled-jobs/job-state.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import { contextFor, contextForAllShops, unauthenticated } from "~/shopify.server";
import { schedule } from "./schedule.server";
import type { AllShopsJob, EachShopJob, ScheduledJob } from "./scheduled-job";

// The clock-driven front door, beside app/routes (the request-driven one): runs the jobs listed in schedule.server.ts.
// What decides when they run (a tick in this process on SQLite, pg-boss on PostgreSQL) is app/jobs/dispatch.server.ts;
// tests call runShopJobs and drain runners.

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
export async function runAllShopsJobs(jobs: readonly ScheduledJob[]): Promise<ScheduledJobFailed[]> {
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

/** Logs what a run of scheduled jobs threw: each failed job with its shop, or the error itself. */
export function logFailures(error: unknown) {
  const failures = error instanceof AggregateError ? error.errors : [error];
  for (const failure of failures) {
    if (failure instanceof ScheduledJobFailed) {
      log.error({ err: failure.cause, job: failure.job, shop: failure.shop }, failure.message);
    } else log.error({ err: failure }, "Tally's scheduled jobs failed");
  }
}
