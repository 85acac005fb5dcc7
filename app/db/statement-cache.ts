import { AsyncLocalStorage } from "node:async_hooks";
import type Database from "better-sqlite3";
import type { Db } from "./client.server";
import { isPostgres } from "./which-dialect";

/*
 * SQLite statements kept by SQL text, inside a scope only (decision 030, amending 012). A sync applies thousands of
 * records a second through the services the webhooks use, each a dozen drizzle queries built afresh, and
 * better-sqlite3's `prepare` was a fifth of that work. Decision 012 keeps no cache by SQL text for the app at large:
 * a statement shared between two holders could be iterated by one while the other runs it, and drizzle switches a
 * statement to raw rows and back. Here both are handled: a busy statement is never handed out, a statement's `raw()`
 * answers with a twin kept in raw mode (so the shared one never changes mode), and `prepared()` builds, which live
 * for the connection's life, bypass the scope. The scope is the sync's own async flow (AsyncLocalStorage), so other
 * requests prepare as before. PostgreSQL (decision 034) is untouched: `withStatementCache` only runs `work` there.
 */

const scope = new AsyncLocalStorage<Map<string, Database.Statement>>();
const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();
/** Distinct SQL texts kept per connection; a chunk's `in (…)` lists of varying length make new ones, so it is bounded. */
const MAX_STATEMENTS = 2_000;

/**
 * Installs the scoped cache on a SQLite connection: returns the `prepare` to put in place of the connection's own.
 * `prepare` is what would run without the cache (the transaction runner's checks included).
 */
export function cachingPrepare(
  sqlite: Database.Database,
  prepare: (source: string) => Database.Statement,
): (source: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  caches.set(sqlite, statements);
  return (source: string) => {
    if (scope.getStore() !== statements) return prepare(source);
    const held = statements.get(source);
    if (held) return held.busy ? prepare(source) : held;
    if (statements.size >= MAX_STATEMENTS) statements.clear();
    const statement = prepare(source);
    if (statement.reader) withRawTwin(statement, () => prepare(source).raw(true));
    statements.set(source, statement);
    return statement;
  };
}

/** `statement.raw()` answers a twin in raw mode (`raw(false)` the statement itself); the statement keeps object rows. */
function withRawTwin(statement: Database.Statement, prepareRaw: () => Database.Statement) {
  let twin: Database.Statement | undefined;
  statement.raw = ((toggle = true) => {
    if (!toggle) return statement;
    if (!twin || twin.busy) twin = prepareRaw();
    return twin;
  }) as Database.Statement["raw"];
}

/**
 * Runs `work` with SQLite statements kept by SQL text for everything it prepares on `db`, kept between calls (so a
 * chunk reuses the last chunk's statements). For bulk work that runs the same queries thousands of times.
 */
export function withStatementCache<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (isPostgres(db)) return work();
  const statements = caches.get(db.$client);
  return statements ? scope.run(statements, work) : work();
}

/** Runs `build` outside any statement cache scope: for statements held for the connection's life (`prepared()`). */
export function withoutStatementCache<T>(build: () => T): T {
  return scope.getStore() ? scope.exit(build) : build();
}
