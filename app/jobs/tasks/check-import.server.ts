import { z } from "zod";
import { checkImportKind } from "~/domain/background-jobs";
import {
  estimateImportRows,
  finishImportCheck,
  readCheckChunk,
  recordCheckChunk,
} from "~/services/imports/check-import.server";
import type { TaskRun } from "../task-kind";

const checkpointSchema = z.object({
  fromByte: z.number().int().nonnegative(),
  fromLine: z.number().int().positive(),
});

/**
 * "Check a file to import" (issue 12, decision 048): the dry run of an uploaded customer CSV or points export, a chunk
 * of rows at a time from its checkpoint (a byte offset and line in the file). Each chunk's problems, changes, emails
 * and figures commit with the checkpoint, so a check killed mid-file resumes there and its preview is the one an
 * uninterrupted check shows. Progress counts rows, of the file's line count until the last chunk counts them exactly.
 * No Shopify call: rows are compared with Tally's copy of the shop's customers.
 */
export const checkImportTask: TaskRun<z.infer<typeof checkImportKind.input>, z.infer<typeof checkpointSchema>> = {
  definition: checkImportKind,
  checkpoint: checkpointSchema,
  initialCheckpoint: { fromByte: 0, fromLine: 1 },
  begin: async ({ ctx, input }) => ({ total: await estimateImportRows({ ctx, input }) }),
  chunk: async ({ ctx, input, checkpoint, report }) => {
    const chunk = await readCheckChunk({ ctx, input: { importId: input.importId, ...checkpoint } });
    if (chunk.rows === 0) {
      report.write(async (tx) => {
        const rows = await finishImportCheck({ ctx, tx, input: { importId: input.importId } });
        if (rows !== null) report.progress({ total: rows });
      });
      return { done: true };
    }
    report.progress({ advance: chunk.rows });
    report.write((tx) => recordCheckChunk({ ctx, tx, input: { importId: input.importId, chunk } }));
    return { next: chunk.next };
  },
};
