import { and, eq, inArray } from "drizzle-orm";
import type { CustomerSelection } from "~/domain/background-jobs";
import { customers } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { countMatchingCustomers, listMatchingCustomerIds } from "./customer-query.server";

/*
 * The customers a bulk action or an export acts on (decision 026): the rows staff ticked, or every customer matching
 * a frozen directory query, read in id order a batch at a time so a task's checkpoint is simply the last id done.
 */

const selectedColumns = {
  id: customers.id,
  customerGid: customers.customerGid,
  firstName: customers.firstName,
  lastName: customers.lastName,
  email: customers.email,
  phone: customers.phone,
  status: customers.status,
  blocked: customers.blocked,
  tags: customers.tags,
  pointsBalance: customers.pointsBalance,
  pointsPending: customers.pointsPending,
  joinedAt: customers.joinedAt,
  lastOrderAt: customers.lastOrderAt,
  ordersCount: customers.ordersCount,
  amountSpentMinor: customers.amountSpentMinor,
  currency: customers.currency,
  storeCreditMinor: customers.storeCreditMinor,
  storeCreditCurrency: customers.storeCreditCurrency,
  city: customers.city,
  countryCode: customers.countryCode,
  emailMarketingState: customers.emailMarketingState,
  taxExempt: customers.taxExempt,
  referralJoinedAt: customers.referralJoinedAt,
  successfulReferrals: customers.successfulReferrals,
  referrerRevenueMinor: customers.referrerRevenueMinor,
  refereeRevenueMinor: customers.refereeRevenueMinor,
};

export type SelectedCustomer = Awaited<ReturnType<typeof listSelectedCustomers>>["rows"][number];

/**
 * The next batch of at most `limit` customers of the selection after customer id `afterId` (0 for the first), in id
 * order, and `lastId`, where the next batch starts (undefined: the selection is done). Ticked rows of another shop
 * or no longer stored are not returned.
 */
export async function listSelectedCustomers({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { selection: CustomerSelection; afterId: number; limit: number };
}) {
  const ids =
    "ids" in input.selection
      ? [...new Set(input.selection.ids)]
          .filter((id) => id > input.afterId)
          .sort((a, b) => a - b)
          .slice(0, input.limit)
      : await listMatchingCustomerIds({
          ctx,
          input: { query: input.selection.query, afterId: input.afterId, limit: input.limit },
        });
  if (ids.length === 0) return { rows: [], lastId: undefined };
  const rows = await ctx.db
    .select(selectedColumns)
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), inArray(customers.id, ids)))
    .orderBy(customers.id);
  return { rows, lastId: ids.at(-1)! };
}

/** How many customers the selection holds, for the progress bar: exact or Shopify-style "at least" (null: unknown). */
export async function countSelectedCustomers({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { selection: CustomerSelection };
}): Promise<number | null> {
  if ("ids" in input.selection) {
    const ids = [...new Set(input.selection.ids)];
    let found = 0;
    for (let at = 0; at < ids.length; at += 500) {
      const rows = await ctx.db
        .select({ id: customers.id })
        .from(customers)
        .where(and(eq(customers.shop, ctx.shop), inArray(customers.id, ids.slice(at, at + 500))));
      found += rows.length;
    }
    return found;
  }
  const { count, precision } = await countMatchingCustomers({ ctx, input: { query: input.selection.query } });
  return precision === "exact" ? count : null;
}

/**
 * Blocks or unblocks the given customers in the caller's transaction, answering which ones changed (a customer
 * already in the state asked for is left alone). The bulk action's audit line is its task.start (decision 017).
 */
export async function setBlockedInBulk({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { customerIds: readonly number[]; blocked: boolean };
}): Promise<{ changed: Set<number> }> {
  if (input.customerIds.length === 0) return { changed: new Set() };
  const rows = await tx
    .update(customers)
    .set({ blocked: input.blocked, updatedAt: ctx.now.toISOString() })
    .where(
      and(
        eq(customers.shop, ctx.shop),
        inArray(customers.id, [...input.customerIds]),
        eq(customers.blocked, !input.blocked),
      ),
    )
    .returning({ id: customers.id });
  return { changed: new Set(rows.map((row) => row.id)) };
}
