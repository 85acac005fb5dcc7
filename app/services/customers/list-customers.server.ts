import { and, eq, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import {
  encodeDirectoryCursor,
  parseDirectorySort,
  prefixUpperBound,
  searchKey,
  type CustomerDirectoryPage,
  type DirectoryCursor,
  type DirectoryPoints,
  type DirectorySort,
  type DirectorySortKey,
  type DirectoryStatus,
} from "~/domain/customers";
import { isTrue, withoutIndex } from "~/db/dialect";
import { customers } from "~/db/schema";
import type { ServiceContext } from "../context";
import { getShopCurrency } from "../shops/get-shop.server";

export interface ListCustomersInput {
  search?: string;
  sort: DirectorySort;
  status?: DirectoryStatus;
  points?: DirectoryPoints;
  /** Keyset position: the page after `after`, or the page before `before`. */
  after?: DirectoryCursor;
  before?: DirectoryCursor;
  limit: number;
}

// Each key leads a (shop, key, id) index; see app/db/customers.ts.
const sortColumns = {
  points: customers.pointsBalance,
  joined: customers.joinedSort,
  name: customers.searchName,
  orders: customers.ordersCount,
  spent: customers.amountSpentMinor,
  referrals: customers.successfulReferrals,
  referrer: customers.referrerRevenueMinor,
  referee: customers.refereeRevenueMinor,
} satisfies Record<DirectorySortKey, AnyColumn>;

/**
 * A term written with `indexable` may drive the plan; with `filterOnly` (same value, `withoutIndex`) SQLite may not use
 * an index for it. Without statistics the planner guesses wrong both ways: it walks a sort index to find 50 of 300
 * blocked customers (0.9 s at 1M), or sorts 690,000 customers with points rather than walk the name index.
 */
type Term = (column: AnyColumn) => SQL;
const indexable: Term = (column) => sql`${column}`;
const filterOnly: Term = (column) => withoutIndex(column);

/** Email or name starting with the text, case-insensitively: two ranges on the lowercased keys. */
function searchCondition(search: string, term: Term): SQL {
  const low = searchKey(search);
  const high = prefixUpperBound(low);
  return or(
    sql`(${term(customers.searchEmail)} >= ${low} and ${term(customers.searchEmail)} < ${high})`,
    sql`(${term(customers.searchName)} >= ${low} and ${term(customers.searchName)} < ${high})`,
  )!;
}

function statusCondition(status: DirectoryStatus, term: Term): SQL {
  return status === "blocked" ? isTrue(term(customers.blocked)) : sql`${term(customers.status)} = ${status}`;
}

function pointsCondition(points: DirectoryPoints, term: Term): SQL {
  const operator = { positive: sql`>`, zero: sql`=`, negative: sql`<` }[points];
  return sql`${term(customers.pointsBalance)} ${operator} 0`;
}

/**
 * Below this many matches a filter is narrow: its own index finds them all and sorting them is cheap. Above it, the
 * matches are dense enough that walking the sort's index finds a page within a few thousand rows.
 */
const NARROW_MATCHES = 5_000;

/**
 * A page of the shop's directory, keyset-paginated on (sort key, id) so page 10,000 costs what page 1 does: the cursor
 * is a row-value bound on the sort's index. A `before` page is read backwards and turned round.
 */
export async function listCustomers({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: ListCustomersInput;
}): Promise<CustomerDirectoryPage> {
  const { key, direction } = parseDirectorySort(input.sort);
  const column = sortColumns[key];
  const backwards = input.before !== undefined;
  const descending = (direction === "desc") !== backwards;
  const cursor = input.after ?? input.before;
  const shop = eq(customers.shop, ctx.shop);

  // The filters that may be narrow enough to drive the query; points ranges on the points index are sorted already.
  const candidates = [
    input.search ? (term: Term) => searchCondition(input.search!, term) : undefined,
    input.status === "blocked" ? (term: Term) => statusCondition("blocked", term) : undefined,
    input.points && key !== "points" ? (term: Term) => pointsCondition(input.points!, term) : undefined,
  ].filter((candidate) => candidate !== undefined);
  let narrow: ((term: Term) => SQL) | undefined;
  for (const candidate of candidates) {
    const probe = ctx.db
      .select({ one: sql`1` })
      .from(customers)
      .where(and(shop, candidate(indexable)))
      .limit(NARROW_MATCHES);
    const [counted] = await ctx.db.select({ matches: sql`count(*)`.mapWith(Number) }).from(probe.as("probe"));
    if ((counted?.matches ?? 0) < NARROW_MATCHES) {
      narrow = candidate;
      break;
    }
  }

  const walk = narrow ? filterOnly : indexable;
  const conditions = [
    input.search ? searchCondition(input.search, filterOnly) : undefined,
    input.status ? statusCondition(input.status, filterOnly) : undefined,
    input.points ? pointsCondition(input.points, key === "points" ? walk : filterOnly) : undefined,
    narrow?.(indexable),
    cursor
      ? sql`(${walk(column)}, ${walk(customers.id)}) ${descending ? sql`<` : sql`>`} (${cursor.value}, ${cursor.id})`
      : undefined,
  ];
  const order = descending ? sql`desc` : sql`asc`;

  const rows = await ctx.db
    .select({
      id: customers.id,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
      status: customers.status,
      blocked: customers.blocked,
      mergedIntoId: customers.mergedIntoId,
      pointsBalance: customers.pointsBalance,
      joinedAt: customers.joinedAt,
      ordersCount: customers.ordersCount,
      amountSpentMinor: customers.amountSpentMinor,
      currency: customers.currency,
      city: customers.city,
      countryCode: customers.countryCode,
      successfulReferrals: customers.successfulReferrals,
      referrerRevenueMinor: customers.referrerRevenueMinor,
      refereeRevenueMinor: customers.refereeRevenueMinor,
      sortValue: column,
    })
    .from(customers)
    .where(and(shop, ...conditions))
    .orderBy(sql`${walk(column)} ${order}`, sql`${walk(customers.id)} ${order}`)
    .limit(input.limit + 1);

  const hasMore = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  if (backwards) page.reverse();
  const cursorOf = (row: (typeof page)[number]) => encodeDirectoryCursor({ value: row.sortValue ?? "", id: row.id });
  const first = page.at(0);
  const last = page.at(-1);
  return {
    customers: page.map(({ firstName, lastName, sortValue: _sortValue, mergedIntoId, ...row }) => ({
      merged: mergedIntoId !== null,
      ...row,
      name: [firstName, lastName].filter(Boolean).join(" ") || "(no name)",
    })),
    shopCurrency: await getShopCurrency({ ctx }),
    nextCursor: last && (backwards || hasMore) ? cursorOf(last) : undefined,
    previousCursor: first && (backwards ? hasMore : cursor !== undefined) ? cursorOf(first) : undefined,
  };
}
