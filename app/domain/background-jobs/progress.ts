import { z } from "zod";

/**
 * A background task's life (decision 017): queued until a runner claims it, running in chunks, then succeeded, failed
 * or cancelled. Staff can cancel a queued task at once; a running one stops after the chunk in hand, and what it did
 * stays done.
 */
export const taskStatusSchema = z.enum(["queued", "running", "succeeded", "failed", "cancelled"]);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

/**
 * A shop's two lanes of background work (decision 017, "Lanes"): one writer and one reader may run at once per shop,
 * never two of one lane. A kind's lane is in its definition; a task keeps the lane it was queued in.
 */
export const taskLaneSchema = z.enum(["write", "read"]);
export type TaskLane = z.infer<typeof taskLaneSchema>;

/** What happened to one item: done (acted on), skipped (nothing to do, or not allowed), failed (with the reason). */
export const itemOutcomeSchema = z.enum(["done", "skipped", "failed"]);
export type ItemOutcome = z.infer<typeof itemOutcomeSchema>;

export function isFinished(status: TaskStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "cancelled";
}

export interface ProgressReading {
  done: number;
  total: number | null;
  /** When the first chunk began, and when the last one committed (ISO). */
  startedAt: string | null;
  progressAt: string | null;
}

/**
 * How long the rest should take at the pace so far, in milliseconds: the remaining count over the rate between the
 * start and the last committed chunk. Null while there is nothing to go on (no total, nothing done yet).
 */
export function estimateRemainingMs(progress: ProgressReading): number | null {
  const { done, total, startedAt, progressAt } = progress;
  if (total === null || !startedAt || !progressAt || done <= 0) return null;
  if (done >= total) return 0;
  const spent = Date.parse(progressAt) - Date.parse(startedAt);
  if (!(spent > 0)) return null;
  return Math.round(((total - done) * spent) / done);
}

/**
 * The time left a running job's page shows, in milliseconds, or null for none: none while its `phase` holds the bar
 * still (Shopify's part of a bulk import or a sync, whose pace says nothing of what is left); otherwise the pace since
 * the bar began to move in this phase (`phase.countingSince`) or since the job's start (estimateRemainingMs).
 */
export function taskRemainingMs(
  job: { status: TaskStatus; progress: { done: number; total: number | null } } & Omit<
    ProgressReading,
    "done" | "total"
  >,
  phase: { counting: boolean; countingSince?: string } | undefined,
): number | null {
  if (isFinished(job.status) || phase?.counting === false) return null;
  return estimateRemainingMs({
    ...job.progress,
    startedAt: phase?.countingSince ?? job.startedAt,
    progressAt: job.progressAt,
  });
}

/** Elapsed time of a task, in milliseconds: to its end once finished, to `now` while it runs; null before it starts. */
export function elapsedMs(startedAt: string | null, finishedAt: string | null, now: Date): number | null {
  if (!startedAt) return null;
  return Math.max(0, (finishedAt ? Date.parse(finishedAt) : now.getTime()) - Date.parse(startedAt));
}

/**
 * How long a runner may go without committing a chunk or renewing its lease before another runner takes the task over,
 * and the wait before a chunk that threw is tried again (30 s, 2 min, 8 min, …, at most an hour).
 */
export function taskRetryDelayMs(failedAttempts: number): number {
  return Math.min(30_000 * 4 ** Math.max(0, failedAttempts - 1), 3_600_000);
}

/** What a task's row says of the runner holding it (decision 017): the lease and any retry it waits out (ISO times). */
export interface TaskLease {
  status: TaskStatus;
  lockedUntil: string | null;
  retryAt: string | null;
}

/**
 * When a running task that no runner holds is taken up again, or null while a runner holds it (or it is not running,
 * or it waits out a chunk's retry, which its page tells as "Retrying"). Tally restarted under it: a deploy handed it
 * back (no lease: taken up at once, so `now`), its lease ran out (`now`: the next runner's claim), or its process died
 * (kill -9, a crash) and the lease stands until it runs out (`lockedUntil`). A live runner renews its lease every third
 * of `leaseMs` (app/jobs/task-runner.server.ts), so a lease with less than half its length left has missed a renewal:
 * its runner is gone. `leaseMs` is TASK_LEASE_SECONDS in ms.
 */
