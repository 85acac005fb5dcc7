import { and, asc, between, countDistinct, desc, eq, gt, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import { undoImportKind } from "~/domain/background-jobs";
import {
  backfillGivenFigures,
  changesSomething,
  customerChanges,
  importFiguresInWords,
  importedPointsToAdd,
  pointsSourceNames,
  pointsSourceSchema,
  type AnsweredAddress,
  type KnownCustomerFields,
} from "~/domain/imports";
import { importEntry, planBackfillUndo, undoImportEntry, type OrderPointsState } from "~/domain/ledger";
import { DomainError, shopifyCustomerStateSchema } from "~/domain/shared";
import { auditEvents, customers, importProblems, imports, ledgerEntries, orders, taskItems } from "~/db/schema";
import { customerSubject, recordAudit, recordAudits, type AuditInput } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { appendEntries, totalsOf } from "../ledger/append-entries.server";
import { syncCustomer } from "../customers/sync-customer.server";
import { recordAddressFingerprints } from "../referrals/apply-referral-order.server";
import { submitTask } from "../background-jobs/submit-task.server";
import { customersByEmail, type ImportView } from "./check-import.server";
import { moveImport } from "./move-import.server";
import { movePreviewShares } from "./backfill-orders.server";

/** The shop's import; throws DomainError("not_found") for another shop's or an unknown id. */
export async function getImport({ ctx, input }: { ctx: ServiceContext; input: { importId: number } }) {
  const [row] = await ctx.db
    .select()
    .from(imports)
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)));
  if (!row) throw new DomainError("not_found", "No such import", { importId: input.importId });
  return row;
}

/** An import as the audit trail names it: "customers.csv (import 12)". */
function importSubject(row: { fileName: string; id: number }): string {
  return `${row.fileName} (import ${row.id})`;
}

/**
 * Who undid an import and when, from its `import.undo` audit line (the import row keeps only the time): `by` is the
 * staff member's name as recorded (null: not known, or Tally itself), `at` ISO 8601. Null while it is not undone.
 * One read of the (shop, action, id) index, newest first, over the shop's undo lines.
 */
export async function importUndoneBy({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { importId: number; fileName: string };
}): Promise<{ by: string | null; at: string } | null> {
  const [line] = await ctx.db
    .select({ actorName: auditEvents.actorName, at: auditEvents.at })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.shop, ctx.shop),
        eq(auditEvents.action, "import.undo"),
        eq(auditEvents.subject, importSubject({ fileName: input.fileName, id: input.importId })),
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return line ? { by: line.actorName, at: line.at } : null;
}

/** What the activity log says an import's points came from: "moved from Smile", "imported from customers.csv". */
export function importOrigin(row: Pick<ImportView, "kind" | "source" | "fileName">): string {
  if (row.kind === "points") {
    const source = pointsSourceSchema.safeParse(row.source);
    return source.success && source.data !== "generic"
      ? `moved from ${pointsSourceNames[source.data]}`
      : `imported from ${row.fileName}`;
  }
  return `imported from ${row.fileName}`;
}

/** The lines the dry run refused between two lines of the file: the import skips exactly these. */
export async function refusedLines({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { importId: number; fromLine: number; toLine: number };
}): Promise<Set<number>> {
  const rows = await ctx.db
    .select({ line: importProblems.line })
    .from(importProblems)
    .where(
      and(
        eq(importProblems.shop, ctx.shop),
        eq(importProblems.importId, input.importId),
        between(importProblems.line, input.fromLine, input.toLine),
      ),
    );
  return new Set(rows.map((row) => row.line));
}

/** The refused rows of an import, in file order, a page at a time (keyset on the line): the "bad rows" download. */
export async function* listImportProblems({ ctx, input }: { ctx: ServiceContext; input: { importId: number } }) {
  let afterLine = 0;
  for (;;) {
    const page = await ctx.db
      .select()
      .from(importProblems)
      .where(
        and(
          eq(importProblems.shop, ctx.shop),
          eq(importProblems.importId, input.importId),
          gt(importProblems.line, afterLine),
        ),
      )
      .orderBy(asc(importProblems.line))
      .limit(500);
    if (page.length === 0) return;
    yield* page;
    afterLine = page[page.length - 1]!.line;
  }
}

