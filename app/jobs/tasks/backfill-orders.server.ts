import { z } from "zod";
import { backfillOrdersKind } from "~/domain/background-jobs";
import { pointsInWords } from "~/domain/program";
import { finishImport, getImport, markImporting } from "~/services/imports/apply-import.server";
import { backfillChunk, nextBackfillRange } from "~/services/imports/backfill-orders.server";
import { getProgram } from "~/services/program/get-program.server";
import type { TaskRun } from "../task-kind";

/**
 * "Points for past orders" (issue 12, decision 023): orders in id order from the checkpoint, each pre-install order
 * paid since the chosen date earning what today's program gives it, in the chunk's transaction with its new state; the
 * entry's key names the backfill and the order, so a resumed chunk gives nothing twice. No Shopify call: the orders
 * are the ones the install's bulk operation brought in.
 */
export const backfillOrdersTask: TaskRun<z.infer<typeof backfillOrdersKind.input>, { afterId: number }> = {
  definition: backfillOrdersKind,
  checkpoint: z.object({ afterId: z.number().int().nonnegative() }),
  initialCheckpoint: { afterId: 0 },
  begin: async ({ ctx, input }) => {
    const row = await getImport({ ctx, input: { importId: input.importId } });
    return { total: (row.summary as Record<string, number>).orders ?? null };
  },
  chunk: async ({ ctx, task, input, checkpoint, report }) => {
    const row = await getImport({ ctx, input: { importId: input.importId } });
    const since = row.source ?? "";
    const throughId = await nextBackfillRange({ ctx, input: { since, afterId: checkpoint.afterId } });
    if (throughId === null) {
      report.write(async (tx) => {
        await markImporting({ ctx, tx, input: { importId: row.id, taskId: task.id } });
        await finishImport({ ctx, tx, input: { importId: row.id, taskId: task.id } });
      });
      return { done: true };
    }
    const naming = (await getProgram({ ctx })).settings;
    report.write(async (tx) => {
      await markImporting({ ctx, tx, input: { importId: row.id, taskId: task.id } });
      const { earned, skipped } = await backfillChunk({
        ctx,
        tx,
        input: { batchId: row.id, since, afterId: checkpoint.afterId, throughId, taskId: task.id },
      });
      for (const order of earned) {
        report.item({
          key: order.orderGid,
          outcome: "done",
          customerId: order.customerId,
          label: order.name ?? order.orderGid,
          message: pointsInWords(naming, order.points, { signed: true }),
        });
      }
      // The preview counted these; they give nothing now, and the results say why rather than leave them out.
      for (const order of skipped) {
        report.item({
          key: order.orderGid,
          outcome: "skipped",
          customerId: order.customerId,
          label: order.name ?? order.orderGid,
          message:
            order.why === "alreadyGiven"
              ? "Already had points: another Points for past orders gave them first"
              : "No longer earns points: refunded or cancelled since the preview",
        });
      }
    });
    return { next: { afterId: throughId } };
  },
};
