import type { LoaderFunctionArgs } from "@remix-run/node";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { asc, eq, getTableColumns, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import * as schema from "~/db/schema";
import { defineTaskKind, taskKinds, type TaskView } from "~/domain/background-jobs";
import { emptyCustomerQuery } from "~/domain/customers";
import { runShopJobs } from "~/jobs/scheduler.server";
import type { AnyTaskRun, TaskRun } from "~/jobs/task-kind";
import { createTaskRunner, type TaskRunner } from "~/jobs/task-runner.server";
import { exportFilePath } from "~/lib/export-files.server";
import { loader as jobLoader } from "~/routes/app.jobs.$id";
import { getTask } from "~/services/background-jobs/get-task.server";
import { submitTask } from "~/services/background-jobs/submit-task.server";
import { startCustomerImportCheck } from "~/services/imports/check-import.server";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { newShopDomain } from "../factories/shops";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { sessionTokenRequest } from "../helpers/signed-requests";

// Decision 017, "Lanes": a shop runs one task that writes its customers' facts or points at a time, and beside it one
// task that only reads them (an export, a file's check). What a merchant notices: an export pressed during a long
// sync starts and finishes; a second writer waits, and its card says for what.

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
const staff = { actor: "staff:42", actorName: "Sam Owner" };
const runners: TaskRunner[] = [];

afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.stop();
});