/** The import's status moves to "importing" under its task, once; a second call for the same task changes nothing. */
export async function markImporting({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { importId: number; taskId: number };
}) {
  await tx
    .update(imports)
    .set({ status: "importing", taskId: input.taskId })
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId), eq(imports.status, "checked")));
}

/** A customer Shopify created or updated for a row of the import, as the upsert answered, with the row's points. */
export interface ImportedShopifyCustomer {
  customerGid: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  state: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  points: number;
  /** What Tally held of the customer when the import read the row; undefined for a customer the import created. */
  before?: KnownCustomerFields;
  /** The row's tax exemption and email marketing consent, which customerSet's answer does not carry. */
  taxExempt?: boolean;
  emailMarketing?: boolean;
  /** The customer's default address as Shopify answered it (`province` its name, `countryCode` alpha-2). */
  defaultAddress?: AnsweredAddress | null;
  /** The address the row gave (what its audit line compares), undefined when it gave none. */
  address?: { city?: string; countryCode: string };
}

/**
 * Records customers of a customer import in Tally (inside the task chunk's transaction): each as Shopify answered
 * (so the directory shows them before the customers/create webhook arrives; the webhook then changes nothing), and
 * the row's points as one `import` entry per customer, keyed by (import, customer) so a resumed chunk adds none twice.
 * Each customer's audit trail gets a `customer.import` line naming the import (`fileName`, `importId`) and the fields
 * it changed, compared with what Tally held when the import read the row (`before`); a created customer's line says
 * so, an update that changed nothing writes none; the points the row added are a `points.import` line of their own
 * (recordMovedPoints). The chunk's lines are written together (recordAudits). Returns each recorded customer's Tally id
 * by their Shopify gid, so the job's result lines link every customer, the ones the import created included.
 */
export async function recordImportedCustomers({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: {
    importId: number;
    fileName: string;
    taskId: number;
    from: string;
    customers: readonly ImportedShopifyCustomer[];
  };
}): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const audits: AuditInput[] = [];
  for (const customer of input.customers) {
    const { customerId } = await syncCustomer({
      ctx,
      tx,
      input: {
        customerGid: customer.customerGid,
        shopifyState: shopifyCustomerStateSchema.catch("DISABLED").parse(customer.state),
        updatedAt: customer.updatedAt,
        tags: customer.tags,
        email: customer.email,
        firstName: customer.firstName,
        lastName: customer.lastName,
        phone: customer.phone,
        // The default address as Shopify answered it: the directory's Location and country filter, as a sync reads it.
        city: customer.defaultAddress?.city ?? null,
        province: customer.defaultAddress?.province ?? null,
        countryCode: customer.defaultAddress?.countryCode ?? null,
        defaultAddress: customer.defaultAddress ?? null,
        createdAt: customer.createdAt,
        ...(customer.taxExempt !== undefined ? { taxExempt: customer.taxExempt } : {}),
      },
    });
    ids.set(customer.customerGid, customerId);
    const audit = importAudit(input, customerId, customer);
    if (audit) audits.push(audit);
    if (customer.points > 0)
      await addImportedPoints(
        ctx,
        tx,
        { ...input, customerGid: customer.customerGid, points: customer.points, topUp: true },
        audits,
      );
  }
  await recordAudits({ ctx, tx, input: audits });
  return ids;
}

/**
 * The default address Shopify answered for customers of a bulk import's address step (inside the chunk's
 * transaction): the directory's Location and country filter, and the referral program's fingerprint, as a sync
 * records them. Shopify's own answer, read now: the customers/update webhook it fires may carry the same second's
 * `updated_at` as the customerSet answer Tally recorded, and would not be taken as newer. A customer no longer in
 * Tally, or erased, is left alone.
 */
