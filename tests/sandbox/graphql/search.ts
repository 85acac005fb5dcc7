/**
 * Shopify's search syntax (shopify.dev "Search syntax") for the `query:` argument: space-separated terms are ANDed,
 * `OR` between terms, `-term` / `NOT term` negates, `field:value` with optional `>`, `>=`, `<`, `<=`, values may be
 * quoted with ' or ". A bare term matches a resource's default text fields.
 */
export interface Term {
  field: string | null;
  op: ":" | ">" | ">=" | "<" | "<=";
  value: string;
  negate: boolean;
}

/** Disjunctive normal form: any group matches when all its terms match. */
export type SearchQuery = Term[][];

export function parseSearch(input: string | null | undefined): SearchQuery {
  if (!input?.trim()) return [];
  const tokens = input.match(/-?[A-Za-z_.]+:(?:[<>]=?)?(?:'[^']*'|"[^"]*"|\S+)|'[^']*'|"[^"]*"|\S+/g) ?? [];
  const groups: SearchQuery = [[]];
  let negateNext = false;
  for (const token of tokens) {
    if (token === "AND") continue;
    if (token === "OR") {
      groups.push([]);
      continue;
    }
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    let body = token;
    let negate = negateNext;
    negateNext = false;
    if (body.startsWith("-")) {
      negate = !negate;
      body = body.slice(1);
    }
    const match = /^([A-Za-z_.]+):(>=|<=|>|<)?(.*)$/.exec(body);
    const term: Term = match
      ? { field: match[1]!.toLowerCase(), op: (match[2] as Term["op"]) ?? ":", value: unquote(match[3]!), negate }
      : { field: null, op: ":", value: unquote(body), negate };
    groups.at(-1)!.push(term);
  }
  return groups.filter((g) => g.length > 0);
}

const unquote = (s: string) => s.replace(/^'(.*)'$/, "$1").replace(/^"(.*)"$/, "$1");

export type FieldValue = string | number | boolean | null | undefined | string[];

/** How to read a searchable field off a record; `text` are the default fields bare terms search. */
export interface SearchFields<T> {
  text: (item: T) => (string | null)[];
  fields: Record<string, (item: T) => FieldValue>;
  dates?: string[];
  numbers?: string[];
}

export function matches<T>(query: SearchQuery, item: T, spec: SearchFields<T>): boolean {
  if (query.length === 0) return true;
  return query.some((group) => group.every((term) => termMatches(term, item, spec) !== term.negate));
}

function termMatches<T>(term: Term, item: T, spec: SearchFields<T>): boolean {
  if (term.field === null) {
    const needle = term.value.toLowerCase();
    return spec.text(item).some((text) => text?.toLowerCase().includes(needle));
  }
  const read = spec.fields[term.field];
  if (!read) throw new SearchError(`Invalid search field for this query: '${term.field}'`);
  const actual = read(item);
  if (Array.isArray(actual)) return actual.some((v) => v.toLowerCase() === term.value.toLowerCase());
  if (actual === null || actual === undefined) return term.value === "" || term.value === "null";
  if (spec.dates?.includes(term.field)) return compare(Date.parse(String(actual)), Date.parse(term.value), term.op);
  if (spec.numbers?.includes(term.field) || typeof actual === "number") {
    return compareBig(String(actual), term.value, term.op);
  }
  if (typeof actual === "boolean") return String(actual) === term.value.toLowerCase();
  const value = term.value.toLowerCase();
  const text = actual.toLowerCase();
  if (term.op !== ":") return compare(text.localeCompare(value), 0, term.op);
  return value.endsWith("*") ? text.startsWith(value.slice(0, -1)) : text === value;
}

function compare(a: number, b: number, op: Term["op"]) {
  if (Number.isNaN(b)) throw new SearchError("Invalid date in search query");
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    default:
      return a === b;
  }
}

/** Ids are 18 digits: compare as BigInt so `id:>` is exact. */
function compareBig(actual: string, wanted: string, op: Term["op"]) {
  if (/^-?\d+$/.test(actual) && /^-?\d+$/.test(wanted)) {
    const a = BigInt(actual);
    const b = BigInt(wanted);
    return compare(a > b ? 1 : a < b ? -1 : 0, 0, op);
  }
  return compare(Number(actual), Number(wanted), op);
}

export class SearchError extends Error {}

/** The lower bound an `id:>N` / `id:>=N` term puts on every group, so scans can start there instead of at zero. */
export function idLowerBound(query: SearchQuery): bigint | null {
  if (query.length !== 1) return null;
  let bound: bigint | null = null;
  for (const term of query[0]!) {
    if (term.field !== "id" || term.negate || !/^\d+$/.test(term.value)) continue;
    const value =
      term.op === ">" ? BigInt(term.value) + 1n : term.op === ">=" || term.op === ":" ? BigInt(term.value) : null;
    if (value !== null && (bound === null || value > bound)) bound = value;
  }
  return bound;
}
