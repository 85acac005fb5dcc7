import { and, eq, gt, inArray, sql, type AnyColumn, type SQL, type SQLWrapper } from "drizzle-orm";
import { shopDayEnd, shopDayStart } from "~/domain/shared/shop-time";
import { phoneSearchDigits } from "~/domain/shared";
import { getShopCountry, getShopTimeZone } from "~/services/shops/get-shop.server";
import {
  isSearchWithoutLettersOrDigits,
  parseDirectorySort,
  searchTerms,
  tagChoices,
  tagKey,
  type CustomerCount,
  type CustomerQuery,
  type DirectoryCursor,
  type DirectorySortKey,
} from "~/domain/customers";
import {
  containsText,
  countIndexedMatches,
  idsContainingAll,
  idsContainingAnyTrigram,
  trigramsStartingWith,
} from "~/db/customer-search";
import { isTrue, withoutIndex } from "~/db/dialect";
import { customerCounts, customerFacets, customers, customerTags } from "~/db/schema";
import type { ServiceContext } from "../context";

/*
 * One customer query (app/domain/customers/customer-query.ts) turned into SQL, for the directory's pages and counts
 * and for whatever acts on "all that match" (bulk actions, exports). Decision 019 has the why; in short:
 *
 * At 1,000,000 customers, a page is cheap only when the query reads few rows. There are three ways to read few:
 * - drive by a narrow condition: read its few matches through its own index (the trigram index for a search, a
 *   partial index for blocked customers, customer_tags for a tag), test the rest on each, and sort what is left;
 * - intersect the id sets of two conditions that are each broad but narrow together, then read the few in common;
 * - walk the sort's (shop, key, id) index in order and test every condition on each row, stopping at a page: cheap
 *   when matches are dense, since a page needs about page/density rows.
 * SQLite's planner has no statistics about one shop's data and gets this wrong both ways, so the service chooses:
 * it sizes each condition (from the kept counters, the tag and country counts, a count bounded at PROBE_CAP
 * through the condition's own index, or a sample), estimates each plan's cost, and takes the cheapest.
 * The chosen plan is spelled out to SQLite: the driver's columns are written plainly, every other condition through
 * `withoutIndex` (so no other index is tempting), and in a walk only the sort's columns are indexable.
 *
 * Every read of the shop's customers starts from `listedIn`: the shop's customers Shopify has not deleted. A deleted
 * customer's row stays for the ledger (decisions 010, 022) and its profile opens by URL, but it is in no list, count,
 * search, filter, export or "all that match" (decision 036); the kept counters leave it out the same way (migration 0016).
 */

/** How many matches a bounded count reads at most before calling a condition broad. */
const PROBE_CAP = 20_000;
/** The match count shown exactly up to this; above it, "10,000+" unless a counter knows (Shopify's count limit). */
export const COUNT_CAP = 10_000;
/** The most rows a count reads one by one, in id order, before it estimates from what it read. */
const COUNT_ROW_BUDGET = 40_000;
/** The most rows a count reads through a driver (by id, so dearer than in order). */
const COUNT_DRIVEN_BUDGET = 20_000;
/** Rows of the shop tested to tell a broad short search term from a rare one. */
const SAMPLE_ROWS = 2_000;

type Term = (column: SQLWrapper) => SQL;
const indexable: Term = (column) => sql`${column}`;
const filterOnly: Term = (column) => withoutIndex(column);

/**
 * The shop's customers the directory lists: those Shopify has not deleted, tested on each row read (never an index's
 * choice: deleted customers are few), with the shop's column written as `shopTerm` asks.
 */
function listedIn(ctx: ServiceContext, shopTerm: Term = indexable): SQL {
  return and(sql`${shopTerm(customers.shop)} = ${ctx.shop}`, sql`${filterOnly(customers.deletedAt)} is null`)!;
}

/** Each key leads a (shop, key, id) index; see app/db/customers.ts. */
const sortColumns = {
  points: customers.pointsBalance,
  joined: customers.joinedSort,
  name: customers.nameSort,
  orders: customers.ordersCount,
  spent: customers.amountSpentMinor,
  last_order: customers.lastOrderSort,
  referrals: customers.successfulReferrals,
  referrer: customers.referrerRevenueMinor,
  referee: customers.refereeRevenueMinor,
  store_credit: customers.storeCreditMinor,
} satisfies Record<DirectorySortKey, AnyColumn>;

/**
 * The column a sort walks in `direction`: the sort key's, except Z–A by name, which walks `name_sort_desc` so that
 * customers with neither name nor email ("Guest (no email)") come last both ways (issue 10).
 */