export async function recordImportedAddresses({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: {
    addresses: ReadonlyArray<{ customerGid: string; address: NonNullable<ImportedShopifyCustomer["defaultAddress"]> }>;
  };
}) {
  for (const { customerGid, address } of input.addresses) {
    const [row] = await tx
      .update(customers)
      .set({
        city: address.city,
        province: address.province,
        countryCode: address.countryCode,
        updatedAt: ctx.now.toISOString(),
      })
      .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, customerGid), isNull(customers.redactedAt)))
      .returning({ id: customers.id });
    if (row) await recordAddressFingerprints({ ctx, tx, input: { customerId: row.id, addresses: [address] } });
  }
}

/** A customer's `customer.import` line: the fields the import set; undefined for an update that changed nothing. */
function importAudit(
  input: { importId: number; fileName: string; taskId: number },
  customerId: number,
  customer: ImportedShopifyCustomer,
): AuditInput | undefined {
  const proposed = {
    firstName: customer.firstName,
    lastName: customer.lastName,
    phone: customer.phone,
    tags: customer.tags,
    taxExempt: customer.taxExempt,
    emailMarketing: customer.emailMarketing,
    address: customer.address,
  };
  const changes = customer.before
    ? customerChanges(customer.before, proposed)
    : customerChanges(
        {
          firstName: null,
          lastName: null,
          phone: null,
          tags: [],
          taxExempt: false,
          emailMarketingState: null,
          city: null,
          countryCode: null,
        },
        proposed,
      );
  if (customer.before && !changesSomething(changes)) return undefined;
  const source = { id: input.importId, fileName: input.fileName };
  return {
    action: "customer.import",
    subject: customerSubject(customer),
    customerId,
    before: customer.before ? changes.before : null,
    after: { ...changes.after, import: source },
    taskId: input.taskId,
  };
}

/** The import batch a customer's points came from, as their audit line names it (and the job that wrote them). */
interface ImportBatch {
  importId: number;
  fileName: string;
  taskId: number;
  /** Where the points came from, as the activity log says it: "moved from Smile", "imported from points.csv". */
  from: string;
}

/**
 * One `import` entry for a customer of an import batch (keyed by import and customer: a chunk done again adds nothing
 * twice): `points` whole, or with `topUp` what brings the balance up to `points` (a customer file's Points column).
 * Answers the points the entry added (0: nothing to add, or the entry was there already); an entry added puts the
 * customer's `points.import` line in `audits` ("+100, balance 0 → 100, imported from points.csv"), for the caller to
 * write with the chunk's others. Throws when the customer vanished inside the transaction (a bug, not a file's problem).
 */
async function addImportedPoints(
  ctx: ServiceContext,
  tx: Tx,
  input: ImportBatch & { customerGid: string; points: number; topUp: boolean },
  audits: AuditInput[],
): Promise<{ customerId: number; added: number }> {
  const [row] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, input.customerGid)));
  if (!row) throw new Error(`customer ${input.customerGid} vanished inside its own transaction`);
  const points = input.topUp ? importedPointsToAdd(input.points, row.pointsBalance) : input.points;
  if (points <= 0) return { customerId: row.id, added: 0 };
  const { entry } = importEntry({
    importId: String(input.importId),
    customerGid: input.customerGid,
    points,
    from: input.from,
    totals: totalsOf(row),
  });
  const { inserted, totals } = await appendEntries({ ctx, tx, customerId: row.id, entries: [entry] });
  if (inserted.length === 0) return { customerId: row.id, added: 0 };
  audits.push({
    action: "points.import",
    subject: customerSubject(row),
    customerId: row.id,
    before: { balance: row.pointsBalance },
    after: {
      points,
      balance: totals.balance,
      from: input.from,
      import: { id: input.importId, fileName: input.fileName },
    },
    taskId: input.taskId,
  });
  return { customerId: row.id, added: points };
}

/**
 * Moves the balances of a chunk of a points export in (inside the task chunk's transaction): one `import` entry per
 * customer found by email ("+300: moved from Smile"); a customer file's rows that already match Shopify add their
 * points so too, as a balance to reach (`topUp`, `importedPointsToAdd`). Each customer given points gets a
 * `points.import` line in their audit trail, the chunk's lines written together. Answers, per email, the customer and
 * the points its entry added (0: none, or the entry was there already); an email no longer in the shop is answered as
 * not found.
 */
