import { is } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

// Asked once per transaction on SQLite's hot path: remembered per handle (drizzle's `is` walks prototypes).
const answers = new WeakMap<object, boolean>();

/**
 * Whether a database handle (the connection, or a transaction's `tx`) speaks PostgreSQL. Only app/db asks: it is the
 * one layer where the dialects differ (decisions 013 and 034).
 */
export function isPostgres(db: object): boolean {
  let known = answers.get(db);
  if (known === undefined) {
    known = is((db as { dialect?: unknown }).dialect, PgDialect);
    answers.set(db, known);
  }
  return known;
}

let postgresOpened = false;

/** Called by openPostgres: this process runs on PostgreSQL (a process runs one dialect: app/shopify.server.ts). */
export function notePostgresOpened() {
  postgresOpened = true;
}

/**
 * Whether this process opened PostgreSQL: for the few helpers that build SQL with no handle at hand (a planner hint
 * written into a module-level term). Everything else asks `isPostgres(db)`.
 */
export function processOnPostgres(): boolean {
  return postgresOpened;
}
