import { and, asc, count, countDistinct, eq, gt, gte, inArray, isNotNull, ne } from "drizzle-orm";
import {
  earningContextAt,
  orderPointsHeld,
  planBackfill,
  type OrderPointsState,
  type RefundFact,
} from "~/domain/ledger";
import { previewBackfillKind } from "~/domain/background-jobs";
import { backfillRangeFrom, type BackfillRange } from "~/domain/imports";
import { DomainError } from "~/domain/shared";
import { customers, imports, orders, taskItems, tasks } from "~/db/schema";
import { customerSubject, recordAudit, recordAudits, type AuditInput } from "../audit/record-audit.server";
import { submitTask } from "../background-jobs/submit-task.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { factsOf } from "../customers/customer-facts.server";
import { appendEntries, totalsOf } from "../ledger/append-entries.server";
import { applyOrderEvent } from "../orders/apply-order-event.server";
import { getProgram } from "../program/get-program.server";
import { getShopTimeZone } from "../shops/get-shop.server";

/*
 * Points for orders paid before the shop installed Tally (issue 12, decision 023). The install sync recorded those
 * orders (from Shopify's bulk operation) as paid and earning nothing; a backfill awards each, from a date the merchant
 * picks, what it earns under today's program (planBackfill), tied to its order so a later refund reverses it as any
 * order. The preview and the task run the same plan on the same rows, so the preview is what is applied.
 */

/** Orders per chunk (preview pages and task chunks alike). */
export const BACKFILL_CHUNK = 250;

/** The idempotency key of a backfill's preview task: how its results (the orders it said would earn) are found. */
const previewKey = (importId: number) => `import-preview:${importId}`;

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
  if (refundsUnread(order) || order.financialStatus === "partially_paid") return undefined;
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

/**
 * Shopify shows the order refunded (in part or whole) but Tally's copy holds none of its refunds: it was refunded
 * before install (refunds/create came before Tally). Its refunds must be read from Shopify before it can earn on what
 * the customer kept; paying its subtotal in full would pay for returned goods.
 */
export function refundsUnread(order: Pick<OrderRow, "financialStatus" | "pointsState">): boolean {
  return (
    (order.financialStatus === "partially_refunded" || order.financialStatus === "refunded") &&
    Object.keys((order.pointsState as OrderPointsState).refunds ?? {}).length === 0
  );
}

export interface BackfillFigures {
  orders: number;
  customers: number;
  points: number;
}

/**
 * Records a backfill from `since` (a calendar day, "2026-11-01", of the shop's zone: decision 050) as an `imports` row
 * of kind "orders", status "checking" until its preview task has counted what it would give (decision 033: the
 * preview reads every order since the date and the refunds of those refunded before install, so it runs in the
 * background). The row's `source` is the start of that day in the shop's zone (what the preview and the give read),
 * its name says the day and the zone. Throws "invalid_input" for a day that is no date or after the shop's today.
 * Answers the row; the caller submits the preview task (startBackfillPreview).
 */
export async function createBackfill({ ctx, input }: { ctx: ServiceContext; input: { since: string } }) {
  const refused = (message: string) => new DomainError("invalid_input", message, { fieldErrors: { since: [message] } });
  const timeZone = await getShopTimeZone({ ctx });
  let range: BackfillRange | null;
  try {
    range = backfillRangeFrom(input.since, timeZone, ctx.now);
  } catch {
    throw refused("Choose the date of the first order to give points for");
  }
  if (!range) throw refused("Choose a date in the past");
  const [row] = await inTransaction(ctx, (tx) =>
    tx
      .insert(imports)
      .values({
        shop: ctx.shop,
        kind: "orders",
        source: range.since,
        fileName: range.title,
        filePath: "",
        delimiter: ",",
        headers: [],
        columns: {},
        options: {},
        status: "checking",
        summary: { orders: 0, customers: 0, points: 0 },
        actor: ctx.actor,
        actorName: ctx.actorName ?? null,
        createdAt: ctx.now.toISOString(),
      })
      .returning(),
  );
  return row!;
}

/**
 * Starts a backfill's preview: the import row (createBackfill) and its "Count points for past orders" task, tied to
 * it, in that order. Answers the row. Throws as createBackfill does.
 */
export async function previewBackfill({ ctx, input }: { ctx: ServiceContext; input: { since: string } }) {
  const row = await createBackfill({ ctx, input });
  const { task } = await submitTask({
    ctx,
    input: { kind: previewBackfillKind.kind, input: { importId: row.id }, idempotencyKey: previewKey(row.id) },
  });
  await inTransaction(ctx, (tx) =>
    tx
      .update(imports)
      .set({ taskId: task.id })
      .where(and(eq(imports.shop, ctx.shop), eq(imports.id, row.id))),
  );
  return { ...row, taskId: task.id };
}

/** How many orders a backfill from `since` reads (with a customer, paid on or after it): its preview's total. */
export async function countBackfillOrders({ ctx, input }: { ctx: ServiceContext; input: { since: string } }) {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(orders)
    .where(and(eq(orders.shop, ctx.shop), isNotNull(orders.customerId), gte(orders.processedAt, input.since)));
  return row?.n ?? 0;
}

