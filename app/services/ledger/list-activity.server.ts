import { and, asc, desc, eq, gt, inArray, like, lt, or, sql } from "drizzle-orm";
import { kindsForActivity, likePattern, type ActivityFilter, type ActivitySort } from "~/domain/ledger";
import { customers, ledgerEntries } from "~/db/schema";
import type { ServiceContext } from "../context";

export interface ActivityRow {
  id: number;
  kind: string;
  /** Signed effect on the spendable balance (or on held points when `held`). */
  points: number;
  held: boolean;
  explanation: string;
  actor: string;
  /**
   * Who acted, by name: the staff member as Shopify named them when they acted, or the customer for their own
   * redemptions (looked up now, so an erased customer is no longer named). Null when no name is known.
   */
  actorName: string | null;
  createdAt: string;
}

/**
 * A page of one customer's ledger, newest first (or oldest first), keyset-paginated by id: `cursor` is the last id of
 * the previous page, so ledger_entries_customer_idx (shop, customer_id, id) walks straight to it however long the
 * history is. `search` matches an order name, a reason or who acted anywhere in the explanation, the staff reason
 * (`note`) or the staff member's name, ignoring case; it scans only this customer's rows, through the same index.
 * The Pending tab lists entries that moved held points and the releases that made them spendable.
 */
export async function listActivity({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    customerId: number;
    filter: ActivityFilter;
    search?: string;
    sort?: ActivitySort;
    cursor?: number;
    limit: number;
  };
}): Promise<{ rows: ActivityRow[]; nextCursor: number | undefined }> {
  const kinds = kindsForActivity(input.filter);
  const oldestFirst = input.sort === "oldest";
  const pattern = input.search ? likePattern(input.search.toLowerCase()) : null;
  const matches = (
    column: typeof ledgerEntries.explanation | typeof ledgerEntries.note | typeof ledgerEntries.actorName,
  ) => like(sql`lower(${column})`, sql`${pattern} escape '\\'`);
  const rows = await ctx.db
    .select({
      id: ledgerEntries.id,
      kind: ledgerEntries.kind,
      points: ledgerEntries.points,
      held: ledgerEntries.held,
      explanation: ledgerEntries.explanation,
      actor: ledgerEntries.actor,
      actorName: ledgerEntries.actorName,
      createdAt: ledgerEntries.createdAt,
    })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.shop, ctx.shop),
        eq(ledgerEntries.customerId, input.customerId),
        // An entry moved in from a merged customer shows where the entry it moved would.
        input.filter === "pending"
          ? or(eq(ledgerEntries.held, true), eq(ledgerEntries.kind, "release"))
          : kinds
            ? or(
                inArray(ledgerEntries.kind, [...kinds]),
                and(eq(ledgerEntries.kind, "move_in"), inArray(ledgerEntries.sourceType, [...kinds])),
              )
            : undefined,
        pattern
          ? or(matches(ledgerEntries.explanation), matches(ledgerEntries.note), matches(ledgerEntries.actorName))
          : undefined,
        input.cursor ? (oldestFirst ? gt : lt)(ledgerEntries.id, input.cursor) : undefined,
      ),
    )
    .orderBy(oldestFirst ? asc(ledgerEntries.id) : desc(ledgerEntries.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const named = await withCustomerNames(ctx, page);
  return { rows: named, nextCursor: rows.length > input.limit ? page.at(-1)?.id : undefined };
}

/** Storefront redemptions are recorded under the customer's gid; the log shows their name instead. */
async function withCustomerNames(ctx: ServiceContext, rows: ActivityRow[]): Promise<ActivityRow[]> {
  const gids = [
    ...new Set(rows.map((row) => row.actor).filter((actor) => actor.startsWith("gid://shopify/Customer/"))),
  ];
  if (gids.length === 0) return rows;
  const found = await ctx.db
    .select({ gid: customers.customerGid, firstName: customers.firstName, lastName: customers.lastName })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), inArray(customers.customerGid, gids)));
  const names = new Map(found.map((c) => [c.gid, [c.firstName, c.lastName].filter(Boolean).join(" ") || null]));
  return rows.map((row) => (names.has(row.actor) ? { ...row, actorName: names.get(row.actor) ?? null } : row));
}
