import { and, asc, count, eq, inArray, isNull } from "drizzle-orm";
import { checkImportKind } from "~/domain/background-jobs";
import {
  changesSomething,
  checkCustomerRow,
  checkPointsRow,
  checkRowWidth,
  customerChanges,
  customerColumns,
  importFiguresInWords,
  importedPointsToAdd,
  phoneCountryOf,
  type CustomerImportOptions,
  mapColumns,
  mapPointsColumns,
  missingColumnsWords,
  pointsSourceHeadings,
  pointsSourceNames,
  pointsSourceSchema,
  type ColumnMapping,
  type ExistingCustomerChoice,
  type KnownCustomerFields,
  type PointsSource,
} from "~/domain/imports";
import { DomainError } from "~/domain/shared";
import { customers, importChanges, importCreates, importEmails, importProblems, imports } from "~/db/schema";
import { countLines, hasUnreadableText, isBinaryFile, readCsv, toUtf8, type CsvShape } from "~/lib/csv-read.server";
import { recordAudit } from "../audit/record-audit.server";
import { submitTask } from "../background-jobs/submit-task.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { getShopCountry } from "../shops/get-shop.server";
import { moveImport } from "./move-import.server";

/*
 * The dry run (issue 12, decision 048): the upload reads only the file's header (refusing an empty, binary or
 * header-only file, or one without the columns it needs, at once) and records the import as "checking"; the "Check a
 * file to import" task then reads the file a chunk of rows at a time, checking every row as the import will check it,
 * and keeps the outcome: figures for the preview, the first new customers and the first updates' changes, and the
 * refused rows with their reasons for the "bad rows" download. Each chunk's outcome commits with the task's
 * checkpoint, and the emails met so far are rows (import_emails), so a check killed mid-file resumes where it stopped
 * and finds the same duplicates. Nothing reaches Shopify or the ledger. The import that follows re-reads the same
 * file and skips exactly the rows refused here, so what the preview promised is what is applied.
 */

/** Rows per chunk of the check: their emails looked up together, their outcome committed together. */
export const CHECK_CHUNK = 500;

/** Rows of updates whose changes the preview lists; the summary counts them all (import_changes keeps only these). */
export const CHANGES_SAMPLE = 50;

/**
 * Rows of new customers the preview names (who the import will write into Shopify); the summary's "create" counts
 * them all (import_creates keeps only these).
 */
export const CREATES_SAMPLE = 20;

export type ImportView = typeof imports.$inferSelect;

interface Problem {
  line: number;
  cells: string[];
  message: string;
}

/**
 * A row whose letters were lost before the file reached Tally (`hasUnreadableText`: U+FFFD in a cell, a sheet once
 * opened in the wrong encoding and saved): what to do about it. Encodings themselves are read line by line (`toUtf8`).
 */
const unreadableTextWords =
  "Some letters in this row were lost before the file was uploaded (they show as �): type them again in the file and upload it again";

const refuse = (message: string) => new DomainError("invalid_input", message, { fieldErrors: { file: [message] } });

/**
 * The header of the file and its shape; throws DomainError("invalid_input") on an empty, binary or unreadable file,
 * or one with a header and no row under it.
 */
async function headerOf(filePath: string): Promise<{ shape: CsvShape; headers: string[] }> {
  if (await isBinaryFile(filePath)) {
    throw refuse("This is not a CSV file: save or export it as CSV (comma-separated values) and upload that");
  }
  const shape = await toUtf8(filePath);
  let headers: string[] | undefined;
  try {
    for await (const { record } of readCsv(filePath, shape)) {
      if (headers) return { shape, headers };
      headers = record.map((cell) => cell.trim());
    }
  } catch (error) {
    throw refuse(`The file is not a CSV Tally can read: ${(error as Error).message}`);
  }
  if (!headers) throw refuse("This file is empty");
  throw refuse(
    "No customers in this file: it has a header row and nothing under it. Add a row per customer and upload it again",
  );
}