/** The orders of the next chunk after `afterId` paid since `since` (with a customer), in id order. */
export async function backfillPage({ ctx, input }: { ctx: ServiceContext; input: { since: string; afterId: number } }) {
  return ordersAfter(ctx.db, ctx.shop, input.since, input.afterId);
}

/**
 * Records refunds Shopify made before install on an order Tally holds as paid before install (inside the caller's
 * transaction), as refunds/create would have: the order's state learns them and, earning nothing yet, gives nothing
 * back; a backfill then earns on what the customer kept. A refund already known changes nothing.
 */
export async function recordPastRefunds({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { orderGid: string; refunds: readonly RefundFact[] };
}) {
  for (const refund of input.refunds)
    await applyOrderEvent({
      ctx,
      tx,
      input: { event: { kind: "refund", orderGid: input.orderGid, ...refund }, facts: null },
    });
}

/**
 * One chunk of a backfill's preview (inside the task chunk's transaction): what each order after `afterId` through
 * `throughId` would earn, planned exactly as the backfill applies it, without writing a point. Adds the chunk's
 * orders and points to the import's summary; answers the orders that would earn.
 */
export async function previewBackfillChunk({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { importId: number; since: string; afterId: number; throughId: number };
}) {
  return backfillChunk({ ctx, tx, input: { ...input, batchId: input.importId }, preview: true });
}

/** How many customers the preview's orders belong to: the distinct owners among its task's results. */
export async function previewCustomers({ ctx, input }: { ctx: ServiceContext; input: { taskId: number } }) {
  const [row] = await ctx.db
    .select({ n: countDistinct(taskItems.customerId) })
    .from(taskItems)
    .where(and(eq(taskItems.shop, ctx.shop), eq(taskItems.taskId, input.taskId), eq(taskItems.outcome, "done")));
  return row?.n ?? 0;
}

/**
 * The preview is counted: the import's figures (its customers, the distinct owners of the orders that would earn),
 * status "checked", and the `import.check` audit line with them.
 */
export async function finishBackfillPreview({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { importId: number; customers: number };
}) {
  const [row] = await tx
    .select()
    .from(imports)
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)));
  if (!row || row.status !== "checking") return;
  const summary = { ...(row.summary as Record<string, number>), customers: input.customers };
  await tx
    .update(imports)
    .set({ status: "checked", summary })
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, row.id)));
  await recordAudit({ ctx, tx, input: { action: "import.check", subject: row.fileName, after: summary } });
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

/** Which of `gids` the backfill's preview listed as earning: the orders the merchant was shown and agreed to. */
async function previewedAmong(tx: Tx, shop: string, importId: number, gids: readonly string[]) {
  if (gids.length === 0) return new Set<string>();
  const rows = await tx
    .select({ key: taskItems.itemKey })
    .from(taskItems)
    .innerJoin(tasks, eq(tasks.id, taskItems.taskId))
    .where(
      and(
        eq(tasks.shop, shop),
        eq(tasks.idempotencyKey, previewKey(importId)),
        eq(taskItems.shop, shop),
        eq(taskItems.outcome, "done"),
        inArray(taskItems.itemKey, [...gids]),
      ),
    );
  return new Set(rows.map((row) => row.key));
}

/** Why an order the preview counted gives nothing now: another backfill gave it first, or it stopped earning. */
export type BackfillSkip = "alreadyGiven" | "noLongerEarns";

/**
 * One chunk of a backfill, inside the task chunk's transaction: orders after `afterId` paid since the backfill's date
 * earn their points and their state moves, each order in the same transaction as its entries. Answers the orders
 * that earned (order gid, customer, points) and, when giving, the orders the preview counted that give nothing now,
 * with why (an older preview given after a newer one: the newer one gave them first; newcomer round 17). When giving,
 * the import's summary adds up what was given (`givenOrders`, `givenPoints`) and skipped (`alreadyGiven`,
 * `noLongerEarns`): finishImport makes them the import's figures (backfillGivenFigures), and each order given is a
 * `points.backfill` line in its customer's audit trail under the giving job (`taskId`), the chunk's lines written
 * together.
 */
