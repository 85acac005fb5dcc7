import { stat } from "node:fs/promises";
import { z } from "zod";
import {
  ALREADY_MATCHES,
  alreadyMatches,
  changesAddress,
  checkCustomerRow,
  importedPointsToAdd,
  phoneCountryOf,
  type CustomerImportOptions,
  type ImportedAddress,
  type ImportedCustomer,
  type KnownCustomerFields,
} from "~/domain/imports";
import { pointsInWords, type PointsNaming } from "~/domain/program";
import { DomainError } from "~/domain/shared";
import { BulkStepFiles, emptyStepSizes, type StepSizes } from "~/lib/bulk-step-files.server";
import { readCsv } from "~/lib/csv-read.server";
import {
  finishImport,
  getImport,
  importOrigin,
  markImporting,
  recordImportedAddresses,
  recordImportedCustomers,
  recordMovedPoints,
  refusedLines,
  type ImportedShopifyCustomer,
} from "~/services/imports/apply-import.server";
import { countTaskItems } from "~/services/background-jobs/get-task.server";
import type { Tx } from "~/services/context";
import { getProgram } from "~/services/program/get-program.server";
import { knownCustomersByEmail } from "~/services/imports/check-import.server";
import {
  bulkMutationStatus,
  downloadBulkResult,
  findBulkMutationAfter,
  newestBulkMutation,
  runBulkMutation,
  stageBulkVariables,
} from "~/shopify/admin/bulk-mutation.server";
import {
  accountInviteVariables,
  bulkImportMutations,
  customerSetVariables,
  defaultAddressVariables,
  emailConsentVariables,
  readBulkImportLine,
} from "~/shopify/admin/customer-import.server";
import type { ReportedItem } from "~/services/background-jobs/run-task.server";
import type { TaskChunkArgs, TaskReporter, TaskStep } from "../task-kind";

/*
 * The bulk path of "Import customers" (decision 033), for files with more than BULK_FROM_ROWS rows to send: instead of
 * one throttled customerSet per row (about 10 a second), the rows become one JSONL of customerSet variables that
 * Shopify runs as a bulk mutation, unthrottled. Phases, each committed with its checkpoint so a restart goes on from it:
 *   stage    read the CSV a chunk at a time (skipping the rows the dry run refused, reporting the rows left as they
 *            are or already matching), appending each other row's variables and its file row to disk;
 *   run      stage the JSONL with Shopify (stagedUploadsCreate) and start bulkOperationRunMutation; the operation id is
 *            the checkpoint;
 *   poll     ask Shopify how far the operation is (its objectCount, the phase's own figure) until it ends;
 *   results  download the result JSONL once and put it in the file's row order, then read it a chunk at a time: each
 *            line's `__lineNumber` finds its row, created or updated customers are recorded with their points, refused
 *            rows reported with Shopify's reasons. The progress bar counts these rows (and those stage left as they
 *            are) as they commit: what Tally has applied, never what Shopify has run.
 * Email marketing consent and account invitations (which customerSet cannot carry) follow as two more bulk mutations
 * built from the results, with the same phases. customerSet keyed by email is an upsert, so an operation started again
 * after a crash that lost its id updates the customers the first one made: nobody is created twice.
 */

/**
 * What an imported customer's result says of the invitation: Shopify emails it, from the shop's own notification
 * settings, so it reaches neither Tally's outbox nor the demo's SMTP sink.
 */
export const SHOPIFY_INVITES = "Shopify emails them its account invitation";

/** From this many rows to create or update, an import runs as a bulk mutation. */
export const BULK_FROM_ROWS = 1000;
/** CSV rows staged per chunk; result lines read per chunk. */
const STAGE_ROWS = 2000;
const RESULT_LINES = 250;
const POLL_MS = 1000;

const steps = ["customerSet", "defaultAddress", "emailConsent", "accountInvite"] as const;
type Step = (typeof steps)[number];

