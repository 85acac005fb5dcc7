import { and, asc, between, eq, gt, gte, lt } from "drizzle-orm";
import { pointsSourceNames, pointsSourceSchema } from "~/domain/imports";
import { importEntry, undoImportEntry } from "~/domain/ledger";
import { DomainError, shopifyCustomerStateSchema } from "~/domain/shared";
import { customers, importProblems, imports, ledgerEntries } from "~/db/schema";
import { customerSubject, recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { appendEntries, totalsOf } from "../ledger/append-entries.server";
import { syncCustomer } from "../customers/sync-customer.server";
import { undoBackfill } from "./backfill-orders.server";
import { customersByEmail, type ImportView } from "./check-import.server";

/** The shop's import; throws DomainError("not_found") for another shop's or an unknown id. */
export async function getImport({ ctx, input }: { ctx: ServiceContext; input: { importId: number } }) {
  const [row] = await ctx.db
    .select()
    .from(imports)
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)));
  if (!row) throw new DomainError("not_found", "No such import", { importId: input.importId });
  return row;
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
}

/**
 * Records customers of a customer import in Tally (inside the task chunk's transaction): each as Shopify answered
 * (so the directory shows them before the customers/create webhook arrives; the webhook then changes nothing), and
 * the row's points as one `import` entry per customer, keyed by (import, customer) so a resumed chunk adds none twice.
 */
export async function recordImportedCustomers({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { importId: number; from: string; customers: readonly ImportedShopifyCustomer[] };
}) {
  for (const customer of input.customers) {
    await syncCustomer({
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
        city: null,
        province: null,
        countryCode: null,
        createdAt: customer.createdAt,
      },
    });
    if (customer.points > 0)
      await addImportedPoints(ctx, tx, input.importId, input.from, customer.customerGid, customer.points);
  }
}

async function addImportedPoints(
  ctx: ServiceContext,
  tx: Tx,
  importId: number,
  from: string,
  customerGid: string,
  points: number,
) {
  const [row] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, customerGid)));
  if (!row) throw new Error(`customer ${customerGid} vanished inside its own transaction`);
  const { entry } = importEntry({ importId: String(importId), customerGid, points, from, totals: totalsOf(row) });
  const { inserted } = await appendEntries({ ctx, tx, customerId: row.id, entries: [entry] });
  return { customerId: row.id, added: inserted.length > 0 };
}

/**
 * Moves the balances of a chunk of a points export in (inside the task chunk's transaction): one `import` entry per
 * customer found by email ("+300: moved from Smile"). Answers, per email, the customer and whether the entry was new;
 * an email no longer in the shop is answered as not found.
 */
export async function recordMovedPoints({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { importId: number; from: string; rows: readonly { email: string; points: number }[] };
}): Promise<Map<string, { customerId: number; customerGid: string; added: boolean } | null>> {
  const known = await customersByEmail(
    tx,
    ctx.shop,
    input.rows.map((row) => row.email),
  );
  const outcome = new Map<string, { customerId: number; customerGid: string; added: boolean } | null>();
  for (const row of input.rows) {
    const customer = known.get(row.email);
    if (!customer) {
      outcome.set(row.email, null);
      continue;
    }
    const { added } = await addImportedPoints(ctx, tx, input.importId, input.from, customer.customerGid, row.points);
    outcome.set(row.email, { customerId: customer.id, customerGid: customer.customerGid, added });
  }
  return outcome;
}

/** The import is done: its status, its time, and one audit line with what it did (`import.customers`/`import.points`). */
export async function finishImport({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { importId: number; taskId: number; result: Record<string, number> };
}) {
  const [row] = await tx
    .update(imports)
    .set({ status: "imported", importedAt: ctx.now.toISOString() })
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)))
    .returning();
  if (!row) return;
  await recordAudit({
    ctx,
    tx,
    input: {
      action: row.kind === "points" ? "import.points" : row.kind === "orders" ? "import.orders" : "import.customers",
      subject: `${row.fileName} (import ${row.id})`,
      before: row.summary,
      after: input.result,
      taskId: input.taskId,
    },
  });
}