async function taskOf(shop: string, taskId: number) {
  return getTask({ ctx: contextFor(shop, "test"), input: { taskId } });
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The job's page as the progress card polls it (`/app/jobs/:id`, signed with a session token). */
async function jobCard(shop: string, taskId: number): Promise<TaskView> {
  const request = await sessionTokenRequest(shop, `/app/jobs/${taskId}`);
  const data = (await jobLoader({ request, params: { id: String(taskId) }, context: {} } as LoaderFunctionArgs)) as {
    job: TaskView;
  };
  return data.job;
}

describe("an export during Sync customers", () => {
  it(
    "starts and finishes while the sync still reads; a second writer waits for the sync, and its card says so",
    { timeout: 120_000 },
    async () => {
      const shop = await newShopDomain();
      const sandbox = sandboxOf();
      sandbox.control.createShop({ shop });
      sandbox.control.seed({ shop, customers: 40, orders: 20, seed: 3 });
      await installThroughAdmin(sandbox, shop);
      await runShopJobs(shop, { force: true });
      // A large shop's bulk read takes Shopify minutes: here it runs until the test lets it go.
      sandbox.control.holdBulkQueries({ shop });
      try {
        const runner = createTaskRunner({ shops: [shop], leaseMs: 30_000, pollMs: 50, pauseMs: 0 });
        runners.push(runner);
        runner.start();
        const ctx = contextFor(shop, staff);
        const submit = (kind: string, input: unknown, idempotencyKey: string) =>
          submitTask({ ctx, input: { kind, input, idempotencyKey } });

        const { task: sync } = await submit("customers.sync", {}, "sync");
        await until(
          async () => (await taskOf(shop, sync.id)).summary?.phase === "reading",
          "the sync waits on Shopify's read",
        );
        const { task: exported } = await submit(
          "customers.export",
          { selection: { query: emptyCustomerQuery }, columns: ["email", "points"] },
          "export",
        );
        const { task: recalculation } = await submit("points.recalculate", { repair: true }, "recalculate");

        await until(async () => (await taskOf(shop, exported.id)).status === "succeeded", "the export is done");
        expect((await taskOf(shop, sync.id)).status).toBe("running");
        // The file is there to download, with every customer Tally holds.
        const file = parse((await import("node:fs")).readFileSync(exportFilePath(shop, exported.id), "utf8"), {
          bom: true,
        }) as string[][];
        const held = await db
          .select({ id: schema.customers.id })
          .from(schema.customers)
          .where(eq(schema.customers.shop, shop));
        expect(file[0]).toEqual(["Email", "Points"]);
        expect(file.length - 1).toBe(held.length);
        expect(held.length).toBeGreaterThanOrEqual(40);

        // The other writer waits for the sync: Queued, with the reason on its card (and no reason on the running one).
        const waiting = await jobCard(shop, recalculation.id);
        expect(waiting).toMatchObject({ status: "queued", waitsFor: "Sync customers" });
        expect((await jobCard(shop, sync.id)).waitsFor).toBeUndefined();

        sandbox.control.releaseBulkQueries({ shop });
        await until(
          async () => (await taskOf(shop, recalculation.id)).status === "succeeded",
          "the sync and then the recalculation are done",
        );
        const [syncDone, exportDone, recalculated] = (await Promise.all(
          [sync, exported, recalculation].map((task) => taskOf(shop, task.id)),
        )) as [TaskView, TaskView, TaskView];
        expect(syncDone.status).toBe("succeeded");
        expect(exportDone.finishedAt! < syncDone.finishedAt!).toBe(true);
        // Two writers never overlap: the recalculation started once the sync had ended.
        expect(recalculated.startedAt! >= syncDone.finishedAt!).toBe(true);
        expect((await jobCard(shop, recalculation.id)).waitsFor).toBeUndefined();
      } finally {
        sandbox.control.releaseBulkQueries({ shop });
      }
    },
  );
});

/** What each test task did, in order: "<label>:<step> begin" and "<label>:<step> end", a few ms apart. */
const timeline: string[] = [];
const acted = new Map<string, number>();

function laneTask(kind: string, lane: "write" | "read"): TaskRun<{ label: string; steps: number }, { step: number }> {
  return {
    definition: defineTaskKind({
      kind,
      title: (input) => `Test ${lane} ${input.label}`,
      unit: { one: "step", other: "steps" },
      input: z.object({ label: z.string(), steps: z.number().int().positive() }),
      lane,
    }),
    checkpoint: z.object({ step: z.number().int().nonnegative() }),
    initialCheckpoint: { step: 0 },
    chunk: async ({ input, checkpoint, report }) => {
      if (checkpoint.step >= input.steps) return { done: true };
      const key = `${input.label}:${checkpoint.step}`;
      timeline.push(`${key} begin`);
      // A chunk that waits on Shopify or the disk: the event loop runs other tasks meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 15));
      timeline.push(`${key} end`);
      report.write(async () => void acted.set(key, (acted.get(key) ?? 0) + 1));
      report.item({ key, outcome: "done" });
      return { next: { step: checkpoint.step + 1 } };
    },
  };
}

const writer = laneTask("test.lane-writer", "write");
const reader = laneTask("test.lane-reader", "read");
const testRuns: AnyTaskRun[] = [writer, reader];
const testKinds = testRuns.map((run) => run.definition);

async function submitTest(shop: string, run: AnyTaskRun, label: string, steps = 3) {
  const { task } = await submitTask({
    kinds: testKinds,
    ctx: contextFor(shop, staff),
    input: { kind: run.definition.kind, input: { label, steps }, idempotencyKey: label },
  });
  return task;
}

/** When a task's first chunk began and its last one ended, as positions in the timeline. */
function span(label: string): [number, number] {
  const begins = timeline.flatMap((event, at) =>
    event.startsWith(`${label}:`) && event.endsWith("begin") ? [at] : [],
  );
  const ends = timeline.flatMap((event, at) => (event.startsWith(`${label}:`) && event.endsWith("end") ? [at] : []));
  expect(begins.length).toBeGreaterThan(0);
  return [Math.min(...begins), Math.max(...ends)];
}

const overlap = (a: string, b: string) => {
  const [aFrom, aTo] = span(a);
  const [bFrom, bTo] = span(b);
  return aFrom < bTo && bFrom < aTo;
};

describe("a shop's two lanes, for any kind", () => {
  it("never runs two writers or two readers of a shop at once, runs a reader beside a writer, and leaves other shops alone", async () => {
    const [shopA, shopB] = [await newShopDomain(), await newShopDomain()];
    const w1 = await submitTest(shopA, writer, `${shopA}/w1`);
    const w2 = await submitTest(shopA, writer, `${shopA}/w2`);
    const r1 = await submitTest(shopA, reader, `${shopA}/r1`);
    const r2 = await submitTest(shopA, reader, `${shopA}/r2`);
    const wB = await submitTest(shopB, writer, `${shopB}/w`);
    const rB = await submitTest(shopB, reader, `${shopB}/r`);
    await createTaskRunner({ tasks: testRuns, shops: [shopA, shopB], concurrency: 6, leaseMs: 30_000 }).drain();

    for (const task of [w1, w2, r1, r2, wB, rB])
      expect((await taskOf(task.id === wB.id || task.id === rB.id ? shopB : shopA, task.id)).status).toBe("succeeded");
    expect(overlap(`${shopA}/w1`, `${shopA}/w2`)).toBe(false);
    expect(overlap(`${shopA}/r1`, `${shopA}/r2`)).toBe(false);
    // Oldest first within a lane.
    expect(span(`${shopA}/w1`)[1]).toBeLessThan(span(`${shopA}/w2`)[0]);
    expect(span(`${shopA}/r1`)[1]).toBeLessThan(span(`${shopA}/r2`)[0]);
    // A reader runs beside the shop's writer, and the other shop's tasks beside both.
    expect(overlap(`${shopA}/w1`, `${shopA}/r1`)).toBe(true);
    expect(overlap(`${shopB}/w`, `${shopB}/r`)).toBe(true);
    expect(overlap(`${shopA}/w1`, `${shopB}/w`)).toBe(true);
  });

  it("hands a dead runner's writer and reader to the next runner once their leases run out, each step done once", async () => {
    const shop = await newShopDomain();
    const w = await submitTest(shop, writer, `${shop}/dead-w`, 4);
    const r = await submitTest(shop, reader, `${shop}/dead-r`, 4);
    let now = Date.now();
    const clock = () => new Date(now);
    const runner = (workerId: string) =>
      createTaskRunner({ tasks: testRuns, shops: [shop], leaseMs: 30_000, clock, workerId });
    // Both claimed, a few chunks committed, then the process is gone (kill -9): both leases still held.
    await runner("dead").drain({ stopAfterChunks: 3 });
    const statuses = async () => Promise.all([w, r].map(async (task) => (await taskOf(shop, task.id)).status));
    expect(await statuses()).toEqual(["running", "running"]);
    // Within the leases another runner claims neither: both lanes are held.
    await runner("early").drain();
    expect(
      (await db.select().from(schema.tasks).where(eq(schema.tasks.shop, shop))).map((row) => row.lockedBy),
    ).toEqual(["dead", "dead"]);
    now += 30_001;
    await runner("next").drain();
    expect(await statuses()).toEqual(["succeeded", "succeeded"]);
    for (const label of [`${shop}/dead-w`, `${shop}/dead-r`])
      for (let step = 0; step < 4; step += 1) expect(acted.get(`${label}:${step}`)).toBe(1);
  });
});

/** Every row of the shop in every table but `own`, as text: what other work of the shop reads or writes. */
async function sharedRows(shop: string, own: ReadonlySet<string>) {
  const snapshot: Record<string, string[]> = {};
  for (const [name, table] of Object.entries(schema)) {
    if (!is(table, SQLiteTable) || own.has(name)) continue;
    const columns = getTableColumns(table);
    if (!("shop" in columns)) continue;
    const rows = await db
      .select()
      .from(table)
      .where(eq(columns.shop!, shop))
      .orderBy(...Object.values(columns).map((column) => asc(column)));
    snapshot[name] = rows.map((row) => JSON.stringify(row));
  }
  return snapshot;
}

/** A reader's own rows: its task and results, the audit line of its start, and an import's check. */
const readersOwn = new Set([
  "tasks",
  "taskItems",
  "auditEvents",
  "imports",
  "importProblems",
  "importChanges",
  "importCreates",
  "importEmails",
]);

/** How each kind in the read lane is started on a shop, as staff start it; answers its task. */
const startReader: Record<string, (shop: string) => Promise<number>> = {
  "customers.export": async (shop) =>
    (
      await submitTask({
        ctx: contextFor(shop, staff),
        input: {
          kind: "customers.export",
          input: { selection: { query: emptyCustomerQuery }, columns: ["name", "email", "points", "tags"] },
          idempotencyKey: "reader-export",
        },
      })
    ).task.id,
  "imports.check": async (shop) => {
    const [known] = await db
      .select({ email: schema.customers.email })
      .from(schema.customers)
      .where(eq(schema.customers.shop, shop))
      .limit(1);
    const dir = await mkdtemp(join(tmpdir(), "tally-lanes-"));
    const filePath = join(dir, "customers.csv");
    await writeFile(
      filePath,
      `Email,First Name,Points\n${known!.email},Ana,120\nnew@example.com,Ben,5\nnot-an-email,Cleo,1\nnew@example.com,Ben,7\n`,
    );
    const checking = await startCustomerImportCheck({
      ctx: contextFor(shop, staff),
      input: { fileName: "customers.csv", filePath, existing: "update", invite: false },
    });
    return checking.taskId!;
  },
};

describe("the read lane", () => {
  it("holds only kinds that write nothing another task of the shop reads or writes: each run leaves the shop's shared rows as they were", async () => {
    const readers = taskKinds.filter((kind) => kind.lane === "read").map((kind) => kind.kind);
    expect(readers.sort()).toEqual(Object.keys(startReader).sort());
    for (const kind of readers) {
      const shop = await newShopDomain();
      await insertCustomers(db, shop, [
        { status: "member", firstName: "Ana", pointsBalance: 40, tags: ["VIP"] },
        { status: "guest", firstName: "Ben" },
        { status: "member", firstName: "Łukasz", pointsBalance: 7 },
      ]);
      const before = await sharedRows(shop, readersOwn);
      const taskId = await startReader[kind]!(shop);
      await createTaskRunner({ shops: [shop] }).drain();
      expect({ kind, status: (await taskOf(shop, taskId)).status }).toEqual({ kind, status: "succeeded" });
      expect({ kind, rows: await sharedRows(shop, readersOwn) }).toEqual({ kind, rows: before });
    }
  });
});