function sortColumnOf(
  key: DirectorySortKey,
  direction: "asc" | "desc",
): (typeof sortColumns)[DirectorySortKey] | typeof customers.nameSortDesc {
  return key === "name" && direction === "desc" ? customers.nameSortDesc : sortColumns[key];
}

/** The (shop, key, id) index each sort walks. */
const sortIndexes = {
  points: "customers_shop_points_idx",
  joined: "customers_shop_joined_idx",
  name: "customers_shop_name_idx",
  orders: "customers_shop_orders_idx",
  spent: "customers_shop_spent_idx",
  last_order: "customers_shop_last_order_idx",
  referrals: "customers_shop_referrals_idx",
  referrer: "customers_shop_referrer_revenue_idx",
  referee: "customers_shop_referee_revenue_idx",
  store_credit: "customers_shop_store_credit_idx",
} satisfies Record<DirectorySortKey, string>;

interface Size {
  /** Matches in the shop, or an upper bound on them. */
  matches: number;
  /** Counted exactly (a counter), as opposed to bounded or estimated. */
  exact: boolean;
  /** A bounded count that reached its bound: `matches` is only a floor, so reading them all is no plan. */
  capped?: boolean;
}

interface Condition {
  name: string;
  /** The condition, with `term` wrapping each column an index could serve. */
  where: (term: Term) => SQL;
  size: () => Promise<Size>;
  /** The index that reads its matches, when reading them that way is cheap for few matches. */
  index?: string;
  /** Another way to drive: a subquery of matching ids (the trigram index, customer_tags); `shop` is then filter only. */
  ids?: () => Promise<SQL | undefined>;
  /** A range on this sort key: a walk of that key's index reads only the range. */
  sortKey?: DirectorySortKey;
}

type Counters = typeof customerCounts.$inferSelect;

const emptyCounters = (shop: string): Counters => ({
  shop,
  customers: 0,
  members: 0,
  guests: 0,
  paying: 0,
  nonConverting: 0,
  optedIn: 0,
  blocked: 0,
  pointsOutstanding: 0,
  pointsOwed: 0,
  customersOwing: 0,
});

/** The shop's kept counters (tab counts, points outstanding); zeros for a shop with no customers yet. */
export async function getCustomerCounters({ ctx }: { ctx: ServiceContext }): Promise<Counters> {
  const [row] = await ctx.db.select().from(customerCounts).where(eq(customerCounts.shop, ctx.shop));
  return row ?? emptyCounters(ctx.shop);
}

/** Countries by code; tags by key, summing every spelling of each (a customer carries one spelling of a tag). */
async function facetSize(ctx: ServiceContext, facet: "tag" | "country", values: string[]): Promise<Size> {
  const [row] = await ctx.db
    .select({ matches: sql`coalesce(sum(${customerFacets.customers}), 0)`.mapWith(Number) })
    .from(customerFacets)
    .where(
      and(
        eq(customerFacets.shop, ctx.shop),
        eq(customerFacets.facet, facet),
        inArray(facet === "tag" ? customerFacets.valueKey : customerFacets.value, values),
      ),
    );
  // Countries are exclusive; one customer may carry several of the tags.
  return { matches: row?.matches ?? 0, exact: facet === "country" || values.length === 1 };
}

/** Matches of a condition through its own index, read up to PROBE_CAP. */
async function probe(ctx: ServiceContext, where: SQL): Promise<Size> {
  const bounded = ctx.db
    .select({ one: sql`1` })
    .from(customers)
    // Deleted customers (few) are not tested for: a size is an estimate, and testing them reads each match's row.
    .where(and(eq(customers.shop, ctx.shop), where))
    .limit(PROBE_CAP);
  const [row] = await ctx.db.select({ matches: sql`count(*)`.mapWith(Number) }).from(bounded.as("probe"));
  const matches = row?.matches ?? 0;
  // A capped count is a lower bound: the condition is at least this broad.
  return { matches, exact: matches < PROBE_CAP, capped: matches >= PROBE_CAP };
}

/** The share of the shop's first rows that meet `where`, as an estimate of its density. */
async function sampleDensity(ctx: ServiceContext, where: SQL): Promise<number> {
  const sample = ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(listedIn(ctx))
    .orderBy(customers.id)
    .limit(SAMPLE_ROWS)
    .as("sample");
  const [row] = await ctx.db
    .select({
      rows: sql`count(*)`.mapWith(Number),
      matches: sql`coalesce(sum(case when ${where} then 1 else 0 end), 0)`.mapWith(Number),
    })
    .from(sample)
    .innerJoin(customers, eq(customers.id, sample.id));
  return row && row.rows > 0 ? row.matches / row.rows : 0;
}

