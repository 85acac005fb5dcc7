import { AsyncLocalStorage } from "node:async_hooks";
import type Database from "better-sqlite3";
import type { Db } from "./client.server";
import { isPostgres } from "./which-dialect";

/*
 * The one way Tally opens a transaction (decision 013). On SQLite every request shares one better-sqlite3 connection,
 * and drizzle's `db.transaction()` there is synchronous: an async callback is committed at its first `await` and never
 * rolled back (drizzle issues #1472, #2275). So Tally issues BEGIN IMMEDIATE / COMMIT / ROLLBACK itself, around an
 * async callback, with:
 *
 * - an async mutex per connection, so two transactions never interleave on it: a second one waits for the first;
 * - AsyncLocalStorage to know that a call is already inside a transaction, which then nests as a SAVEPOINT (rolled back
 *   alone when its callback throws, kept when it returns);
 * - a rollback of everything on any throw.
 *
 * The callback must not await real I/O (a fetch, a timer, a file): on one connection the transaction, and the write
 * lock, would stay open while every other request waits, and statements outside it would run inside it. Awaiting
 * drizzle's better-sqlite3 builders or `prepared(...).execute()` resolves in microtasks only, so a callback that awaits
 * nothing else completes before any other request runs. With checks on (tests and development), a transaction still
 * open once the event loop has moved on is rolled back and fails loudly, and a write that runs on the connection from
 * outside the open transaction (two flows started together, e.g. by Promise.all) throws.
 */

declare const inTransactionBrand: unique symbol;

/**
 * The handle of an open transaction, with Db's query API. Only `inTransaction` makes one, so a function that takes a
 * `tx` can only be called inside a transaction; inside it, every query goes through `tx`, never `ctx.db`.
 */
export type Tx = Db & { readonly [inTransactionBrand]: true };

/** A transaction callback awaited real I/O: the transaction stayed open across the event loop and was rolled back. */
export class TransactionHeldOpenError extends Error {
  constructor(begun: string | undefined) {
    super(
      "A transaction stayed open while the event loop moved on: its callback awaited real I/O (a fetch, a timer). " +
        "Call Shopify or wait before or after inTransaction, never inside it (decision 013)." +
        (begun ? `\nThe transaction began at:${begun}` : ""),
    );
    this.name = "TransactionHeldOpenError";
  }
}

interface Frame {
  connection: Connection;
  /** The top-level transaction this frame belongs to (itself at the top). */
  root: Frame;
  /** 0 for the transaction, n for the n-th nested savepoint. */
  depth: number;
  active: boolean;
  /** Set by the event-loop check when the transaction outlived the macrotask it began in. */
  heldOpen?: TransactionHeldOpenError;
  /** Where it began (with checks on), for the error. */
  begun?: string;
}

interface Connection {
  db: Db;
  checks: boolean;
  /** BEGIN, COMMIT and ROLLBACK, prepared on the raw connection so the statement check never sees them. */
  control: { begin: Database.Statement; commit: Database.Statement; rollback: Database.Statement };
  prepareRaw: (source: string) => Database.Statement;
  savepoints: Map<number, { open: Database.Statement; release: Database.Statement; undo: Database.Statement }>;
  /** The open top-level transaction, if any. */
  open: Frame | null;
  /** How many savepoints are open inside it. */
  depth: number;
  locked: boolean;
  waiters: Array<() => void>;
  loopCheckArmed: boolean;
}

const frames = new AsyncLocalStorage<Frame>();
const connections = new WeakMap<Database.Database, Connection>();

/**
 * Makes `db` usable with `inTransaction`. Called once by `openDatabase`, before any other statement is prepared, with
 * `prepareRaw` being the connection's own (uncached) prepare. Returns the check to run on each new statement, or
 * undefined when checks are off (production).
 */
export function attachTransactions(
  db: Db,
  { checks, prepareRaw }: { checks: boolean; prepareRaw: (source: string) => Database.Statement },
): ((statement: Database.Statement) => void) | undefined {
  const connection: Connection = {
    db,
    checks,
    prepareRaw,
    control: {
      begin: prepareRaw("BEGIN IMMEDIATE"),
      commit: prepareRaw("COMMIT"),
      rollback: prepareRaw("ROLLBACK"),
    },
    savepoints: new Map(),
    open: null,
    depth: 0,
    locked: false,
    waiters: [],
    loopCheckArmed: false,
  };
  connections.set(db.$client, connection);
  return checks ? (statement) => checkStatements(connection, statement) : undefined;
}

function connectionOf(db: Db): Connection {
  const connection = connections.get(db.$client);
  if (!connection) throw new Error("This database was not opened with openDatabase, so it cannot run transactions");
  return connection;
}

