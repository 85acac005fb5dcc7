import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Db } from "./client.server";
import type { Tx } from "./transaction.server";
import { isPostgres } from "./which-dialect";

/*
 * The directory's search (decision 019). On SQLite, an FTS5 table with the trigram tokenizer over
 * `customers.search_text` (migration 0009), which holds the folded text app/domain/customers/search.ts writes. On
 * PostgreSQL (decision 034), a GIN pg_trgm index on the same column (drizzle/postgres/), read by
 * `search_text LIKE '%term%'`. These are the only functions that know either; the service that plans the query stays
 * as it is.
 */

/** A LIKE pattern matching the term anywhere, its wildcards escaped (PostgreSQL's default escape is the backslash). */
function anywhere(term: string): string {
  return `%${term.replace(/[\\%_]/g, (found) => `\\${found}`)}%`;
}

/** FTS5's string syntax: a term in double quotes, its own quotes doubled; a trigram tokenizer reads it as a substring. */
function quoted(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** The distinct trigrams of a term (by code point), as the trigram tokenizer cuts it. */
function trigramsOf(term: string): string[] {
  const points = Array.from(term);
  const found = new Set<string>();
  for (let at = 0; at + 3 <= points.length; at++) found.add(points.slice(at, at + 3).join(""));
  return [...found];
}

/** Rows of the index read, spread over its ids, to tell a term's common trigrams from its rare ones. */
const SAMPLE_ROWS = 256;
/** A trigram more sampled rows than this hold is common: counting its postings would read most of a long list. */
const COMMON_IN_SAMPLE = 2;

/**
 * Of each trigram, how many of a sample of the indexed rows hold it: `SAMPLE_ROWS` rows at ids spread evenly between
 * the table's first and last (two reads of the rowid's ends, then point reads), across every shop, as the index is.
 */
async function sampledHolders(db: Db | Tx, trigrams: readonly string[]): Promise<Map<string, number>> {
  // Two reads: SQLite answers a lone min() or max() of the rowid from the b-tree's end, both at once by a scan.
  const [low] = await db.select({ id: sql`min(id)`.mapWith(Number) }).from(sql`customers`);
  const [high] = await db.select({ id: sql`max(id)`.mapWith(Number) }).from(sql`customers`);
  const ends = { low: low?.id ?? NaN, high: high?.id ?? NaN };
  const holders = new Map(trigrams.map((trigram) => [trigram, 0]));
  if (!Number.isFinite(ends.low) || !Number.isFinite(ends.high)) return holders;
  const ids = new Set<number>();
  for (let at = 0; at < SAMPLE_ROWS; at++)
    ids.add(ends.low + Math.floor(((ends.high - ends.low) * at) / (SAMPLE_ROWS - 1)));
  const rows = await db
    .select({ text: sql<string | null>`search_text` })
    .from(sql`customers`)
    .where(sql`id in (${sql.join([...ids], sql`, `)})`);
  for (const { text } of rows)
    if (text)
      for (const trigram of trigrams) if (text.includes(trigram)) holders.set(trigram, holders.get(trigram)! + 1);
  return holders;
}

/**
 * The customer ids whose search text may contain every term (each at least 3 characters), from the trigram index: a
 * superset, which the caller narrows by testing each row (`containsText`, as the directory's query always does).
 *
 * A term's phrase match reads the postings of each of its trigrams, and broad terms share common ones: "example.com"
 * read ".co" and "com", held by nearly every customer (39 ms for 55,000 matches at 1,000,000 customers). Only each
 * term's rarest trigrams are asked for instead: the rarest, and the next ones while they are at most four times as
 * common, up to three. Which are rarest is told first from a sample of the indexed rows (`sampledHolders`), then, for
 * the trigrams the sample found rare, by their row counts in the index's vocabulary: the vocabulary counts a trigram
 * by reading its postings, 8 ms for ".co" at 1,000,000 customers, so a common trigram is never counted there (that
 * was most of a broad search's time: "example.com" asked the vocabulary for all nine). Whatever the term, the index
 * then reads about the postings of its rarest trigrams, and the rows tested are those holding all of them. On
 * PostgreSQL the pg_trgm index is asked for the whole term.
 */
export async function idsContainingAll(db: Db | Tx, terms: readonly string[]): Promise<SQL> {
  if (isPostgres(db)) {
    // PostgreSQL's pg_trgm index answers the whole term itself (drizzle/postgres/0001_directory-triggers.sql).
    return sql`select id from customers where ${sql.join(
      terms.map((term) => sql`search_text like ${anywhere(term)}`),
      sql` and `,
    )}`;
  }
  const chosen: string[] = [];
  for (const term of terms) {
    const trigrams = trigramsOf(term);
    const holders = await sampledHolders(db, trigrams);
    const rare = trigrams.filter((trigram) => holders.get(trigram)! <= COMMON_IN_SAMPLE);
    const counted: Array<{ trigram: string; rows: number }> = [];
    if (rare.length === 0) {
      // Every trigram is common: the sample ranks them well enough.
      for (const trigram of trigrams) counted.push({ trigram, rows: holders.get(trigram)! });
    } else {
      for (const trigram of rare) {
        const [row] = await db
          .select({ rows: sql`doc`.mapWith(Number) })
          .from(sql`customer_search_vocab`)
          .where(sql`term = ${trigram}`);
        counted.push({ trigram, rows: row?.rows ?? 0 });
      }
    }
    counted.sort((a, b) => a.rows - b.rows);
    const rarest = counted[0]?.rows ?? 0;
    chosen.push(
      ...counted
        .filter((each, index) => index === 0 || (index < 3 && each.rows <= rarest * 4))
        .map((each) => each.trigram),
    );
  }
  const match = [...new Set(chosen)].map(quoted).join(" AND ");
  return sql`select rowid from customer_search where customer_search match ${match}`;
}

/** The customer ids whose search text contains any of these trigrams (how a short term is found: see below). */
export function idsContainingAnyTrigram(db: object, trigrams: readonly string[]): SQL {
  if (isPostgres(db)) {
    return sql`select id from customers where ${sql.join(
      trigrams.map((trigram) => sql`search_text like ${anywhere(trigram)}`),
      sql` or `,
    )}`;
  }
  return sql`select rowid from customer_search where customer_search match ${trigrams.map(quoted).join(" OR ")}`;
}

/** Whether the text holds the term, tested on the row: for terms too short for the index, and for walks. */
export function containsText(db: object, column: SQLWrapper, term: string): SQL {
  if (isPostgres(db)) return sql`strpos(${column}, ${term}) > 0`;
  return sql`instr(${column}, ${term}) > 0`;
}

/**
 * How many rows, across every shop, the index says contain every term: at most `cap` (reading stops there). `ids` is
 * what `idsContainingAll` answered for the terms, so a caller that reads the ids too asks the index for them once.
 * The index is shared by all shops, so this bounds the shop's own matches from above.
 */
export async function countIndexedMatches(db: Db | Tx, ids: SQL, cap: number): Promise<number> {
  const [row] = await db.select({ matches: sql`count(*)`.mapWith(Number) }).from(sql`(${ids} limit ${cap}) as matches`);
  return row?.matches ?? 0;
}

/**
 * The trigrams that start with a one- or two-character term, with how many rows hold each. Every search text ends in
 * two spaces (customerSearchText), so every occurrence of a short term starts some trigram: the rows holding any of
 * these are exactly the rows holding the term. Undefined when they hold more than `maxRows` rows between them, or
 * more than `maxTrigrams` trigrams start with the term: then the term is broad, and a walk finds it sooner. On
 * PostgreSQL, always undefined: pg_trgm keeps no vocabulary to ask, so a short term is found by the walk.
 */
export async function trigramsStartingWith(
  db: Db | Tx,
  term: string,
  { maxTrigrams, maxRows }: { maxTrigrams: number; maxRows: number },
): Promise<{ trigrams: string[]; rows: number } | undefined> {
  if (isPostgres(db)) return undefined;
  const upper = term.slice(0, -1) + String.fromCodePoint(term.codePointAt(term.length - 1)! + 1);
  const found = await db
    .select({ term: sql<string>`term`, rows: sql`doc`.mapWith(Number) })
    .from(sql`customer_search_vocab`)
    .where(sql`term >= ${term} and term < ${upper}`)
    .limit(maxTrigrams + 1);
  const rows = found.reduce((sum, each) => sum + each.rows, 0);
  if (found.length > maxTrigrams || rows > maxRows) return undefined;
  return { trigrams: found.map((each) => each.term), rows };
}