function rangeWhere(column: SQLWrapper, range: { min?: number | string; max?: number | string }, term: Term): SQL {
  return and(
    range.min !== undefined ? sql`${term(column)} >= ${range.min}` : undefined,
    range.max !== undefined ? sql`${term(column)} <= ${range.max}` : undefined,
  )!;
}

function hasRange(range: { min?: unknown; max?: unknown; from?: unknown; to?: unknown }): boolean {
  return Object.values(range).some((value) => value !== undefined);
}

/**
 * The trigram index's ids for the long terms, chosen once per request (per ServiceContext): a rare term is sized from
 * them and then read by them (countIndexedMatches, then the driver), and a page and its count plan the same query;
 * each asking idsContainingAll again read the 256-row sample and the vocabulary again. Not kept beyond the request:
 * which trigrams are rarest changes as customers come, and the ids are a superset the row test narrows whichever
 * trigrams were chosen.
 */
const searchIdsByRequest = new WeakMap<ServiceContext, Map<string, Promise<SQL>>>();
function searchIdsOf(ctx: ServiceContext, terms: string[]): Promise<SQL> {
  let memo = searchIdsByRequest.get(ctx);
  if (!memo) searchIdsByRequest.set(ctx, (memo = new Map()));
  const key = terms.join("\u0000");
  let ids = memo.get(key);
  if (!ids) {
    ids = idsContainingAll(ctx.db, terms);
    memo.set(key, ids);
    // A failed read is not kept: the next ask tries again.
    ids.catch(() => memo.delete(key));
  }
  return ids;
}

/** The search box as conditions: one per term; see app/db/customer-search.ts for how short terms are found. */
function searchConditions(ctx: ServiceContext, search: string, total: number, country: string | null): Condition[] {
  // Punctuation alone matches no one, not everyone (isSearchWithoutLettersOrDigits); a constant false reads no row.
  if (isSearchWithoutLettersOrDigits(search))
    return [{ name: "search:nothing", where: () => sql`1 = 0`, size: async () => ({ matches: 0, exact: true }) }];
  const terms = searchTerms(search, (phone) => phoneSearchDigits(phone, country));
  if (terms.length === 0) return [];
  const long = terms.filter((term) => [...term].length >= 3);
  const short = terms.filter((term) => [...term].length < 3);
  const testAll = (list: string[]) => (term: Term) =>
    and(...list.map((each) => containsText(ctx.db, term(customers.searchText), each)))!;
  const conditions: Condition[] = [];
  if (long.length > 0) {
    const indexedIds = () => searchIdsOf(ctx, long);
    conditions.push({
      name: "search",
      where: testAll(long),
      // A sample tells a broad term cheaply (reading 20,000 matches from the index would cost more than a page);
      // a rare one is counted from the index, bounded.
      size: async () => {
        const density = await sampleDensity(ctx, testAll(long)(filterOnly));
        if (density >= 0.01) return { matches: density * total, exact: false };
        const matches = await countIndexedMatches(ctx.db, await indexedIds(), PROBE_CAP);
        return { matches, exact: false, capped: matches >= PROBE_CAP };
      },
      ids: indexedIds,
    });
  }
  for (const term of short) {
    let trigrams: string[] | undefined;
    conditions.push({
      name: `search:${term}`,
      where: testAll([term]),
      size: async () => {
        const density = await sampleDensity(ctx, testAll([term])(filterOnly));
        if (density >= 0.01) return { matches: density * total, exact: false };
        const found = await trigramsStartingWith(ctx.db, term, { maxTrigrams: 400, maxRows: PROBE_CAP });
        if (!found) return { matches: Math.max(density, 0.005) * total, exact: false };
        trigrams = found.trigrams;
        return { matches: found.rows, exact: false };
      },
      ids: async () =>
        trigrams === undefined
          ? undefined
          : trigrams.length > 0
            ? idsContainingAnyTrigram(ctx.db, trigrams)
            : sql`select null where false`,
    });
  }
  return conditions;
}