const sizesSchema = z.object({
  lines: z.number().int().nonnegative(),
  varsBytes: z.number().int().nonnegative(),
  rowsBytes: z.number().int().nonnegative(),
});

export const bulkCheckpointSchema = z.discriminatedUnion("phase", [
  z.object({
    mode: z.literal("bulk"),
    phase: z.literal("stage"),
    fromByte: z.number().int().nonnegative(),
    fromLine: z.number().int().positive(),
    sizes: sizesSchema,
  }),
  z.object({
    mode: z.literal("bulk"),
    phase: z.literal("run"),
    step: z.enum(steps),
    /**
     * Recorded before the operation is asked for: the shop's newest bulk mutation then (null: none). A run that died
     * before recording its operation's id takes up the one started after it.
     */
    after: z.string().nullable().optional(),
  }),
  z.object({
    mode: z.literal("bulk"),
    phase: z.literal("poll"),
    step: z.enum(steps),
    operationId: z.string(),
    seen: z.number().int().nonnegative(),
  }),
  z.object({
    mode: z.literal("bulk"),
    phase: z.literal("results"),
    step: z.enum(steps),
    operationId: z.string(),
    downloaded: z.boolean(),
    fromByte: z.number().int().nonnegative(),
    /** When Tally began reading Shopify's results (ISO 8601): the bar's pace is timed from here, not from the start. */
    since: z.string().optional(),
    /** What the follow-up steps' files hold so far (written while reading customerSet's results). */
    consent: sizesSchema,
    invite: sizesSchema,
    /** Absent in a checkpoint written before addresses were imported: nothing staged. */
    address: sizesSchema.optional(),
  }),
]);
export type BulkCheckpoint = z.infer<typeof bulkCheckpointSchema>;

export const initialBulkCheckpoint: BulkCheckpoint = {
  mode: "bulk",
  phase: "stage",
  fromByte: 0,
  fromLine: 1,
  sizes: emptyStepSizes,
};

/** What Tally keeps of each staged line: the file's row, the email, its points, and what follows the upsert. */
interface StagedRow {
  line: number;
  email: string;
  /** The file's Points: the balance to bring the customer up to. */
  points: number;
  /** What that adds to the balance Tally held when the row was staged (`importedPointsToAdd`), for the result line. */
  adds?: number;
  known: boolean;
  consent?: boolean;
  taxExempt?: boolean;
  /** What Tally held of a known customer when the row was staged: what the audit line compares with. */
  before?: KnownCustomerFields;
  /** The row's address (what the audit line compares), and for a known customer it moves, the address to add. */
  address?: ImportedAddress;
  newAddress?: ReturnType<typeof defaultAddressVariables>["address"];
}
/** A follow-up line (address, consent or invitation): whose it is. */
interface FollowUpRow {
  line: number;
  email: string;
  /** The address step's lines: the customer, whose answered address Tally records. */
  customerGid?: string;
}

type Args = TaskChunkArgs<{ importId: number }, BulkCheckpoint>;

/** The directory of an import's bulk files, beside its upload (pruned with it). */
export const bulkDirOf = (filePath: string) => `${filePath}.bulk`;

export async function importCustomersBulkChunk(args: Args): Promise<TaskStep<BulkCheckpoint>> {
  const { checkpoint } = args;
  switch (checkpoint.phase) {
    case "stage":
      return stage(args, checkpoint);
    case "run":
      return run(args, checkpoint);
    case "poll":
      return poll(args, checkpoint);
    case "results":
      return results(args, checkpoint);
  }
}