/** The ledger entries an import batch wrote, by the range of their keys (the unique (shop, key) index serves it). */
async function batchEntries(ctx: ServiceContext, tx: Tx, importId: number) {
  const prefix = `earn:import:${importId}:`;
  return tx
    .select({ customerId: ledgerEntries.customerId, points: ledgerEntries.points, key: ledgerEntries.idempotencyKey })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.shop, ctx.shop),
        gte(ledgerEntries.idempotencyKey, prefix),
        lt(ledgerEntries.idempotencyKey, `earn:import:${importId};`),
      ),
    );
}

/**
 * Undoes an import batch (decision 023): takes back, in one transaction, every `import` entry the import wrote, while
 * no point of it has been spent, i.e. while every customer of the batch still holds at least the points it gave them.
 * Otherwise nothing changes and DomainError("conflict") names up to five customers who spent them. Records
 * `import.undo` with the customers and points taken back. A second undo changes nothing (its keys are there).
 * Throws "not_found" for an unknown import, "conflict" for one that is not finished or already undone.
 */
export async function undoImport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { importId: number; requestId: string };
}): Promise<{ customers: number; points: number }> {
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .select()
      .from(imports)
      .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)));
    if (!row) throw new DomainError("not_found", "No such import", { importId: input.importId });
    if (row.status === "undone") throw new DomainError("conflict", "This import was already undone");
    if (row.status !== "imported") throw new DomainError("conflict", "Only a finished import can be undone");
    if (row.kind === "orders") {
      const undone = await undoBackfill({ ctx, tx, row });
      await tx
        .update(imports)
        .set({ status: "undone", undoneAt: ctx.now.toISOString() })
        .where(and(eq(imports.shop, ctx.shop), eq(imports.id, row.id)));
      await recordAudit({
        ctx,
        tx,
        input: {
          action: "import.undo",
          subject: `${row.fileName} (import ${row.id})`,
          before: { orders: undone.orders, points: undone.points },
          after: { orders: 0, points: 0 },
          taskId: row.taskId,
          requestId: input.requestId,
        },
      });
      return { customers: undone.orders, points: undone.points };
    }
    const entries = await batchEntries(ctx, tx, row.id);
    const from = importOrigin(row);
    const spent: string[] = [];
    let points = 0;
    for (const entry of entries) {
      const [customer] = await tx
        .select()
        .from(customers)
        .where(and(eq(customers.shop, ctx.shop), eq(customers.id, entry.customerId)));
      if (!customer) continue;
      const totals = totalsOf(customer);
      if (totals.balance < entry.points) {
        spent.push(customerSubject(customer));
        continue;
      }
      if (spent.length > 0) continue;
      const { entry: undo } = undoImportEntry({
        importId: String(row.id),
        customerGid: customer.customerGid,
        points: entry.points,
        from,
        totals,
      });
      await appendEntries({ ctx, tx, customerId: customer.id, entries: [undo] });
      points += entry.points;
    }
    if (spent.length > 0) {
      const names = spent.slice(0, 5).join(", ") + (spent.length > 5 ? ` and ${spent.length - 5} more` : "");
      throw new DomainError(
        "conflict",
        `This import can no longer be undone: ${spent.length} customer${spent.length === 1 ? " has" : "s have"} spent points from it (${names})`,
        { spent: spent.length },
      );
    }
    await tx
      .update(imports)
      .set({ status: "undone", undoneAt: ctx.now.toISOString() })
      .where(and(eq(imports.shop, ctx.shop), eq(imports.id, row.id)));
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "import.undo",
        subject: `${row.fileName} (import ${row.id})`,
        before: { customers: entries.length, points },
        after: { customers: 0, points: 0 },
        taskId: row.taskId,
        requestId: input.requestId,
      },
    });
    return { customers: entries.length, points };
  });
}