/** The query's conditions, each with how to size it and the index that drives it, if any. */
function conditionsOf(
  ctx: ServiceContext,
  query: CustomerQuery,
  counters: Counters,
  timeZone: string | null,
  country: string | null,
): Condition[] {
  const total = counters.customers;
  const counted =
    (matches: number): (() => Promise<Size>) =>
    async () => ({ matches, exact: true });
  const broad = async (): Promise<Size> => ({ matches: total, exact: false });
  const list: Condition[] = [];
  const status = (value: "member" | "guest") =>
    list.push({
      name: `status:${value}`,
      where: (term) => sql`${term(customers.status)} = ${value}`,
      size: counted(value === "member" ? counters.members : counters.guests),
      index: "customers_shop_status_idx",
    });
  const paying = () =>
    list.push({
      name: "paying",
      where: (term) => sql`${term(customers.amountSpentMinor)} > 0`,
      size: counted(counters.paying),
      index: sortIndexes.spent,
      sortKey: "spent",
    });
  const nonConverting = () =>
    list.push({
      name: "non-converting",
      // Written as the partial index is, so SQLite can read it.
      where: (term) => sql`${term(customers.lastCheckoutAt)} is not null and ${term(customers.ordersCount)} = 0`,
      size: counted(counters.nonConverting),
      index: "customers_shop_non_converting_idx",
    });
  const consent = (states: string[], size: () => Promise<Size>) =>
    list.push({
      name: "consent",
      where: (term) => sql`${term(customers.emailMarketingState)} in ${states}`,
      size,
      index: "customers_shop_consent_idx",
    });
  const blocked = (value: boolean) =>
    list.push({
      name: "blocked",
      where: (term) => (value ? isTrue(term(customers.blocked)) : sql`${term(customers.blocked)} = 0`),
      size: counted(value ? counters.blocked : total - counters.blocked),
      ...(value ? { index: "customers_shop_blocked_idx" } : {}),
    });
  /** A yes/no filter with a partial index on its "yes" side: "no" is the rest of the shop. */
  const partial = (name: string, index: string, value: boolean, yes: (term: Term) => SQL, no: (term: Term) => SQL) =>
    list.push(
      value ? { name, where: yes, size: () => probe(ctx, yes(indexable)), index } : { name, where: no, size: broad },
    );

  if (query.tab === "members") status("member");
  if (query.tab === "guests") status("guest");
  if (query.tab === "paying") paying();
  if (query.tab === "non-converting") nonConverting();
  if (query.tab === "opted-in") consent(["SUBSCRIBED"], counted(counters.optedIn));
  if (query.tab === "blocked") blocked(true);

  if (query.status) status(query.status);
  if (query.type === "paying") paying();
  if (query.type === "non-converting") nonConverting();
  if (query.consent.length > 0) {
    const states = query.consent;
    consent(
      states,
      states.length === 1 && states[0] === "SUBSCRIBED"
        ? counted(counters.optedIn)
        : () => probe(ctx, sql`${customers.emailMarketingState} in ${states}`),
    );
  }
  if (query.blocked !== undefined) blocked(query.blocked);
  if (query.tags.length > 0) {
    // A tag in any case, as Shopify's segments match it: "vip" is the customers tagged "VIP", "Vip" or "vip".
    const keys = [...new Set(query.tags.map(tagKey))];
    list.push({
      name: "tags",
      // A probe per row of the (shop, tag_key, customer) key: a walk tests few rows, so this beats building the whole set.
      where: () =>
        sql`exists (select 1 from ${customerTags} where ${customerTags.shop} = ${ctx.shop} and ${customerTags.tagKey} in ${keys} and ${customerTags.customerId} = ${customers.id})`,
      size: () => facetSize(ctx, "tag", keys),
      ids: async () =>
        sql`select ${customerTags.customerId} from ${customerTags} where ${customerTags.shop} = ${ctx.shop} and ${customerTags.tagKey} in ${keys}`,
    });
  }
  if (query.countries.length > 0) {
    const countries = query.countries;
    list.push({
      name: "countries",
      where: (term) => sql`${term(customers.countryCode)} in ${countries}`,
      size: () => facetSize(ctx, "country", countries),
      index: "customers_shop_country_idx",
    });
  }
  if (query.taxExempt !== undefined) {
    partial(
      "tax-exempt",
      "customers_shop_tax_exempt_idx",
      query.taxExempt,
      (term) => isTrue(term(customers.taxExempt)),
      (term) => sql`${term(customers.taxExempt)} = 0`,
    );
  }
  if (query.referralJoined !== undefined) {
    partial(
      "referral-joined",
      "customers_shop_referral_joined_idx",
      query.referralJoined,
      (term) => sql`${term(customers.referralJoinedAt)} is not null`,
      (term) => sql`${term(customers.referralJoinedAt)} is null`,
    );
  }
  if (query.hasReferrals !== undefined) {
    // A range on the referrals sort's index either way: its yes side is few, its no side most of the shop.
    const range = query.hasReferrals ? { min: 1 } : { max: 0 };
    list.push({
      name: "has-referrals",
      where: (term) => rangeWhere(customers.successfulReferrals, range, term),
      size: () => probe(ctx, rangeWhere(customers.successfulReferrals, range, indexable)),
      index: sortIndexes.referrals,
      sortKey: "referrals",
    });
  }
  const ranges = [
    ["orders", customers.ordersCount, query.orders],
    ["spent", customers.amountSpentMinor, query.spent],
    ["points", customers.pointsBalance, query.points],
  ] as const;
  for (const [key, column, range] of ranges) {
    if (!hasRange(range)) continue;
    list.push({
      name: key,
      where: (term) => rangeWhere(column, range, term),
      size: () => probe(ctx, rangeWhere(column, range, indexable)),
      index: sortIndexes[key],
      sortKey: key,
    });
  }
  if (hasRange(query.joined)) {
    // Whole days of the shop's zone, as its dates are shown and Shopify's segments read them: "to" takes in the whole
    // day; customers with no date joined are in no range.
    const range = {
      min: query.joined.from ? shopDayStart(query.joined.from, timeZone) : "0",
      ...(query.joined.to ? { max: shopDayEnd(query.joined.to, timeZone) } : {}),
    };
    list.push({
      name: "joined",
      where: (term) => rangeWhere(customers.joinedSort, range, term),
      size: () => probe(ctx, rangeWhere(customers.joinedSort, range, indexable)),
      index: sortIndexes.joined,
      sortKey: "joined",
    });
  }
  if (query.idleDays !== undefined) {
    // No points activity (no ledger entry) in the last `idleDays` days, or ever: most of a shop, usually, but few just
    // after a points import or a bulk adjustment reached nearly everyone, when a walk of the sort's index would read
    // the whole shop (1 to 2 s at 1,000,000 customers). Its matches are two ranges of (shop, points_activity_at, id),
    // never and before, read apart: SQLite scans the shop's whole range for the OR of the two (decision 019). The union
    // is one subquery, so an intersect with another condition's ids applies to both ranges (PostgreSQL's INTERSECT binds
    // tighter than UNION).
    const before = new Date(ctx.now.getTime() - query.idleDays * 86_400_000).toISOString();
    const never = sql`select ${customers.id} from ${customers} where ${customers.shop} = ${ctx.shop} and ${customers.pointsActivityAt} is null`;
    const earlier = sql`select ${customers.id} from ${customers} where ${customers.shop} = ${ctx.shop} and ${customers.pointsActivityAt} < ${before}`;
    const ids = sql`select id from (${never} union all ${earlier}) as idle_ids`;
    list.push({
      name: "idle",
      where: (term) =>
        sql`(${term(customers.pointsActivityAt)} is null or ${term(customers.pointsActivityAt)} < ${before})`,
      size: async () => {
        const matches = await countIndexedMatches(ctx.db, ids, PROBE_CAP);
        return { matches, exact: matches < PROBE_CAP, capped: matches >= PROBE_CAP };
      },
      ids: async () => ids,
    });
  }
  if (query.search) list.push(...searchConditions(ctx, query.search, total, country));
  return list;
}

