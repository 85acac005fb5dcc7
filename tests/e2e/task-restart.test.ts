import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { until as pollUntil } from "../helpers/admin-e2e";
import { startDevApp, startProductionApp, type RunningApp } from "../helpers/app-server";

const shop = "restart.myshopify.com";
const CUSTOMERS = 3000;
let app: RunningApp | undefined;

afterAll(async () => {
  await app?.stop();
});

/** Polls often: the kill must land while the task is mid-run. */
const until = <T>(read: () => T | undefined, what: string) =>
  pollUntil(read, what, { timeoutMs: 60_000, intervalMs: 50 });

interface TaskRow {
  status: string;
  progress_done: number;
  progress_total: number | null;
  done_items: number;
  locked_by: string | null;
}

// The restarted process is the production server (`npm start`, `npm run demo`) or the dev server (`npm run dev`):
// each starts the scheduler, and with it the task runner.
describe.each([
  ["the production server", startProductionApp],
  ["the dev server", startDevApp],
])("a background task across kill -9 of the production server, restarted as %s", (_, restart) => {
  it("resumes from its checkpoint after a restart and completes exactly once", async () => {
    const databasePath = path.join(mkdtempSync(path.join(tmpdir(), "tally-restart-")), "tally.sqlite");
    const shared = {
      DATABASE_PATH: databasePath,
      TALLY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      // A short lease, so the restarted server takes the dead one's task over within seconds; a pause between chunks
      // so the kill lands mid-task.
      TASK_LEASE_SECONDS: "2",
      TASK_PAUSE_MS: "250",
    };
    // The first server migrates the database; the shop's customers and a queued task are then written into it.
    app = await startProductionApp(shared);
    const db = new Database(databasePath);
    db.pragma("busy_timeout = 5000");
    const now = new Date().toISOString();
    const insertCustomer = db.prepare(
      "insert into customers (shop, customer_gid, status, points_balance) values (?, ?, 'member', ?) returning id",
    );
    const insertEntry = db.prepare(
      "insert into ledger_entries (shop, customer_id, kind, points, idempotency_key, actor, explanation, created_at) values (?, ?, 'adjust', ?, ?, 'staff:1', 'seeded', ?)",
    );
    const drifted: number[] = [];
    db.transaction(() => {
      for (let n = 0; n < CUSTOMERS; n += 1) {
        const points = 10 + (n % 50);
        const { id } = insertCustomer.get(shop, `gid://shopify/Customer/${7_000_000 + n}`, points) as {
          id: number;
        };
        insertEntry.run(shop, id, points, `seed:${id}`, now);
        if (n % 40 === 9) drifted.push(id);
      }
    })();
    const driftedList = drifted.join(",");
    db.prepare(`update customers set points_balance = points_balance + 30 where id in (${driftedList})`).run();
    const { id: taskId } = db
      .prepare(
        `insert into tasks (shop, kind, title, status, idempotency_key, input, unit_one, unit_other, actor, actor_name, created_at)
         values (?, 'points.recalculate', 'Recalculate points', 'queued', 'restart', '{"repair":true}', 'customer', 'customers', 'staff:1', 'Sam Owner', ?)
         returning id`,
      )
      .get(shop, now) as { id: number };
    const task = () => db.prepare("select * from tasks where id = ?").get(taskId) as TaskRow;

    // Mid-task: some chunks committed, not all. Then the process is killed without a chance to hand anything back.
    await until(() => (task().progress_done >= 750 ? true : undefined), "the task to be under way");
    process.kill(app.pid, "SIGKILL");
    await until(() => {
      try {
        process.kill(app!.pid, 0);
        return undefined;
      } catch {
        return true;
      }
    }, "the server to die");
    const atKill = task();
    expect(atKill.status).toBe("running");
    expect(atKill.locked_by).not.toBeNull();
    expect(atKill.progress_done).toBeGreaterThan(0);
    expect(atKill.progress_done).toBeLessThan(CUSTOMERS);
    const itemsAtKill = db.prepare("select id, item_key from task_items where task_id = ? order by id").all(taskId);

    app = await restart(shared);
    await until(() => (task().status === "succeeded" ? true : undefined), "the task to finish after the restart");

    const done = task();
    // Every customer counted once: a task started over would count the first chunks twice.
    expect(done).toMatchObject({ progress_done: CUSTOMERS, progress_total: CUSTOMERS, done_items: drifted.length });
    const items = db
      .prepare("select id, item_key, customer_id from task_items where task_id = ? order by id")
      .all(taskId) as Array<{ id: number; item_key: string; customer_id: number }>;
    expect(items.map((item) => item.customer_id)).toEqual(drifted);
    // What the killed server recorded stayed as it was; the restarted one went on after it.
    expect(items.slice(0, itemsAtKill.length)).toMatchObject(itemsAtKill);
    const balances = db
      .prepare(
        `select count(*) as wrong from customers c join ledger_entries e on e.customer_id = c.id
         where c.id in (${driftedList}) and c.points_balance != e.points`,
      )
      .get() as { wrong: number };
    expect(balances.wrong).toBe(0);
    db.close();
    await app.stop();
    app = undefined;
  });
});
