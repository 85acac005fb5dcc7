import { and, asc, eq, isNull, lte, or, sql } from "drizzle-orm";
import { larger } from "~/db/dialect";
import { oldestWaitingJobSeconds } from "~/db/postgres/job-queue";
import { tasks } from "~/db/background-jobs";
import { webhookDeliveries } from "~/db/webhooks";
import type { AllShopsContext } from "~/services/context";

/** What /healthz reports: each check's figures, and why the process is unhealthy (empty when it is healthy). */
export interface Health {
  healthy: boolean;
  reasons: string[];
  database: { reachable: boolean; ms: number };
  /** Age in seconds of the delivery that has waited longest to be applied (due: pending, or failed past its backoff). */
  webhookQueue: { oldestDueSeconds: number | null; limitSeconds: number };
  /** Age in seconds of the task that has waited longest to be taken up by a runner (queued, or its lease lapsed). */
  tasks: { oldestDueSeconds: number | null; limitSeconds: number };
  /**
   * On PostgreSQL, age in seconds of the pg-boss job (a webhook wake-up, a tick, a shop's jobs, a task) that has waited
   * longest for an instance to fetch it (decision 038); absent on SQLite, where this process runs its own work.
   */
  jobQueue?: { oldestDueSeconds: number | null; limitSeconds: number };
}

const ageSeconds = (now: Date, since: string | null | undefined) =>
  since ? Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000)) : null;

/**
 * The process's health for an operator's probe (decision 025): the database answers a query, and neither queue lags.
 * Lag is the age of the oldest work that is due and not taken: a webhook delivery accepted (or due for its retry) but
 * not applied, and a background task queued (or left by a dead runner and due again) that no runner took, counting
 * only tasks whose shop's lane runs nothing, since a lane's tasks run one at a time by design (decision 017, "Lanes"). Limits in seconds. Reads two
 * partial indexes, a few rows each: cheap enough for a probe every few seconds. Never throws: a database error is
 * reported by its SQLite code, with no message that could carry a path. On PostgreSQL it also reports pg-boss's queue:
 * the age of the oldest job no instance has fetched (decision 038).
 */
export async function checkHealth({
  ctx,
  input,
}: {
  ctx: AllShopsContext;
  input: { maxWebhookLagSeconds: number; maxTaskLagSeconds: number; maxJobLagSeconds: number };
}): Promise<Health> {
  const now = ctx.now.toISOString();
  const started = performance.now();
  const health: Health = {
    healthy: true,
    reasons: [],
    database: { reachable: true, ms: 0 },
    webhookQueue: { oldestDueSeconds: null, limitSeconds: input.maxWebhookLagSeconds },
    tasks: { oldestDueSeconds: null, limitSeconds: input.maxTaskLagSeconds },
  };
  try {
    const [pending] = await ctx.db
      .select({ since: webhookDeliveries.receivedAt })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.status, "pending"))
      .orderBy(asc(webhookDeliveries.id))
      .limit(1);
    const [retry] = await ctx.db
      .select({ since: sql<string>`min(${webhookDeliveries.retryAt})` })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.status, "failed"), lte(webhookDeliveries.retryAt, now)));
    const webhookSince = [pending?.since, retry?.since].filter(Boolean).sort()[0];
    health.webhookQueue.oldestDueSeconds = ageSeconds(ctx.now, webhookSince);

    // Due since the latest of: queued, its retry time, its lapsed lease.
    const dueSince = larger(
      tasks.createdAt,
      sql`coalesce(${tasks.retryAt}, '')`,
      sql`coalesce(${tasks.lockedUntil}, '')`,
    );
    const [task] = await ctx.db
      .select({ since: sql<string | null>`min(${dueSince})` })
      .from(tasks)
      .where(
        and(
          sql`${tasks.status} in ('queued', 'running')`,
          or(eq(tasks.status, "queued"), isNull(tasks.lockedUntil), sql`${tasks.lockedUntil} < ${now}`),
          or(isNull(tasks.retryAt), lte(tasks.retryAt, now)),
          sql`not exists (select 1 from ${tasks} as busy where busy.shop = ${tasks.shop} and busy.lane = ${tasks.lane}
                and busy.status = 'running' and busy.locked_until >= ${now})`,
        ),
      );
    health.tasks.oldestDueSeconds = ageSeconds(ctx.now, task?.since);

    const jobLag = await oldestWaitingJobSeconds(ctx.db);
    if (jobLag !== undefined) health.jobQueue = { oldestDueSeconds: jobLag, limitSeconds: input.maxJobLagSeconds };
  } catch (error) {
    health.database.reachable = false;
    const code = (error as { code?: unknown }).code;
    health.reasons.push(`database unreachable (${typeof code === "string" ? code : "no answer"})`);
  }
  health.database.ms = Math.round((performance.now() - started) * 10) / 10;

  const lag = health.webhookQueue.oldestDueSeconds;
  if (lag !== null && lag > input.maxWebhookLagSeconds) {
    health.reasons.push(`webhook queue lags: a delivery has waited ${lag} s (limit ${input.maxWebhookLagSeconds} s)`);
  }
  const taskLag = health.tasks.oldestDueSeconds;
  if (taskLag !== null && taskLag > input.maxTaskLagSeconds) {
    health.reasons.push(`task queue lags: a task has waited ${taskLag} s (limit ${input.maxTaskLagSeconds} s)`);
  }
  const jobLag = health.jobQueue?.oldestDueSeconds;
  if (jobLag !== null && jobLag !== undefined && jobLag > input.maxJobLagSeconds) {
    health.reasons.push(`job queue lags: a pg-boss job has waited ${jobLag} s (limit ${input.maxJobLagSeconds} s)`);
  }
  health.healthy = health.reasons.length === 0;
  return health;
}
