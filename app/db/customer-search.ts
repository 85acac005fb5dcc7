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

/**
 * The customer ids whose search text may contain every term (each at least 3 characters), from the trigram index: a
 * superset, which the caller narrows by testing each row (`containsText`, as the directory's query always does).
 *
 * A term's phrase match reads the postings of each of its trigrams, and broad terms share common ones: "example.com"
 * read ".co" and "com", held by nearly every customer (39 ms for 55,000 matches at 1,000,000 customers). Only each
 * term's rarest trigrams are asked for instead, by their row counts in the index's vocabulary: the rarest, and the
 * next ones while they are at most four times as common, up to three. Whatever the term, the index then reads about
 * the postings of its rarest trigrams, and the rows tested are those holding all of them. On PostgreSQL the pg_trgm
 * index is asked for the whole term.
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
    const counted: Array<{ trigram: string; rows: number }> = [];
    for (const trigram of trigramsOf(term)) {
      const [row] = await db
        .select({ rows: sql`doc`.mapWith(Number) })
        .from(sql`customer_search_vocab`)
        .where(sql`term = ${trigram}`);
      counted.push({ trigram, rows: row?.rows ?? 0 });
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
 * How many rows, across every shop, the index says contain every term: at most `cap` (reading stops there). The index
 * is shared by all shops, so this bounds the shop's own matches from above.
 */
export async function countIndexedMatches(db: Db | Tx, terms: readonly string[], cap: number): Promise<number> {
  const [row] = await db
    .select({ matches: sql`count(*)`.mapWith(Number) })
    .from(sql`(${await idsContainingAll(db, terms)} limit ${cap}) as matches`);
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
