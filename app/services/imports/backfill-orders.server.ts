import { and, asc, eq, gt, gte, isNotNull, lt } from "drizzle-orm";
import { earningContextAt, planBackfill, planBackfillUndo, type OrderPointsState } from "~/domain/ledger";
import { DomainError } from "~/domain/shared";
import { customers, imports, ledgerEntries, orders } from "~/db/schema";
import { customerSubject, recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { factsOf } from "../customers/customer-facts.server";
import { appendEntries, totalsOf } from "../ledger/append-entries.server";
import { getProgram } from "../program/get-program.server";

/*
 * Points for orders paid before the shop installed Tally (issue 12, decision 023). The install sync recorded those
 * orders (from Shopify's bulk operation) as paid and earning nothing; a backfill awards each, from a date the merchant
 * picks, what it earns under today's program (planBackfill), tied to its order so a later refund reverses it as any
 * order. The preview and the task run the same plan on the same rows, so the preview is what is applied.
 */

/** Orders per chunk (preview pages and task chunks alike). */
export const BACKFILL_CHUNK = 250;

type OrderRow = typeof orders.$inferSelect;

async function ordersAfter(db: ServiceContext["db"] | Tx, shop: string, since: string, afterId: number) {
  return db
    .select()
    .from(orders)
    .where(
      and(eq(orders.shop, shop), gt(orders.id, afterId), isNotNull(orders.customerId), gte(orders.processedAt, since)),
    )
    .orderBy(asc(orders.id))
    .limit(BACKFILL_CHUNK);
}

/**
 * The plan for one order with its customer as they were when it was paid; undefined when it earns nothing now. An
 * order Shopify shows as refunded (in part or whole) with no refund on Tally's record was refunded before install:
 * its refunded share is not in Tally's copy, so it is left out rather than paid in full (decision 023).
 */
async function planFor(ctx: ServiceContext, tx: ServiceContext["db"] | Tx, order: OrderRow, batchId: string) {
  if (order.customerId === null) return undefined;
  const refundedBeforeInstall =
    (order.financialStatus === "partially_refunded" || order.financialStatus === "refunded") &&
    Object.keys((order.pointsState as OrderPointsState).refunds ?? {}).length === 0;
  if (refundedBeforeInstall || order.financialStatus === "partially_paid") return undefined;
  const [owner] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, order.customerId)));
  if (!owner) return undefined;
  const state = order.pointsState as OrderPointsState;
  const currency = state.paid?.currency;
  if (!currency) return undefined;
  const program = await getProgram({ ctx, tx: tx as Tx, input: { currency } });
  const plan = planBackfill(state, {
    program,
    batchId,
    customer: earningContextAt(factsOf(owner), order.processedAt ?? ctx.now.toISOString(), owner.blocked),
    totals: totalsOf(owner),
  });
  return plan && { plan, owner };
}

export interface BackfillFigures {
  orders: number;
  customers: number;
  points: number;
}

/**
 * The preview: how many pre-install orders paid on or after `since` (an ISO date) would earn, for how many customers,
 * how many points in all, under today's program. Reads only. Throws "invalid_input" for a date in the future.
 */
export async function previewBackfill({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { since: string };
}): Promise<BackfillFigures> {
  if (Date.parse(input.since) > ctx.now.getTime()) {
    throw new DomainError("invalid_input", "Choose a date in the past", {
      fieldErrors: { since: ["Choose a date in the past"] },
    });
  }
  const owners = new Set<number>();
  const figures = { orders: 0, customers: 0, points: 0 };
  let afterId = 0;
  for (;;) {
    const page = await ordersAfter(ctx.db, ctx.shop, input.since, afterId);
    if (page.length === 0) break;
    for (const order of page) {
      const planned = await planFor(ctx, ctx.db, order, "preview");
      if (!planned) continue;
      figures.orders += 1;
      figures.points += planned.plan.earning.points;
      owners.add(planned.owner.id);
    }
    afterId = page[page.length - 1]!.id;
  }
  return { ...figures, customers: owners.size };
}

