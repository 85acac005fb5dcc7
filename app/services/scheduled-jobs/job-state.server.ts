import { and, eq } from "drizzle-orm";
import { runAlone } from "~/db/dialect";
import { shopJobs } from "~/db/schema";
import { inTransaction, type AllShopsContext, type ServiceContext, type Tx } from "../context";

/** The scheduled jobs that keep a watermark, a last result and their run requests per shop (app/jobs/scheduled). */
export type JobName = "reconcile" | "shop-facts";

/** A job's watermark, last result and pending request for the shop (undefined before its first run or request). */
export async function findJobState({ ctx, tx, input }: { ctx: ServiceContext; tx?: Tx; input: { job: JobName } }) {
  const [row] = await (tx ?? ctx.db)
    .select()
    .from(shopJobs)
    .where(and(eq(shopJobs.shop, ctx.shop), eq(shopJobs.job, input.job)));
  return row;
}

/**
 * Whether the job should run now for the shop: it never ran, a run was requested after the last one started
 * (`requestJobRun`), or `everyMs` has passed since the last one started.
 */
export async function isJobDue({ ctx, input }: { ctx: ServiceContext; input: { job: JobName; everyMs: number } }) {
  const state = await findJobState({ ctx, input: { job: input.job } });
  if (!state?.lastRunAt) return true;
  if (state.requestedAt && state.requestedAt > state.lastRunAt) return true;
  return Date.parse(state.lastRunAt) + input.everyMs <= ctx.now.getTime();
}

/** What a run is asked for: a job's request (`requestJobRun`), or undefined for tick work waiting now (emails queued). */
type RunRequestListener = (shop: string, job: JobName | undefined) => void;
const runRequestListeners = new Set<RunRequestListener>();

/**
 * Lets the scheduler start a requested run at once instead of at its next tick (app/jobs/scheduler.server.ts). A
 * hint within this process only: the request itself is the row `requestJobRun` wrote. Returns the unsubscribe.
 */
export function onJobRunRequested(listener: RunRequestListener): () => void {
  runRequestListeners.add(listener);
  return () => runRequestListeners.delete(listener);
}

/** Tells this process's scheduler about a request once it has committed (see onJobRunRequested). */
export function announceJobRunRequest(shop: string, job: JobName) {
  for (const listener of runRequestListeners) listener(shop, job);
}

/**
 * Tells this process's scheduler that the shop has work its every-tick jobs do, committed just now (emails queued in
 * the outbox): its jobs run at once rather than at the next tick, JOBS_INTERVAL_SECONDS away (newcomer round 21 waited
 * ~20 s for a points reminder). A hint only, as onJobRunRequested's: the tick still finds the work if it is lost.
 */
export function announceShopWorkWaiting(shop: string) {
  for (const listener of runRequestListeners) listener(shop, undefined);
}

/**
 * Asks for a run of the job ahead of its interval: the scheduler runs it on its next tick for the shop. Idempotent:
 * asking again before that run changes nothing a merchant would notice. Runs in the caller's transaction.
 */
export async function requestJobRun({ ctx, tx, input }: { ctx: ServiceContext; tx: Tx; input: { job: JobName } }) {
  const requestedAt = ctx.now.toISOString();
  await tx
    .insert(shopJobs)
    .values({ shop: ctx.shop, job: input.job, requestedAt })
    .onConflictDoUpdate({ target: [shopJobs.shop, shopJobs.job], set: { requestedAt } });
}

/**
 * Records a finished run, as of its start (`ctx.now`), so a request made while it ran stays due; the watermark only
 * moves forward when given.
 */
export async function recordJobRun({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { job: JobName; watermark?: string | null; result: Record<string, unknown> };
}) {
  const values = {
    lastRunAt: ctx.now.toISOString(),
    lastResult: input.result,
    ...(input.watermark ? { watermark: input.watermark } : {}),
  };
  await inTransaction(ctx, (tx) =>
    tx
      .insert(shopJobs)
      .values({ shop: ctx.shop, job: input.job, ...values })
      .onConflictDoUpdate({ target: [shopJobs.shop, shopJobs.job], set: values }),
  );
}

/**
 * Runs the shop's scheduled jobs (`work`) unless another instance is running them now; false when it did not run them.
 * Instances on one PostgreSQL each tick every shop: this makes each shop's jobs run once at a time across them
 * (decision 034). The lock is the database's, not a row, so an instance killed mid-run leaves nothing held.
 */
export async function runShopJobsAlone({
  ctx,
  work,
}: {
  ctx: ServiceContext;
  work: () => Promise<void>;
}): Promise<boolean> {
  return (await runAlone(ctx.db, `tally-shop-jobs:${ctx.shop}`, work)).ran;
}

/** The same for the all-shops jobs (retention, pruning, the delivery queue's retries). */
export async function runAllShopsJobsAlone({
  ctx,
  work,
}: {
  ctx: AllShopsContext;
  work: () => Promise<void>;
}): Promise<boolean> {
  return (await runAlone(ctx.db, "tally-all-shops-jobs", work)).ran;
}
