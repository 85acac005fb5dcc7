import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Db } from "./client.server";
import { assertOutsideTransaction } from "./transaction.server";

/*
 * The SQL that is SQLite's own, in one place (decision 013): services are written in the subset drizzle renders the
 * same on SQLite and PostgreSQL, and reach for these helpers where the dialects differ. PostgreSQL (issue 14) gives
 * each its PostgreSQL form here; nothing else changes.
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
 * planner, without statistics, gets wrong (app/services/customers/list-customers.server.ts).
 */
export function withoutIndex(column: SQLWrapper): SQL {
  return sql`+${column}`;
}

/**
 * After an erasure commits, its old page images still sit in the write-ahead log; checkpointing and truncating it
 * leaves the erased values nowhere in the files (secure_delete already zeroes them in the database pages). It cannot
 * run inside a transaction. `complete` is false when a reader kept part of the log alive.
 */
export function flushWriteAheadLog(db: Db): { complete: boolean } {
  assertOutsideTransaction(db, "Flushing the write-ahead log");
  const [result] = db.$client.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
  return { complete: result?.busy === 0 };
}