async function stage(
  { ctx, task, input, report }: Args,
  checkpoint: Extract<BulkCheckpoint, { phase: "stage" }>,
): Promise<TaskStep<BulkCheckpoint>> {
  const row = await getImport({ ctx, input: { importId: input.importId } });
  const options = row.options as Omit<CustomerImportOptions, "country">;
  const files = new BulkStepFiles(bulkDirOf(row.filePath), "customerSet");
  await files.resumeAt(checkpoint.sizes);
  const shape = { delimiter: row.delimiter as "," | ";" | "\t", encoding: "utf8" as const, bomBytes: 0 };
  const records: { record: string[]; line: number; endByte: number }[] = [];
  for await (const record of readCsv(row.filePath, shape, checkpoint)) {
    if (checkpoint.fromByte === 0 && record.line === 1) continue;
    records.push(record);
    if (records.length >= STAGE_ROWS) break;
  }
  const last = records[records.length - 1];
  if (!last) return { next: { mode: "bulk", phase: "run", step: "customerSet" } };
  const refused = await refusedLines({
    ctx,
    input: { importId: row.id, fromLine: records[0]!.line, toLine: last.line },
  });
  const checked = records.flatMap(({ record, line }) => {
    if (refused.has(line)) return [];
    const result = checkCustomerRow(record, row.columns, phoneCountryOf(row.options), row.delimiter);
    return result.ok ? [{ line, customer: result.customer }] : [];
  });
  const done = await report.recorded(checked.map(({ customer }) => customer.email));
  const known = await knownCustomersByEmail(
    ctx.db,
    ctx.shop,
    checked.map(({ customer }) => customer.email),
  );
  const lines: { vars: unknown; row: StagedRow }[] = [];
  const matching: { customer: ImportedCustomer; customerId: number }[] = [];
  for (const { line, customer } of checked) {
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
    if (existing && alreadyMatches(existing.fields, customer)) {
      matching.push({ customer, customerId: existing.id });
      continue;
    }
    // A customer Shopify has whose row moves them gets the address as a new default one, in the step after.
    const newAddress = existing && customer.address && changesAddress(existing.fields, customer);
    lines.push({
      vars: customerSetVariables(customer, { known: Boolean(existing) }),
      row: {
        line,
        email: customer.email,
        points: customer.points ?? 0,
        adds: importedPointsToAdd(customer.points ?? 0, existing?.balance ?? 0),
        known: Boolean(existing),
        ...(customer.emailMarketing !== undefined ? { consent: customer.emailMarketing } : {}),
        ...(customer.taxExempt !== undefined ? { taxExempt: customer.taxExempt } : {}),
        ...(existing ? { before: existing.fields } : {}),
        ...(customer.address ? { address: customer.address } : {}),
        ...(newAddress ? { newAddress: defaultAddressVariables("", customer).address } : {}),
      },
    });
  }
  const sizes = await files.append(checkpoint.sizes, lines);
  const naming = (await getProgram({ ctx })).settings;
  report.write(async (tx) => {
    await markImporting({ ctx, tx, input: { importId: row.id, taskId: task.id } });
    await recordMatchingRows({ ctx, tx, report, row, taskId: task.id, rows: matching, naming });
  });
  return {
    next: { mode: "bulk", phase: "stage", fromByte: last.endByte, fromLine: last.line + 1, sizes },
  };
}

const nextStep = (step: Step): Step | null => steps[steps.indexOf(step) + 1] ?? null;

async function finishOrNext(args: Args, step: Step): Promise<TaskStep<BulkCheckpoint>> {
  const next = nextStep(step);
  if (next) return { next: { mode: "bulk", phase: "run", step: next } };
  return finishCustomerImport(args, args.input.importId);
}

type ChunkContext = Pick<TaskChunkArgs<unknown, unknown>, "ctx" | "task" | "report">;

/**
 * The last chunk of a customer import, either path: the import is done (its audit line), and the task's summary
 * counts the rows that already matched (`matching`), which its finished line names apart from other skips.
 */
export async function finishCustomerImport({ ctx, task, report }: ChunkContext, importId: number) {
  const matching = await countTaskItems({
    ctx,
    input: { taskId: task.id, outcome: "skipped", message: ALREADY_MATCHES },
  });
  report.write(async (tx) => {
    await markImporting({ ctx, tx, input: { importId, taskId: task.id } });
    await finishImport({ ctx, tx, input: { importId, taskId: task.id } });
  });
  return { done: true as const, summary: { matching } };
}