export async function backfillChunk({
  ctx,
  tx,
  input,
  preview = false,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { batchId: number; since: string; afterId: number; throughId: number; taskId?: number };
  preview?: boolean;
}) {
  const page = (await ordersAfter(tx, ctx.shop, input.since, input.afterId)).filter((o) => o.id <= input.throughId);
  const earned: { orderGid: string; name: string | null; customerId: number; points: number; kept: boolean }[] = [];
  const skipped: { orderGid: string; name: string | null; customerId: number; why: BackfillSkip }[] = [];
  const audits: AuditInput[] = [];
  // Each order's audit line names the backfill as its import's page does: "Orders since Nov 1, 2026 (Toronto time)".
  const [batch] = preview
    ? []
    : await tx
        .select({ fileName: imports.fileName })
        .from(imports)
        .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.batchId)));
  const previewed = preview
    ? new Set<string>()
    : await previewedAmong(
        tx,
        ctx.shop,
        input.batchId,
        page.map((order) => order.orderGid),
      );
  for (const order of page) {
    const planned = await planFor(ctx, tx, order, String(input.batchId));
    if (!planned) {
      if (previewed.has(order.orderGid) && order.customerId !== null) {
        const paid = (order.pointsState as OrderPointsState).paid;
        const why = paid && paid.skippedReason === null && paid.earned > 0 ? "alreadyGiven" : "noLongerEarns";
        skipped.push({ orderGid: order.orderGid, name: order.name, customerId: order.customerId, why });
      }
      continue;
    }
    if (!preview) {
      const { inserted, totals } = await appendEntries({
        ctx,
        tx,
        customerId: planned.owner.id,
        entries: planned.plan.entries,
      });
      await tx.update(orders).set({ pointsState: planned.plan.state }).where(eq(orders.id, order.id));
      if (inserted.length > 0)
        audits.push({
          action: "points.backfill",
          subject: customerSubject(planned.owner),
          customerId: planned.owner.id,
          before: { balance: planned.owner.pointsBalance },
          after: {
            points: orderPointsHeld(planned.plan.state),
            balance: totals.balance,
            order: order.name ?? order.orderGid,
            import: { id: input.batchId, fileName: batch?.fileName ?? null },
          },
          taskId: input.taskId ?? null,
        });
    }
    earned.push({
      orderGid: order.orderGid,
      name: order.name,
      customerId: planned.owner.id,
      // What the order holds once its refunds took their share: what it gives in the end.
      points: orderPointsHeld(planned.plan.state),
      kept: Object.keys(planned.plan.state.refunds).length > 0,
    });
  }
  if (earned.length > 0 || skipped.length > 0) {
    const [row] = await tx
      .select({ summary: imports.summary })
      .from(imports)
      .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.batchId)));
    const summary = { ...((row?.summary ?? {}) as Record<string, number>) };
    const add = (key: string, by: number) => (summary[key] = (summary[key] ?? 0) + by);
    const points = earned.reduce((sum, order) => sum + order.points, 0);
    if (preview) {
      add("orders", earned.length);
      add("points", points);
    } else {
      await movePreviewShares({ ctx, tx, input: { batchId: input.batchId, moved: earned, by: "given" } });
      add("givenOrders", earned.length);
      add("givenPoints", points);
      for (const order of skipped) add(order.why, 1);
    }
    await tx
      .update(imports)
      .set({ summary })
      .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.batchId)));
  }
  await recordAudits({ ctx, tx, input: audits });
  return { earned, skipped };
}

/**
 * Keeps every other open preview's figures true when a backfill gives or takes back points (inside its chunk's
 * transaction): a preview still counting or counted ("checking", "checked") that counted one of `moved` has that
 * order's share (what its preview said it earns, `task_items.points`; the given points for a preview counted before
 * that column) added to `takenOrders`/`takenPoints` when `by` is "given", and taken off them when "undone" (the order
 * earns nothing again). The page then offers what is left (backfillLeft), not a total another backfill gave since.
 * One read of the shop's imports (a handful) and one of the previews' results by (shop, task, item) for the chunk's
 * orders, whatever the size of the shop. Preview, give and undo tasks share the shop's write lane, so no chunk of one
 * runs between the reads and the writes of another.
 */
export async function movePreviewShares({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { batchId: number; moved: readonly { orderGid: string; points: number }[]; by: "given" | "undone" };
}) {
  if (input.moved.length === 0) return;
  const open = await tx
    .select({ id: imports.id, taskId: imports.taskId, summary: imports.summary })
    .from(imports)
    .where(
      and(
        eq(imports.shop, ctx.shop),
        eq(imports.kind, "orders"),
        inArray(imports.status, ["checking", "checked"]),
        ne(imports.id, input.batchId),
        isNotNull(imports.taskId),
      ),
    );
  if (open.length === 0) return;
  const pointsOf = new Map(input.moved.map((order) => [order.orderGid, order.points]));
  const counted = await tx
    .select({ taskId: taskItems.taskId, key: taskItems.itemKey, points: taskItems.points })
    .from(taskItems)
    .where(
      and(
        eq(taskItems.shop, ctx.shop),
        inArray(
          taskItems.taskId,
          open.map((preview) => preview.taskId!),
        ),
        inArray(taskItems.itemKey, [...pointsOf.keys()]),
        eq(taskItems.outcome, "done"),
      ),
    );
  const sign = input.by === "given" ? 1 : -1;
  for (const preview of open) {
    const mine = counted.filter((item) => item.taskId === preview.taskId);
    if (mine.length === 0) continue;
    const summary = { ...(preview.summary as Record<string, number>) };
    const points = mine.reduce((sum, item) => sum + (item.points ?? pointsOf.get(item.key) ?? 0), 0);
    summary.takenOrders = Math.max(0, (summary.takenOrders ?? 0) + sign * mine.length);
    summary.takenPoints = Math.max(0, (summary.takenPoints ?? 0) + sign * points);
    await tx
      .update(imports)
      .set({ summary })
      .where(and(eq(imports.shop, ctx.shop), eq(imports.id, preview.id)));
  }
}
