import { z } from "zod";
import type { DirectoryCursor } from "~/domain/customers";
import { exportCustomersKind, exportFileName } from "~/domain/background-jobs";
import { exportFilePath } from "~/lib/export-files.server";
import { countSelectedCustomers } from "~/services/customers/bulk-customers.server";
import { getShopCurrency, getShopTimeZone } from "~/services/shops/get-shop.server";
import { env } from "~/lib/env.server";
import { writeExportPartApart } from "../export-writer/client.server";
import { writeExportPart } from "../export-writer/part.server";
import type { TaskRun } from "../task-kind";

type Input = z.infer<typeof exportCustomersKind.input>;

/**
 * The shop's time zone the export's times are written in, read at its first part and kept, so a zone changed in
 * Shopify meanwhile does not split one file between two (absent: an export begun before times were written in it).
 */
const timeZone = z.string().nullable().optional();

/** The last customer written, as its position in the export's order (sort key's value, id), and the file's size then. */
const checkpointInSort = z.object({
  after: z.object({ value: z.union([z.string(), z.number()]), id: z.number().int().positive() }).nullable(),
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  timeZone,
});
/**
 * The checkpoint of an export begun before decision 043, when exports were written in id order: the last customer's
 * id. A deploy may find one running; it goes on in id order, the order its file began in (decision 047).
 */
const checkpointInIdOrder = z.object({
  afterId: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  timeZone,
});
type Checkpoint = z.infer<typeof checkpointInSort> | z.infer<typeof checkpointInIdOrder>;

/**
 * Where the next part starts, and in which order. An id-order checkpoint that has written no customer yet starts over
 * in the directory's order, as an export begun today does.
 */
function positionOf(checkpoint: Checkpoint): { after: DirectoryCursor | null; order: "sort" | "id" } {
  if (!("afterId" in checkpoint)) return { after: checkpoint.after, order: "sort" };
  if (checkpoint.afterId === 0 && checkpoint.rows === 0) return { after: null, order: "sort" };
  return { after: { value: checkpoint.afterId, id: checkpoint.afterId }, order: "id" };
}

/**
 * Customers per part. In the app's own process, a few milliseconds of reading and writing, so pages and webhooks
 * interleave between parts; the export writer's process holds nobody's requests, so its parts are larger: fewer round
 * trips and checkpoint commits, for a few MB more of its memory (decision 040).
 */
const PART = { "in-app": 2_000, process: 5_000 } as const;

/**
 * "Export customers" (issue 10, decision 026): the selection's customers, in the directory's order when staff
 * exported (its sort, then id; decision 043), with the columns staff chose,
 * streamed part by part into a CSV file (csv-stringify, formulas neutralised, UTF-8 BOM) that the job's page then
 * downloads through a short-lived signed link. The checkpoint is the last customer written and the file's size then:
 * a part a crash left half-written is cut off and written again, so no row appears twice. An export is one result
 * line (the file), not a line per customer.
 */
export const exportCustomersTask: TaskRun<Input, Checkpoint> = {
  definition: exportCustomersKind,
  checkpoint: z.union([checkpointInSort, checkpointInIdOrder]),
  initialCheckpoint: { after: null, bytes: 0, rows: 0 },
  begin: async ({ ctx, input }) => ({
    total: await countSelectedCustomers({ ctx, input: { selection: input.selection } }),
  }),
  chunk: async ({ ctx, task, input, checkpoint, report }) => {
    // Read and written in the export writer's process (decision 040): the app holds neither the rows nor the CSV.
    const where = env().EXPORT_WRITER;
    const write = where === "process" ? writeExportPartApart : writeExportPart;
    const { after, order } = positionOf(checkpoint);
    // A file begun before times were written in the shop's zone (a deploy found it running) goes on as it began: ISO
    // times in UTC, so one file holds one form.
    const begunWithIsoTimes = checkpoint.timeZone === undefined && checkpoint.rows > 0;
    const zone = checkpoint.timeZone !== undefined ? checkpoint.timeZone : await getShopTimeZone({ ctx });
    const { rows, last, bytes } = await write({
      ctx,
      input: {
        taskId: task.id,
        selection: input.selection,
        columns: input.columns,
        currency: await getShopCurrency({ ctx }),
        timeZone: zone,
        ...(begunWithIsoTimes ? { times: "iso" as const } : {}),
        path: exportFilePath(ctx.shop, task.id),
        after,
        order,
        offset: checkpoint.bytes,
        limit: PART[where],
      },
    });
    const written = checkpoint.rows + rows;
    if (last === undefined) {
      const fileName = exportFileName(task.id, ctx.now.toISOString(), zone);
      report.item({
        key: "file",
        label: fileName,
        outcome: "done",
        message: `${written.toLocaleString("en-US")} ${written === 1 ? "customer" : "customers"} exported`,
      });
      report.progress({ advance: 0, total: written });
      // The download takes its name from here: the shop's day the file was written, whatever zone it is fetched from.
      return { done: true, summary: { rows: written, bytes, fileName } };
    }
    report.progress({ advance: rows });
    return {
      next:
        order === "id"
          ? { afterId: last.id, bytes, rows: written, ...(begunWithIsoTimes ? {} : { timeZone: zone }) }
          : { after: last, bytes, rows: written, ...(begunWithIsoTimes ? {} : { timeZone: zone }) },
    };
  },
};
