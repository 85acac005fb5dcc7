import { z } from "zod";
import { exportCell, exportColumnHeaders, exportCustomersKind } from "~/domain/background-jobs";
import { appendCsvPart } from "~/lib/csv.server";
import { exportFilePath } from "~/lib/export-files.server";
import { countSelectedCustomers, readSelectionPage } from "~/services/customers/bulk-customers.server";
import { getShopCurrency } from "~/services/shops/get-shop.server";
import type { TaskRun } from "../task-kind";

type Input = z.infer<typeof exportCustomersKind.input>;

/** Customers per part: a few milliseconds of reading and writing, so pages and webhooks interleave between parts. */
const PART = 2_000;

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
    const { rows, lastId } = await readSelectionPage({
      ctx,
      input: { selection: input.selection, afterId: checkpoint.afterId, limit: PART, readKey: `task:${task.id}` },
    });
    const path = exportFilePath(ctx.shop, task.id);
    const header = input.columns.map((column) => exportColumnHeaders[column]);
    const currency = await getShopCurrency({ ctx });
    const bytes = await appendCsvPart({
      path,
      offset: checkpoint.bytes,
      header,
      rows: rows.map((row) => input.columns.map((column) => exportCell(column, row, currency))),
    });
    const written = checkpoint.rows + rows.length;
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
    report.progress({ advance: rows.length });
    return { next: { afterId: lastId, bytes, rows: written } };
  },
};