/**
 * Records the rows of a chunk that already match what Tally holds of their customer (inside the chunk's transaction):
 * sent to no one, each is listed as the preview said ("Already matches the file"), and a row with points brings the
 * balance up to them as any imported row's do (nothing when it holds them already).
 */
export async function recordMatchingRows({
  ctx,
  tx,
  report,
  row,
  taskId,
  rows,
  naming,
}: {
  ctx: ChunkContext["ctx"];
  tx: Tx;
  report: TaskReporter;
  row: Parameters<typeof importOrigin>[0] & { id: number };
  /** The import's job: each customer's `points.import` audit line names it. */
  taskId: number;
  rows: ReadonlyArray<{ customer: ImportedCustomer; customerId: number }>;
  /** The program's points names, for the result lines ("+250 stars ⭐"). */
  naming: PointsNaming;
}) {
  if (rows.length === 0) return;
  const moved = await recordMovedPoints({
    ctx,
    tx,
    input: {
      importId: row.id,
      fileName: row.fileName,
      taskId,
      from: importOrigin(row),
      rows: rows.flatMap(({ customer }) =>
        customer.points ? [{ email: customer.email, points: customer.points }] : [],
      ),
      // The file's Points are a balance: a customer already holding them gets none (Tally's own export imported back).
      topUp: true,
    },
  });
  for (const { customer, customerId } of rows) {
    const item = { key: customer.email, customerId, label: customer.email };
    const outcome = moved.get(customer.email);
    if (!customer.points) report.item({ ...item, outcome: "skipped", message: ALREADY_MATCHES });
    // The file's Points are a balance: one already held (or passed) adds nothing, and the line says so rather than
    // "+0"; a lower one takes nothing away (a recheck read "Already matches the file" for a lowered balance).
    else if (outcome?.added === 0)
      report.item({
        ...item,
        outcome: "skipped",
        message: `${ALREADY_MATCHES}; they hold at least the file's ${pointsInWords(naming, customer.points)}, and none are taken away`,
      });
    else if (outcome)
      report.item({
        ...item,
        outcome: "done",
        message: `Details already match the file; ${pointsInWords(naming, outcome.added, { signed: true })} to reach its ${customer.points.toLocaleString("en-US")}`,
      });
    else report.item({ ...item, outcome: "failed", message: "No longer in Tally: no points added" });
  }
}

async function run(
  args: Args,
  checkpoint: Extract<BulkCheckpoint, { phase: "run" }>,
): Promise<TaskStep<BulkCheckpoint>> {
  const { ctx, input, shopify } = args;
  const row = await getImport({ ctx, input: { importId: input.importId } });
  const files = new BulkStepFiles(bulkDirOf(row.filePath), checkpoint.step);
  const size = (await stat(files.vars).catch(() => null))?.size ?? 0;
  if (size === 0) return finishOrNext(args, checkpoint.step);
  const graphql = await shopify();
  const mutation = bulkImportMutations[checkpoint.step];
  // A run that died after Shopify started the operation and before its id was committed: take that operation up
  // rather than starting a second one (imports run one at a time per shop, so a bulk mutation of this document
  // started since is this step's).
  if (checkpoint.after === undefined) return { next: { ...checkpoint, after: await newestBulkMutation(graphql) } };
  const adopted = await findBulkMutationAfter(graphql, { mutation, after: checkpoint.after });
  if (adopted) return { next: { mode: "bulk", phase: "poll", step: checkpoint.step, operationId: adopted, seen: 0 } };
  const stagedUploadPath = await stageBulkVariables(graphql, files.vars);
  const operationId = await runBulkMutation(graphql, {
    mutation,
    stagedUploadPath,
    clientIdentifier: `tally-import-${row.id}-${checkpoint.step}`,
  });
  return { next: { mode: "bulk", phase: "poll", step: checkpoint.step, operationId, seen: 0 } };
}

