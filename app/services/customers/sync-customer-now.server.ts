import { and, eq } from "drizzle-orm";
import type { OrderEvent } from "~/domain/ledger";
import { DomainError, formatMinor } from "~/domain/shared";
import { customers, orders } from "~/db/schema";
import { customerSubject, recordAudit } from "../audit/record-audit.server";
import { recordStoreCreditBalance, type StoreCreditAccountView } from "../store-credit/store-credit.server";
import { inTransaction, type ServiceContext } from "../context";
import { applyOrderEvent, applyOrderEvents, orderSyncNeeds, type OrderFacts } from "../orders/apply-order-event.server";
import { reconcileCustomer } from "./sync-customer.server";

/** What Tally already knows of an order, so a reader fetches only what is missing (refunds unseen, lines wanted). */
export type OrderNeeds = Awaited<ReturnType<typeof orderSyncNeeds>>;

/** One order as Shopify has it now, as the events its webhooks would have delivered. */
export interface OrderRead {
  facts: OrderFacts;
  events: OrderEvent[];
}

/**
 * Reads one customer and their orders from the Admin API (app/shopify/admin/customer-reader.server.ts), so this
 * service knows nothing of Shopify. `customer` is null when Shopify no longer has the customer. `orders` reads what
 * `needsOf` says is missing; given `() => nothing known`, it reads every refund and every line.
 */
export interface ShopifyCustomerReader {
  customer(customerGid: string): Promise<Parameters<typeof reconcileCustomer>[0]["input"] | null>;
  orders(customerGid: string, needsOf: (orderGid: string) => Promise<OrderNeeds>): AsyncIterable<OrderRead>;
  /** The customer's store credit accounts (Shopify sends no store credit webhook, so Sync reads them). */
  storeCreditAccounts(customerGid: string): Promise<StoreCreditAccountView[] | null>;
}

export interface CustomerSyncResult {
  /** False when Shopify no longer has the customer; nothing was changed then. */
  found: boolean;
  /** What changed, as staff read it: ["email updated", "1 order found that was missed"]; empty when nothing did. */
  changes: string[];
  ordersRead: number;
  entriesWritten: number;
}

const contactFields = [
  ["email", "email"],
  ["name", "firstName", "lastName"],
  ["phone", "phone"],
  ["location", "city", "province", "countryCode"],
] as const;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the audit trail keeps of the customer before and after a sync. */
function snapshotOf(row: typeof customers.$inferSelect) {
  return {
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    phone: row.phone,
    status: row.status,
    balance: row.pointsBalance,
    pending: row.pointsPending,
    storeCreditMinor: row.storeCreditMinor,
    storeCreditCurrency: row.storeCreditCurrency,
  };
}

async function getRow(ctx: ServiceContext, customerId: number) {
  const [row] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, customerId)));
  if (!row) throw new DomainError("not_found", "No such customer", { customerId });
  return row;
}

/**
 * The profile's Sync customer: reads the customer and every order of theirs from Shopify now and applies them
 * through the services webhooks and reconciliation use (`reconcileCustomer`, `applyOrderEvent`), so what a missed
 * webhook would have done is done, once. Returns what changed in words ("email updated", "1 order found that was
 * missed", "1 refund found that was missed", "+40 points"), and records it in the audit trail (`customer.sync`). Throws "not_found" for a customer of another shop.
 */
export async function syncCustomerNow({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { customerId: number };
  shopify: ShopifyCustomerReader;
}): Promise<CustomerSyncResult> {
  const before = await getRow(ctx, input.customerId);
  const read = await shopify.customer(before.customerGid);
  if (!read)
    return { found: false, changes: ["Shopify no longer has this customer"], ordersRead: 0, entriesWritten: 0 };
  await reconcileCustomer({
    ctx,
    input: { ...read, snapshot: { ...read.snapshot, existedBeforeInstall: false, readNow: true } },
  });

  let ordersRead = 0;
  let missedOrders = 0;
  let missedRefunds = 0;
  let entriesWritten = 0;
  const known = new Map<string, OrderNeeds & { exists: boolean }>();
  const needsOf = async (orderGid: string) => {
    const [row] = await ctx.db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.shop, ctx.shop), eq(orders.orderGid, orderGid)));
    const needs = await orderSyncNeeds({ ctx, input: { orderGid } });
    known.set(orderGid, { ...needs, exists: row !== undefined });
    return needs;
  };
  for await (const order of shopify.orders(before.customerGid, needsOf)) {
    ordersRead += 1;
    const was = known.get(order.facts.orderGid);
    if (!was?.exists) missedOrders += 1;
    missedRefunds += order.events.filter((e) => e.kind === "refund" && !was?.knownRefunds.has(e.refundGid)).length;
    if (order.events.length > 0) {
      entriesWritten += (await applyOrderEvents({ ctx, input: order })).entries;
    } else {
      // Not paid yet (or nothing new): its facts still belong on the profile's orders card.
      await inTransaction(ctx, (tx) =>
        applyOrderEvent({ ctx, tx, input: { event: null, facts: order.facts, afterInstall: true } }),
      );
    }
  }

  const accounts = await shopify.storeCreditAccounts(before.customerGid);
  if (accounts) {
    await inTransaction(ctx, (tx) => recordStoreCreditBalance({ ctx, tx, input: { customerId: before.id, accounts } }));
  }

  const after = await getRow(ctx, input.customerId);
  const changes: string[] = [];
  for (const [label, ...fields] of contactFields) {
    if (fields.some((field) => before[field] !== after[field])) changes.push(`${label} updated`);
  }
  if (before.status !== after.status) changes.push(`now a ${after.status === "member" ? "Member" : "Guest"}`);
  if (missedOrders > 0)
    changes.push(`${plural(missedOrders, "order", "orders")} found that ${missedOrders === 1 ? "was" : "were"} missed`);
  if (missedRefunds > 0)
    changes.push(
      `${plural(missedRefunds, "refund", "refunds")} found that ${missedRefunds === 1 ? "was" : "were"} missed`,
    );
  const moved = after.pointsBalance + after.pointsPending - (before.pointsBalance + before.pointsPending);
  if (before.storeCreditMinor !== after.storeCreditMinor || before.storeCreditCurrency !== after.storeCreditCurrency) {
    changes.push(
      `store credit now ${after.storeCreditCurrency ? `${formatMinor(after.storeCreditMinor, after.storeCreditCurrency)} ${after.storeCreditCurrency}` : "none"}`,
    );
  }
  if (moved !== 0) changes.push(`${moved > 0 ? "+" : "\u2212"}${plural(Math.abs(moved), "point", "points")}`);
  await inTransaction(ctx, (tx) =>
    recordAudit({
      ctx,
      tx,
      input: {
        action: "customer.sync",
        subject: customerSubject(after),
        customerId: after.id,
        before: snapshotOf(before),
        after: { ...snapshotOf(after), changes },
      },
    }),
  );
  return { found: true, changes, ordersRead, entriesWritten };
}