/** Refuses a file whose header lacks a required column, naming what it needs and what it has. */
function refuseMissing(mapping: ColumnMapping, headings: Record<string, string>, source?: string) {
  if (mapping.missing.length === 0) return;
  throw refuse(
    missingColumnsWords(
      mapping.missing.map((field) => headings[field] ?? field),
      mapping.headers.map((column) => column.header),
      source,
    ),
  );
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

/** A customer a file's row names, as Tally holds them: the fields an import can change, and the points balance. */
export interface KnownCustomer {
  id: number;
  customerGid: string;
  /** Points available now: what the row's Points column is a balance against (`importedPointsToAdd`). */
  balance: number;
  fields: KnownCustomerFields;
}

/**
 * The shop's customers with these emails (lower case), as customersByEmail finds them, with the fields an import can
 * change as Tally holds them and their balance: what a row of the file is compared with.
 */
export async function knownCustomersByEmail(
  db: ServiceContext["db"] | Tx,
  shop: string,
  emails: readonly string[],
): Promise<Map<string, KnownCustomer>> {
  const found = new Map<string, KnownCustomer>();
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
      city: customers.city,
      countryCode: customers.countryCode,
      balance: customers.pointsBalance,
    })
    .from(customers)
    .where(and(eq(customers.shop, shop), inArray(customers.searchEmail, [...emails]), isNull(customers.deletedAt)));
  for (const { id, customerGid, email, balance, ...fields } of rows) {
    const kept = email ? found.get(email) : undefined;
    if (email && (!kept || kept.id < id)) found.set(email, { id, customerGid, balance, fields });
  }
  return found;
}

/** What a check starts from before its first row: every figure the preview shows, at zero. */
const startingSummary = {
  customers: { rows: 0, problems: 0, valid: 0, create: 0, update: 0, unchanged: 0, skip: 0, points: 0, passwords: 0 },
  points: { rows: 0, problems: 0, customers: 0, points: 0, zero: 0, notFound: 0, pending: 0 },
} as const;

/** Records the import as "checking" and queues its check, tied to it. Answers the row. */
async function startCheck(
  ctx: ServiceContext,
  values: Omit<
    typeof imports.$inferInsert,
    "shop" | "status" | "summary" | "actor" | "actorName" | "createdAt" | "taskId"
  > & { kind: "customers" | "points" },
): Promise<ImportView> {
  const created = await inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(imports)
      .values({
        ...values,
        shop: ctx.shop,
        status: "checking",
        summary: { ...startingSummary[values.kind] },
        actor: ctx.actor,
        actorName: ctx.actorName ?? null,
        createdAt: ctx.now.toISOString(),
      })
      .returning();
    return row!;
  });
  const { task } = await submitTask({
    ctx,
    input: {
      kind: checkImportKind.kind,
      input: { importId: created.id },
      idempotencyKey: `import-check:${created.id}`,
    },
  });
  await inTransaction(ctx, (tx) =>
    tx
      .update(imports)
      .set({ taskId: task.id })
      .where(and(eq(imports.shop, ctx.shop), eq(imports.id, created.id))),
  );
  return { ...created, taskId: task.id };
}

/**
 * Takes in a customer CSV already on disk (`filePath`, streamed there by the upload) and queues its dry run: matches
 * the header (customerColumns) and answers the import, status "checking", its check task in `taskId`. The task
 * (readCheckChunk) checks every row: its cells, its email against the rows before it (a duplicate in the file is
 * refused, the first kept) and against the shop's customers (to update or to skip, as `existing` says). Throws
 * DomainError("invalid_input") with `fieldErrors.file` for a file without an email column, an empty, binary,
 * header-only or unreadable one.
 */
export async function startCustomerImportCheck({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    fileName: string;
    filePath: string;
    existing: ExistingCustomerChoice;
    invite: boolean;
  };
}): Promise<ImportView> {
  const { shape, headers } = await headerOf(input.filePath);
  const mapping = mapColumns(headers, customerColumns);
  refuseMissing(mapping, Object.fromEntries(customerColumns.map((c) => [c.field, c.label])));
  return startCheck(ctx, {
    kind: "customers",
    source: null,
    fileName: input.fileName,
    filePath: input.filePath,
    delimiter: shape.delimiter,
    headers,
    columns: mapping.columns as Record<string, number>,
    // The file's national phone numbers are read in the shop's country, as Shopify admin reads them (decision 053).
    options: {
      existing: input.existing,
      invite: input.invite,
      country: await getShopCountry({ ctx }),
    } satisfies CustomerImportOptions,
  });
}