async function poll(
  { ctx, shopify, report, signal }: Args,
  checkpoint: Extract<BulkCheckpoint, { phase: "poll" }>,
): Promise<TaskStep<BulkCheckpoint>> {
  const status = await bulkMutationStatus(await shopify(), checkpoint.operationId);
  // The bar counts rows Tally has applied, which happens once Shopify's results are read: the lines Shopify has run
  // (`seen`) are the phase's own figure beside it (describeImportPhase), not progress (newcomer round 19: the bar showed
  // 5,000 of 5,000 with 750 applied).
  report.progress({ advance: 0 });
  const seen = Math.max(checkpoint.seen, status.objectCount);
  if (!status.finished) {
    await sleep(POLL_MS, signal);
    return { next: { ...checkpoint, seen } };
  }
  if (status.status !== "COMPLETED")
    throw new DomainError(
      "shopify_refused",
      `Shopify's bulk import ended ${status.status.toLowerCase()} (${status.errorCode ?? "no reason given"}); start the import again: customers already made are updated, not created twice`,
    );
  return {
    next: {
      mode: "bulk",
      phase: "results",
      step: checkpoint.step,
      operationId: checkpoint.operationId,
      downloaded: false,
      fromByte: 0,
      since: ctx.now.toISOString(),
      consent: emptyStepSizes,
      invite: emptyStepSizes,
      address: emptyStepSizes,
    },
  };
}