export async function recordMovedPoints({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: ImportBatch & { rows: readonly { email: string; points: number }[]; topUp?: boolean };
}): Promise<Map<string, { customerId: number; customerGid: string; added: number } | null>> {
  const known = await customersByEmail(
    tx,
    ctx.shop,
    input.rows.map((row) => row.email),
  );
  const outcome = new Map<string, { customerId: number; customerGid: string; added: number } | null>();
  const audits: AuditInput[] = [];
  for (const row of input.rows) {
    const customer = known.get(row.email);
    if (!customer) {
      outcome.set(row.email, null);
      continue;
    }
    const { added } = await addImportedPoints(
      ctx,
      tx,
      { ...input, customerGid: customer.customerGid, points: row.points, topUp: input.topUp ?? false },
      audits,
    );
    outcome.set(row.email, { customerId: customer.id, customerGid: customer.customerGid, added });
  }
  await recordAudits({ ctx, tx, input: audits });
  return outcome;
}

/**
 * The import is done: its status, its time, and one audit line (`import.customers`/`import.points`/`import.orders`)
 * with what the checked file held (points for past orders: what they gave and skipped, `backfillGivenFigures`), in the preview's words (its summary: rows, problems, to create, to update, already
 * matching…) and the task whose result list says what became of each row. (The task's counts when its last chunk began were written once: they left out that
 * chunk's rows, and the line read "Rows was 7; Done: 0" for a file that created 2.)
 */
export async function finishImport({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { importId: number; taskId: number };
}) {
  const [before] = await tx
    .select({ kind: imports.kind, summary: imports.summary })
    .from(imports)
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)));
  // Points for past orders say what they gave, not what their preview counted: an older preview given after a newer
  // one skips the orders the newer one gave (newcomer round 17).
  const summary =
    before?.kind === "orders"
      ? backfillGivenFigures(before.summary, await customersGivenBy(tx, ctx.shop, input.taskId))
      : undefined;
  const [row] = await tx
    .update(imports)
    .set({ status: "imported", importedAt: ctx.now.toISOString(), ...(summary ? { summary } : {}) })
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)))
    .returning();
  if (!row) return;
  await recordAudit({
    ctx,
    tx,
    input: {
      action: row.kind === "points" ? "import.points" : row.kind === "orders" ? "import.orders" : "import.customers",
      subject: importSubject(row),
      after: importFiguresInWords(row.kind, row.summary),
      taskId: input.taskId,
    },
  });
}

/** How many customers a job's done results belong to: those a backfill gave points to. */
async function customersGivenBy(tx: Tx, shop: string, taskId: number) {
  const [row] = await tx
    .select({ n: countDistinct(taskItems.customerId) })
    .from(taskItems)
    .where(and(eq(taskItems.shop, shop), eq(taskItems.taskId, taskId), eq(taskItems.outcome, "done")));
  return row?.n ?? 0;
}

/** From this many entries, an undo runs as a task in chunks ("Undo an import") instead of one transaction. */
export const UNDO_IN_ONE_GO = 1000;

type ImportRow = typeof imports.$inferSelect;

/** The range of keys of the entries a batch wrote: `earn:import:<id>:…` or, for past orders, `earn:backfill:<id>:…`. */
function batchKeys(row: Pick<ImportRow, "id" | "kind">) {
  const kind = row.kind === "orders" ? "backfill" : "import";
  return { from: `earn:${kind}:${row.id}:`, to: `earn:${kind}:${row.id};`, undo: `undo:${kind}:${row.id}:` };
}

/** The ledger entries an import batch wrote after key `afterKey`, in key order (the unique (shop, key) index). */
async function batchEntries(
  ctx: ServiceContext,
  tx: Tx | ServiceContext["db"],
  row: ImportRow,
  afterKey = "",
  limit?: number,
) {
  const keys = batchKeys(row);
  const query = tx
    .select({
      customerId: ledgerEntries.customerId,
      points: ledgerEntries.points,
      key: ledgerEntries.idempotencyKey,
      orderGid: ledgerEntries.sourceGid,
    })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.shop, ctx.shop),
        gte(ledgerEntries.idempotencyKey, afterKey > keys.from ? afterKey : keys.from),
        afterKey > keys.from ? gt(ledgerEntries.idempotencyKey, afterKey) : undefined,
        lt(ledgerEntries.idempotencyKey, keys.to),
      ),
    )
    .orderBy(asc(ledgerEntries.idempotencyKey));
  return limit ? query.limit(limit) : query;
}