/**
 * Takes in a points export from another loyalty app (`source`), already on disk, and queues its dry run: matches the
 * header to the source's documented columns and answers the import, status "checking". The task checks every row: a
 * valid email, a whole balance, the email not on an earlier row, and a customer with that email in the shop ("not
 * found in Shopify" otherwise, a problem row too). Throws DomainError("invalid_input") as startCustomerImportCheck.
 */
export async function startPointsImportCheck({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { fileName: string; filePath: string; source: PointsSource };
}): Promise<ImportView> {
  const { shape, headers } = await headerOf(input.filePath);
  const mapping = mapPointsColumns(input.source, headers);
  // A preset names its app's own headings ("approved points"); a plain file is asked for Email and Points.
  refuseMissing(
    mapping,
    pointsSourceHeadings[input.source],
    input.source === "generic" ? undefined : pointsSourceNames[input.source],
  );
  return startCheck(ctx, {
    kind: "points",
    source: input.source,
    fileName: input.fileName,
    filePath: input.filePath,
    delimiter: shape.delimiter,
    headers,
    columns: mapping.columns as Record<string, number>,
    options: {},
  });
}

/**
 * About how many rows the import's file holds: its lines after the header, counted by bytes without parsing (a quoted
 * cell with a line break counts twice). The check's progress shows it until the check has counted them exactly.
 */
export async function estimateImportRows({ ctx, input }: { ctx: ServiceContext; input: { importId: number } }) {
  const [row] = await ctx.db
    .select({ filePath: imports.filePath })
    .from(imports)
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)));
  if (!row) return null;
  return Math.max(0, (await countLines(row.filePath)) - 1);
}

/** One chunk of a check's outcome, read outside any transaction and committed by recordCheckChunk. */
export interface CheckChunk {
  /** Rows read in this chunk; 0 once the file is read to its end. */
  rows: number;
  /** Where the next chunk starts. */
  next: { fromByte: number; fromLine: number };
  problems: Problem[];
  /** What this chunk adds to the import's summary. */
  counts: Record<string, number>;
  changes: (typeof importChanges.$inferInsert)[];
  /** New customers for the preview's sample, in file order, while the sample is not full. */
  creates: (typeof importCreates.$inferInsert)[];
  /** The valid rows' emails (lower case), first met in this chunk, with the line each was met on. */
  emails: Array<{ email: string; line: number }>;
}

/**
 * Which of these emails an earlier chunk of the import's check already met, with the line it was met on (null: met
 * by a check begun before lines were kept).
 */
async function emailsMet(
  ctx: ServiceContext,
  importId: number,
  emails: readonly string[],
): Promise<Map<string, number | null>> {
  if (emails.length === 0) return new Map();
  const rows = await ctx.db
    .select({ email: importEmails.email, line: importEmails.line })
    .from(importEmails)
    .where(
      and(
        eq(importEmails.shop, ctx.shop),
        eq(importEmails.importId, importId),
        inArray(importEmails.email, [...emails]),
      ),
    );
  return new Map(rows.map((row) => [row.email, row.line]));
}

/**
 * Reads and checks the next CHECK_CHUNK rows of a "checking" import's file from `fromByte` (0: the start, the header
 * skipped; else the `next` an earlier chunk answered), without writing: the chunk's problems, figures, changes and
 * new emails, for recordCheckChunk to commit with the task's checkpoint. A row whose email an earlier row had (in this
 * chunk or a committed one) is a duplicate, so a chunk read again after a restart finds what it found the first time.
 * Throws DomainError("invalid_input") where the file stops being a CSV (an unclosed quote), naming the line.
 */
