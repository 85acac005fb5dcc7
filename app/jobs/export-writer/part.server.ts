import { exportCell, exportColumnHeader, type ExportColumn } from "~/domain/background-jobs";
import type { CustomerSelection } from "~/domain/background-jobs";
import type { DirectoryCursor } from "~/domain/customers";
import type { CurrencyCode } from "~/domain/shared/money";
import { isoSecond, shopTimeWriter } from "~/domain/shared/shop-time";
import { appendCsvPart } from "~/lib/csv.server";
import type { ServiceContext } from "~/services/context";
import { readSelectionPage } from "~/services/customers/bulk-customers.server";

/** One part of an export to write: the customers after `after` (null: from the first), appended to `path` at `offset`. */
export interface ExportPartRequest {
  taskId: number;
  selection: CustomerSelection;
  columns: ExportColumn[];
  currency: CurrencyCode;
  /** The shop's IANA time zone its times are written in (null: UTC); the same for every part of one export. */
  timeZone: string | null;
  /** "iso": times as ISO 8601 in UTC, for a file begun before times were written in the shop's zone. */
  times?: "iso";
  path: string;
  after: DirectoryCursor | null;
  offset: number;
  limit: number;
  /**
   * "id": the customers in id order, `after.id` the last one written; for an export begun before decision 043, whose
   * file began in id order. Otherwise the directory's order.
   */
  order?: "sort" | "id";
}

/** What the app asks the export writer's process (app/export-writer.server.ts), and what it answers. */
export interface ExportWriterRequest {
  id: number;
  shop: string;
  actor: string;
  part: ExportPartRequest;
}

export type ExportWriterReply =
  | { id: number; ok: true; rows: number; last: DirectoryCursor | undefined; bytes: number }
  | { id: number; ok: false; error: string };

/**
 * What a part wrote: how many customers, the position of the last one in the export's order (its sort key's value and
 * id; undefined: the selection is done) and the file's size.
 */
export interface ExportPartResult {
  rows: number;
  last: DirectoryCursor | undefined;
  bytes: number;
}

/**
 * Reads the next `limit` customers of the selection in the directory's order (or in id order: `order`) and appends them
 * to the export's file (decision 026: the file is first cut back to `offset`, so a part a crash left half-written is
 * written once). Runs in the export
 * writer's process (decision 040), which holds only the database connection and this.
 */
export async function writeExportPart({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ExportPartRequest;
}): Promise<ExportPartResult> {
  const { rows, last } = await readSelectionPage({
    ctx,
    input: {
      selection: input.selection,
      after: input.after,
      limit: input.limit,
      readKey: `task:${input.taskId}`,
      order: input.order,
    },
  });
  const writeTime = input.times === "iso" ? isoSecond : shopTimeWriter(input.timeZone);
  const bytes = await appendCsvPart({
    path: input.path,
    offset: input.offset,
    header: input.columns.map((column) => exportColumnHeader(column, input.timeZone)),
    rows: rows.map((row) => input.columns.map((column) => exportCell(column, row, input.currency, writeTime))),
  });
  return { rows: rows.length, last, bytes };
}