/** What one entry of a batch would take back now, and from whom: points imports and past orders alike. */
async function undoPlanOf(
  ctx: ServiceContext,
  tx: Tx | ServiceContext["db"],
  row: ImportRow,
  entry: { customerId: number; points: number; orderGid: string | null },
  checked: boolean,
) {
  const [customer] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, entry.customerId)));
  if (!customer) return undefined;
  const totals = totalsOf(customer);
  if (row.kind === "orders") {
    const [order] = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.shop, ctx.shop), eq(orders.orderGid, entry.orderGid ?? "")));
    if (!order) return undefined;
    const plan = planBackfillUndo(order.pointsState as OrderPointsState, { batchId: String(row.id), totals });
    if (!plan) return undefined;
    const held = plan.entries.reduce((sum, e) => sum - e.points, 0);
    return {
      customer,
      held,
      spent: totals.balance < held,
      entries: plan.entries,
      order: { id: order.id, gid: order.orderGid, name: order.name, state: plan.state },
    };
  }
  const spent = totals.balance < entry.points;
  if (spent && !checked) return { customer, held: entry.points, spent, entries: [], order: undefined };
  const { entry: undo } = undoImportEntry({
    importId: String(row.id),
    customerGid: customer.customerGid,
    points: entry.points,
    from: importOrigin(row),
    totals,
    checked,
  });
  return { customer, held: entry.points, spent, entries: [undo], order: undefined };
}

/**
 * Takes one entry of a batch back, and answers the customer's audit line for it (`points.import_undo`, or
 * `points.backfill_undo` for a past order's points, naming the order), for the caller to write with the rest of its
 * transaction's; undefined when the undo entry was there already (a chunk done again).
 */
async function applyUndo(
  ctx: ServiceContext,
  tx: Tx,
  row: ImportRow,
  plan: NonNullable<Awaited<ReturnType<typeof undoPlanOf>>>,
): Promise<AuditInput | undefined> {
  const { inserted, totals } = await appendEntries({ ctx, tx, customerId: plan.customer.id, entries: plan.entries });
  if (plan.order) await tx.update(orders).set({ pointsState: plan.order.state }).where(eq(orders.id, plan.order.id));
  if (inserted.length === 0) return undefined;
  return {
    action: row.kind === "orders" ? "points.backfill_undo" : "points.import_undo",
    subject: customerSubject(plan.customer),
    customerId: plan.customer.id,
    before: { balance: plan.customer.pointsBalance },
    after: {
      points: -plan.held,
      balance: totals.balance,
      ...(plan.order ? { order: plan.order.name ?? plan.order.gid } : {}),
      import: { id: row.id, fileName: row.fileName },
    },
    taskId: row.taskId,
  };
}

function spentRefusal(spent: readonly string[], count = spent.length) {
  const names = spent.slice(0, 5).join(", ") + (count > 5 ? ` and ${count - 5} more` : "");
  return new DomainError(
    "conflict",
    `This import can no longer be undone: ${count} customer${count === 1 ? " has" : "s have"} spent points from it (${names})`,
    { spent: count },
  );
}

async function markUndone(
  ctx: ServiceContext,
  tx: Tx,
  row: ImportRow,
  figures: { customers: number; points: number },
  requestId?: string,
) {
  await tx
    .update(imports)
    .set({ status: "undone", undoneAt: ctx.now.toISOString() })
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, row.id)));
  await recordUndone(ctx, tx, row, figures, requestId);
}

/** The `import.undo` audit line: what the undo took back (customers or orders, and points). */
async function recordUndone(
  ctx: ServiceContext,
  tx: Tx,
  row: ImportRow,
  figures: { customers: number; points: number },
  requestId?: string,
) {
  const unit = row.kind === "orders" ? "orders" : "customers";
  await recordAudit({
    ctx,
    tx,
    input: {
      action: "import.undo",
      subject: importSubject(row),
      before: { [unit]: figures.customers, points: figures.points },
      after: { [unit]: 0, points: 0 },
      taskId: row.taskId,
      ...(requestId ? { requestId } : {}),
    },
  });
}

