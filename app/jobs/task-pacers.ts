import { env } from "~/lib/env.server";
import { taskChunksArePaced } from "~/services/background-jobs/run-task.server";
import { ChunkPacer } from "./chunk-pacer";

const pacers = new WeakMap<object, ChunkPacer>();

/**
 * The pacer of one run of a task (`run`: the claimed task the runner hands every chunk of that run), made on its first
 * chunk. On SQLite its chunks are sized by time (ChunkPacer, decisions 030 and 069: about 40 ms, 5 ms while requests
 * are being served, which run to their end between chunks, 250 ms once nobody has used the app for ten seconds), up
 * to `maxRecords`; on PostgreSQL (`paced` false: queries wait on the network and leave the event loop to requests)
 * and when TASK_PAUSE_MS sets a pause between chunks (the e2e tests slow a job down by it and time it in whole
 * chunks), every chunk takes `maxRecords`, the fixed chunk the task had before. A chunk stays one transaction with its
 * results and checkpoint, so what a resumed run skips or repeats is unchanged: only how many records a chunk holds.
 */
export function pacerOfRun(run: object, maxRecords: number, paced = taskChunksArePaced()): ChunkPacer {
  let pacer = pacers.get(run);
  if (!pacer) {
    pacer =
      paced && env().TASK_PAUSE_MS === 0 ? new ChunkPacer({ maxRecords }) : new ChunkPacer({ fixed: true, maxRecords });
    pacers.set(run, pacer);
  }
  return pacer;
}

/**
 * Move points in (a points import): up to 500 rows a chunk, each an indexed lookup, a ledger entry, the balance and
 * an audit line: a fixed 500 held the process over a second a chunk on SQLite (bench:task-stalls, decision 069).
 */
export const importPointsPacer = (run: object) => pacerOfRun(run, 500);

/**
 * A bulk block or unblock from the directory: up to 250 customers a chunk, set by set, with a result and an audit
 * line each (bench:task-stalls, decision 069).
 */
export const bulkBlockPacer = (run: object) => pacerOfRun(run, 250);

/**
 * Add Members to the referral program: up to 1,000 customers a chunk, an indexed read of their rows and an UPDATE per
 * distinct date (bench:task-stalls, decision 069).
 */
export const joinReferralMembersPacer = (run: object) => pacerOfRun(run, 1000);
