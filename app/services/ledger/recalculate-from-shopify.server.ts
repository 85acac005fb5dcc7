import { refuseIfDeleted } from "~/domain/customers";
import { createHash } from "node:crypto";
import { and, desc, eq, inArray, lte, or } from "drizzle-orm";
import {
  compareOrder,
  earningContextAt,
  emptyOrderState,
  isComparedEntry,
  ledgerKeys,
  normalizeOrderState,
  planOrderEvent,
  recalculationEntry,
  zeroTotals,
  type LedgerEntry,
  type OrderPointsState,
  type OrderRecalculation,
} from "~/domain/ledger";
import { defaultProgram, programSchema, type Program } from "~/domain/program";
import { adminMoneyInText, currencyCodeSchema, DomainError } from "~/domain/shared";
import { customers, ledgerEntries, orders, programVersions, shops } from "~/db/schema";
import { customerSubject, recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext } from "../context";
import { factsOf } from "../customers/customer-facts.server";
import type { OrderRead, ShopifyCustomerReader } from "../customers/sync-customer-now.server";
import { applyOrderEvents } from "../orders/apply-order-event.server";
import { appendEntries } from "./append-entries.server";
import { getShopCurrency } from "../shops/get-shop.server";

export interface CustomerRecalculation {
  /** Orders whose expected and recorded points differ, each entry by entry; orders that agree are left out. */
  orders: OrderRecalculation[];
  /** Orders read from Shopify. */
  ordersRead: number;
  /** Net points the corrections would add (negative takes away). */
  difference: number;
  /** Names this exact difference; applying asks for it back, so staff apply what they saw and nothing else. */
  fingerprint: string;
}

type CustomerRow = typeof customers.$inferSelect;

/** The program version in force when the order was paid: the one it recorded, else the newest saved by then. */
async function programInForce(
  ctx: ServiceContext,
  state: OrderPointsState | null,
  paidAt: string | null,
  currency: string,
) {
  const recorded = state?.paid?.programVersion;
  const [row] = await ctx.db
    .select()
    .from(programVersions)
    .where(
      and(
        eq(programVersions.shop, ctx.shop),
        recorded !== undefined
          ? eq(programVersions.version, recorded)
          : lte(programVersions.createdAt, paidAt ?? ctx.now.toISOString()),
      ),
    )
    .orderBy(desc(programVersions.version))
    .limit(1);
  const code = currencyCodeSchema.parse(row?.currency ?? currency);
  return row
    ? programSchema.parse({ version: row.version, currency: code, settings: row.settings })
    : defaultProgram(code);
}

/** The entries Shopify's view of the order should have written, replayed from nothing through the same planner. */
async function expectedEntries(
  ctx: ServiceContext,
  customer: CustomerRow,
  order: OrderRead,
  stored: OrderPointsState | null,
  installedAt: string,
): Promise<LedgerEntry[]> {
  // Loyalty starts at install: an order paid before it earns nothing, ever (as the install sync recorded it).
  if (stored?.paid?.skippedReason === "before_install") return [];
  if (!stored?.paid && order.facts.processedAt && order.facts.processedAt < installedAt) return [];
  const paidAt = order.facts.processedAt;
  let program: Program | null = null;
  let state = emptyOrderState(order.facts.orderGid);
  const entries: LedgerEntry[] = [];
  for (const event of order.events) {
    if (event.kind === "paid") program = await programInForce(ctx, stored, paidAt, event.currency);
    const plan = planOrderEvent(state, event, {
      program: program ?? defaultProgram(currencyCodeSchema.parse(order.facts.currency)),
      customer: earningContextAt(factsOf(customer), paidAt ?? ctx.now.toISOString(), customer.blocked),
      totals: { ...zeroTotals },
    });
    state = plan.state;
    entries.push(...plan.entries.filter(isComparedEntry));
  }
  return entries;
}

async function compare(
  ctx: ServiceContext,
  customer: CustomerRow,
  shopify: ShopifyCustomerReader,
): Promise<CustomerRecalculation & { reads: OrderRead[]; held: Map<string, boolean>; revisions: Map<string, number> }> {
  const [shop] = await ctx.db.select({ installedAt: shops.installedAt }).from(shops).where(eq(shops.shop, ctx.shop));
  const everything = async () => ({ knownRefunds: new Set<string>(), paid: false, linesWanted: true });
  const reads: OrderRead[] = [];
  const result: OrderRecalculation[] = [];
  const held = new Map<string, boolean>();
  const revisions = new Map<string, number>();
  for await (const order of shopify.orders(customer.customerGid, everything)) {
    reads.push(order);
    const orderGid = order.facts.orderGid;
    const [row] = await ctx.db
      .select({ pointsState: orders.pointsState })
      .from(orders)
      .where(and(eq(orders.shop, ctx.shop), eq(orders.orderGid, orderGid)));
    const stored = row ? normalizeOrderState(row.pointsState) : null;
    const expected = await expectedEntries(ctx, customer, order, stored, shop?.installedAt ?? ctx.now.toISOString());
    const refundGids = [
      ...Object.keys(stored?.refunds ?? {}),
      ...order.events.flatMap((e) => (e.kind === "refund" ? [e.refundGid] : [])),
    ];
    const recorded = await ctx.db
      .select({
        key: ledgerEntries.idempotencyKey,
        points: ledgerEntries.points,
        explanation: ledgerEntries.explanation,
      })
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.shop, ctx.shop),
          eq(ledgerEntries.customerId, customer.id),
          inArray(ledgerEntries.kind, ["earn", "reverse", "correct"]),
          or(
            eq(ledgerEntries.sourceGid, orderGid),
            refundGids.length ? inArray(ledgerEntries.sourceGid, refundGids) : undefined,
          ),
        ),
      )
      .orderBy(ledgerEntries.id);
    const comparison = compareOrder({ orderGid, orderName: order.facts.name, expected, recorded });
    held.set(orderGid, stored?.paid?.holdDays != null && !stored.released);
    const revisionPrefix = ledgerKeys.recalculateOrder(orderGid, 0).replace(/0$/, "");
    revisions.set(orderGid, recorded.filter((r) => r.key.startsWith(revisionPrefix)).length);
    if (comparison.difference !== 0 || comparison.lines.some((l) => l.expected !== l.recorded)) result.push(comparison);
  }
  const difference = result.reduce((sum, order) => sum + order.difference, 0);
  const fingerprint = createHash("sha256")
    .update(JSON.stringify(result.map((o) => [o.orderGid, o.lines.map((l) => [l.key, l.expected, l.recorded])])))
    .digest("hex")
    .slice(0, 16);
  return { orders: result, ordersRead: reads.length, difference, fingerprint, reads, held, revisions };
}