export async function readCheckChunk({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { importId: number; fromByte: number; fromLine: number };
}): Promise<CheckChunk> {
  const [row] = await ctx.db
    .select()
    .from(imports)
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)));
  if (!row) throw new DomainError("not_found", "No such import", { importId: input.importId });
  const chunk: CheckChunk = { rows: 0, next: input, problems: [], counts: {}, changes: [], creates: [], emails: [] };
  if (row.status !== "checking") return chunk;
  const shape = { delimiter: row.delimiter as CsvShape["delimiter"], encoding: "utf8" as const, bomBytes: 0 };
  const records: { record: string[]; line: number; firstLine: number; endByte: number }[] = [];
  try {
    let header = input.fromByte === 0;
    for await (const record of readCsv(row.filePath, shape, input)) {
      // Read from the start, the first record is the header (headerOf read it so), whatever line it begins on.
      if (header) {
        header = false;
        continue;
      }
      records.push(record);
      if (records.length >= CHECK_CHUNK) break;
    }
  } catch (error) {
    throw refuse(`The file stops being a CSV: ${(error as Error).message}`);
  }
  const last = records[records.length - 1];
  if (!last) return chunk;
  chunk.rows = records.length;
  chunk.next = { fromByte: last.endByte, fromLine: last.line + 1 };
  const add = (key: string, by = 1) => (chunk.counts[key] = (chunk.counts[key] ?? 0) + by);
  add("rows", records.length);

  // Cells first, then each valid email against the rows before it: this chunk's, then the committed chunks'.
  const candidates: { line: number; record: string[]; email: string; checked: unknown }[] = [];
  const inChunk = new Map<string, number>();
  // The earlier line is named, so staff can compare the two rows and keep the right one.
  const duplicate = (email: string, line: number | null | undefined) =>
    line ? `Same email as line ${line} (${email})` : `${email} is already on an earlier row`;
  // A row is named by the line it begins on, as the merchant's editor shows it (a cell may hold line breaks).
  for (const { firstLine: line, record } of records) {
    // A value with the delimiter in it and no quotes shifts the rest of the row: refused whole, said so (found by a
    // newcomer: "Silva, Jr" read "Jr" as the email and blamed the email).
    const shifted = checkRowWidth(record, row.headers.length, row.delimiter);
    if (shifted) {
      chunk.problems.push({ line, cells: record, message: shifted });
      continue;
    }
    if (hasUnreadableText(record)) {
      chunk.problems.push({ line, cells: record, message: unreadableTextWords });
      continue;
    }
    const checked =
      row.kind === "customers"
        ? checkCustomerRow(record, row.columns, phoneCountryOf(row.options), row.delimiter)
        : checkPointsRow(record, row.columns, row.delimiter);
    if (!checked.ok) chunk.problems.push({ line, cells: record, message: checked.errors.join("; ") });
    else {
      const email = "customer" in checked ? checked.customer.email : checked.email;
      if (inChunk.has(email))
        chunk.problems.push({ line, cells: record, message: duplicate(email, inChunk.get(email)) });
      else {
        inChunk.set(email, line);
        candidates.push({ line, record, email, checked });
      }
    }
  }
  const earlier = await emailsMet(ctx, row.id, [...inChunk.keys()]);
  const valid = candidates.filter((candidate) => {
    if (!earlier.has(candidate.email)) return true;
    chunk.problems.push({
      line: candidate.line,
      cells: candidate.record,
      message: duplicate(candidate.email, earlier.get(candidate.email)),
    });
    return false;
  });
  chunk.emails = valid.map(({ email, line }) => ({ email, line }));

  if (row.kind === "customers") {
    const existingChoice = row.options.existing as ExistingCustomerChoice;
    const known = await knownCustomersByEmail(
      ctx.db,
      ctx.shop,
      chunk.emails.map(({ email }) => email),
    );
    const [sampledRow] = await ctx.db
      .select({ n: count() })
      .from(importChanges)
      .where(and(eq(importChanges.shop, ctx.shop), eq(importChanges.importId, row.id)));
    let sampled = sampledRow?.n ?? 0;
    // Counted from the committed chunks, so a chunk read again after a restart samples what it sampled before.
    const [createdRow] = await ctx.db
      .select({ n: count() })
      .from(importCreates)
      .where(and(eq(importCreates.shop, ctx.shop), eq(importCreates.importId, row.id)));
    let created = createdRow?.n ?? 0;
    for (const { line, checked } of valid) {
      const { customer } = checked as Extract<ReturnType<typeof checkCustomerRow>, { ok: true }>;
      add("valid");
      if (customer.hadPassword) add("passwords");
      const existing = known.get(customer.email);
      if (!existing) {
        add("create");
        if (created < CREATES_SAMPLE) {
          created += 1;
          chunk.creates.push({
            shop: ctx.shop,
            importId: row.id,
            line,
            email: customer.email,
            firstName: customer.firstName ?? null,
            lastName: customer.lastName ?? null,
            points: customer.points ?? null,
          });
        }
      } else if (existingChoice === "skip") {
        add("skip");
        continue;
      } else {
        add("update");
        const changes = customerChanges(existing.fields, customer);
        if (!changesSomething(changes)) add("unchanged");
        else {
          // Per field, the updates that change it ("changed.lastName"): the preview's "Last name on 12".
          for (const field of Object.keys(changes.after)) add(`changed.${field}`);
          if (sampled < CHANGES_SAMPLE) {
            sampled += 1;
            chunk.changes.push({
              shop: ctx.shop,
              importId: row.id,
              line,
              email: customer.email,
              customerId: existing.id,
              ...changes,
            });
          }
        }
      }
      add("points", importedPointsToAdd(customer.points ?? 0, existing?.balance ?? 0));
    }
  } else {
    const known = await customersByEmail(
      ctx.db,
      ctx.shop,
      chunk.emails.map(({ email }) => email),
    );
    for (const { line, record, email, checked } of valid) {
      const { points, pending } = checked as Extract<ReturnType<typeof checkPointsRow>, { ok: true }>;
      if (!known.has(email)) {
        add("notFound");
        chunk.problems.push({ line, cells: record, message: `No customer with the email ${email} in Shopify` });
        continue;
      }
      add("pending", pending);
      if (points === 0) add("zero");
      else {
        add("customers");
        add("points", points);
      }
    }
  }
  add("problems", chunk.problems.length);
  chunk.problems.sort((a, b) => a.line - b.line);
  return chunk;
}