/** Records a backfill to run (an `imports` row of kind "orders"), with its preview, and the audit line. */
export async function createBackfill({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { since: string; preview: BackfillFigures };
}) {
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(imports)
      .values({
        shop: ctx.shop,
        kind: "orders",
        source: input.since,
        fileName: `Orders since ${input.since.slice(0, 10)}`,
        filePath: "",
        delimiter: ",",
        headers: [],
        columns: {},
        options: {},
        status: "checked",
        summary: { ...input.preview },
        actor: ctx.actor,
        actorName: ctx.actorName ?? null,
        createdAt: ctx.now.toISOString(),
      })
      .returning();
    await recordAudit({ ctx, tx, input: { action: "import.check", subject: row!.fileName, after: input.preview } });
    return row!;
  });
}

/** The last order id of the next chunk after `afterId`, or null when no order is left: where a task chunk ends. */
export async function nextBackfillRange({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { since: string; afterId: number };
}) {
  const page = await ordersAfter(ctx.db, ctx.shop, input.since, input.afterId);
  return page.length === 0 ? null : page[page.length - 1]!.id;
}

/**
 * One chunk of a backfill, inside the task chunk's transaction: orders after `afterId` paid since the backfill's date
 * earn their points and their state moves, each order in the same transaction as its entries. Answers the orders that
 * earned (order gid, customer, points) and the last id read, or null when none is left.
 */
export async function backfillChunk({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { batchId: number; since: string; afterId: number; throughId: number };
}) {
  const page = (await ordersAfter(tx, ctx.shop, input.since, input.afterId)).filter((o) => o.id <= input.throughId);
  const earned: { orderGid: string; name: string | null; customerId: number; points: number }[] = [];
  for (const order of page) {
    const planned = await planFor(ctx, tx, order, String(input.batchId));
    if (!planned) continue;
    await appendEntries({ ctx, tx, customerId: planned.owner.id, entries: planned.plan.entries });
    await tx.update(orders).set({ pointsState: planned.plan.state }).where(eq(orders.id, order.id));
    earned.push({
      orderGid: order.orderGid,
      name: order.name,
      customerId: planned.owner.id,
      points: planned.plan.earning.points,
    });
  }
  return earned;
}

/**
 * Undoes a backfill (decision 023), in one transaction, while no point of it is spent: every customer still holds
 * what its orders still hold of it. Each order returns to "paid before install" and a `correct` entry takes back what
 * it held ("−120: undid the points for a past order #1001"). Otherwise nothing changes: DomainError("conflict").
 */
export async function undoBackfill({
  ctx,
  tx,
  row,
}: {
  ctx: ServiceContext;
  tx: Tx;
  row: typeof imports.$inferSelect;
}) {
  const batchId = String(row.id);
  const entries = await tx
    .select({ customerId: ledgerEntries.customerId, orderGid: ledgerEntries.sourceGid })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.shop, ctx.shop),
        gte(ledgerEntries.idempotencyKey, `earn:backfill:${batchId}:`),
        lt(ledgerEntries.idempotencyKey, `earn:backfill:${batchId};`),
      ),
    );
  const spent: string[] = [];
  let points = 0;
  for (const entry of entries) {
    const [order] = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.shop, ctx.shop), eq(orders.orderGid, entry.orderGid ?? "")));
    const [customer] = await tx
      .select()
      .from(customers)
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, entry.customerId)));
    if (!order || !customer) continue;
    const plan = planBackfillUndo(order.pointsState as OrderPointsState, { batchId, totals: totalsOf(customer) });
    if (!plan) continue;
    const held = plan.entries.reduce((sum, e) => sum - e.points, 0);
    if (customer.pointsBalance < held) {
      spent.push(customerSubject(customer));
      continue;
    }
    if (spent.length > 0) continue;
    await appendEntries({ ctx, tx, customerId: customer.id, entries: plan.entries });
    await tx.update(orders).set({ pointsState: plan.state }).where(eq(orders.id, order.id));
    points += held;
  }
  if (spent.length > 0) {
    throw new DomainError(
      "conflict",
      `These points can no longer be undone: ${spent.length} customer${spent.length === 1 ? " has" : "s have"} spent them (${spent.slice(0, 5).join(", ")})`,
    );
  }
  return { orders: entries.length, points };
}
