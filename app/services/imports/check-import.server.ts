import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import {
  changesSomething,
  checkCustomerRow,
  checkPointsRow,
  customerChanges,
  customerColumns,
  mapColumns,
  mapPointsColumns,
  pointsSourceNames,
  type ColumnMapping,
  type ExistingCustomerChoice,
  type KnownCustomerFields,
  type PointsSource,
} from "~/domain/imports";
import { DomainError } from "~/domain/shared";
import { customers, importChanges, importProblems, imports } from "~/db/schema";
import { isBinaryFile, readCsv, toUtf8, type CsvShape } from "~/lib/csv-read.server";
import { recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";

/*
 * The dry run (issue 12): the whole uploaded file is read once, streaming, every row checked as the import will check
 * it, and the outcome kept: figures for the preview, and the refused rows with their reasons for the "bad rows"
 * download. Nothing reaches Shopify or the ledger. The import that follows re-reads the same file and skips exactly
 * the rows refused here, so what the preview promised is what is applied.
 */

/** Rows per transaction while checking: their problems are written together, their emails looked up together. */
const BATCH = 500;

/** Rows of updates whose changes the preview lists; the summary counts them all (import_changes keeps only these). */
export const CHANGES_SAMPLE = 50;

export type ImportView = typeof imports.$inferSelect;

interface Problem {
  line: number;
  cells: string[];
  message: string;
}

/** The header of the file and its shape; throws DomainError("invalid_input") on an empty or unreadable file. */
async function headerOf(filePath: string): Promise<{ shape: CsvShape; headers: string[]; startByte: number }> {
  if (await isBinaryFile(filePath)) {
    const message = "This is not a CSV file: save or export it as CSV (comma-separated values) and upload that";
    throw new DomainError("invalid_input", message, { fieldErrors: { file: [message] } });
  }
  const shape = await toUtf8(filePath);
  try {
    for await (const { record, endByte } of readCsv(filePath, shape)) {
      return { shape, headers: record.map((cell) => cell.trim()), startByte: endByte };
    }
  } catch (error) {
    throw new DomainError("invalid_input", `The file is not a CSV Tally can read: ${(error as Error).message}`, {
      fieldErrors: { file: ["The file is not a CSV Tally can read"] },
    });
  }
  throw new DomainError("invalid_input", "This file is empty", { fieldErrors: { file: ["This file is empty"] } });
}

function refuseMissing(mapping: ColumnMapping, labels: Record<string, string>) {
  if (mapping.missing.length === 0) return;
  const names = mapping.missing.map((field) => labels[field] ?? field).join(", ");
  const message = `No column for ${names}: name a column "${names}" in the header row`;
  throw new DomainError("invalid_input", message, { fieldErrors: { file: [message] } });
}

/**
 * The shop's customers with these emails (lower case), newest row per email, deleted ones left out: how Tally knows
 * who Shopify already has (its copy, kept by webhooks and reconciliation). One indexed lookup (shop, search_email).
 */
export async function customersByEmail(
  db: ServiceContext["db"] | Tx,
  shop: string,
  emails: readonly string[],
): Promise<Map<string, { id: number; customerGid: string }>> {
  const found = new Map<string, { id: number; customerGid: string }>();
  if (emails.length === 0) return found;
  const rows = await db
    .select({ id: customers.id, customerGid: customers.customerGid, email: customers.searchEmail })
    .from(customers)
    .where(and(eq(customers.shop, shop), inArray(customers.searchEmail, [...emails]), isNull(customers.deletedAt)));
  // Newest row per email, chosen here: an ORDER BY id would lead SQLite to walk the shop's (shop, id) index instead.
  for (const row of rows) {
    const kept = row.email ? found.get(row.email) : undefined;
    if (row.email && (!kept || kept.id < row.id)) found.set(row.email, row);
  }
  return found;
}

/**
 * The shop's customers with these emails (lower case), as customersByEmail finds them, with the fields an import can
 * change as Tally holds them: what a row of the file is compared with.
 */
export async function knownCustomersByEmail(
  db: ServiceContext["db"] | Tx,
  shop: string,
  emails: readonly string[],
): Promise<Map<string, { id: number; customerGid: string; fields: KnownCustomerFields }>> {
  const found = new Map<string, { id: number; customerGid: string; fields: KnownCustomerFields }>();
  if (emails.length === 0) return found;
  const rows = await db
    .select({
      id: customers.id,
      customerGid: customers.customerGid,
      email: customers.searchEmail,
      firstName: customers.firstName,
      lastName: customers.lastName,
      phone: customers.phone,
      tags: customers.tags,
      taxExempt: customers.taxExempt,
      emailMarketingState: customers.emailMarketingState,
    })
    .from(customers)
    .where(and(eq(customers.shop, shop), inArray(customers.searchEmail, [...emails]), isNull(customers.deletedAt)));
  for (const { id, customerGid, email, ...fields } of rows) {
    const kept = email ? found.get(email) : undefined;
    if (email && (!kept || kept.id < id)) found.set(email, { id, customerGid, fields });
  }
  return found;
}

/**
 * Streams `rows` of the file (after its header) in batches, handing each batch to `check`, which answers the
 * problems it found and may count; problems are stored as they come, so memory holds one batch.
 */
async function checkInBatches(
  ctx: ServiceContext,
  importId: number,
  filePath: string,
  shape: CsvShape,
  startByte: number,
  check: (batch: { line: number; record: string[] }[]) => Promise<Problem[]>,
): Promise<{ rows: number; problems: number }> {
  let rows = 0;
  let problems = 0;
  let batch: { line: number; record: string[] }[] = [];
  const flush = async () => {
    const found = await check(batch);
    problems += found.length;
    if (found.length > 0) {
      await inTransaction(ctx, async (tx) => {
        await tx.insert(importProblems).values(found.map((problem) => ({ shop: ctx.shop, importId, ...problem })));
      });
    }
    batch = [];
  };
  try {
    for await (const { record, line } of readCsv(filePath, shape, { fromByte: startByte, fromLine: 2 })) {
      rows += 1;
      batch.push({ line, record });
      if (batch.length >= BATCH) await flush();
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError("invalid_input", `The file stops being a CSV: ${(error as Error).message}`, {
      fieldErrors: { file: [`The file stops being a CSV: ${(error as Error).message}`] },
    });
  }
  await flush();
  return { rows, problems };
}

async function createImport(
  ctx: ServiceContext,
  values: Omit<typeof imports.$inferInsert, "shop" | "status" | "summary" | "actor" | "actorName" | "createdAt">,
): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(imports)
      .values({
        ...values,
        shop: ctx.shop,
        status: "checked",
        summary: {},
        actor: ctx.actor,
        actorName: ctx.actorName ?? null,
        createdAt: ctx.now.toISOString(),
      })
      .returning({ id: imports.id });
    return row!.id;
  });
}

