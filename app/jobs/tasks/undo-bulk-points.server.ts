import { z } from "zod";
import { adjustmentResultLine, spentSinceAdjustmentRefusal, undoBulkPointsKind } from "~/domain/background-jobs";
import { DomainError, isDomainError } from "~/domain/shared";
import {
  findSpentSinceAdjustment,
  getBulkPointsAdjustment,
} from "~/services/background-jobs/bulk-points-adjustment.server";
import { listTaskItems } from "~/services/background-jobs/get-task.server";
import { recordAudits, type AuditInput } from "~/services/audit/record-audit.server";
import { adjustPointsIn } from "~/services/ledger/adjust-points.server";
import { listAdjustmentStandings } from "~/services/ledger/adjustment-standings.server";
import { getProgram } from "~/services/program/get-program.server";
import { bulkPointsPacer } from "../bulk-points-pacer";
import type { TaskRun } from "../task-kind";

type Input = z.infer<typeof undoBulkPointsKind.input>;

/**
 * Undo a bulk points adjustment as a batch (decision 026): every customer it changed gets one reversing adjustment
 * ("Undo: <reason>"), idempotent per customer. Refused as a whole, before anything is reversed, while any of those
 * customers has spent points of it (`findSpentSinceAdjustment`, the check the job's page made before offering Undo: a
 * redemption or an expiry since their adjustment's entry that the adjustment's points paid for), the refusal naming the
 * first of them; the task is then refused (TaskView.refused), not failed. A balance below zero is not spending:
 * the undo takes a customer back to where they stood just before the adjustment, a debt they already owed included,
 * and leaves a deeper debt (a refund or a staff change since took points) to staff, as a refused line. A customer who
 * spends between the check and their chunk is skipped with the reason.
 */
export const undoBulkPointsTask: TaskRun<Input, { afterItemId: number }> = {
  definition: undoBulkPointsKind,
  checkpoint: z.object({ afterItemId: z.number().int().nonnegative() }),
  initialCheckpoint: { afterItemId: 0 },
  begin: async ({ ctx, input }) => {
    const { original, points } = await getBulkPointsAdjustment({ ctx, input: { taskId: input.taskId } });
    // The page's check again, by the same function: someone may have spent since the page was read.
    const spent = await findSpentSinceAdjustment({ ctx, input: { taskId: input.taskId, points } });
    if (spent.count > 0)
      throw new DomainError("conflict", spentSinceAdjustmentRefusal(spent.named, spent.count), { spent });
    return { total: original.items.done };
  },
  chunk: async ({ ctx, task, input, checkpoint, report }) => {
    // Sized by time on SQLite, as the adjustment's chunks are: a page's next turn runs between two of them.
    const pacer = bulkPointsPacer(task);
    await pacer.yieldTurn();
    const limit = pacer.begin();
    const { points, reason } = await getBulkPointsAdjustment({ ctx, input: { taskId: input.taskId } });
    const { items, hasNext } = await listTaskItems({
      ctx,
      input: { taskId: input.taskId, outcome: "done", after: checkpoint.afterItemId || undefined, limit },
    });
    if (items.length === 0) return { done: true };
    const ids = items.flatMap((item) => (item.customerId ? [item.customerId] : []));
    const naming = (await getProgram({ ctx })).settings;
    report.write(async (tx) => {
      // Read in the chunk's transaction, the customers locked: what decides each undo is what it undoes.
      const standings = await listAdjustmentStandings({
        ctx,
        tx,
        input: { taskId: input.taskId, points, customerIds: ids },
      });
      // Each reversal's points.adjust line, written with the chunk's others (recordAudits).
      const audits: AuditInput[] = [];
      for (const item of items) {
        const customerId = item.customerId;
        if (!customerId) continue;
        const result = { key: String(customerId), customerId, label: item.label };
        const standing = standings.get(customerId);
        if (standing?.spent) {
          report.item({ ...result, outcome: "skipped", message: "Spent points since the adjustment" });
          continue;
        }
        try {
          const { applied, totals } = await adjustPointsIn({
            ctx,
            tx,
            input: {
              customerId,
              points: -points,
              reason: `Undo: ${reason}`,
              requestId: `undo:${task.id}:${customerId}`,
              // Back to a debt owed before the adjustment is no new debt; a deeper one is refused as any would be.
              allowDebt: standing !== undefined && standing.balance - points >= standing.before,
              taskId: task.id,
            },
            audits,
          });
          report.item({
            ...result,
            outcome: applied ? "done" : "skipped",
            message: applied ? adjustmentResultLine(-points, totals.balance, naming) : "Already reversed",
          });
        } catch (error) {
          if (!isDomainError(error)) throw error;
          report.item({ ...result, outcome: "failed", message: error.message });
        }
      }
      await recordAudits({ ctx, tx, input: audits });
      report.progress({ advance: items.length });
      pacer.end(items.length);
    });
    return hasNext ? { next: { afterItemId: items.at(-1)!.id } } : { done: true };
  },
};