/**
 * Runs `work` in a transaction on `ctx.db` and returns what it returns. Everything `work` writes commits together, or,
 * if it throws, nothing does and the error is rethrown. Called inside another transaction (from `work` or anything it
 * calls), it nests as a SAVEPOINT: a throw rolls back the nested part only, and the caller decides what follows.
 *
 * On SQLite one transaction runs at a time: a call made while another flow's transaction is open waits for it.
 * `work` may await Tally's queries only, never real I/O (see the header): call Shopify before or after.
 */
export async function inTransaction<T>(ctx: { db: Db }, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (isPostgres(ctx.db)) return postgresTransaction(ctx.db, work);
  const connection = connectionOf(ctx.db);
  const frame = frames.getStore();
  if (frame && frame.active && frame.root.active && frame.connection === connection) {
    return savepoint(connection, frame, work);
  }
  return transaction(connection, work);
}

/**
 * Waits until no transaction is open or waiting (those already asked for run first), then closes the connection: the
 * process's last word to its database, at shutdown. A transaction asked for afterwards fails (the connection is shut).
 */
export async function closeWhenIdle(db: Db): Promise<void> {
  // pg's Pool.end waits for the connections transactions hold to come back, then closes them all.
  if (isPostgres(db)) return (db.$client as unknown as { end(): Promise<void> }).end();
  const connection = connectionOf(db);
  const waiting = acquire(connection);
  if (waiting) await waiting;
  try {
    db.$client.close();
  } finally {
    release(connection);
  }
}

/**
 * Runs `work` while no transaction of this SQLite connection is open and none can begin (those asked for meanwhile
 * wait, as they wait for each other), without opening one: for work on another connection that needs this one's writes
 * to pause, such as the checkpoint that lets the WAL restart (app/db/wal-checkpoints.server.ts, decision 039). Unlike a
 * transaction's, `work` may await real I/O, and the event loop goes on meanwhile; every write waits for it, so it must
 * take milliseconds. Returns what `work` returns.
 */
export async function whileWritesWait<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const connection = connectionOf(db);
  const waiting = acquire(connection);
  if (waiting) await waiting;
  try {
    return await work();
  } finally {
    release(connection);
  }
}

/** Throws when called inside a transaction: for work SQLite cannot do in one (a WAL checkpoint, VACUUM). */
export function assertOutsideTransaction(db: Db, what: string) {
  const open = postgresFrames.getStore();
  if (open?.active && open.db === db) throw new Error(`${what} must run outside any transaction`);
  const frame = frames.getStore();
  if (frame?.active && frame.root.active && frame.connection === connectionOf(db)) {
    throw new Error(`${what} must run outside any transaction`);
  }
}

function acquire(connection: Connection): Promise<void> | undefined {
  if (!connection.locked) {
    connection.locked = true;
    return undefined;
  }
  return new Promise((resolve) => connection.waiters.push(resolve));
}

function release(connection: Connection) {
  const next = connection.waiters.shift();
  // Handed straight to the next waiter (first come, first served): the lock never looks free in between.
  if (next) next();
  else connection.locked = false;
}

async function transaction<T>(connection: Connection, work: (tx: Tx) => Promise<T>): Promise<T> {
  const waiting = acquire(connection);
  if (waiting) await waiting;
  const frame = { connection, depth: 0, active: true } as Frame;
  frame.root = frame;
  try {
    connection.control.begin.run();
  } catch (error) {
    release(connection);
    throw error;
  }
  connection.open = frame;
  if (connection.checks) frame.begun = new Error().stack?.split("\n").slice(2).join("\n");
  armLoopCheck(connection);
  try {
    // An async wrapper, so a lazy drizzle builder that `work` returns unawaited still runs inside the frame.
    const result = await frames.run(frame, async () => work(connection.db as Tx));
    if (connection.depth !== 0) {
      throw new Error("A nested transaction was still running when its transaction ended: await every inTransaction");
    }
    if (frame.heldOpen && connection.checks) throw frame.heldOpen;
    connection.control.commit.run();
    return result;
  } catch (error) {
    if (connection.db.$client.inTransaction) connection.control.rollback.run();
    throw frame.heldOpen && connection.checks ? frame.heldOpen : error;
  } finally {
    frame.active = false;
    connection.open = null;
    connection.depth = 0;
    release(connection);
  }
}

