import { z } from "zod";
import { importCustomersKind } from "~/domain/background-jobs";
import { pointsInWords } from "~/domain/program";
import { getProgram } from "~/services/program/get-program.server";
import {
  alreadyMatches,
  changesAddress,
  checkCustomerRow,
  importedPointsToAdd,
  phoneCountryOf,
  type CustomerImportOptions,
  type ImportedCustomer,
} from "~/domain/imports";
import { isDomainError } from "~/domain/shared";
import { readCsv } from "~/lib/csv-read.server";
import {
  getImport,
  importOrigin,
  markImporting,
  recordImportedCustomers,
  refusedLines,
  type ImportedShopifyCustomer,
} from "~/services/imports/apply-import.server";
import { knownCustomersByEmail } from "~/services/imports/check-import.server";
import { sendAccountInvite, upsertCustomer } from "~/shopify/admin/customer-import.server";
import { ShopifyUserErrors } from "~/shopify/admin/graphql.server";
import type { ReportedItem } from "~/services/background-jobs/run-task.server";
import type { TaskRun } from "../task-kind";
import {
  BULK_FROM_ROWS,
  bulkCheckpointSchema,
  finishCustomerImport,
  importCustomersBulkChunk,
  initialBulkCheckpoint,
  recordMatchingRows,
  SHOPIFY_INVITES,
} from "./import-customers-bulk.server";

/** Rows per chunk: each a customerSet call (cost 10), so a chunk takes a few seconds at Shopify's standard rate. */
const CHUNK = 25;

const rowByRowCheckpoint = z.object({
  /** Where the next chunk reads from: just past the last row done (0 before the first chunk reads the header). */
  fromByte: z.number().int().nonnegative(),
  fromLine: z.number().int().positive(),
});
const checkpointSchema = z.union([bulkCheckpointSchema, rowByRowCheckpoint]);

/**
 * "Import customers" (issue 12, decision 023): reads the confirmed CSV from disk from its checkpoint, a chunk of rows
 * at a time, skipping exactly the rows the dry run refused and re-checking the rest with the same rules. Each row is
 * upserted in Shopify by email (`customerSet`), so a chunk repeated after a crash updates the customers it created
 * instead of creating them twice; rows recorded in an earlier run are not sent again at all. A row whose email Shopify
 * has is skipped when the merchant chose so, and one whose row already matches what Tally holds of them is sent
 * nowhere (its points only are added), as the preview said. Created customers get Shopify's account invitation when asked (the one
 * way to give them a password). Each chunk's customers and points commit with its checkpoint. From BULK_FROM_ROWS
 * rows to create or update, the rows go to Shopify as one bulk mutation instead (import-customers-bulk.server.ts).
 */
export const importCustomersTask: TaskRun<
  z.infer<typeof importCustomersKind.input>,
  z.infer<typeof checkpointSchema>
