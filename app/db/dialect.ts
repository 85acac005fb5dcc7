import { aliasedTable, DrizzleQueryError, entityKind, sql, type SQL, type SQLWrapper, type Table } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Pool } from "pg";
import type { Db } from "./client.server";
import { assertOutsideTransaction, type Tx } from "./transaction.server";
import { isPostgres, processOnPostgres } from "./which-dialect";

/*
 * The SQL that is SQLite's own, in one place (decision 013): services are written in the subset drizzle renders the
 * same on SQLite and PostgreSQL, and reach for these helpers where the dialects differ; each has its PostgreSQL form
 * here (decision 034). Booleans are stored as 0/1 on both (app/db/postgres/derive.ts), so the first two read alike.
 */

/** A boolean as a prepared query's placeholder value: placeholders skip the column's mapping, and SQLite stores 0/1. */
export function storedBoolean(value: boolean): number {
  return value ? 1 : 0;
}

/**
 * `column is true`, written as the partial indexes on boolean columns are (`… = 1`), so SQLite's planner matches them:
 * a bound parameter would not.
 */
export function isTrue(column: SQLWrapper): SQL {
  return sql`${column} = 1`;
}

/**
 * The column as a value the planner may not read an index for: SQLite's unary plus. For a query whose best plan the
 * planner, without statistics, gets wrong (app/services/customers/list-customers.server.ts). PostgreSQL's planner has
 * statistics, and no unary plus on text: there the column goes as it is.
 */
export function withoutIndex(column: SQLWrapper): SQL {
  return processOnPostgres() ? sql`${column}` : sql`+${column}`;
}

/**
 * After an erasure commits, its old page images still sit in the write-ahead log; checkpointing and truncating it
 * leaves the erased values nowhere in the files (secure_delete already zeroes them in the database pages). It cannot
 * run inside a transaction. `complete` is false when a reader kept part of the log alive.
 */
export function flushWriteAheadLog(db: Db): { complete: boolean } {
  assertOutsideTransaction(db, "Flushing the write-ahead log");
  // PostgreSQL keeps no such log of page images Tally can truncate; see decision 034 on what remains there.
  if (isPostgres(db)) return { complete: true };
  const [result] = db.$client.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
  return { complete: result?.busy === 0 };
}

/**
 * The query with its rows locked until the transaction ends (`SELECT … FOR UPDATE`), for a service that reads a row
 * and then writes it back: on PostgreSQL two transactions would otherwise both read the old figures. On SQLite the
 * single writer already serialises them (decision 013), and the query is returned as it is.
 *
 * `skipLocked` (`FOR UPDATE SKIP LOCKED`) is for a queue: rows another transaction holds are left out rather than
 * waited for, so several instances claim disjoint rows, each for as long as its transaction lives (decision 037).
 */
export function forUpdate<Query extends object>(query: Query, { skipLocked = false } = {}): Query {
  const lockable = query as Query & { for?: (strength: "update", config?: { skipLocked?: boolean }) => Query };
  if (typeof lockable.for !== "function") return query;
  return skipLocked ? lockable.for("update", { skipLocked: true }) : lockable.for("update");
}

/**
 * Holds the lock named `name` until the transaction ends, waiting while another transaction holds it: for a
 * read-then-write that row locks cannot cover, because the rows that would conflict are other rows (two claims of two
 * different tasks for one shop's lane, decision 017). On PostgreSQL a transaction-level advisory lock, released at
 * commit or rollback, also when the connection dies; on SQLite the single writer already serialises transactions
 * (BEGIN IMMEDIATE), so nothing is taken.
 */
export async function lockUntilCommit(tx: Tx, name: string): Promise<void> {
  if (!isPostgres(tx)) return;
  await (tx as unknown as { execute(query: SQL): Promise<unknown> }).execute(
    sql`select pg_advisory_xact_lock(hashtext(${name}))`,
  );
}

