import { bulkEditCustomersKind, isFinished, undoneAdjustmentName, type TaskView } from "~/domain/background-jobs";
import { DomainError } from "~/domain/shared";
import type { ServiceContext } from "~/services/context";
import { getTask } from "./get-task.server";

/**
 * The finished bulk points adjustment job `taskId` of the shop: the job, its signed change in points and its reason.
 * Throws DomainError not_found (no such job of this shop), invalid_input (a job that is not a bulk points adjustment)
 * or conflict (still running). Decision 026.
 */
export async function getBulkPointsAdjustment({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number };
}): Promise<{ original: TaskView; points: number; reason: string }> {
  const original = await getTask({ ctx, input });
  const parsed = bulkEditCustomersKind.input.safeParse(original.input);
  if (original.kind !== bulkEditCustomersKind.kind || !parsed.success || parsed.data.edit.action !== "points_adjust")
    throw new DomainError("invalid_input", "Only a bulk points adjustment can be undone");
  if (!isFinished(original.status))
    throw new DomainError("conflict", "Wait for the adjustment to finish, then undo it");
  return { original, points: parsed.data.edit.points, reason: parsed.data.edit.reason };
}

/**
 * The input of an undo of the bulk points adjustment `taskId`, named from the adjustment Tally holds ("Add 500 points
 * (Spring gift)"), whatever name the request carried: the undo's title, in the jobs list and the audit log, is never
 * the page's to say. Throws as `getBulkPointsAdjustment`, so an undo of anything else is refused before it is queued.
 */
export async function undoBulkPointsInput({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number };
}): Promise<{ taskId: number; of: string }> {
  const { original, reason } = await getBulkPointsAdjustment({ ctx, input });
  return { taskId: input.taskId, of: undoneAdjustmentName(original.title, reason) };
}
