import type Database from "better-sqlite3";
import { getTableColumns, getTableName, type Column, type Table } from "drizzle-orm";
import type { Tx } from "./transaction.server";
import { isPostgres } from "./which-dialect";

/** Rows per statement, largest first: a batch is split into these, so a table has at most a dozen statement texts. */
const SIZES = [256, 128, 64, 32, 16, 8, 4, 2, 1];
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
/**
 * PostgreSQL's statements by shape (table, columns, row count, returning): each is given a name once, and each pooled
 * connection prepares a name the first time it runs it (node-postgres remembers which it has).
 */
const pgStatements = new Map<string, { name: string; text: string }>();

/**
 * `insert into <table> (<the rows' keys>) values (…), (…) on conflict do nothing returning <returning>`, for bulk
 * writes of new rows (a sync's new customers and orders, decision 030's third round). Answers the rows inserted (a row
 * that conflicted is absent), with the `returning` columns by their keys. Every row must carry the same keys; columns
 * left out take their defaults.
 *
 * On SQLite the statement texts are built once per row count (256, 128, … 1 rows) and kept per connection, and each
 * value goes through its column's own mapping (`mapToDriverValue`: JSON as text, booleans as 0/1): drizzle's builder
 * maps every value of every row through its SQL tree on every call, which cost more than SQLite's insert itself
 * (measured on 400-row inserts of customers). On PostgreSQL the same texts, with $1… placeholders, run as named
 * statements on the transaction's connection: drizzle's builder cost the sync more CPU than the whole rest of its apply
 * (decision 030, ninth round), and a named statement sends its text and is planned once per connection.
 * Throws what the database throws (a constraint other than the conflict target, a bound variable past the limit).
 */
export async function insertRows<T extends Table, K extends string>(
  tx: Tx,
  table: T,
  rows: ReadonlyArray<T["$inferInsert"]>,
  returning: readonly K[],
): Promise<Array<Record<K, unknown>>> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table) as Record<string, Column>;
  const keys = Object.keys(rows[0]!);
  const mapped = keys.map((key) => columns[key]!);
  const names = mapped.map((column) => `"${column.name}"`).join(", ");
  const head = `insert into "${getTableName(table)}" (${names}) values `;
  const tail = ` on conflict do nothing returning ${returning.map((key) => `"${columns[key]!.name}"`).join(", ")}`;
  const inserted: Array<Record<K, unknown>> = [];
  const answered = (answer: unknown[]) =>
    inserted.push(
      Object.fromEntries(
        returning.map((key, index) => [key, columns[key]!.mapFromDriverValue(answer[index])]),
      ) as Record<K, unknown>,
    );
  const valuesOf = (at: number, size: number) => {
    const values: unknown[] = [];
    for (let row = at; row < at + size; row += 1) {
      const source = rows[row] as Record<string, unknown>;
      for (let index = 0; index < keys.length; index += 1) {
        const value = source[keys[index]!];
        values.push(value === null || value === undefined ? null : mapped[index]!.mapToDriverValue(value));
      }
    }
    return values;
  };
  let at = 0;
  if (isPostgres(tx)) {
    const client = (tx as unknown as { session: { client: PgQueryable } }).session.client;
    for (const size of SIZES) {
      while (rows.length - at >= size) {
        const shape = `${head}${size}${tail}`;
        let statement = pgStatements.get(shape);
        if (!statement) {
          const tuples = Array.from(
            { length: size },
            (_, row) => `(${keys.map((_key, index) => `$${row * keys.length + index + 1}`).join(", ")})`,
          );
          statement = { name: `tally_insert_${pgStatements.size + 1}`, text: head + tuples.join(", ") + tail };
          pgStatements.set(shape, statement);
        }
        const answer = await client.query({ ...statement, values: valuesOf(at, size), rowMode: "array" });
        for (const row of answer.rows) answered(row);
        at += size;
      }
    }
    return inserted;
  }
  const sqlite = tx.$client;
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map()));
  const tuple = `(${keys.map(() => "?").join(", ")})`;
  for (const size of SIZES) {
    while (rows.length - at >= size) {
      const text = head + Array.from({ length: size }, () => tuple).join(", ") + tail;
      let statement = cache.get(text);
      if (!statement) cache.set(text, (statement = sqlite.prepare(text)));
      for (const answer of statement.raw(true).all(valuesOf(at, size)) as unknown[][]) answered(answer);
      at += size;
    }
  }
  return inserted;
}

/**
 * A pooled PostgreSQL connection (node-postgres' client inside drizzle's transaction), as far as insertRows uses it:
 * a named query is parsed and planned once per connection, then only bound and run.
 */
interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[]; rowMode: "array" }): Promise<{ rows: unknown[][] }>;
}
