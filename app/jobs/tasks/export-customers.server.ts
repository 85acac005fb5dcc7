import { z } from "zod";
import { exportCustomersKind } from "~/domain/background-jobs";
import { exportFilePath } from "~/lib/export-files.server";
import { countSelectedCustomers } from "~/services/customers/bulk-customers.server";
import { getShopCurrency } from "~/services/shops/get-shop.server";
import { env } from "~/lib/env.server";
import { writeExportPartApart } from "../export-writer/client.server";
import { writeExportPart } from "../export-writer/part.server";
import type { TaskRun } from "../task-kind";

type Input = z.infer<typeof exportCustomersKind.input>;

/**
 * Customers per part. In the app's own process, a few milliseconds of reading and writing, so pages and webhooks
 * interleave between parts; the export writer's process holds nobody's requests, so its parts are larger: fewer round
 * trips and checkpoint commits, for a few MB more of its memory (decision 040).
 */
const PART = { "in-app": 2_000, process: 5_000 } as const;

/**
 * "Export customers" (issue 10, decision 026): the selection's customers, in id order, with the columns staff chose,
 * streamed part by part into a CSV file (csv-stringify, formulas neutralised, UTF-8 BOM) that the job's page then
 * downloads through a short-lived signed link. The checkpoint is the last customer written and the file's size then:
 * a part a crash left half-written is cut off and written again, so no row appears twice. An export is one result
 * line (the file), not a line per customer.
 */
export const exportCustomersTask: TaskRun<Input, { afterId: number; bytes: number; rows: number }> = {
  definition: exportCustomersKind,
  checkpoint: z.object({
    afterId: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
    rows: z.number().int().nonnegative(),
  }),
  initialCheckpoint: { afterId: 0, bytes: 0, rows: 0 },
  begin: async ({ ctx, input }) => ({
    total: await countSelectedCustomers({ ctx, input: { selection: input.selection } }),
  }),
  chunk: async ({ ctx, task, input, checkpoint, report }) => {
    // Read and written in the export writer's process (decision 040): the app holds neither the rows nor the CSV.
    const where = env().EXPORT_WRITER;
    const write = where === "process" ? writeExportPartApart : writeExportPart;
    const { rows, lastId, bytes } = await write({
      ctx,
      input: {
        taskId: task.id,
        selection: input.selection,
        columns: input.columns,
        currency: await getShopCurrency({ ctx }),
        path: exportFilePath(ctx.shop, task.id),
        afterId: checkpoint.afterId,
        offset: checkpoint.bytes,
        limit: PART[where],
      },
    });
    const written = checkpoint.rows + rows;
    if (lastId === undefined) {
      report.item({
        key: "file",
        label: `customers-${task.id}.csv`,
        outcome: "done",
        message: `${written} ${written === 1 ? "customer" : "customers"} exported`,
      });
      report.progress({ advance: 0, total: written });
      return { done: true, summary: { rows: written, bytes } };
    }
    report.progress({ advance: rows });
    return { next: { afterId: lastId, bytes, rows: written } };
  },
};