async function getCustomer(ctx: ServiceContext, customerId: number): Promise<CustomerRow> {
  const [row] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, customerId)));
  if (!row) throw new DomainError("not_found", "No such customer", { customerId });
  return row;
}

/** The customer, unless Shopify deleted them: then their points are history (410). */
async function getChangeableCustomer(ctx: ServiceContext, customerId: number): Promise<CustomerRow> {
  const row = await getCustomer(ctx, customerId);
  refuseIfDeleted(row, "recalculate");
  return row;
}

/**
 * Recalculate points from orders, the preview: every order of the customer read from Shopify now, replayed from nothing
 * under the program version in force when it was paid, beside what the ledger holds, entry by entry. Writes nothing.
 * Throws "not_found" for a customer of another shop.
 */
export async function previewRecalculation({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { customerId: number };
  shopify: ShopifyCustomerReader;
}): Promise<CustomerRecalculation> {
  const {
    orders: changed,
    ordersRead,
    difference,
    fingerprint,
  } = await compare(ctx, await getChangeableCustomer(ctx, input.customerId), shopify);
  // Each line's money as the admin writes it (decision 052); the fingerprint was taken over points, not words.
  const storeCurrency = await getShopCurrency({ ctx });
  const worded = changed.map((order) => ({
    ...order,
    lines: order.lines.map((line) => ({ ...line, explanation: adminMoneyInText(line.explanation, { storeCurrency }) })),
  }));
  return { orders: worded, ordersRead, difference, fingerprint };
}

/**
 * Recalculate points from orders, applied once staff confirmed the preview named by `fingerprint`. What Shopify has that
 * Tally missed (a payment, a refund, a cancellation) is applied first through the services webhooks use, so each
 * gets its own explained entry and a late webhook for it changes nothing; whatever still differs gets one `correct`
 * entry per order saying both sides; the audit trail records the balance before and after (`points.recalculate`). Throws "conflict" when Shopify or the ledger changed since the preview (staff
 * look again), "not_found" for a customer of another shop.
 */
export async function applyRecalculation({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { customerId: number; fingerprint: string };
  shopify: ShopifyCustomerReader;
}): Promise<{ corrected: number; points: number }> {
  const customer = await getChangeableCustomer(ctx, input.customerId);
  const seen = await compare(ctx, customer, shopify);
  if (seen.fingerprint !== input.fingerprint) {
    throw new DomainError(
      "conflict",
      "Shopify or the ledger changed since you recalculated; review the difference again",
    );
  }
  for (const order of seen.reads) {
    if (seen.orders.some((o) => o.orderGid === order.facts.orderGid)) await applyOrderEvents({ ctx, input: order });
  }
  const remaining = await compare(ctx, await getCustomer(ctx, input.customerId), shopify);
  const corrections = remaining.orders
    .filter((order) => order.difference !== 0)
    .map((order) =>
      recalculationEntry(
        order,
        (remaining.revisions.get(order.orderGid) ?? 0) + 1,
        remaining.held.get(order.orderGid) ?? false,
      ),
    );
  const points = await inTransaction(ctx, async (tx) => {
    if (corrections.length > 0) await appendEntries({ ctx, tx, customerId: customer.id, entries: corrections });
    const [after] = await tx.select().from(customers).where(eq(customers.id, customer.id));
    const moved = after!.pointsBalance + after!.pointsPending - (customer.pointsBalance + customer.pointsPending);
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "points.recalculate",
        subject: customerSubject(customer),
        customerId: customer.id,
        before: { balance: customer.pointsBalance, pending: customer.pointsPending },
        after: {
          balance: after!.pointsBalance,
          pending: after!.pointsPending,
          orders: seen.orders.map((order) => ({ order: order.orderName, difference: order.difference })),
        },
        requestId: input.fingerprint,
      },
    });
    return moved;
  });
  return { corrected: seen.orders.length, points };
}
