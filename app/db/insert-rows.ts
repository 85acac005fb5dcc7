import type Database from "better-sqlite3";
import { getTableColumns, getTableName, type Column, type Table } from "drizzle-orm";
import type { Tx } from "./transaction.server";
import { isPostgres } from "./which-dialect";

/** Rows per statement, largest first: a batch is split into these, so a table has at most a dozen statement texts. */
const SIZES = [256, 128, 64, 32, 16, 8, 4, 2, 1];
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * `insert into <table> (<the rows' keys>) values (…), (…) on conflict do nothing returning <returning>`, for bulk
 * writes of new rows (a sync's new customers and orders, decision 030's third round). Answers the rows inserted (a row
 * that conflicted is absent), with the `returning` columns by their keys. Every row must carry the same keys; columns
 * left out take their defaults.
 *
 * On SQLite the statement texts are built once per row count (256, 128, … 1 rows) and kept per connection, and each
 * value goes through its column's own mapping (`mapToDriverValue`: JSON as text, booleans as 0/1): drizzle's builder
 * maps every value of every row through its SQL tree on every call, which cost more than SQLite's insert itself
 * (measured on 400-row inserts of customers). On PostgreSQL, drizzle's insert: there the cost is the round trip.
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
  if (isPostgres(tx)) {
    const wanted = Object.fromEntries(returning.map((key) => [key, columns[key]!]));
    const inserted: Array<Record<K, unknown>> = [];
    for (let start = 0; start < rows.length; start += 256) {
      const batch = rows.slice(start, start + 256) as T["$inferInsert"][];
      const answer = await (tx as unknown as PgInsert)
        .insert(table)
        .values(batch)
        .onConflictDoNothing()
        .returning(wanted);
      inserted.push(...(answer as Array<Record<K, unknown>>));
    }
    return inserted;
  }
  const keys = Object.keys(rows[0]!);
  const mapped = keys.map((key) => columns[key]!);
  const sqlite = tx.$client;
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map()));
  const names = mapped.map((column) => `"${column.name}"`).join(", ");
  const head = `insert into "${getTableName(table)}" (${names}) values `;
  const tail = ` on conflict do nothing returning ${returning.map((key) => `"${columns[key]!.name}"`).join(", ")}`;
  const tuple = `(${keys.map(() => "?").join(", ")})`;
  const inserted: Array<Record<K, unknown>> = [];
  let at = 0;
  for (const size of SIZES) {
    while (rows.length - at >= size) {
      const text = head + Array.from({ length: size }, () => tuple).join(", ") + tail;
      let statement = cache.get(text);
      if (!statement) cache.set(text, (statement = sqlite.prepare(text)));
      const values: unknown[] = [];
      for (let row = at; row < at + size; row += 1) {
        const source = rows[row] as Record<string, unknown>;
        for (let index = 0; index < keys.length; index += 1) {
          const value = source[keys[index]!];
          values.push(value === null || value === undefined ? null : mapped[index]!.mapToDriverValue(value));
        }
      }
      for (const answer of statement.raw(true).all(values) as unknown[][]) {
        inserted.push(
          Object.fromEntries(
            returning.map((key, index) => [key, columns[key]!.mapFromDriverValue(answer[index])]),
          ) as Record<K, unknown>,
        );
      }
      at += size;
    }
  }
  return inserted;
}

/** drizzle's PostgreSQL insert builder, as far as insertRows uses it. */
interface PgInsert {
  insert(table: Table): {
    values(rows: unknown[]): {
      onConflictDoNothing(): { returning(columns: Record<string, Column>): Promise<unknown[]> };
    };
  };
}