/**
 * Whether a statement failed only because of another transaction's locks (PostgreSQL's deadlock_detected, 40P01, or
 * lock_not_available, 55P03): nothing is wrong with the work itself, so it is tried again rather than counted as a
 * failure. Never true on SQLite, whose single writer cannot deadlock.
 */
export function isLockConflict(error: unknown): boolean {
  const cause = error instanceof DrizzleQueryError ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return code === "40P01" || code === "55P03";
}

/**
 * Whether a statement failed because it would put a second row under the key of `table`'s unique index named `index`
 * (PostgreSQL's unique_violation, 23505, naming the index; SQLite's SQLITE_CONSTRAINT_UNIQUE, naming its columns), so
 * a service can say which rule the write broke, whoever else wrote the row it met. False for any other error.
 */
export function isUniqueViolation(error: unknown, table: SQLiteTable, index: string): boolean {
  const cause = (error instanceof DrizzleQueryError ? error.cause : error) as
    { code?: unknown; constraint?: unknown; message?: unknown } | undefined;
  if (cause?.code === "23505") return cause.constraint === index;
  if (cause?.code !== "SQLITE_CONSTRAINT_UNIQUE" || typeof cause.message !== "string") return false;
  const config = getTableConfig(table);
  const columns = config.indexes.find((each) => each.config.name === index)?.config.columns;
  if (!columns) return false;
  const named = columns.map((column) => `${config.name}.${(column as { name: string }).name}`).join(", ");
  return cause.message === `UNIQUE constraint failed: ${named}`;
}

/**
 * A prepared select's rows, for a long read where drizzle's row mapping costs more than the read itself (an export,
 * bench:export): on SQLite the stored values by position (better-sqlite3's `.values()`), mapped by `fromStored` (it
 * sees what SQLite stores: booleans 0/1, JSON as text); on PostgreSQL the prepared query's own rows, which drizzle maps
 * alike (the stored forms are the same, decision 034) and whose cost there is the round trip, not the mapping.
 */
export async function preparedRows<Row>(
  db: Db,
  query: { execute(params: Record<string, unknown>): unknown },
  params: Record<string, unknown>,
  fromStored: (values: unknown[]) => Row,
): Promise<Row[]> {
  if (isPostgres(db)) return (await query.execute(params)) as Row[];
  return (query as unknown as { values(params: Record<string, unknown>): unknown[][] }).values(params).map(fromStored);
}

/**
 * The larger of two non-null values, written so both dialects read it (SQLite's scalar `max(a, b)` is PostgreSQL's
 * `greatest`); a third argument takes the larger of the three.
 */
export function larger(a: SQLWrapper | number | string, b: SQLWrapper | number | string, c?: SQLWrapper | string): SQL {
  const two = sql`(case when ${a} >= ${b} then ${a} else ${b} end)`;
  return c === undefined ? two : sql`(case when ${two} >= ${c} then ${two} else ${c} end)`;
}

/** The smaller of two non-null values, on both dialects (SQLite's scalar `min(a, b)`, PostgreSQL's `least`). */
export function smaller(a: SQLWrapper | number | string, b: SQLWrapper | number | string): SQL {
  return sql`(case when ${a} <= ${b} then ${a} else ${b} end)`;
}

/**
 * A table drizzle renders as both dialects' joins expect (the SQLite tables serve PostgreSQL too, decision 034):
 * drizzle's pg dialect writes `join "customers" "alias"` only for a table it recognises as its own, and `join "alias"`
 * otherwise. The alias answers to both recognitions; nothing else about it changes.
 */
class TableOfEitherDialect extends SQLiteTable {
  static override readonly [entityKind]: string = "PgTable";
}

/** drizzle's `aliasedTable`, usable on SQLite and PostgreSQL alike (see TableOfEitherDialect). */
export function aliasOf<T extends Table>(table: T, alias: string): T {
  return new Proxy(aliasedTable(table, alias), { getPrototypeOf: () => TableOfEitherDialect.prototype });
}

