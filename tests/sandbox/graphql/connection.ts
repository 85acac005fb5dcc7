import { GraphQLError } from "graphql";
import type { AdminContext, SortedIds } from "./context";
import { idLowerBound, matches, parseSearch, SearchError, type SearchFields, type SearchQuery } from "./search";

const MAX_PAGE = 250;

const encodeCursor = (id: string) =>
  Buffer.from(JSON.stringify({ last_id: Number(id), last_value: id })).toString("base64");

function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString()) as { last_value?: unknown };
    if (typeof parsed.last_value === "string" && /^\d+$/.test(parsed.last_value)) return parsed.last_value;
  } catch {
    // falls through to the error Shopify gives for a cursor it did not issue
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
}

/** The ids of the items `accept` keeps, in `key` order (ties by id), and each id's position: one pass, keys only. */
function sortedIds<T extends { id: string }>(
  items: Iterable<T>,
  accept: (item: T) => boolean,
  key: (item: T) => string | number,
  reverse: boolean,
): SortedIds {
  const keyed: { id: string; key: string | number }[] = [];
  for (const item of items) if (accept(item)) keyed.push({ id: item.id, key: key(item) });
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  if (reverse) keyed.reverse();
  const ids = keyed.map((each) => each.id);
  return { ids, position: new Map(ids.map((id, at) => [id, at])) };
}

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
  query?: string | null;
  sortKey?: string | null;
}

/**
 * A connection over records ordered by id. `scan(startId, reverse)` yields records from a position so a page costs
 * O(page) even over a million seeded rows when no filter is given.
 */
export function connection<T extends { id: string }>(
  args: ConnectionArgs,
  ctx: AdminContext,
  nested: boolean,
  opts: {
    scan: (fromId: string | null, reverse: boolean) => Iterable<T>;
    view: (item: T) => unknown;
    search?: SearchFields<T>;
    /** Keeps only the items it accepts, besides the `query:` search (a segment's members). */
    filter?: (item: T) => boolean;
    sort?: Record<string, (item: T) => string | number>;
  },
) {
  const bulk = ctx.bulkWindow;
  let first = args.first ?? null;
  const last = args.last ?? null;
  if (bulk && !nested) first = bulk.size;
  else if (bulk && nested) first = Number.MAX_SAFE_INTEGER;
  else {
    if (first === null && last === null)
      throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
    if ((first ?? 0) > MAX_PAGE || (last ?? 0) > MAX_PAGE)
      throw new GraphQLError(`The requested page size is over the limit of ${MAX_PAGE}.`, {
        extensions: { code: "BAD_REQUEST" },
      });
  }
  let query: SearchQuery;
  try {
    query = parseSearch(args.query);
  } catch (error) {
    throw new GraphQLError((error as Error).message);
  }
  const after = bulk && !nested ? bulk.after : args.after;
  const reverse = Boolean(args.reverse) !== (last !== null && first === null);
  const count = first ?? last!;
  const sortKey = args.sortKey && args.sortKey !== "ID" && args.sortKey !== "RELEVANCE" ? args.sortKey : null;
  const accept = (item: T) => {
    if (opts.filter && !opts.filter(item)) return false;
    try {
      return !opts.search || matches(query, item, opts.search);
    } catch (error) {
      if (error instanceof SearchError) return false;
      throw error;
    }
  };
  let page: T[] = [];
  let hasMore = false;
  if (sortKey && opts.sort?.[sortKey] && bulk && !nested) {
    // A bulk operation's pages: the order is worked out on its first page and kept for the operation (ids only, so a
    // million orders are not all held), each page then read by id.
    const cacheKey = JSON.stringify([sortKey, reverse, args.query ?? null]);
    let sorted = bulk.sorted?.get(cacheKey);
    if (!sorted) {
      sorted = sortedIds(opts.scan(null, false), accept, opts.sort[sortKey]!, reverse);
      bulk.sorted?.set(cacheKey, sorted);
    }
    const start = after ? (sorted.position.get(decodeCursor(after)) ?? sorted.ids.length - 1) + 1 : 0;
    page = sorted.ids.slice(start, start + count).map((id) => opts.scan(id, false)[Symbol.iterator]().next().value!);
    hasMore = start + count < sorted.ids.length;
  } else if (sortKey && opts.sort?.[sortKey]) {
    const key = opts.sort[sortKey]!;
    const all = [...opts.scan(null, false)].filter(accept);
    all.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka < kb ? -1 : ka > kb ? 1 : BigInt(a.id) < BigInt(b.id) ? -1 : 1;
    });
    if (reverse) all.reverse();
    const cursorId = after ? decodeCursor(after) : args.before ? decodeCursor(args.before) : null;
    let start = 0;
    if (cursorId && after) start = all.findIndex((i) => i.id === cursorId) + 1;
    page = all.slice(start, start + count);
    hasMore = start + count < all.length;
  } else {
    const cursorId = after ? decodeCursor(after) : args.before ? decodeCursor(args.before) : null;
    const lower = idLowerBound(query);
    let fromId: string | null = null;
    if (cursorId) fromId = (reverse ? BigInt(cursorId) - 1n : BigInt(cursorId) + 1n).toString();
    if (!reverse && lower !== null && (fromId === null || lower > BigInt(fromId))) fromId = lower.toString();
    for (const item of opts.scan(fromId, reverse)) {
      if (!accept(item)) continue;
      if (page.length === count) {
        hasMore = true;
        break;
      }
      page.push(item);
    }
  }
  const edges = page.map((item) => ({ cursor: encodeCursor(item.id), node: opts.view(item) }));
  if (bulk && !nested) bulk.next = hasMore ? (edges.at(-1)?.cursor ?? null) : null;
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: first !== null ? hasMore : Boolean(args.before),
      hasPreviousPage: first !== null ? Boolean(after) : hasMore,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** A small list as a connection source: ordered by id, from a position either way. */
export function* fromList<T extends { id: string }>(list: T[], fromId: string | null, reverse: boolean) {
  const sorted = [...list].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  if (reverse) sorted.reverse();
  for (const item of sorted) {
    if (fromId === null || (reverse ? BigInt(item.id) <= BigInt(fromId) : BigInt(item.id) >= BigInt(fromId)))
      yield item;
  }
}

/** Shopify's `*Count` answers: EXACT up to the limit (10,000 unless given; null for none), AT_LEAST beyond. */
export function countOf<T>(
  items: Iterable<T>,
  spec: SearchFields<T>,
  query: string | undefined,
  limit: number | null | undefined,
) {
  const parsed = parseSearch(query);
  const cap = limit === null ? Infinity : (limit ?? 10_000);
  let count = 0;
  for (const item of items) {
    if (matches(parsed, item, spec)) count++;
    if (count > cap) return { count: cap, precision: "AT_LEAST" };
  }
  return { count, precision: "EXACT" };
}
