import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Db } from "./client.server";
import { whileWritesWait } from "./transaction.server";
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
 * steady writes that never happens by itself (measured: 118 MB of WAL for 48 MB written), since commits land while the
 * worker's checkpoint runs. So when the worker reports a WAL past `restartFrames`, the app's transactions wait (an async
 * wait: requests are still read and verified) while the worker checkpoints once more, which then copies only the frames
 * committed during its last run; the next write restarts the WAL. Decision 039.
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

/** What `PRAGMA wal_checkpoint` reports: whether it could not finish, the WAL's frames, and those now in the file. */
interface CheckpointReport {
  busy: number;
  log: number;
  checkpointed: number;
}

/** How often the worker checkpoints: at 1,000 deliveries a second the WAL holds a few MB between two. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** The WAL size (pages of 4 KB) past which writes wait for a checkpoint that lets the WAL restart: SQLite's own mark. */
export const RESTART_FRAMES = 1000;

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
    restartFrames = RESTART_FRAMES,
    onError,
  }: { intervalMs?: number; restartFrames?: number; onError?: (error: unknown) => void } = {},
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
  /** Stopped, or the worker died: no checkpoint is asked of it again. */
  let stopped = false;
  let next: NodeJS.Timeout | undefined;
  let answer: ((report: CheckpointReport) => void) | undefined;
  // What stands for an answer the worker will never give (it died or was stopped), so nothing waits for it forever.
  const unanswered: CheckpointReport = { busy: 1, log: 0, checkpointed: 0 };
  worker.on("message", (report: CheckpointReport) => answer?.(report));
  const checkpoint = () =>
    new Promise<CheckpointReport>((resolve) => {
      if (stopped) return resolve(unanswered);
      answer = resolve;
      worker.postMessage("checkpoint");
    });
  // One checkpoint at a time, the next an interval after the last one answered.
  const cycle = async () => {
    next = undefined;
    const { log } = await checkpoint();
    if (!stopped && log >= restartFrames) await whileWritesWait(db, checkpoint);
    if (!stopped) next = setTimeout(() => void cycle(), intervalMs).unref();
  };
  void cycle();
  worker.once("error", (error) => {
    if (!stopped) onError?.(error);
    stopped = true;
    handBack();
  });
  const exited = new Promise<void>((resolve) =>
    worker.once("exit", () => {
      stopped = true;
      answer?.(unanswered);
      resolve();
    }),
  );
  return async () => {
    clearTimeout(next);
    if (!stopped) {
      stopped = true;
      worker.postMessage("stop");
    }
    await exited;
    handBack();
  };
}