> = {
  definition: importCustomersKind,
  checkpoint: checkpointSchema,
  initialCheckpoint: { fromByte: 0, fromLine: 1 },
  begin: async ({ ctx, input }) => {
    const row = await getImport({ ctx, input: { importId: input.importId } });
    const summary = row.summary as Record<string, number>;
    // The rows that already match are listed but not sent: they do not make a file large enough for a bulk mutation.
    const listed = (summary.create ?? 0) + (summary.update ?? 0);
    const sent = listed - (summary.unchanged ?? 0);
    return {
      total: listed + (summary.skip ?? 0),
      ...(sent >= BULK_FROM_ROWS ? { checkpoint: initialBulkCheckpoint } : {}),
    };
  },
  chunk: async (args) => {
    if ("mode" in args.checkpoint) return importCustomersBulkChunk({ ...args, checkpoint: args.checkpoint });
    const { ctx, task, input, report, shopify } = args;
    const checkpoint = args.checkpoint;
    const row = await getImport({ ctx, input: { importId: input.importId } });
    const naming = (await getProgram({ ctx })).settings;
    const options = row.options as Omit<CustomerImportOptions, "country">;
    const shape = { delimiter: row.delimiter as "," | ";" | "\t", encoding: "utf8" as const, bomBytes: 0 };
    const records: { record: string[]; line: number; endByte: number }[] = [];
    const from = { fromByte: checkpoint.fromByte, fromLine: checkpoint.fromLine };
    for await (const record of readCsv(row.filePath, shape, from)) {
      // The first read of the file starts with its header.
      if (checkpoint.fromByte === 0 && record.line === 1) continue;
      records.push(record);
      if (records.length >= CHUNK) break;
    }
    const last = records[records.length - 1];
    if (!last) return finishCustomerImport(args, row.id);
    const refused = await refusedLines({
      ctx,
      input: { importId: row.id, fromLine: records[0]!.line, toLine: last.line },
    });
    const rows: ImportedCustomer[] = [];
    for (const { record, line } of records) {
      if (refused.has(line)) continue;
      const checked = checkCustomerRow(record, row.columns, phoneCountryOf(row.options), row.delimiter);
      if (checked.ok) rows.push(checked.customer);
    }
    const done = await report.recorded(rows.map((customer) => customer.email));
    // Read before Shopify is asked: the customers/update webhooks that follow must not be taken for the old values.
    const known = await knownCustomersByEmail(
      ctx.db,
      ctx.shop,
      rows.map((customer) => customer.email),
    );
    const graphql = await shopify();
    const imported: ImportedShopifyCustomer[] = [];
    const recorded: (ReportedItem & { customerGid: string })[] = [];
    const matching: { customer: ImportedCustomer; customerId: number }[] = [];
    for (const customer of rows) {
      if (done.has(customer.email)) continue;
      const existing = known.get(customer.email);
      if (existing && options.existing === "skip") {
        report.item({
          key: customer.email,
          outcome: "skipped",
          customerId: existing.id,
          label: customer.email,
          message: "Already in Shopify: left as it is, as chosen",
        });
        continue;
      }
      // What the preview counted as already matching is not sent: Shopify would be asked to set what it has.
      if (existing && alreadyMatches(existing.fields, customer)) {
        matching.push({ customer, customerId: existing.id });
        continue;
      }
      try {
        const upserted = await upsertCustomer(graphql, customer, {
          known: Boolean(existing),
          newAddress: existing ? changesAddress(existing.fields, customer) : false,
        });
        const created = !known.has(customer.email);
        let invited = "";
        if (created && options.invite) {
          try {
            await sendAccountInvite(graphql, upserted.customerGid);
            invited = `; ${SHOPIFY_INVITES}`;
          } catch (error) {
            if (!isDomainError(error)) throw error;
            const why =
              error instanceof ShopifyUserErrors ? error.userErrors.map((e) => e.message).join("; ") : error.message;
            invited = `; Shopify sent no account invitation: ${why}`;
          }
        }
        imported.push({
          ...upserted,
          points: customer.points ?? 0,
          ...(known.has(customer.email) ? { before: known.get(customer.email)!.fields } : {}),
          ...(customer.taxExempt !== undefined ? { taxExempt: customer.taxExempt } : {}),
          ...(customer.emailMarketing !== undefined ? { emailMarketing: customer.emailMarketing } : {}),
          ...(customer.address ? { address: customer.address } : {}),
        });
        // The file's Points are a balance: what the line says is what reaching it adds (importedPointsToAdd).
        const adds = importedPointsToAdd(customer.points ?? 0, known.get(customer.email)?.balance ?? 0);
        const points = adds ? `, ${pointsInWords(naming, adds, { signed: true })}` : "";
        recorded.push({
          customerGid: upserted.customerGid,
          key: customer.email,
          outcome: "done",
          label: customer.email,
          message: `${created ? "Created" : "Updated"}${points}${invited}`,
        });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        report.item({ key: customer.email, outcome: "failed", label: customer.email, message: error.message });
      }
    }
    report.write(async (tx) => {
      await markImporting({ ctx, tx, input: { importId: row.id, taskId: task.id } });
      const ids = await recordImportedCustomers({
        ctx,
        tx,
        input: {
          importId: row.id,
          fileName: row.fileName,
          taskId: task.id,
          from: importOrigin(row),
          customers: imported,
        },
      });
      // Listed once recorded, so each line links to the customer's profile, a customer the import created included.
      for (const { customerGid, ...item } of recorded)
        report.item({ ...item, customerId: ids.get(customerGid) ?? null });
      await recordMatchingRows({ ctx, tx, report, row, taskId: task.id, rows: matching, naming });
    });
    return { next: { fromByte: last.endByte, fromLine: last.line + 1 } };
  },
};
