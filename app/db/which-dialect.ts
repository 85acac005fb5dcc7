import { entityKind } from "drizzle-orm";

// Asked once per transaction on SQLite's hot path: remembered per handle (drizzle's `is` walks prototypes).
const answers = new WeakMap<object, boolean>();

/**
 * drizzle's `is(dialect, PgDialect)` (a walk of the class chain for drizzle's entity kind), without loading drizzle's
 * PostgreSQL dialect into a process on SQLite (decision 047).
 */
function isPgDialect(dialect: unknown): boolean {
  if (typeof dialect !== "object" || dialect === null) return false;
  for (let kind: unknown = dialect.constructor; typeof kind === "function"; kind = Object.getPrototypeOf(kind)) {
    if ((kind as { [entityKind]?: string })[entityKind] === "PgDialect") return true;
  }
  return false;
}

/**
 * Whether a database handle (the connection, or a transaction's `tx`) speaks PostgreSQL. Only app/db asks: it is the
 * one layer where the dialects differ (decisions 013 and 034).
 */
export function isPostgres(db: object): boolean {
  let known = answers.get(db);
  if (known === undefined) {
    known = isPgDialect((db as { dialect?: unknown }).dialect);
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
