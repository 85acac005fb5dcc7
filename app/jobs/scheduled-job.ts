import type { JobName } from "~/services/scheduled-jobs/job-state.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";

// What a scheduled job is: one file in app/jobs/scheduled/, listed once in app/jobs/schedule.server.ts. The scheduler
// (app/jobs/scheduler.server.ts) ticks every JOBS_INTERVAL_SECONDS: it runs the all-shops jobs, then each installed
// shop's jobs, in the order of that list. A job calls services (which write) and Shopify adapters; never app/db.

/** A job's run as the scheduler records it in shop_jobs: its result (shown on Home) and, if it keeps one, a watermark. */
export interface JobRunRecord {
  result: Record<string, unknown>;
  watermark?: string | null;
}

interface ShopJobInput {
  shop: string;
  /** The shop's offline Admin API client. */
  graphql: AdminGraphql;
}

/** Work for one shop at a time, on every tick. */
export interface EveryTickShopJob {
  name: string;
  scope: "each shop";
  every: "tick";
  perform(input: ShopJobInput): Promise<unknown>;
}

/**
 * Work for one shop at most once per interval, remembered in shop_jobs under `job` so it survives a restart, and run
 * earlier when asked (`requestJobRun`: an install, a change of scopes). The scheduler records each successful run.
 */
export interface IntervalShopJob {
  name: string;
  scope: "each shop";
  every: { job: JobName; seconds: () => number };
  perform(input: ShopJobInput): Promise<JobRunRecord>;
}

export type EachShopJob = EveryTickShopJob | IntervalShopJob;

/** Work across every shop at once (the delivery queue, retention): on every tick, before the shops' jobs. */
export interface AllShopsJob {
  name: string;
  scope: "all shops";
  every: "tick";
  perform(): Promise<unknown>;
}

export type ScheduledJob = EachShopJob | AllShopsJob;