/**
 * An error's message as it may be stored and shown to staff (a delivery's or a task item's failure). drizzle wraps a
 * failed PostgreSQL query in DrizzleQueryError, whose message carries the SQL and its parameters, customers' personal
 * data among them; its cause's message is the database's own, as SQLite's driver gives it.
 */
export function messageOf(error: unknown): string {
  if (error instanceof DrizzleQueryError && error.cause instanceof Error) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `work` unless another process holds the lock named `name`, and says whether it ran. On PostgreSQL, a session
 * advisory lock on a pooled connection held for the run: several instances on one database run such work once at a
 * time, and an instance that dies mid-run (kill -9) frees the lock with its connection. On SQLite the file has one
 * process (README, "One instance only"), so the work just runs. `work` may call Shopify: it runs outside any
 * transaction.
 */
export async function runAlone<T>(
  db: Db,
  name: string,
  work: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  if (!isPostgres(db)) return { ran: true, value: await work() };
  return withAdvisoryLock(db, name, "try", work);
}

/**
 * `work` under PostgreSQL's session advisory lock `name` on a pooled connection held for the run: "try" gives up at
 * once when another holds it ({ ran: false }), "wait" waits for it. An instance that dies mid-run frees the lock with
 * its connection.
 */
async function withAdvisoryLock<T>(
  db: Db,
  name: string,
  how: "try",
  work: () => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }>;
async function withAdvisoryLock<T>(db: Db, name: string, how: "wait", work: () => Promise<T>): Promise<T>;
async function withAdvisoryLock<T>(
  db: Db,
  name: string,
  how: "try" | "wait",
  work: () => Promise<T>,
): Promise<T | { ran: true; value: T } | { ran: false }> {
  const client = await (db.$client as unknown as Pool).connect();
  // The connection waits while `work` runs: if the server drops it meanwhile (a restart), the lock is gone with it,
  // and the error must not go unheard (pg emits it on the client, which the pool no longer listens to).
  let lost: Error | undefined;
  const onError = (error: Error) => (lost = error);
  client.on("error", onError);
  try {
    const { rows } = await client
      .query<{ held: boolean }>(
        how === "try"
          ? "select pg_try_advisory_lock(hashtext($1)) as held"
          : "select true as held from pg_advisory_lock(hashtext($1))",
        [name],
      )
      .catch((error: Error) => {
        lost = error;
        throw error;
      });
    if (!rows[0]?.held) return { ran: false };
    try {
      const value = await work();
      return how === "try" ? { ran: true, value } : value;
    } finally {
      if (!lost) {
        await client.query("select pg_advisory_unlock(hashtext($1))", [name]).catch((error: Error) => (lost = error));
      }
    }
  } finally {
    client.off("error", onError);
    // A connection that failed is closed rather than handed back.
    client.release(lost);
  }
}

// The tail of each name's queue in this process: a `runInTurn` waits on it before taking its turn.
const turns = new Map<string, Promise<unknown>>();

/**
 * Runs `work` once every earlier `runInTurn` of the same `name` has finished, first come first served: for a
 * read-Shopify-then-write that must not interleave with another of its kind (two renames of one group from two tabs),
 * where a transaction cannot help because Shopify is called outside it. In this process a queue per name; on
 * PostgreSQL also a session advisory lock on a pooled connection held for the run (waited for, not tried), so
 * several instances on one database take turns too, and an instance that dies mid-run frees it with its connection.
 * `work` runs outside any transaction and may call Shopify; its error is the caller's, and the next in line still runs.
 */
export async function runInTurn<T>(db: Db, name: string, work: () => Promise<T>): Promise<T> {
  const before = turns.get(name) ?? Promise.resolve();
  const mine = before.then(() => acrossInstances(db, name, work));
  const settled = mine.catch(() => undefined);
  turns.set(name, settled);
  void settled.then(() => {
    if (turns.get(name) === settled) turns.delete(name);
  });
  return mine;
}

async function acrossInstances<T>(db: Db, name: string, work: () => Promise<T>): Promise<T> {
  return isPostgres(db) ? withAdvisoryLock(db, name, "wait", work) : work();
}
