import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Db } from "./client.server";
import { isPostgres } from "./which-dialect";

/*
 * SQLite's WAL is copied back into the database file by a checkpoint. By default the connection that commits the
 * 1,000th WAL page runs it, inside that COMMIT: copying the pages and two fsyncs, on the event loop, while every
 * request waits. Measured in bench:webhooks (decision 035): COMMIT p50 0.3 ms, p99 37-61 ms, the tail being the
 * checkpoints. Here the app's connection never checkpoints (`wal_autocheckpoint = 0`); a worker thread with a
 * connection of its own runs `wal_checkpoint(PASSIVE)` every `intervalMs`. PASSIVE never waits for a lock and never
 * blocks a writer (the checkpoint lock is not the write lock), so commits go on while the pages are copied and synced.
 *
 * The WAL starts again from its beginning only when a write begins with every frame already checkpointed. Under
 * steady writes that never happens by itself (measured: 15 MB of WAL after 3,700 deliveries), since commits land
 * while the worker's checkpoint runs. So when the worker reports a WAL past `topUpFrames`, the app's connection runs
 * one PASSIVE checkpoint itself, between two turns of the event loop: only the frames committed during the worker's
 * last run are left to copy (the heavy copying was done off the loop), and the next write restarts the WAL. Decision
 * 039.
 */

/**
 * The worker's body (CommonJS, given better-sqlite3's resolved path and the database file): a PASSIVE checkpoint each
 * time the app asks, answered with the WAL's size and how much of it is now in the database file.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 0");
db.pragma("wal_autocheckpoint = 0");
parentPort.on("message", (message) => {
  if (message === "stop") {
    db.close();
    return void parentPort.close();
  }
  const [{ busy, log, checkpointed }] = db.pragma("wal_checkpoint(PASSIVE)");
  parentPort.postMessage({ busy, log, checkpointed });
});
`;

/** How often the worker checkpoints: at 1,000 deliveries a second the WAL holds a few MB between two. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** The WAL size (pages of 4 KB) past which the app's connection finishes a checkpoint itself: SQLite's own mark. */
export const TOP_UP_FRAMES = 1000;

/**
 * Moves `db`'s WAL checkpoints onto a worker thread (SQLite files only; PostgreSQL and `:memory:` are left alone and
 * the returned stop does nothing). Returns the stop: the worker closes its connection (its last checkpoint, as SQLite
 * does on close), and the app's connection checkpoints by itself again. If the worker dies, the app's connection takes its checkpoints
 * back at once, so the WAL never grows without bound; `onError` hears why.
 */
export function checkpointOffTheEventLoop(
  db: Db,
  {
    intervalMs = CHECKPOINT_INTERVAL_MS,
    topUpFrames = TOP_UP_FRAMES,
    onError,
  }: { intervalMs?: number; topUpFrames?: number; onError?: (error: unknown) => void } = {},
): () => Promise<void> {
  if (isPostgres(db) || db.$client.memory) return () => Promise.resolve();
  const client = db.$client;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve("better-sqlite3"),
      file: client.name,
    },
  });
  // The worker keeps no event loop of the app's alive: shutdown stops it explicitly.
  worker.unref();
  const handBack = () => {
    if (client.open) client.pragma("wal_autocheckpoint = 1000");
  };
  client.pragma("wal_autocheckpoint = 0");
  let stopped = false;
  let next: NodeJS.Timeout | undefined;
  const ask = () => {
    next = undefined;
    if (!stopped) worker.postMessage("checkpoint");
  };
  // One checkpoint at a time: the next is asked for an interval after the last one answered, so the app's top-up
  // never contends with the worker's.
  worker.on("message", ({ log }: { busy: number; log: number; checkpointed: number }) => {
    // A message is its own macrotask, so no transaction of this connection is open (decision 013).
    if (!stopped && log >= topUpFrames && client.open && !client.inTransaction) {
      client.pragma("wal_checkpoint(PASSIVE)");
    }
    if (!stopped) next = setTimeout(ask, intervalMs).unref();
  });
  ask();
  worker.once("error", (error) => {
    handBack();
    if (!stopped) onError?.(error);
  });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return async () => {
    if (stopped) return exited;
    stopped = true;
    clearTimeout(next);
    worker.postMessage("stop");
    await exited;
    handBack();
  };
}
