/* eslint-disable tally/async-data-access -- the subject is SQLite's WAL itself: the raw driver writes and reads it */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "~/db/client.server";
import { inTransaction } from "~/db/transaction.server";
import { checkpointOffTheEventLoop } from "~/db/wal-checkpoints.server";
import { onPostgres } from "../helpers/dialect";

// Decision 039: the production server's SQLite connection never checkpoints inside a commit; a worker thread does,
// and the WAL stays bounded under writes that never pause. SQLite only: PostgreSQL has no WAL file of ours to keep.

const MB = 1024 * 1024;
const opened: Array<{ db: Db; dir: string; stop: () => Promise<void> }> = [];

afterEach(async () => {
  for (const { db, dir, stop } of opened.splice(0)) {
    await stop();
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function openWithCheckpoints(options: Parameters<typeof checkpointOffTheEventLoop>[1]) {
  const dir = mkdtempSync(path.join(tmpdir(), "tally-wal-"));
  const file = path.join(dir, "tally.sqlite");
  const db = openDatabase(file, { checks: false });
  db.$client.exec("create table writes (id integer primary key, body blob not null)");
  const stop = checkpointOffTheEventLoop(db, options);
  opened.push({ db, dir, stop });
  return { db, file, stop };
}

const walBytes = (file: string) => statSync(`${file}-wal`).size;

/**
 * Commits `megabytes` of rows, 32 KB a commit, a commit a millisecond at most: about 30 MB a second, ten times what
 * bench:webhooks writes, and never a pause for the WAL to restart in.
 */
async function writeSteadily(db: Db, file: string, megabytes: number) {
  const insert = db.$client.prepare("insert into writes (body) values (?)");
  const row = Buffer.alloc(2048, 7);
  let largestWal = 0;
  for (let written = 0; written < megabytes * MB; written += 16 * row.length) {
    // Through the one transaction runner, as every write of the app goes (decision 013).
    await inTransaction({ db }, async () => {
      for (let i = 0; i < 16; i++) insert.run(row);
    });
    largestWal = Math.max(largestWal, walBytes(file));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return largestWal;
}

describe.skipIf(onPostgres)("SQLite checkpoints on a worker thread", () => {
  it("keeps the WAL a few MB however much is written, with the app's own commits never checkpointing", async () => {
    const { db, file } = openWithCheckpoints({ intervalMs: 20 });
    expect(db.$client.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const largestWal = await writeSteadily(db, file, 48);
    // 48 MB went through the WAL. Without writes waiting for one checkpoint now and then, the worker never lets the WAL
    // restart while writes go on, and it grows with everything written (measured: 118 MB). With them it stays a few MB
    // on a quiet machine, and reached 22 MB once in CI with another suite's files writing beside it: the bound is
    // that it never holds most of what was written, which a WAL that cannot restart always does.
    expect(largestWal).toBeLessThan(36 * MB);
    const count = db.$client.prepare("select count(*) as n from writes").get() as { n: number };
    expect(count.n).toBe((48 * MB) / 2048);
  });

  it("hands checkpoints back to the app's connection when stopped, and loses no commit", async () => {
    const { db, file, stop } = openWithCheckpoints({ intervalMs: 20 });
    await writeSteadily(db, file, 4);
    await stop();
    expect(db.$client.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    const reader = openDatabase(file, { checks: false });
    try {
      const count = reader.$client.prepare("select count(*) as n from writes").get() as { n: number };
      expect(count.n).toBe((4 * MB) / 2048);
    } finally {
      reader.$client.close();
    }
  });
});