async function results(
  args: Args,
  checkpoint: Extract<BulkCheckpoint, { phase: "results" }>,
): Promise<TaskStep<BulkCheckpoint>> {
  const { ctx, input, report, shopify } = args;
  const row = await getImport({ ctx, input: { importId: input.importId } });
  const naming = (await getProgram({ ctx })).settings;
  const options = row.options as { existing: "update" | "skip"; invite: boolean };
  const dir = bulkDirOf(row.filePath);
  const files = new BulkStepFiles(dir, checkpoint.step);
  if (!checkpoint.downloaded) {
    report.progress({ advance: 0 });
    // Asked again for the URL: Shopify's expires after seven days, and a resumed task may come back later than that.
    const status = await bulkMutationStatus(await shopify(), checkpoint.operationId);
    if (!status.url) return finishOrNext(args, checkpoint.step);
    await downloadBulkResult(status.url, files.result);
    // Shopify answers in no particular order; the results list follows the file's rows (newcomer round 19: "Big63,
    // Big62, …").
    await files.putResultInLineOrder();
    return { next: { ...checkpoint, downloaded: true, fromByte: 0 } };
  }
  const lines = await files.resultLines(checkpoint.fromByte, RESULT_LINES);
  const last = lines[lines.length - 1];
  if (!last) return finishOrNext(args, checkpoint.step);
  const answers = lines.map((line) => readBulkImportLine(checkpoint.step, line.text));
  const next = { ...checkpoint, fromByte: last.endByte };

  if (checkpoint.step !== "customerSet") {
    // The follow-ups' lines are not rows of the file: their failures are listed, the bar has counted their rows.
    report.progress({ advance: 0 });
    const rows = await files.rowsOf<FollowUpRow>(
      answers.filter((a) => !a.ok || checkpoint.step === "defaultAddress").map((a) => a.lineNumber),
    );
    const what = {
      defaultAddress: "Address not added as the default one",
      emailConsent: "Email marketing consent not set",
      accountInvite: "Shopify sent no account invitation",
    }[checkpoint.step];
    for (const answer of answers) {
      const staged = rows.get(answer.lineNumber);
      if (answer.ok || !staged) continue;
      report.item({
        key: `${checkpoint.step}:${staged.email}`,
        outcome: "failed",
        label: staged.email,
        message: `${what}: ${answer.reasons.join("; ")} (row ${staged.line})`,
      });
    }
    const addresses = answers.flatMap((answer) => {
      const customerGid = rows.get(answer.lineNumber)?.customerGid;
      return answer.ok && answer.address && customerGid ? [{ customerGid, address: answer.address }] : [];
    });
    if (addresses.length > 0) report.write((tx) => recordImportedAddresses({ ctx, tx, input: { addresses } }));
    return { next };
  }

  const rows = await files.rowsOf<StagedRow>(answers.map((a) => a.lineNumber));
  const consent = new BulkStepFiles(dir, "emailConsent");
  const invite = new BulkStepFiles(dir, "accountInvite");
  const address = new BulkStepFiles(dir, "defaultAddress");
  await consent.resumeAt(checkpoint.consent);
  await invite.resumeAt(checkpoint.invite);
  await address.resumeAt(checkpoint.address ?? emptyStepSizes);
  const imported: ImportedShopifyCustomer[] = [];
  const recorded: (ReportedItem & { customerGid: string })[] = [];
  const consentLines: { vars: unknown; row: FollowUpRow }[] = [];
  const inviteLines: { vars: unknown; row: FollowUpRow }[] = [];
  const addressLines: { vars: unknown; row: FollowUpRow }[] = [];
  for (const answer of answers) {
    const staged = rows.get(answer.lineNumber);
    if (!staged) throw new Error(`bulk result line ${answer.lineNumber} has no staged row`);
    if (!answer.ok || !answer.customer) {
      report.item({
        key: staged.email,
        outcome: "failed",
        label: staged.email,
        message: `${answer.ok ? "Shopify answered without the customer" : answer.reasons.join("; ")} (row ${staged.line})`,
      });
      continue;
    }
    const customer = answer.customer;
    imported.push({
      ...customer,
      points: staged.points,
      ...(staged.before ? { before: staged.before } : {}),
      ...(staged.taxExempt !== undefined ? { taxExempt: staged.taxExempt } : {}),
      ...(staged.consent !== undefined ? { emailMarketing: staged.consent } : {}),
      ...(staged.address ? { address: staged.address } : {}),
    });
    const who = { line: staged.line, email: staged.email };
    if (staged.newAddress)
      addressLines.push({
        vars: { customerId: customer.customerGid, address: staged.newAddress },
        row: { ...who, customerGid: customer.customerGid },
      });
    if (staged.consent !== undefined)
      consentLines.push({ vars: emailConsentVariables(customer.customerGid, staged.consent), row: who });
    const invited = !staged.known && options.invite;
    if (invited) inviteLines.push({ vars: accountInviteVariables(customer.customerGid), row: who });
    const adds = staged.adds ?? staged.points;
    const points = adds ? `, ${pointsInWords(naming, adds, { signed: true })}` : "";
    recorded.push({
      customerGid: customer.customerGid,
      key: staged.email,
      outcome: "done",
      label: staged.email,
      message: `${staged.known ? "Updated" : "Created"}${points}${invited ? `; ${SHOPIFY_INVITES}` : ""}`,
    });
  }
  next.consent = await consent.append(checkpoint.consent, consentLines);
  next.invite = await invite.append(checkpoint.invite, inviteLines);
  next.address = await address.append(checkpoint.address ?? emptyStepSizes, addressLines);
  // No progress call: the bar moves by the rows this chunk records (created, updated or refused), as they commit.
  report.write(async (tx) => {
    const ids = await recordImportedCustomers({
      ctx,
      tx,
      input: {
        importId: row.id,
        fileName: row.fileName,
        taskId: args.task.id,
        from: importOrigin(row),
        customers: imported,
      },
    });
    // Listed once recorded, so each line links to the customer's profile, a customer the import created included.
    for (const { customerGid, ...item } of recorded) report.item({ ...item, customerId: ids.get(customerGid) ?? null });
  });
  return { next };
}

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export type { StepSizes };