/**
 * Undoes an import batch (decisions 023, 033): takes back every entry the import wrote (a points move, a customer
 * file's points, or points for past orders), while no point of it has been spent, i.e. while every customer of the
 * batch still holds at least what it gave them. Otherwise nothing changes and DomainError("conflict") names up to five
 * customers who spent them. Up to UNDO_IN_ONE_GO entries, in one transaction here; a larger batch is handed to the
 * "Undo an import" task, which checks the whole batch first and then takes it back in chunks (answering its taskId).
 * Records `import.undo` with what was taken back. Throws "not_found" for an unknown import, "conflict" for one that
 * is not finished or already undone (or being undone).
 */
export async function undoImport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { importId: number; requestId: string };
}): Promise<{ customers: number; points: number; taskId?: number }> {
  const current = await getImport({ ctx, input: { importId: input.importId } });
  if (
    current.status === "imported" &&
    (await batchEntries(ctx, ctx.db, current, "", UNDO_IN_ONE_GO + 1)).length > UNDO_IN_ONE_GO
  ) {
    const { task } = await submitTask({
      ctx,
      input: {
        kind: undoImportKind.kind,
        input: { importId: current.id },
        idempotencyKey: `undo:${current.id}`,
        // Points for past orders are taken back order by order: the job counts orders, as the backfill did.
        ...(current.kind === "orders" ? { unit: { one: "order", other: "orders" } } : {}),
      },
    });
    return { customers: 0, points: 0, taskId: task.id };
  }
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .select()
      .from(imports)
      .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)));
    if (!row) throw new DomainError("not_found", "No such import", { importId: input.importId });
    if (row.status === "undone") throw new DomainError("conflict", "This import was already undone");
    if (row.status === "undoing") throw new DomainError("conflict", "This import is being undone");
    if (row.status !== "imported") throw new DomainError("conflict", "Only a finished import can be undone");
    const entries = await batchEntries(ctx, tx, row);
    const spent: string[] = [];
    const figures = { customers: 0, points: 0 };
    // Points for past orders: the orders that earn nothing again, which previews still open count anew.
    const undone: { orderGid: string; points: number }[] = [];
    const audits: AuditInput[] = [];
    for (const entry of entries) {
      const plan = await undoPlanOf(ctx, tx, row, entry, false);
      if (!plan) continue;
      if (plan.spent) {
        spent.push(customerSubject(plan.customer));
        continue;
      }
      if (spent.length > 0) continue;
      const audit = await applyUndo(ctx, tx, row, plan);
      if (audit) audits.push({ ...audit, requestId: input.requestId });
      if (row.kind === "orders" && entry.orderGid) undone.push({ orderGid: entry.orderGid, points: plan.held });
      figures.customers += 1;
      figures.points += plan.held;
    }
    if (spent.length > 0) throw spentRefusal(spent);
    await recordAudits({ ctx, tx, input: audits });
    await movePreviewShares({ ctx, tx, input: { batchId: row.id, moved: undone, by: "undone" } });
    await markUndone(ctx, tx, row, { customers: entries.length, points: figures.points }, input.requestId);
    return { customers: entries.length, points: figures.points };
  });
}

/**
 * A page of a batch's check before a chunked undo (reads only): how many of its entries after `afterKey` were spent,
 * with the names of the first few, and the last key read (null when none is left).
 */
export async function checkUndoPage({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { importId: number; afterKey: string; limit: number };
}): Promise<{ spent: string[]; spentCount: number; lastKey: string | null }> {
  const row = await getImport({ ctx, input: { importId: input.importId } });
  const page = await batchEntries(ctx, ctx.db, row, input.afterKey, input.limit);
  const spent: string[] = [];
  for (const entry of page) {
    const plan = await undoPlanOf(ctx, ctx.db, row, entry, false);
    if (plan?.spent) spent.push(customerSubject(plan.customer));
  }
  return { spent: spent.slice(0, 5), spentCount: spent.length, lastKey: page.at(-1)?.key ?? null };
}