export function resumesAt(lease: TaskLease, now: Date, leaseMs: number): Date | null {
  if (lease.status !== "running" || lease.retryAt !== null) return null;
  if (lease.lockedUntil === null) return now;
  const until = Date.parse(lease.lockedUntil);
  if (until <= now.getTime()) return now;
  return until - now.getTime() < leaseMs / 2 ? new Date(until) : null;
}

/**
 * What every page following a job says while no runner holds it since Tally restarted (`resumesAt` above, as getTask
 * and listTasks give it): "Tally restarted: this job picks up where it left off within about 24 seconds" (whole
 * seconds, rounded up), or "… in a moment" from a second before it is due. `now` is the server's clock when it
 * answered. Undefined for a job that is not running or that a runner holds: the page shows its progress as usual. One
 * wording for the job's page, the Jobs list, an import's check and Home's banner (decision 054).
 */
export function resumingText(job: { status: TaskStatus; resumesAt?: string }, now: Date): string | undefined {
  if (job.status !== "running" || !job.resumesAt) return undefined;
  const seconds = Math.ceil((Date.parse(job.resumesAt) - now.getTime()) / 1000);
  const when = seconds > 1 ? `within about ${seconds} seconds` : "in a moment";
  return `Tally restarted: this job picks up where it left off ${when}.`;
}

/**
 * Why a queued job has not started, when another job of its shop's lane runs (decision 017, "Lanes"): "Waits for Sync
 * customers to finish", `waitsFor` being that job's title as getTask and listTasks give it. Undefined for a job that is
 * not queued or waits for none. One wording for the job's page, the Jobs list, the directory's sync bar, an import's
 * check and Home's banner; `midSentence` words it after a colon, as Home's banner places it ("Import customers: waits
 * for Sync customers to finish"), `waitsFor` as it is.
 */
export function waitingText(
  job: { status: TaskStatus; waitsFor?: string | null },
  { midSentence = false }: { midSentence?: boolean } = {},
): string | undefined {
  if (job.status !== "queued" || !job.waitsFor) return undefined;
  return `${midSentence ? "waits" : "Waits"} for ${job.waitsFor} to finish`;
}

/** After this many claims without a committed chunk (a chunk that keeps throwing or killing its runner) it fails. */
export const MAX_TASK_ATTEMPTS = 5;

/**
 * The query parameter a page adds when it asks for fresh figures on its own (a progress bar's poll, every POLL_MS),
 * not because the merchant clicked: the server does not count such a request as someone waiting on the app, so a
 * long apply keeps its large chunks while its progress is watched (decision 030, sixth round).
 */
export const PROGRESS_POLL_PARAM = "poll";

/** The job page's address a progress bar polls: `/app/jobs/<id>?poll=1`, with `query` (the results' view) kept. */
export function jobPollPath(taskId: number, query: URLSearchParams = new URLSearchParams()): string {
  const params = new URLSearchParams(query);
  params.set(PROGRESS_POLL_PARAM, "1");
  return `/app/jobs/${taskId}?${params.toString()}`;
}

/**
 * The title of Home's banner over the shop's active jobs, counting running and queued ones apart so the title agrees
 * with the lines under it (a re-tester read "2 jobs are running" above "Add 5 points: waits for Import customers to
 * finish"): "A job is running", "2 jobs are running", "A job is waiting to start", "1 job is running, 1 is waiting".
 * `jobs` are the banner's jobs, each with its `status` ("queued" waiting, anything else running).
 */
export function activeJobsTitle(jobs: readonly { status: string }[]): string {
  const waiting = jobs.filter((job) => job.status === "queued").length;
  const running = jobs.length - waiting;
  const count = (n: number) => (n === 1 ? "1 job is" : `${n} jobs are`);
  if (waiting === 0) return running === 1 ? "A job is running" : `${running} jobs are running`;
  if (running === 0) return waiting === 1 ? "A job is waiting to start" : `${waiting} jobs are waiting to start`;
  return `${count(running)} running, ${waiting} ${waiting === 1 ? "is" : "are"} waiting`;
}