interface Plan {
  conditions: Condition[];
  sizes: Size[];
  total: number;
  /**
   * How the matches are found: the conditions whose ids drive (one by its index, or the intersection of two id
   * sources); undefined for a walk of the sort's index.
   */
  driver?: { conditions: Condition[]; ids?: SQL; matches: number };
  /** What the chosen plan is expected to read, in walked-row units. */
  cost: number;
}

/*
 * Costs, in units of one row walked: a sort index entry, then its row read from the table (not in rowid order) and
 * tested, about 2.5 µs at 1,000,000 customers. Measured with npm run bench:directory: a row read by id and sorted
 * afterwards costs a little more; an id from a covering index, or kept in an intersection, very little; an id from
 * the trigram index a little more than one from a covering index (the postings of a term's rarest trigrams: 54,311
 * ids for "example.com" in about 2 ms, once its common trigrams are told from a sample instead of counted).
 */
const COST = { drivenRow: 1.2, indexId: 0.02, searchId: 0.05, intersectId: 0.03 };

/** The ids of a condition's matches, read from its own covering index or its id source, with the cost of each. */
async function idSourceOf(ctx: ServiceContext, condition: Condition): Promise<{ ids: SQL; cost: number } | undefined> {
  if (condition.ids) {
    const ids = await condition.ids();
    return ids ? { ids, cost: condition.name.startsWith("search") ? COST.searchId : COST.indexId } : undefined;
  }
  if (!condition.index) return undefined;
  return {
    ids: sql`select ${customers.id} from ${customers} where ${customers.shop} = ${ctx.shop} and ${condition.where(indexable)}`,
    cost: COST.indexId,
  };
}