/** The last key of the batch's next page after `afterKey`, or null when none is left: where an undo chunk ends. */
export async function batchPageEnd({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { importId: number; afterKey: string; limit: number };
}): Promise<string | null> {
  const row = await getImport({ ctx, input: { importId: input.importId } });
  return (await batchEntries(ctx, ctx.db, row, input.afterKey, input.limit)).at(-1)?.key ?? null;
}

/** The whole batch was checked unspent: the import is "undoing" under the task, or DomainError("conflict"). */
export async function beginChunkedUndo({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { importId: number; taskId: number };
}) {
  const [row] = await tx
    .update(imports)
    .set({ status: "undoing", taskId: input.taskId })
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId), eq(imports.status, "imported")))
    .returning();
  if (!row) throw new DomainError("conflict", "Only a finished import can be undone");
}

/**
 * One chunk of a chunked undo (inside the task chunk's transaction): takes back the batch's entries after `afterKey`
 * through `throughKey`, each in full (the batch was checked whole, decision 033). Answers what each gave back.
 */
export async function undoBatchChunk({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { importId: number; afterKey: string; throughKey: string };
}) {
  const [row] = await tx
    .select()
    .from(imports)
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)));
  if (!row) throw new DomainError("not_found", "No such import", { importId: input.importId });
  const page = (await batchEntries(ctx, tx, row, input.afterKey, UNDO_IN_ONE_GO)).filter(
    (entry) => entry.key <= input.throughKey,
  );
  const taken: {
    customerId: number;
    label: string;
    points: number;
    key: string;
    /** Points for past orders: the order the entry was for, and its name ("#1001") when Tally holds it. */
    order?: { gid: string; name: string | null };
  }[] = [];
  const audits: AuditInput[] = [];
  for (const entry of page) {
    const plan = await undoPlanOf(ctx, tx, row, entry, true);
    if (!plan) continue;
    const audit = await applyUndo(ctx, tx, row, plan);
    if (audit) audits.push(audit);
    taken.push({
      customerId: plan.customer.id,
      label: customerSubject(plan.customer),
      points: plan.held,
      key: entry.key,
      ...(row.kind === "orders" && entry.orderGid ? { order: { gid: entry.orderGid, name: null } } : {}),
    });
  }
  await recordAudits({ ctx, tx, input: audits });
  const gids = taken.flatMap((each) => (each.order ? [each.order.gid] : []));
  await movePreviewShares({
    ctx,
    tx,
    input: {
      batchId: row.id,
      moved: taken.flatMap((each) => (each.order ? [{ orderGid: each.order.gid, points: each.points }] : [])),
      by: "undone",
    },
  });
  if (gids.length > 0) {
    const names = new Map(
      (
        await tx
          .select({ gid: orders.orderGid, name: orders.name })
          .from(orders)
          .where(and(eq(orders.shop, ctx.shop), inArray(orders.orderGid, gids)))
      ).map((order) => [order.gid, order.name]),
    );
    for (const each of taken) if (each.order) each.order.name = names.get(each.order.gid) ?? null;
  }
  return taken;
}

/** The chunked undo is done: status "undone" and the `import.undo` audit line with what the undo entries took back. */
export async function finishChunkedUndo({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { importId: number };
}) {
  const row = await moveImport({
    ctx,
    tx,
    input: { importId: input.importId, from: "undoing", to: "undone", set: { undoneAt: ctx.now.toISOString() } },
  });
  if (!row) return;
  const keys = batchKeys(row);
  const [sums] = await tx
    .select({
      n: sql<number>`count(*)`.mapWith(Number),
      points: sql<number>`coalesce(-sum(${ledgerEntries.points}), 0)`.mapWith(Number),
    })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.shop, ctx.shop),
        gte(ledgerEntries.idempotencyKey, keys.undo),
        lt(ledgerEntries.idempotencyKey, keys.undo.slice(0, -1) + ";"),
      ),
    );
  await recordUndone(ctx, tx, row, { customers: sums?.n ?? 0, points: sums?.points ?? 0 });
}

/** Stops an undo task's refusal from leaving anything: the import stays "imported" (nothing was taken back). */
export { spentRefusal };