async function savepoint<T>(connection: Connection, parent: Frame, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (connection.depth !== parent.depth) {
    throw new Error(
      "Two nested transactions ran at once inside one transaction (Promise.all?): await each before the next",
    );
  }
  const depth = parent.depth + 1;
  let statements = connection.savepoints.get(depth);
  if (!statements) {
    const name = `tally_savepoint_${depth}`;
    statements = {
      open: connection.prepareRaw(`SAVEPOINT ${name}`),
      release: connection.prepareRaw(`RELEASE ${name}`),
      undo: connection.prepareRaw(`ROLLBACK TO ${name}`),
    };
    connection.savepoints.set(depth, statements);
  }
  const frame: Frame = { connection, root: parent.root, depth, active: true };
  const stillOpen = () => parent.root.active && connection.open === parent.root;
  // SQLite rolls a whole transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR): a SAVEPOINT then
  // would begin a new transaction of its own, outside the caller's, so the caller's must fail instead.
  if (!connection.db.$client.inTransaction) throw new Error("SQLite rolled this transaction back after an error");
  statements.open.run();
  connection.depth = depth;
  try {
    const result = await frames.run(frame, async () => work(connection.db as Tx));
    // Its transaction ended without waiting for it (not awaited): what it wrote went with that transaction.
    if (!stillOpen()) throw new Error("The transaction ended before its nested transaction finished: await it");
    statements.release.run();
    return result;
  } catch (error) {
    if (stillOpen() && connection.db.$client.inTransaction) {
      statements.undo.run();
      statements.release.run();
    }
    throw error;
  } finally {
    frame.active = false;
    if (stillOpen()) connection.depth = depth - 1;
  }
}

/**
 * One check per turn of the event loop: an immediate runs after the macrotask that armed it and its microtasks, so a
 * transaction still open when it fires has awaited something outside the database.
 */
function armLoopCheck(connection: Connection) {
  if (connection.loopCheckArmed) return;
  connection.loopCheckArmed = true;
  setImmediate(() => {
    connection.loopCheckArmed = false;
    const frame = connection.open;
    if (!frame || frame.heldOpen) return;
    frame.heldOpen = new TransactionHeldOpenError(frame.begun);
    // With checks on, the transaction is rolled back when its callback returns; in production it commits, and the
    // mutex still kept every other transaction out of it, but the write lock was held across I/O: say so.
    console.error(frame.heldOpen.message);
  }).unref();
}

/**
 * With checks on, every statement that writes checks that no transaction is open on the connection, or that it runs
 * inside the open one: a write from another flow would otherwise be committed, or rolled back, with a transaction it
 * knows nothing of. (A read from another flow sees what the open transaction has written so far: on one SQLite
 * connection that is unavoidable, and harmless for the pages and figures that read outside a transaction.)
 */
function checkStatements(connection: Connection, statement: Database.Statement) {
  const methods = ["run", "get", "all", "iterate"] as const;
  for (const method of methods) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    Object.defineProperty(statement, method, {
      value(this: Database.Statement, ...args: unknown[]) {
        const open = connection.open;
        if (open !== null && !this.readonly && frames.getStore()?.root !== open) {
          const message =
            "A write ran on the connection from outside the transaction open on it: two flows were started " +
            `together (Promise.all?) and one wrote while the other's transaction was open (decision 013): ${this.source}`;
          console.error(message);
          throw new Error(message);
        }
        return original.apply(this, args);
      },
    });
  }
}

/*
 * PostgreSQL (decision 034): `ctx.db` is a pool, so transactions run side by side, each on a connection of its own,
 * and no mutex is needed. drizzle's own async `transaction()` holds the connection, issues BEGIN / COMMIT / ROLLBACK,
 * and nests as savepoints. What SQLite's single writer gave for free, a row lock gives here: services lock the rows
 * they read and then write (`forUpdate`, app/db/dialect.ts), or write `x = x + delta`.
 */

interface PostgresFrame {
  db: Db;
  tx: Tx;
  active: boolean;
  /** The nested transaction running on this frame's connection, settled or not. */
  nested: Promise<unknown> | null;
}

const postgresFrames = new AsyncLocalStorage<PostgresFrame>();

type PgTransactional = { transaction<R>(work: (tx: PgTransactional) => Promise<R>): Promise<R> };

async function postgresTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const parent = postgresFrames.getStore();
  if (parent?.active && parent.db === db) {
    // Savepoints follow each other on one connection: two at once would interleave their statements.
    if (parent.nested) {
      throw new Error(
        "Two nested transactions ran at once inside one transaction (Promise.all?): await each before the next",
      );
    }
    const nested = (parent.tx as unknown as PgTransactional).transaction((tx) => run(db, tx as unknown as Tx, work));
    parent.nested = nested;
    try {
      return await nested;
    } finally {
      parent.nested = null;
    }
  }
  return (db as unknown as PgTransactional).transaction((tx) => run(db, tx as unknown as Tx, work));
}

async function run<T>(db: Db, tx: Tx, work: (tx: Tx) => Promise<T>): Promise<T> {
  const frame: PostgresFrame = { db, tx, active: true, nested: null };
  try {
    const result = await postgresFrames.run(frame, async () => work(tx));
    if (frame.nested) {
      await frame.nested.catch(() => undefined);
      throw new Error("The transaction ended before its nested transaction finished: await it");
    }
    return result;
  } catch (error) {
    // A nested transaction still running (its caller threw, e.g. Promise.all) finishes on this connection before
    // the rollback: statements of it issued after the rollback would run outside any transaction, and commit.
    await frame.nested?.catch(() => undefined);
    throw error;
  } finally {
    frame.active = false;
  }
}
