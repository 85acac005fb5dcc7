import { and, eq } from "drizzle-orm";
import { shopJobs } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";

/** The jobs that keep a watermark and a last result per shop. */
export type JobName = "reconcile";

/** A job's watermark and last result for the shop (undefined before its first run). */
export async function findJobState({ ctx, input }: { ctx: ServiceContext; input: { job: JobName } }) {
  const [row] = await ctx.db
    .select()
    .from(shopJobs)
    .where(and(eq(shopJobs.shop, ctx.shop), eq(shopJobs.job, input.job)));
  return row;
}

/** Records a finished run; the watermark only moves forward when given. */
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
