import { withoutStatementCache } from "./statement-cache";
import type { Db } from "./client.server";

const byDb = new WeakMap<Db, Map<string, unknown>>();

/**
 * A drizzle prepared query, built once per connection: `await prepared(tx, "key", (db) => db.select()….prepare())
 * .execute({ …placeholders })`. Building a query is most of its cost on the hot paths (a full-row select measured
 * 80 µs built each time against 6 µs prepared), so webhook effects use these. On SQLite a transaction's `tx` is the
 * connection itself, so a query prepared once serves every transaction. Placeholder values reach the driver as they
 * are, without the column's mapping: pass what the column stores (`storedBoolean`, app/db/dialect.ts).
 */
export function prepared<Query>(db: Db, key: string, build: (db: Db) => Query): Query {
  let cache = byDb.get(db);
  if (!cache) {
    cache = new Map();
    byDb.set(db, cache);
  }
  let query = cache.get(key) as Query | undefined;
  if (!query) {
    query = withoutStatementCache(() => build(db));
    cache.set(key, query);
  }
  return query;
}
