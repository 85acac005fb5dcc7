import { z } from "zod";
import { undoImportKind } from "~/domain/background-jobs";
import { pointsInWords } from "~/domain/program";
import {
  batchPageEnd,
  beginChunkedUndo,
  checkUndoPage,
  finishChunkedUndo,
  spentRefusal,
  undoBatchChunk,
} from "~/services/imports/apply-import.server";
import { getProgram } from "~/services/program/get-program.server";
import type { TaskRun } from "../task-kind";

/** Entries checked per chunk (reads only), and taken back per chunk (one transaction each). */
const CHECK_PAGE = 1000;
const UNDO_PAGE = 250;

const checkpointSchema = z.discriminatedUnion("phase", [
  z.object({
    phase: z.literal("check"),
    afterKey: z.string(),
    spentCount: z.number().int().nonnegative(),
    spent: z.array(z.string()),
  }),
  z.object({ phase: z.literal("undo"), afterKey: z.string() }),
]);

/**
 * "Undo an import" for a batch too large for one transaction (decision 033): first the whole batch is checked, a page
 * at a time, reading only; if any customer spent points of it, the task fails with the refusal and nothing changes
 * (all or nothing, as the one-transaction undo). Then the import is "undoing" and the batch is taken back a chunk at a
 * time in key order, each chunk's corrections committed with the checkpoint, so a restart goes on where it stopped and
 * each entry's undo key makes a repeated chunk give nothing twice.
 */
export const undoImportTask: TaskRun<z.infer<typeof undoImportKind.input>, z.infer<typeof checkpointSchema>> = {
  definition: undoImportKind,
  checkpoint: checkpointSchema,
  initialCheckpoint: { phase: "check", afterKey: "", spentCount: 0, spent: [] },
  chunk: async ({ ctx, task, input, checkpoint, report }) => {
    if (checkpoint.phase === "check") {
      const page = await checkUndoPage({
        ctx,
        input: { importId: input.importId, afterKey: checkpoint.afterKey, limit: CHECK_PAGE },
      });
      report.progress({ advance: 0 });
      const spentCount = checkpoint.spentCount + page.spentCount;
      const spent = [...checkpoint.spent, ...page.spent].slice(0, 5);
      if (page.lastKey !== null) return { next: { phase: "check", afterKey: page.lastKey, spentCount, spent } };
      if (spentCount > 0) throw spentRefusal(spent, spentCount);
      report.write((tx) => beginChunkedUndo({ ctx, tx, input: { importId: input.importId, taskId: task.id } }));
      return { next: { phase: "undo", afterKey: "" } };
    }
    const throughKey = await batchPageEnd({
      ctx,
      input: { importId: input.importId, afterKey: checkpoint.afterKey, limit: UNDO_PAGE },
    });
    if (throughKey === null) {
      report.write((tx) => finishChunkedUndo({ ctx, tx, input: { importId: input.importId } }));
      return { done: true };
    }
    const naming = (await getProgram({ ctx })).settings;
    report.write(async (tx) => {
      const taken = await undoBatchChunk({
        ctx,
        tx,
        input: { importId: input.importId, afterKey: checkpoint.afterKey, throughKey },
      });
      // An order's points are listed by the order ("#1001 · Giulia Moreau", as the backfill listed them); a customer's
      // by the customer.
      for (const entry of taken)
        report.item({
          key: entry.order?.gid ?? entry.key,
          outcome: "done",
          customerId: entry.customerId,
          label: entry.order?.name ?? entry.label,
          message: pointsInWords(naming, -entry.points),
        });
    });
    return { next: { phase: "undo", afterKey: throughKey } };
  },
};