async function finishCheck(ctx: ServiceContext, importId: number, summary: Record<string, number>, subject: string) {
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .update(imports)
      .set({ summary })
      .where(and(eq(imports.shop, ctx.shop), eq(imports.id, importId)))
      .returning();
    await recordAudit({ ctx, tx, input: { action: "import.check", subject, after: summary } });
    return row!;
  });
}

/**
 * The dry run of a customer CSV already on disk (`filePath`, streamed there by the upload). Matches the header
 * (customerColumns), then checks every row: its cells, its email against the rows before it (a duplicate in the file
 * is refused, the first kept) and against the shop's customers (to update or to skip, as `existing` says). Answers the
 * import with its summary: rows, valid, problems, create, update, unchanged (updates whose fields already match
 * the file), skip, points (total to add), passwords (rows that had one), and per field the updates that change it
 * (`changed.lastName`). The first CHANGES_SAMPLE updates that change something are kept with their fields before and
 * after (listImportChanges), so memory holds one batch whatever the file's size. Throws DomainError("invalid_input") with `fieldErrors.file` for a file without an email column, an empty
 * or unreadable one.
 */
export async function checkCustomerImport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    fileName: string;
    filePath: string;
    existing: ExistingCustomerChoice;
    invite: boolean;
    /** The shop's country calling code ("1", "44"), completing national phone numbers. */
    countryCallingCode: string;
  };
}): Promise<ImportView> {
  const { shape, headers, startByte } = await headerOf(input.filePath);
  const mapping = mapColumns(headers, customerColumns);
  refuseMissing(mapping, Object.fromEntries(customerColumns.map((c) => [c.field, c.label])));
  const importId = await createImport(ctx, {
    kind: "customers",
    source: null,
    fileName: input.fileName,
    filePath: input.filePath,
    delimiter: shape.delimiter,
    headers,
    columns: mapping.columns as Record<string, number>,
    options: { existing: input.existing, invite: input.invite, countryCallingCode: input.countryCallingCode },
  });
  const seen = new Set<string>();
  const counts = { valid: 0, create: 0, update: 0, unchanged: 0, skip: 0, points: 0, passwords: 0 };
  // Per field, the updates that change it ("changed.lastName"): the preview's "Last name on 12".
  const changedFields: Record<string, number> = {};
  let sampled = 0;
  const { rows, problems } = await checkInBatches(ctx, importId, input.filePath, shape, startByte, async (batch) => {
    const found: Problem[] = [];
    const valid = [];
    for (const { line, record } of batch) {
      const checked = checkCustomerRow(record, mapping.columns, input.countryCallingCode);
      if (!checked.ok) {
        found.push({ line, cells: record, message: checked.errors.join("; ") });
      } else if (seen.has(checked.customer.email)) {
        found.push({ line, cells: record, message: `${checked.customer.email} is already on an earlier row` });
      } else {
        seen.add(checked.customer.email);
        valid.push({ line, customer: checked.customer });
      }
    }
    const known = await knownCustomersByEmail(
      ctx.db,
      ctx.shop,
      valid.map(({ customer }) => customer.email),
    );
    const sample: (typeof importChanges.$inferInsert)[] = [];
    for (const { line, customer } of valid) {
      counts.valid += 1;
      if (customer.hadPassword) counts.passwords += 1;
      const existing = known.get(customer.email);
      if (!existing) counts.create += 1;
      else if (input.existing === "skip") {
        counts.skip += 1;
        continue;
      } else {
        counts.update += 1;
        const changes = customerChanges(existing.fields, customer);
        if (!changesSomething(changes)) counts.unchanged += 1;
        else {
          for (const field of Object.keys(changes.after))
            changedFields[`changed.${field}`] = (changedFields[`changed.${field}`] ?? 0) + 1;
          if (sampled < CHANGES_SAMPLE) {
            sampled += 1;
            sample.push({ shop: ctx.shop, importId, line, email: customer.email, customerId: existing.id, ...changes });
          }
        }
      }
      counts.points += customer.points ?? 0;
    }
    if (sample.length > 0)
      await inTransaction(ctx, async (tx) => {
        await tx.insert(importChanges).values(sample);
      });
    return found;
  });
  return finishCheck(ctx, importId, { rows, problems, ...counts, ...changedFields }, `Customer file ${input.fileName}`);
}