/**
 * Chooses how to read the query's matches: walk the sort's index testing each row (cost: the rows before `wanted`
 * matches, from the conditions' densities as if independent), drive by one condition (its matches, each read by id
 * and sorted), or intersect the id sets of the two smallest conditions that have one (a broad search with a
 * country: neither alone is narrow, together they are).
 */
async function planQuery(
  ctx: ServiceContext,
  query: CustomerQuery,
  { wanted, walkKey }: { wanted: number; walkKey?: DirectorySortKey },
): Promise<Plan> {
  const counters = await getCustomerCounters({ ctx });
  const total = counters.customers;
  const timeZone = hasRange(query.joined) ? await getShopTimeZone({ ctx }) : null;
  // A phone typed nationally is read in the shop's country (decision 053).
  const country = query.search ? await getShopCountry({ ctx }) : null;
  const conditions = conditionsOf(ctx, query, counters, timeZone, country);
  const sizes: Size[] = [];
  for (const condition of conditions) sizes.push(await condition.size());

  const density = (index: number) => (total === 0 ? 0 : Math.min(1, sizes[index]!.matches / total));
  let walkDensity = 1;
  conditions.forEach((condition, index) => {
    if (walkKey === undefined || condition.sortKey !== walkKey) walkDensity *= density(index);
  });
  const walkRows = walkDensity === 0 ? total : Math.min(total, wanted / walkDensity);
  let plan: Plan = { conditions, sizes, total, cost: walkRows };

  const sources: Array<{ condition: Condition; matches: number; ids: SQL; cost: number }> = [];
  for (const [index, condition] of conditions.entries()) {
    const { matches, capped } = sizes[index]!;
    if (capped || !Number.isFinite(matches)) continue;
    const source = await idSourceOf(ctx, condition);
    if (!source) continue;
    sources.push({ condition, matches, ...source });
    const cost = matches * (source.cost + COST.drivenRow);
    if (cost < plan.cost) {
      // A condition with its own index is read through it; one with only an id source, by its ids.
      plan = {
        ...plan,
        cost,
        driver: { conditions: [condition], ids: condition.ids ? source.ids : undefined, matches },
      };
    }
  }
  sources.sort((a, b) => a.matches * a.cost - b.matches * b.cost);
  const [first, second] = sources;
  if (first && second && total > 0) {
    const matches = (first.matches * second.matches) / total;
    const cost =
      first.matches * (first.cost + COST.intersectId) +
      second.matches * (second.cost + COST.intersectId) +
      matches * COST.drivenRow;
    if (cost < plan.cost) {
      plan = {
        ...plan,
        cost,
        driver: {
          conditions: [first.condition, second.condition],
          ids: sql`${first.ids} intersect ${second.ids}`,
          matches,
        },
      };
    }
  }
  return plan;
}

/** The WHERE of a plan: the driver's terms indexable, the walk's sort columns indexable, everything else not. */
function whereOf(ctx: ServiceContext, plan: Plan, walkColumn?: SQLWrapper, shopTerm?: Term): SQL {
  const walkTerm: Term = (column) => (column === walkColumn ? indexable(column) : filterOnly(column));
  const { driver } = plan;
  const byIndex = driver && !driver.ids ? driver.conditions[0] : undefined;
  return and(
    listedIn(ctx, shopTerm ?? (driver?.ids ? filterOnly : indexable)),
    driver?.ids ? sql`${customers.id} in (${driver.ids})` : undefined,
    ...plan.conditions.map((condition) =>
      condition === byIndex ? condition.where(indexable) : condition.where(driver ? filterOnly : walkTerm),
    ),
  )!;
}

export interface CustomerPageInput {
  query: CustomerQuery;
  /** Keyset position: the page after `after`, or the page before `before`. */
  after?: DirectoryCursor;
  before?: DirectoryCursor;
  limit: number;
}

