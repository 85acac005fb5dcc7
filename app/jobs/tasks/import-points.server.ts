import { z } from "zod";
import { importPointsKind } from "~/domain/background-jobs";
import { checkPointsRow } from "~/domain/imports";
import { readCsv } from "~/lib/csv-read.server";
import {
  finishImport,
  getImport,
  importOrigin,
  markImporting,
  recordMovedPoints,
  refusedLines,
} from "~/services/imports/apply-import.server";
import type { TaskRun } from "../task-kind";
import { importPointsPacer } from "../task-pacers";

const checkpointSchema = z.object({
  fromByte: z.number().int().nonnegative(),
  fromLine: z.number().int().positive(),
});

/**
 * "Move points in" (issue 12, decision 023): reads the confirmed points export from its checkpoint and writes one
 * `import` entry per customer ("+300: moved from Smile"), keyed by (import, customer), so a chunk repeated after a
 * restart adds nothing twice. Rows the dry run refused (bad cells, duplicates, emails not in Shopify) are skipped;
 * rows with no points to move are counted as skipped. No Shopify call: customers are matched on Tally's copy. On SQLite
 * a chunk holds as many rows as fit the pacer's time (importPointsPacer), up to 500.
 */
export const importPointsTask: TaskRun<z.infer<typeof importPointsKind.input>, z.infer<typeof checkpointSchema>> = {
  definition: importPointsKind,
  checkpoint: checkpointSchema,
  initialCheckpoint: { fromByte: 0, fromLine: 1 },
  begin: async ({ ctx, input }) => {
    const row = await getImport({ ctx, input: { importId: input.importId } });
    const summary = row.summary as Record<string, number>;
    return { total: (summary.customers ?? 0) + (summary.zero ?? 0) };
  },
  chunk: async ({ ctx, task, input, checkpoint, report }) => {
    const pacer = importPointsPacer(task);
    // What waited behind the last chunk (a page's next turn) runs first, to its end.
    await pacer.yieldTurn();
    const limit = pacer.begin();
    const row = await getImport({ ctx, input: { importId: input.importId } });
    const shape = { delimiter: row.delimiter as "," | ";" | "\t", encoding: "utf8" as const, bomBytes: 0 };
    const records: { record: string[]; line: number; endByte: number }[] = [];
    for await (const record of readCsv(row.filePath, shape, checkpoint)) {
      if (checkpoint.fromByte === 0 && record.line === 1) continue;
      records.push(record);
      if (records.length >= limit) break;
    }
    const last = records[records.length - 1];
    if (!last) {
      report.write(async (tx) => {
        await markImporting({ ctx, tx, input: { importId: row.id, taskId: task.id } });
        await finishImport({ ctx, tx, input: { importId: row.id, taskId: task.id } });
      });
      return { done: true };
    }
    const refused = await refusedLines({
      ctx,
      input: { importId: row.id, fromLine: records[0]!.line, toLine: last.line },
    });
    const rows: { email: string; points: number }[] = [];
    for (const { record, line } of records) {
      if (refused.has(line)) continue;
      const checked = checkPointsRow(record, row.columns, row.delimiter);
      if (!checked.ok) continue;
      if (checked.points === 0) {
        report.item({ key: checked.email, outcome: "skipped", label: checked.email, message: "No points to move" });
      } else rows.push({ email: checked.email, points: checked.points });
    }
    const from = importOrigin(row);
    report.write(async (tx) => {
      await markImporting({ ctx, tx, input: { importId: row.id, taskId: task.id } });
      const moved = await recordMovedPoints({
        ctx,
        tx,
        input: { importId: row.id, fileName: row.fileName, taskId: task.id, from, rows },
      });
      for (const { email, points } of rows) {
        const customer = moved.get(email);
        report.item(
          customer
            ? {
                key: email,
                outcome: "done",
                customerId: customer.customerId,
                label: email,
                message: `+${points}: ${from}`,
              }
            : { key: email, outcome: "failed", label: email, message: "No longer a customer in Shopify" },
        );
      }
      pacer.end(records.length);
    });
    return { next: { fromByte: last.endByte, fromLine: last.line + 1 } };
  },
};
