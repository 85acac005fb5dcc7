import { env } from "~/lib/env.server";
import { log } from "~/lib/log.server";
import { startInProcessDispatch } from "./dispatch/in-process.server";
import { schedule } from "./schedule.server";
import type { ScheduledJob } from "./scheduled-job";
import type { TaskRunnerOptions } from "./task-runner.server";

// The one port through which background work is started (decision 038): the scheduled jobs' ticks, the background
// tasks staff start, and the wake-up after webhook intake. Two adapters: in this process on SQLite (one process owns
// the file), pg-boss on PostgreSQL (several instances share the work, each job run once across them). Services know
// neither: they commit their rows and announce them (onTaskQueued, onJobRunRequested, the delivery queue's wake-up),
// and the rows stay the truth of what is done (task leases, the deliveries' claims, the emails' `sending` claim).

export interface DispatchOptions {
  /** How often the scheduled jobs tick (JOBS_INTERVAL_SECONDS). */
  intervalMs: number;
  jobs: readonly ScheduledJob[];
  tasks: TaskRunnerOptions;
}

export interface Dispatcher {
  readonly name: "in-process" | "pg-boss";
  /**
   * Stops taking work and resolves once the work in hand has finished or been handed back: a tick's shop in hand, a
   * task's chunk in hand (the task released to the next runner), a webhook batch (its transaction).
   */
  stop(): Promise<void>;
}

/**
 * Starts this process's background work (server.js in production, vite.config.ts's dev server): pg-boss when
 * DATABASE_URL names a PostgreSQL database, a tick in this process otherwise. Does nothing when TALLY_BACKGROUND_JOBS is
 * off. Returns the stop function graceful shutdown awaits (decision 025).
 */
export function startScheduler({
  intervalMs = env().JOBS_INTERVAL_SECONDS * 1000,
  jobs = schedule,
  tasks = {},
}: Partial<DispatchOptions> = {}): () => Promise<void> {
  if (env().TALLY_BACKGROUND_JOBS === "off") return async () => undefined;
  const url = env().DATABASE_URL;
  if (!url) return startInProcessDispatch({ intervalMs, jobs, tasks }).stop;
  // pg-boss starts asynchronously (it installs or migrates its schema first); stopping waits for that.
  // Inside SHUTDOWN_TIMEOUT_SECONDS, so the process closes its database itself rather than being cut off.
  const stopTimeoutMs = Math.max(1000, (env().SHUTDOWN_TIMEOUT_SECONDS - 2) * 1000);
  // pg-boss loads only here, on PostgreSQL (decision 047).
  const starting = import("./dispatch/pg-boss.server")
    .then(({ startPgBossDispatch }) => startPgBossDispatch({ url, intervalMs, jobs, tasks, stopTimeoutMs }))
    .catch((error: unknown) => {
      // Left unhandled, this ends the process: an instance that cannot run its jobs is restarted, not left half-working.
      log.fatal({ err: error }, "pg-boss could not start");
      throw error;
    });
  return async () => (await starting.catch(() => undefined))?.stop();
}