const rowColumns = {
  id: customers.id,
  firstName: customers.firstName,
  lastName: customers.lastName,
  email: customers.email,
  phone: customers.phone,
  status: customers.status,
  blocked: customers.blocked,
  mergedIntoId: customers.mergedIntoId,
  pointsBalance: customers.pointsBalance,
  joinedAt: customers.joinedAt,
  lastOrderAt: customers.lastOrderAt,
  ordersCount: customers.ordersCount,
  amountSpentMinor: customers.amountSpentMinor,
  currency: customers.currency,
  storeCreditMinor: customers.storeCreditMinor,
  storeCreditCurrency: customers.storeCreditCurrency,
  city: customers.city,
  countryCode: customers.countryCode,
  tags: customers.tags,
  emailMarketingState: customers.emailMarketingState,
  taxExempt: customers.taxExempt,
  successfulReferrals: customers.successfulReferrals,
  referrerRevenueMinor: customers.referrerRevenueMinor,
  refereeRevenueMinor: customers.refereeRevenueMinor,
};

/**
 * A page of the customers matching the query in its sort, keyset-paginated on (sort key, id) so page 10,000 costs
 * what page 1 does. A `before` page is read backwards and turned round. Rows come with `sortValue` for cursors.
 */
export async function selectCustomerPage({ ctx, input }: { ctx: ServiceContext; input: CustomerPageInput }) {
  const { key, direction } = parseDirectorySort(input.query.sort);
  const column = sortColumnOf(key, direction);
  const backwards = input.before !== undefined;
  const descending = (direction === "desc") !== backwards;
  const cursor = input.after ?? input.before;
  const plan = await planQuery(ctx, input.query, { wanted: input.limit + 1, walkKey: key });
  const walking = plan.driver === undefined;
  const term: Term = walking ? indexable : filterOnly;
  const order = descending ? sql`desc` : sql`asc`;
  const beyond = descending ? sql`<` : sql`>`;
  const read = (position: SQL | undefined, limit: number) =>
    ctx.db
      .select({ ...rowColumns, sortValue: column })
      .from(customers)
      .where(and(whereOf(ctx, plan, walking ? column : undefined), position))
      .orderBy(sql`${term(column)} ${order}`, sql`${term(customers.id)} ${order}`)
      .limit(limit);
  const wanted = input.limit + 1;
  if (!cursor) return { rows: await read(undefined, wanted), plan: describePlan(plan) };
  if (!walking) {
    const rows = await read(
      sql`(${term(column)}, ${term(customers.id)}) ${beyond} (${cursor.value}, ${cursor.id})`,
      wanted,
    );
    return { rows, plan: describePlan(plan) };
  }
  // SQLite seeks a (key, id) > (v, i) bound on its first column only, then reads every tie of v (a quarter of the
  // shop has one order): the rest of v's ties and the keys beyond are read as two ranges instead.
  const ties = await read(
    sql`${term(column)} = ${cursor.value} and ${term(customers.id)} ${beyond} ${cursor.id}`,
    wanted,
  );
  const rest =
    ties.length < wanted ? await read(sql`${term(column)} ${beyond} ${cursor.value}`, wanted - ties.length) : [];
  return { rows: [...ties, ...rest], plan: describePlan(plan) };
}

/** How the query was run, for the benchmark and tests: which condition drove, or the walk's expected length. */
function describePlan(plan: Plan): string {
  const { driver } = plan;
  return driver
    ? `${driver.conditions.length > 1 ? "intersect" : "drive"}:${driver.conditions.map((each) => each.name).join("+")}(~${Math.round(driver.matches)}), cost ${Math.round(plan.cost)}`
    : `walk, cost ${Math.round(plan.cost)}`;
}

/**
 * How many customers match: exact when a counter knows or the matches can be counted within COUNT_ROW_BUDGET rows;
 * "at least COUNT_CAP" when that many were found within it; otherwise estimated from the share of a bounded run of
 * the shop's rows that matched. Shopify's own customer count works the same way: `customersCount(limit:)` answers
 * `precision: AT_LEAST` past its limit (10,000 by default), and the admin shows "10,000+".
 */
