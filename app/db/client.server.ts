import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";
import { attachTransactions, closeWhenIdle } from "./transaction.server";
import { cachingPrepare } from "./statement-cache";
import { isPostgres } from "./which-dialect";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = path.resolve(process.cwd(), "drizzle");

/**
 * With checks on, every statement better-sqlite3 prepares is watched by the transaction runner, so a write from
 * outside an open transaction fails loudly (app/db/transaction.server.ts). Statements are cached by SQL text only inside
 * `withStatementCache` (a sync's apply; app/db/statement-cache.ts); the hot paths use drizzle's prepared queries
 * (app/db/prepared.ts; decisions 012 and 030 have the figures).
 */
function watchStatements(
  sqlite: Database.Database,
  prepare: (source: string) => Database.Statement,
  decorate: ((statement: Database.Statement) => void) | undefined,
) {
  const watched = decorate
    ? (source: string) => {
        const statement = prepare(source);
        decorate(statement);
        return statement;
      }
    : prepare;
  sqlite.prepare = cachingPrepare(sqlite, watched) as typeof sqlite.prepare;
}

/**
 * The database holds customers' names, emails and phones and the shops' access tokens: only the app's user may read
 * it. Its directory is made 0700 (or tightened to it, when an earlier version made it wider), unless it is a place
 * shared with other things (the working directory, the home directory, a sticky directory such as /tmp). The database
 * file is created, or tightened, 0600 before SQLite opens it, and SQLite gives its -wal and -shm files the database
 * file's mode.
 */
function restrictDatabaseFiles(file: string) {
  const dir = path.dirname(path.resolve(file));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = statSync(dir);
  const shared = (stat.mode & 0o1000) !== 0 || [process.cwd(), homedir(), tmpdir()].includes(dir);
  if (!shared && stat.uid === process.getuid?.() && (stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  closeSync(openSync(file, "a", 0o600));
  for (const each of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(each)) chmodSync(each, 0o600);
}

/**
 * Opens (creating if needed) a SQLite file with the pragmas Tally relies on, makes it ready for `inTransaction`, and
 * applies pending migrations. `checks` (on unless told otherwise; off in production) makes a transaction that awaits
 * real I/O, or a statement from outside an open transaction, fail loudly (app/db/transaction.server.ts).
 */
export function openDatabase(file: string, { checks = true }: { checks?: boolean } = {}): Db {
  if (file !== ":memory:") restrictDatabaseFiles(file);
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // Erased personal data (customers/redact, shop/redact) is zeroed on disk, not just unlinked from the b-tree.
  sqlite.pragma("secure_delete = ON");
  // WAL with NORMAL survives an application crash; only an OS crash may lose the last commits.
  sqlite.pragma("synchronous = NORMAL");
  const prepareRaw = sqlite.prepare.bind(sqlite);
  const db = drizzle(sqlite, { schema });
  watchStatements(sqlite, prepareRaw, attachTransactions(db, { checks, prepareRaw }));
  migrate(db, { migrationsFolder });
  return db;
}

const globalForDb = globalThis as typeof globalThis & {
  tallyDb?: Db;
  tallyDbPath?: string;
  tallyDbOpening?: Promise<Db>;
};

/** The process-wide SQLite connection; Vite's dev server reloads modules, so it is kept on globalThis. */
export function getDb(file: string, options: { checks?: boolean } = {}): Db {
  if (!globalForDb.tallyDb || globalForDb.tallyDbPath !== file) {
    if (globalForDb.tallyDb && !isPostgres(globalForDb.tallyDb)) globalForDb.tallyDb.$client.close();
    globalForDb.tallyDb = openDatabase(file, options);
    globalForDb.tallyDbPath = file;
  }
  return globalForDb.tallyDb;
}

/**
 * The process-wide database: PostgreSQL when `url` is set (DATABASE_URL, `postgres://…`; decision 034), else the
 * SQLite file, exactly as `getDb`. Migrations are applied before it resolves.
 */
export async function getDatabase({
  url,
  file,
  checks,
  poolSize,
}: {
  url?: string;
  file: string;
  checks?: boolean;
  poolSize?: number;
}): Promise<Db> {
  if (!url) return getDb(file, { checks });
  if (globalForDb.tallyDbPath !== url || !globalForDb.tallyDbOpening) {
    globalForDb.tallyDbPath = url;
    // PostgreSQL's driver and drizzle's PostgreSQL dialect load only here: a process on SQLite never holds them (decision 047).
    globalForDb.tallyDbOpening = import("./postgres/client.server")
      .then(({ openPostgres }) => openPostgres(url, { poolSize }))
      .then((db) => (globalForDb.tallyDb = db));
  }
  return globalForDb.tallyDbOpening;
}

/** Closes the process-wide connection once its transactions are done (graceful shutdown); a no-op when none is open. */
export async function closeDatabase(): Promise<void> {
  const db = globalForDb.tallyDb;
  if (!db) return;
  if (isPostgres(db)) {
    globalForDb.tallyDbOpening = undefined;
  } else if (!db.$client.open) return;
  await closeWhenIdle(db);
  globalForDb.tallyDb = undefined;
  globalForDb.tallyDbPath = undefined;
}