/**
 * Commits one chunk of a check (inside the task chunk's transaction): its problems, its changes and new customers, the
 * emails it met,
 * and its figures added to the import's summary. Only while the import is "checking".
 */
export async function recordCheckChunk({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { importId: number; chunk: CheckChunk };
}) {
  const { chunk } = input;
  const [row] = await tx
    .select({ status: imports.status, summary: imports.summary })
    .from(imports)
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)));
  if (!row || row.status !== "checking" || chunk.rows === 0) return;
  if (chunk.problems.length > 0)
    await tx
      .insert(importProblems)
      .values(chunk.problems.map((problem) => ({ shop: ctx.shop, importId: input.importId, ...problem })));
  if (chunk.changes.length > 0) await tx.insert(importChanges).values(chunk.changes);
  if (chunk.creates.length > 0) await tx.insert(importCreates).values(chunk.creates);
  if (chunk.emails.length > 0)
    await tx
      .insert(importEmails)
      .values(chunk.emails.map(({ email, line }) => ({ shop: ctx.shop, importId: input.importId, email, line })));
  const summary = { ...row.summary };
  for (const [key, value] of Object.entries(chunk.counts)) summary[key] = (summary[key] ?? 0) + value;
  await tx
    .update(imports)
    .set({ summary })
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)));
}

/**
 * The check read the whole file (inside the task's last transaction): the import turns "checked", its emails are
 * let go, and the `import.check` audit line records its figures. Answers the rows read, or null when the import was
 * not being checked.
 */
export async function finishImportCheck({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { importId: number };
}): Promise<number | null> {
  const row = await moveImport({ ctx, tx, input: { importId: input.importId, from: "checking", to: "checked" } });
  if (!row) return null;
  await tx.delete(importEmails).where(and(eq(importEmails.shop, ctx.shop), eq(importEmails.importId, row.id)));
  const source = pointsSourceSchema.safeParse(row.source);
  const subject =
    row.kind === "points" && source.success
      ? `Points from ${pointsSourceNames[source.data]} (${row.fileName})`
      : `Customer file ${row.fileName}`;
  await recordAudit({
    ctx,
    tx,
    input: { action: "import.check", subject, after: importFiguresInWords(row.kind, row.summary) },
  });
  return row.summary.rows ?? 0;
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

/**
 * The sample of new customers an import's dry run kept (up to CREATES_SAMPLE), in file order: each row's line, email
 * (lower case), first and last name as the row gives them (null when it gives none) and its Points cell (null without
 * one). The summary's "create" says how many there are in all.
 */
export async function listImportCreates({ ctx, input }: { ctx: ServiceContext; input: { importId: number } }) {
  return ctx.db
    .select({
      line: importCreates.line,
      email: importCreates.email,
      firstName: importCreates.firstName,
      lastName: importCreates.lastName,
      points: importCreates.points,
    })
    .from(importCreates)
    .where(and(eq(importCreates.shop, ctx.shop), eq(importCreates.importId, input.importId)))
    .orderBy(asc(importCreates.line))
    .limit(CREATES_SAMPLE);
}