export async function countMatchingCustomers({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { query: CustomerQuery };
}): Promise<CustomerCount> {
  const plan = await planQuery(ctx, input.query, { wanted: COUNT_CAP });
  if (plan.conditions.length === 0) return { count: plan.total, precision: "exact" };
  if (plan.conditions.length === 1 && plan.sizes[0]!.exact)
    return { count: plan.sizes[0]!.matches, precision: "exact" };
  if (plan.sizes.some((size) => size.exact && size.matches === 0)) return { count: 0, precision: "exact" };

  const { driver } = plan;
  if (driver && driver.matches <= COUNT_DRIVEN_BUDGET) {
    const capped = ctx.db
      .select({ one: sql`1` })
      .from(customers)
      .where(whereOf(ctx, plan))
      .limit(COUNT_CAP);
    const [row] = await ctx.db.select({ count: sql`count(*)`.mapWith(Number) }).from(capped.as("matches"));
    const count = row?.count ?? 0;
    return { count, precision: count >= COUNT_CAP ? "at_least" : "exact" };
  }

  // A bounded run of the shop's rows in id order, each tested, stopping at COUNT_CAP matches: exact if it covered the
  // shop, "at least" if it reached the cap, else an estimate from the share of the run that matched.
  const walk: Plan = { ...plan, driver: undefined };
  const run = ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(listedIn(ctx))
    .orderBy(customers.id)
    .limit(COUNT_ROW_BUDGET)
    .as("run");
  const found = ctx.db
    .select({ one: sql`1` })
    .from(run)
    .innerJoin(customers, eq(customers.id, run.id))
    .where(whereOf(ctx, walk, undefined, filterOnly))
    .limit(COUNT_CAP);
  const [row] = await ctx.db.select({ matches: sql`count(*)`.mapWith(Number) }).from(found.as("found"));
  const matches = row?.matches ?? 0;
  if (matches >= COUNT_CAP) return { count: COUNT_CAP, precision: "at_least" };
  if (plan.total <= COUNT_ROW_BUDGET) return { count: matches, precision: "exact" };
  return { count: roundEstimate((matches / COUNT_ROW_BUDGET) * plan.total), precision: "estimate" };
}

/** Two significant figures: an estimate should not look like a count. */
function roundEstimate(value: number): number {
  if (value < 100) return Math.round(value);
  const magnitude = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / magnitude) * magnitude;
}

/**
 * The ids of every customer matching the query, in id order, a batch at a time: what a bulk action or an export runs
 * over for "all that match". Pass the last id of a batch as `afterId` for the next; an empty batch is the end.
 */
export async function listMatchingCustomerIds({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { query: CustomerQuery; afterId?: number; limit: number };
}): Promise<number[]> {
  const plan = await planQuery(ctx, input.query, { wanted: input.limit });
  const term: Term = plan.driver ? filterOnly : indexable;
  const rows = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(whereOf(ctx, plan), input.afterId !== undefined ? gt(term(customers.id), input.afterId) : undefined))
    .orderBy(term(customers.id))
    .limit(input.limit);
  return rows.map((row) => row.id);
}

/**
 * How to read every customer matching the query in the directory's order (its sort key, then id, as
 * selectCustomerPage reads a page): the WHERE (shop included), the sort key and id columns as the plan wants them
 * written, and the direction, for a caller that reads whole rows a page at a time through prepared statements keyset
 * on (key, id), on the same (shop, key, id) index the directory walks (an export). The plan is chosen once. `byId`:
 * the caller narrows the read to a few ids itself (ticked rows), so the key is written to sort by only, not to walk
 * the shop's index by (which would read every customer of the shop to find a page of ticked ones).
 */
export async function planSortOrderRead({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { query: CustomerQuery; wanted: number; byId?: boolean };
}): Promise<{
  where: SQL;
  key: SQL;
  id: SQL;
  sortValue: ReturnType<typeof sortColumnOf>;
  descending: boolean;
}> {
  const { key, direction } = parseDirectorySort(input.query.sort);
  const column = sortColumnOf(key, direction);
  const plan = await planQuery(ctx, input.query, { wanted: input.wanted, walkKey: key });
  const walking = plan.driver === undefined && !input.byId;
  const term: Term = walking ? indexable : filterOnly;
  return {
    where: whereOf(ctx, plan, walking ? column : undefined),
    key: term(column),
    id: term(customers.id),
    sortValue: column,
    descending: direction === "desc",
  };
}

/**
 * The tags and countries the shop's customers have, with how many carry each: the filters' choices. A tag is one
 * choice whatever its case ("VIP" and "vip" are one tag to Shopify), named as most of its customers spell it.
 */
export async function listCustomerFacets({ ctx }: { ctx: ServiceContext }) {
  const rows = await ctx.db
    .select({ facet: customerFacets.facet, value: customerFacets.value, customers: customerFacets.customers })
    .from(customerFacets)
    .where(and(eq(customerFacets.shop, ctx.shop), gt(customerFacets.customers, 0)))
    .orderBy(customerFacets.facet, customerFacets.value)
    .limit(2_000);
  return {
    tags: tagChoices(rows.filter((row) => row.facet === "tag")),
    countries: rows.filter((row) => row.facet === "country").map(({ value, customers }) => ({ value, customers })),
  };
}
