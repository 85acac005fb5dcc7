import path from "node:path";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { Db } from "../client.server";
import { notePostgresOpened } from "../which-dialect";

const migrationsFolder = path.resolve(process.cwd(), "drizzle/postgres");

// int8 (bigint columns, count(*)) as a JS number, as SQLite's integers are: Tally's integers (ids, points, minor
// units) stay far below 2^53. drizzle's node-postgres driver reads the driver's global parsers, not a pool's own.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Any number: Tally's migrations take this advisory lock, so instances starting together migrate one at a time. */
const migrationLock = 7_146_001;

/**
 * Opens a pool on a PostgreSQL database (`postgres://…`) and applies drizzle/postgres/'s pending migrations, one
 * instance at a time. The handle has Db's query API (decision 034: the same tables and services as SQLite); every
 * query on it takes a pooled connection, and `inTransaction` holds one for the transaction.
 */
export async function openPostgres(url: string, { poolSize = 10 }: { poolSize?: number } = {}): Promise<Db> {
  notePostgresOpened();
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server drops (restart, failover) must not take the process down.
  pool.on("error", (error) => console.error("A pooled PostgreSQL connection failed", error));
  const db = drizzle(pool);
  // The lock is held on a connection of its own, so the migrator can take the pool's (even a pool of one).
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [migrationLock]);
    await migrate(db, { migrationsFolder });
  } finally {
    await lock.end();
  }
  await db.execute(sql`select 1`);
  return db as unknown as Db;
}

/** The pool behind a handle opened by openPostgres. */
export function poolOf(db: Db): pg.Pool {
  return (db as unknown as { $client: pg.Pool }).$client;
}