/**
 * The dry run of a points export from another loyalty app (`source`), already on disk. Matches the header to the
 * source's documented columns, then checks every row: a valid email, a whole balance, the email not on an earlier
 * row, and a customer with that email in the shop ("not found in Shopify" otherwise, a problem row too). Answers the
 * import with its summary: rows, customers (who get points), points (their total), zero (rows with no points to
 * move), notFound, problems, pending (pending points left behind). Throws DomainError("invalid_input") as
 * checkCustomerImport does.
 */
export async function checkPointsImport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { fileName: string; filePath: string; source: PointsSource };
}): Promise<ImportView> {
  const { shape, headers, startByte } = await headerOf(input.filePath);
  const mapping = mapPointsColumns(input.source, headers);
  refuseMissing(mapping, { email: "Email", points: "Points" });
  const importId = await createImport(ctx, {
    kind: "points",
    source: input.source,
    fileName: input.fileName,
    filePath: input.filePath,
    delimiter: shape.delimiter,
    headers,
    columns: mapping.columns as Record<string, number>,
    options: {},
  });
  const seen = new Set<string>();
  const counts = { customers: 0, points: 0, zero: 0, notFound: 0, pending: 0 };
  const { rows, problems } = await checkInBatches(ctx, importId, input.filePath, shape, startByte, async (batch) => {
    const found: Problem[] = [];
    const valid: { line: number; record: string[]; email: string; points: number; pending: number }[] = [];
    for (const { line, record } of batch) {
      const checked = checkPointsRow(record, mapping.columns);
      if (!checked.ok) found.push({ line, cells: record, message: checked.errors.join("; ") });
      else if (seen.has(checked.email))
        found.push({ line, cells: record, message: `${checked.email} is already on an earlier row` });
      else {
        seen.add(checked.email);
        valid.push({ line, record, ...checked });
      }
    }
    const known = await customersByEmail(
      ctx.db,
      ctx.shop,
      valid.map((row) => row.email),
    );
    for (const row of valid) {
      if (!known.has(row.email)) {
        counts.notFound += 1;
        found.push({
          line: row.line,
          cells: row.record,
          message: `No customer with the email ${row.email} in Shopify`,
        });
        continue;
      }
      counts.pending += row.pending;
      if (row.points === 0) counts.zero += 1;
      else {
        counts.customers += 1;
        counts.points += row.points;
      }
    }
    return found;
  });
  return finishCheck(
    ctx,
    importId,
    { rows, problems, ...counts },
    `Points from ${pointsSourceNames[input.source]} (${input.fileName})`,
  );
}

/** The sample of updates an import's dry run kept, in file order: each row's customer and fields before and after. */
export async function listImportChanges({ ctx, input }: { ctx: ServiceContext; input: { importId: number } }) {
  return ctx.db
    .select({
      line: importChanges.line,
      email: importChanges.email,
      customerId: importChanges.customerId,
      before: importChanges.before,
      after: importChanges.after,
    })
    .from(importChanges)
    .where(and(eq(importChanges.shop, ctx.shop), eq(importChanges.importId, input.importId)))
    .orderBy(asc(importChanges.line))
    .limit(CHANGES_SAMPLE);
}
