import { bulkAdjustmentsArePaced } from "~/services/ledger/adjust-points.server";
import type { ChunkPacer } from "./chunk-pacer";
import { pacerOfRun } from "./task-pacers";

/** The most customers a bulk points chunk holds; every chunk on PostgreSQL. */
const BULK_POINTS_CHUNK = 250;

/**
 * The pacer of a bulk points adjustment's chunks and of its undo's, one per run of the task (`run`: the claimed task
 * the runner hands every chunk of that run). Each customer is its own few statements (the locked read, the request id's
 * check, the entry, the balance), a millisecond or two on a loaded machine, so a fixed chunk of 250 held the process for
 * 0.5 to 1 s on SQLite, and a page waited behind a chunk at each of its turns: a reload of the directory during a
 * 40,000-customer adjustment showed its table and counts after seconds (bench:bulk-points). On SQLite chunks are
 * sized by time as a sync's are (ChunkPacer, decision 030: about 40 ms, 5 ms while requests are being served, which
 * run to their end between chunks, 250 ms once nobody has used the app for ten seconds), up to 250 customers; on
 * PostgreSQL 250 a chunk, as before, and 250 as well when TASK_PAUSE_MS sets a pause between chunks (the e2e tests
 * slow a job down by it, and time it in chunks of 250). A chunk is still one transaction with its results and
 * checkpoint, so what a resumed run skips or repeats is unchanged: only how many customers a chunk holds.
 */
export function bulkPointsPacer(run: object): ChunkPacer {
  return pacerOfRun(run, BULK_POINTS_CHUNK, bulkAdjustmentsArePaced());
}
