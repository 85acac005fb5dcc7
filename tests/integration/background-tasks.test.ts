import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { auditEvents, customers, ledgerEntries, taskItems, tasks } from "~/db/schema";
import { DomainError } from "~/domain/shared";
import { defineTaskKind, findTaskKind, taskKinds } from "~/domain/background-jobs";
import type { TaskRun } from "~/jobs/task-kind";
import { taskRuns } from "~/jobs/tasks.server";
import { env } from "~/lib/env.server";
import { log } from "~/lib/log.server";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { submitTask } from "~/services/background-jobs/submit-task.server";
import { cancelTask } from "~/services/background-jobs/cancel-task.server";
import { getTask, iterateTaskItems, listTaskItems, listTasks } from "~/services/background-jobs/get-task.server";
import { pruneFinishedTasks } from "~/services/background-jobs/prune-tasks.server";
import { inTransaction } from "~/services/context";
import { recalculateTotals } from "~/services/ledger/recalculate.server";
import { contextFor, contextForAllShops } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";

const { db } = contextFor("any", "test");
const staff = { actor: "staff:42", actorName: "Sam Owner" };
const LEASE_MS = 30_000;

/**
 * A shop of `count` customers whose figures agree with their ledger rows (one staff adjustment each), then `drift` of
 * them, spread across the id range, given wrong stored figures as a bug outside appendEntries would.
 */
async function shopWithDrift(count: number, driftEvery: number) {
  const shop = await newShopDomain();
  const ids: number[] = [];
  for (let start = 0; start < count; start += 1000) {
    const rows = await insertCustomers(
      db,
      shop,
      Array.from({ length: Math.min(1000, count - start) }, () => ({ status: "member" as const })),
    );
    ids.push(...rows.map((row) => row.id));
  }
  for (let start = 0; start < ids.length; start += 500) {
    await db.insert(ledgerEntries).values(
      ids.slice(start, start + 500).map((customerId, index) => ({
        shop,
        customerId,
        kind: "adjust",
        points: 10 + ((start + index) % 90),
        idempotencyKey: `seed:${customerId}`,
        actor: "staff:1",
        explanation: "seeded",
        createdAt: new Date().toISOString(),
      })),
    );
  }
  await recalculateTotals({ ctx: contextFor(shop, "test"), input: { repair: true } });
  const drifted = ids.filter((_, index) => index % driftEvery === 7);
  await db
    .update(customers)
    .set({ pointsBalance: sql`${customers.pointsBalance} + 20`, pointsPending: 5 })
    .where(and(eq(customers.shop, shop), inArray(customers.id, drifted)));
  return { shop, ids, drifted };
}

async function itemsOf(taskId: number) {
  return db.select().from(taskItems).where(eq(taskItems.taskId, taskId)).orderBy(taskItems.id);
}

async function storedBalances(shop: string) {
  const rows = await db
    .select({ id: customers.id, balance: customers.pointsBalance, pending: customers.pointsPending })
    .from(customers)
    .where(eq(customers.shop, shop))
    .orderBy(customers.id);
  return new Map(rows.map((row) => [row.id, `${row.balance}/${row.pending}`]));
}

function startRecalculation(shop: string, idempotencyKey = "recalc-1") {
  return submitTask({
    ctx: contextFor(shop, staff),
    input: { kind: "points.recalculate", input: { repair: true }, idempotencyKey },
  });
}

describe("Recalculate points, run by the task runner", () => {
  it("checks every customer in chunks, repairs each drift once and lists it with what was off", async () => {
    const { shop, ids, drifted } = await shopWithDrift(3000, 80);
    const { task, created } = await startRecalculation(shop);
    expect(created).toBe(true);
    expect(task).toMatchObject({ status: "queued", title: "Recalculate points", progress: { done: 0, total: null } });

    await createTaskRunner({ shops: [shop], leaseMs: LEASE_MS }).drain();

    const finished = await getTask({ ctx: contextFor(shop, "test"), input: { taskId: task.id } });
    expect(finished).toMatchObject({
      status: "succeeded",
      progress: { done: 3000, total: 3000, unit: { one: "customer", other: "customers" } },
      items: { done: drifted.length, skipped: 0, failed: 0 },
      actor: "staff:42",
      actorName: "Sam Owner",
      error: null,
    });
    expect(finished.finishedAt).not.toBeNull();
    const items = await itemsOf(task.id);
    expect(items.map((item) => item.customerId)).toEqual(drifted);
    expect(new Set(items.map((item) => item.outcome))).toEqual(new Set(["done"]));
    // The stored balance was 20 over its ledger and 5 points were pending that no entry holds.
    for (const item of items) expect(item.message).toMatch(/^Balance \d+ → \d+ points; Pending 5 → 0 points$/);
    const [firstItem] = items;
    const row = (await first(db.select().from(customers).where(eq(customers.id, firstItem!.customerId!))))!;
    expect(firstItem!.message).toBe(
      `Balance ${row.pointsBalance + 20} → ${row.pointsBalance} points; Pending 5 → 0 points`,
    );
    expect(await recalculateTotals({ ctx: contextFor(shop, "test"), input: { repair: false } })).toEqual([]);
    expect(ids).toHaveLength(3000);
  });

  it("resumes after a runner dies mid-task from its checkpoint: no item twice, the same result as an unbroken run", async () => {
    const unbroken = await shopWithDrift(2000, 50);
    const broken = await shopWithDrift(2000, 50);
    await startRecalculation(unbroken.shop);
    const { task } = await startRecalculation(broken.shop);
    await createTaskRunner({ shops: [unbroken.shop], leaseMs: LEASE_MS }).drain();

    let now = Date.now();
    const clock = () => new Date(now);
    // Three chunks of 250 committed, then the process is gone: its lease still held, the task still "running".
    await createTaskRunner({
      shops: [broken.shop],
      leaseMs: LEASE_MS,
      clock,
      workerId: "first",
    }).drain({
      stopAfterChunks: 3,
    });
    const midway = await getTask({ ctx: contextFor(broken.shop, "test"), input: { taskId: task.id } });
    expect(midway).toMatchObject({ status: "running", progress: { done: 750, total: 2000 } });
    const repairedMidway = (await itemsOf(task.id)).length;
    expect(repairedMidway).toBe(broken.drifted.filter((id) => id <= broken.ids[749]!).length);

    // A new process while the lease still runs leaves the task alone: its owner may only be slow.
    await createTaskRunner({
      shops: [broken.shop],
      leaseMs: LEASE_MS,
      clock,
      workerId: "second",
    }).drain();
    expect((await getTask({ ctx: contextFor(broken.shop, "test"), input: { taskId: task.id } })).progress.done).toBe(
      750,
    );

    // The lease runs out; the next runner takes the task over from the checkpoint.
    now += LEASE_MS + 1000;
    await createTaskRunner({
      shops: [broken.shop],
      leaseMs: LEASE_MS,
      clock,
      workerId: "third",
    }).drain();
    const resumed = await getTask({ ctx: contextFor(broken.shop, "test"), input: { taskId: task.id } });
    expect(resumed).toMatchObject({
      status: "succeeded",
      progress: { done: 2000, total: 2000 },
      items: { done: broken.drifted.length },
    });
    const items = await itemsOf(task.id);
    expect(items.map((item) => item.customerId)).toEqual(broken.drifted);
    expect(new Set(items.map((item) => item.itemKey)).size).toBe(items.length);

    // Same shape of shop, same outcome: per position, the same messages and the same repaired balances.
    const unbrokenTask = (await first(db.select().from(tasks).where(eq(tasks.shop, unbroken.shop))))!;
    expect(items.map((item) => item.message)).toEqual((await itemsOf(unbrokenTask.id)).map((item) => item.message));
    const balances = async (shop: string) => [...(await storedBalances(shop))].map(([, figures]) => figures);
    expect(await balances(broken.shop)).toEqual(await balances(unbroken.shop));
  });

  it("a repeated submit answers the same task and never starts a second run", async () => {
    const { shop } = await shopWithDrift(300, 100);
    const first1 = await startRecalculation(shop, "same-click");
    const again = await startRecalculation(shop, "same-click");
    expect(again).toMatchObject({ created: false, task: { id: first1.task.id } });
    // Another click while it is queued: one recalculation at a time per shop, so it answers the one queued.
    expect(await startRecalculation(shop, "another-click")).toMatchObject({
      created: false,
      task: { id: first1.task.id },
    });
    // The same key for other settings is not a resubmit.
    await expect(
      submitTask({
        ctx: contextFor(shop, staff),
        input: { kind: "points.recalculate", input: { repair: false }, idempotencyKey: "same-click" },
      }),
    ).rejects.toThrow(expect.objectContaining({ code: "conflict" }));

    await createTaskRunner({ shops: [shop], leaseMs: LEASE_MS }).drain();
    // After it finished, the first key still names it; a new key starts a new run.
    expect(await startRecalculation(shop, "same-click")).toMatchObject({
      created: false,
      task: { id: first1.task.id },
    });
    expect((await db.select().from(tasks).where(eq(tasks.shop, shop))).length).toBe(1);
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.shop, shop));
    expect(audit).toMatchObject([
      {
        action: "task.start",
        actor: "staff:42",
        actorName: "Sam Owner",
        taskId: first1.task.id,
        requestId: "same-click",
      },
    ]);
    expect((await startRecalculation(shop, "next-week")).created).toBe(true);
  });

  it("an unknown kind or a bad input is refused before anything is queued", async () => {
    const shop = await newShopDomain();
    const ctx = contextFor(shop, staff);
    await expect(
      submitTask({ ctx, input: { kind: "points.nonsense", input: {}, idempotencyKey: "k1" } }),
    ).rejects.toThrow(expect.objectContaining({ code: "bad_request" }));
    await expect(
      submitTask({
        ctx,
        input: { kind: "points.recalculate", input: { repair: "yes" }, idempotencyKey: "k2" },
      }),
    ).rejects.toThrow(
      expect.objectContaining({ code: "invalid_input", details: { fieldErrors: { repair: [expect.any(String)] } } }),
    );
    expect(await db.select().from(tasks).where(eq(tasks.shop, shop))).toEqual([]);
  });
});

describe("cancelling a task", () => {
  it("cancels a queued task at once: no runner ever starts it", async () => {
    const { shop } = await shopWithDrift(300, 10);
    const { task } = await startRecalculation(shop);
    const { task: cancelled } = await cancelTask({ ctx: contextFor(shop, staff), input: { taskId: task.id } });
    expect(cancelled).toMatchObject({ status: "cancelled", progress: { done: 0 } });
    await createTaskRunner({ shops: [shop], leaseMs: LEASE_MS }).drain();
    expect(await getTask({ ctx: contextFor(shop, "test"), input: { taskId: task.id } })).toMatchObject({
      status: "cancelled",
      startedAt: null,
      items: { done: 0 },
    });
    expect(
      (await db.select().from(auditEvents).where(eq(auditEvents.shop, shop)).orderBy(auditEvents.id)).map(
        (e) => e.action,
      ),
    ).toEqual(["task.start", "task.cancel"]);
  });

  it("stops a running task after the chunk in hand; what it did stays done and listed", async () => {
    const { shop, drifted, ids } = await shopWithDrift(1500, 25);
    const { task } = await startRecalculation(shop);
    let now = Date.now();
    const clock = () => new Date(now);
    await createTaskRunner({ shops: [shop], leaseMs: LEASE_MS, clock }).drain({ stopAfterChunks: 2 });
    await cancelTask({ ctx: contextFor(shop, staff), input: { taskId: task.id } });
    // Cancelling twice records one cancel.
    expect(await cancelTask({ ctx: contextFor(shop, staff), input: { taskId: task.id } })).toMatchObject({
      cancelled: false,
    });
    now += LEASE_MS + 1000;
    await createTaskRunner({ shops: [shop], leaseMs: LEASE_MS, clock }).drain();

    const stopped = await getTask({ ctx: contextFor(shop, "test"), input: { taskId: task.id } });
    expect(stopped).toMatchObject({ status: "cancelled", progress: { done: 750, total: 1500 }, cancelRequested: true });
    const repaired = drifted.filter((id) => id <= ids[749]!);
    expect((await itemsOf(task.id)).map((item) => item.customerId)).toEqual(repaired);
    // Beyond the last chunk, drift stays as it was: nothing was half-done.
    const left = await recalculateTotals({ ctx: contextFor(shop, "test"), input: { repair: false } });
    expect(left.map((drift) => drift.customerId)).toEqual(drifted.filter((id) => id > ids[749]!));
    expect(
      (await db.select().from(auditEvents).where(eq(auditEvents.shop, shop))).filter((e) => e.action === "task.cancel"),
    ).toHaveLength(1);
  });

  it("a task of another shop is not found", async () => {
    const { shop } = await shopWithDrift(10, 100);
    const { task } = await startRecalculation(shop);
    await expect(
      cancelTask({ ctx: contextFor(await newShopDomain(), staff), input: { taskId: task.id } }),
    ).rejects.toThrow(DomainError);
    expect((await getTask({ ctx: contextFor(shop, "test"), input: { taskId: task.id } })).status).toBe("queued");
  });
});

/*
 * The runner's guarantees for any kind, not only the recalculation: a kind that acts on items inside its chunk's
 * transaction (counting each act), fails when told to, and uses recorded() for a checkpoint that lags.
 */
const acted = new Map<string, number>();
const failures = new Map<string, { left: number; permanent: boolean }>();
const countTask: TaskRun<{ items: number; label: string }, { next: number }> = {
  definition: defineTaskKind({
    kind: "test.count",
    title: (input: { items: number }) => `Count ${input.items}`,
    unit: { one: "thing", other: "things" },
    input: z.object({ items: z.number().int(), label: z.string() }),
  }),
  checkpoint: z.object({ next: z.number().int() }),
  initialCheckpoint: { next: 0 },
  begin: async ({ input }) => ({ total: input.items }),
  chunk: async ({ input, checkpoint, report }) => {
    const failure = failures.get(input.label);
    if (failure && failure.left > 0) {
      failure.left -= 1;
      throw failure.permanent
        ? new DomainError("invalid_input", "The file is not a CSV")
        : new Error("Shopify timed out");
    }
    if (checkpoint.next >= input.items) return { done: true, summary: { counted: input.items } };
    // Steps back one item each chunk, as a kind whose checkpoint lags would: recorded() keeps it from acting twice.
    const start = Math.max(0, checkpoint.next - 1);
    const keys = Array.from({ length: Math.min(10, input.items - start) }, (_, i) => `${input.label}:${start + i}`);
    const already = await report.recorded(keys);
    const fresh = keys.filter((key) => !already.has(key));
    report.write(async () => {
      for (const key of fresh) acted.set(key, (acted.get(key) ?? 0) + 1);
    });
    for (const key of keys) report.item({ key, outcome: key.endsWith("3") ? "skipped" : "done", message: "counted" });
    report.progress({ advance: fresh.length });
    return { next: { next: start + keys.length } };
  },
};

describe("the runner, for any kind", () => {
  it("has a run for every kind staff can start, and a kind in the catalogue for every run", () => {
    expect(taskRuns.map((run) => run.definition.kind).sort()).toEqual(taskKinds.map((kind) => kind.kind).sort());
    for (const run of taskRuns) expect(findTaskKind(run.definition.kind)).toBe(run.definition);
  });

  it("started, takes up a task the moment it is queued in this process, without waiting for its poll", async () => {
    const shop = await newShopDomain();
    const runner = createTaskRunner({ tasks: testRuns, shops: [shop], leaseMs: LEASE_MS, pollMs: 3_600_000 });
    runner.start();
    try {
      // Its first look found nothing; the next would be an hour away.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { task } = await submitTask({
        kinds: testKinds,
        ctx: contextFor(shop, staff),
        input: { kind: "test.count", input: { items: 25, label: "woken" }, idempotencyKey: "woken" },
      });
      const deadline = Date.now() + 10_000;
      while ((await getTask({ ctx: contextFor(shop, "test"), input: { taskId: task.id } })).status !== "succeeded") {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await runner.stop();
    }
  });

  it("acts on each item once across crashes at every chunk, and counts progress and outcomes once", async () => {
    const shop = await newShopDomain();
    const label = "crashy";
    const { task } = await submitTask({
      kinds: testKinds,
      ctx: contextFor(shop, staff),
      input: { kind: "test.count", input: { items: 95, label }, idempotencyKey: "count" },
    });
    let now = Date.now();
    const clock = () => new Date(now);
    for (let run = 0; run < 20; run += 1) {
      await createTaskRunner({ tasks: testRuns, shops: [shop], leaseMs: LEASE_MS, clock, workerId: `w${run}` }).drain({
        stopAfterChunks: 1,
      });
      now += LEASE_MS + 1;
    }
    const done = await getTask({ ctx: contextFor(shop, "test"), input: { taskId: task.id } });
    expect(done).toMatchObject({
      status: "succeeded",
      progress: { done: 95, total: 95 },
      items: { done: 85, skipped: 10, failed: 0 },
      summary: { counted: 95 },
    });
    const counts = [...acted].filter(([key]) => key.startsWith(`${label}:`)).map(([, count]) => count);
    expect(counts).toHaveLength(95);
    expect(counts.every((count) => count === 1)).toBe(true);
  });

  it("tries a chunk that threw again after a backoff, from the same checkpoint, and fails at once on a rule", async () => {
    const shop = await newShopDomain();
    let now = Date.now();
    const clock = () => new Date(now);
    failures.set("flaky", { left: 2, permanent: false });
    failures.set("bad-file", { left: 1, permanent: true });
    const ctx = contextFor(shop, staff);
    const { task: flaky } = await submitTask({
      kinds: testKinds,
      ctx,
      input: { kind: "test.count", input: { items: 12, label: "flaky" }, idempotencyKey: "flaky" },
    });
    const runner = () => createTaskRunner({ tasks: testRuns, shops: [shop], leaseMs: LEASE_MS, clock });
    await runner().drain();
    expect(await getTask({ ctx, input: { taskId: flaky.id } })).toMatchObject({
      status: "running",
      error: "Shopify timed out",
      progress: { done: 0, total: 12 },
    });
    now += 31_000;
    await runner().drain();
    now += 121_000;
    await runner().drain();
    expect(await getTask({ ctx, input: { taskId: flaky.id } })).toMatchObject({
      status: "succeeded",
      error: null,
      progress: { done: 12 },
    });

    const { task: bad } = await submitTask({
      kinds: testKinds,
      ctx,
      input: { kind: "test.count", input: { items: 12, label: "bad-file" }, idempotencyKey: "bad" },
    });
    await runner().drain();
    expect(await getTask({ ctx, input: { taskId: bad.id } })).toMatchObject({
      status: "failed",
      error: "The file is not a CSV",
    });
  });

  it("fails a task that keeps killing its runner instead of claiming it forever", async () => {
    const shop = await newShopDomain();
    let now = Date.now();
    const clock = () => new Date(now);
    failures.set("poison", { left: 100, permanent: false });
    const reported = vi.spyOn(log, "error").mockImplementation(() => {});
    const ctx = contextFor(shop, staff);
    const { task } = await submitTask({
      kinds: testKinds,
      ctx,
      input: { kind: "test.count", input: { items: 5, label: "poison" }, idempotencyKey: "poison" },
    });
    for (let run = 0; run < 8; run += 1) {
      await createTaskRunner({ tasks: testRuns, shops: [shop], leaseMs: LEASE_MS, clock }).drain();
      now += 3_600_001;
    }
    expect(await getTask({ ctx, input: { taskId: task.id } })).toMatchObject({
      status: "failed",
      error: "Shopify timed out",
    });
    // Operators hear of it once, when it fails for good.
    expect(reported.mock.calls.map((call) => call[1])).toEqual([`Tally's task ${task.id} failed for good`]);
    expect(reported.mock.calls[0]![0]).toMatchObject({ taskId: task.id, kind: "test.count" });
  });

  it("runs one task per shop at a time, and other shops' tasks beside it", async () => {
    const [shopA, shopB] = [await newShopDomain(), await newShopDomain()];
    const submit = (shop: string, key: string) =>
      submitTask({
        kinds: testKinds,
        ctx: contextFor(shop, staff),
        input: { kind: "test.count", input: { items: 30, label: `${shop}:${key}` }, idempotencyKey: key },
      });
    const a1 = await submit(shopA, "a1");
    const a2 = await submit(shopA, "a2");
    const b1 = await submit(shopB, "b1");
    let now = Date.now();
    const clock = () => new Date(now);
    await createTaskRunner({ tasks: testRuns, shops: [shopA, shopB], leaseMs: LEASE_MS, clock }).drain({
      stopAfterChunks: 2,
    });
    const statuses = async () =>
      Promise.all(
        [a1, a2, b1].map(
          async ({ task }) =>
            (
              await getTask({
                ctx: contextFor(task.id === b1.task.id ? shopB : shopA, "t"),
                input: { taskId: task.id },
              })
            ).status,
        ),
      );
    expect(await statuses()).toEqual(["running", "queued", "running"]);
    now += LEASE_MS + 1;
    await createTaskRunner({ tasks: testRuns, shops: [shopA, shopB], leaseMs: LEASE_MS, clock }).drain();
    expect(await statuses()).toEqual(["succeeded", "succeeded", "succeeded"]);
  });
});

/** A kind whose chunk waits for the test to open a gate: a chunk that calls a slow Shopify, or a paused process. */
const gates = new Map<string, { entered: () => void; open: Promise<void> }>();
const gatedTask: TaskRun<{ label: string }, { step: number }> = {
  definition: defineTaskKind({
    kind: "test.gated",
    title: () => "Gated",
    unit: { one: "thing", other: "things" },
    input: z.object({ label: z.string() }),
  }),
  checkpoint: z.object({ step: z.number().int() }),
  initialCheckpoint: { step: 0 },
  chunk: async ({ input, checkpoint, report }) => {
    if (checkpoint.step >= 1) return { done: true };
    const gate = gates.get(input.label);
    if (gate) {
      gate.entered();
      await gate.open;
    }
    report.write(async () => {
      acted.set(`${input.label}:0`, (acted.get(`${input.label}:0`) ?? 0) + 1);
    });
    report.item({ key: `${input.label}:0`, outcome: "done" });
    return { next: { step: 1 } };
  },
};

function gate(label: string) {
  let open!: () => void;
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  gates.set(label, { entered, open: new Promise<void>((resolve) => (open = resolve)) });
  return { inside, open };
}

describe("leases", () => {
  it("a runner keeps its lease while a chunk waits, so no other runner takes the task meanwhile", async () => {
    const shop = await newShopDomain();
    const { inside, open } = gate("slow");
    const { task } = await submitTask({
      kinds: testKinds,
      ctx: contextFor(shop, staff),
      input: { kind: "test.gated", input: { label: "slow" }, idempotencyKey: "slow" },
    });
    const first = createTaskRunner({ tasks: testRuns, shops: [shop], leaseMs: 600, workerId: "first" }).drain();
    await inside;
    // Three lease lengths later the first runner still holds it: its heartbeat renewed the lease.
    await new Promise((resolve) => setTimeout(resolve, 1800));
    await createTaskRunner({ tasks: testRuns, shops: [shop], leaseMs: 600, workerId: "second" }).drain();
    expect((await first1(task.id)).lockedBy).toBe("first");
    open();
    await first;
    expect(await first1(task.id)).toMatchObject({ status: "succeeded", doneItems: 1 });
    expect(acted.get("slow:0")).toBe(1);
  });

  it("a runner that lost its lease commits nothing of the chunk in hand", async () => {
    const shop = await newShopDomain();
    const { inside, open } = gate("paused");
    const { task } = await submitTask({
      kinds: testKinds,
      ctx: contextFor(shop, staff),
      input: { kind: "test.gated", input: { label: "paused" }, idempotencyKey: "paused" },
    });
    const paused = createTaskRunner({ tasks: testRuns, shops: [shop], leaseMs: LEASE_MS, workerId: "paused" }).drain();
    await inside;
    // Meanwhile (the process stalled past its lease) another runner took the task over.
    await inTransaction(contextFor(shop, "test"), (tx) =>
      tx.update(tasks).set({ lockedBy: "taker" }).where(eq(tasks.id, task.id)),
    );
    open();
    await paused;
    expect(acted.get("paused:0")).toBeUndefined();
    expect(await itemsOf(task.id)).toEqual([]);
    expect(await first1(task.id)).toMatchObject({ status: "running", lockedBy: "taker", progressDone: 0 });
  });

  it("says when a task whose runner died is taken up again, from its lease, and stops saying so once it is", async () => {
    const shop = await newShopDomain();
    const { task } = await submitTask({
      kinds: testKinds,
      ctx: contextFor(shop, staff),
      input: { kind: "test.count", input: { items: 50, label: "orphan" }, idempotencyKey: "orphan" },
    });
    // The pages read the lease against Tally's own lease length.
    const lease = env().TASK_LEASE_SECONDS * 1000;
    const claimedAt = Date.now();
    let now = claimedAt;
    const clock = () => new Date(now);
    const runner = (workerId: string) =>
      createTaskRunner({ tasks: testRuns, shops: [shop], leaseMs: lease, clock, workerId });
    // Two chunks committed, then the process is killed: the task stays running under its lease.
    await runner("killed").drain({ stopAfterChunks: 2 });
    const seen = async (seconds: number) => {
      now = claimedAt + seconds * 1000;
      const ctx = { ...contextFor(shop, "test"), now: new Date(now) };
      const page = await getTask({ ctx, input: { taskId: task.id } });
      const { tasks: listed } = await listTasks({ ctx, input: { limit: 10 } });
      expect(listed.find((one) => one.id === task.id)?.resumesAt).toBe(page.resumesAt);
      return page;
    };
    // Just after the kill the lease looks like any live runner's.
    expect(await seen(5)).toMatchObject({ status: "running", progress: { done: 19 } });
    expect((await seen(5)).resumesAt).toBeUndefined();
    // Its runner missed its renewal (every third of the lease): the page says when the lease runs out.
    const untilExpiry = new Date(claimedAt + lease).toISOString();
    expect((await seen(lease / 2000 + 1)).resumesAt).toBe(untilExpiry);
    expect((await seen(lease / 1000 - 1)).resumesAt).toBe(untilExpiry);
    // Run out and not yet claimed: taken up at the next claim, now.
    expect((await seen(lease / 1000 + 1)).resumesAt).toBe(new Date(claimedAt + lease + 1000).toISOString());
    // A runner claims it and commits a chunk: its page shows the progress as usual.
    await runner("restarted").drain({ stopAfterChunks: 1 });
    const taken = await seen(lease / 1000 + 2);
    expect(taken).toMatchObject({ status: "running" });
    expect(taken.progress.done).toBeGreaterThan(19);
    expect(taken.resumesAt).toBeUndefined();
  });

  it("fails a task whose runner died on it five times in a row rather than claim it forever", async () => {
    const shop = await newShopDomain();
    const { task } = await submitTask({
      kinds: testKinds,
      ctx: contextFor(shop, staff),
      input: { kind: "test.gated", input: { label: "doomed" }, idempotencyKey: "doomed" },
    });
    // Five claims, each by a process that died before committing anything: the lease ran out each time.
    await db
      .update(tasks)
      .set({ status: "running", attempts: 5, lockedBy: "dead", lockedUntil: new Date(Date.now() - 1000).toISOString() })
      .where(eq(tasks.id, task.id));
    await createTaskRunner({ tasks: testRuns, shops: [shop], leaseMs: LEASE_MS }).drain();
    expect(await first1(task.id)).toMatchObject({
      status: "failed",
      error: "Stopped after 5 tries without progress (the process running it stopped each time)",
      lockedBy: null,
    });
    expect(acted.get("doomed:0")).toBeUndefined();
  });
});

async function first1(taskId: number) {
  return (await first(db.select().from(tasks).where(eq(tasks.id, taskId))))!;
}

describe("a task's results", () => {
  it("page by keyset both ways and by outcome, and stream whole for the download", async () => {
    const shop = await newShopDomain();
    const ctx = contextFor(shop, staff);
    const { task } = await submitTask({
      kinds: testKinds,
      ctx,
      input: { kind: "test.count", input: { items: 45, label: "pages" }, idempotencyKey: "pages" },
    });
    await createTaskRunner({ tasks: testRuns, shops: [shop], leaseMs: LEASE_MS }).drain();
    const page1 = await listTaskItems({ ctx, input: { taskId: task.id, limit: 20 } });
    expect(page1).toMatchObject({ hasPrevious: false, hasNext: true });
    expect(page1.items.map((item) => item.key).slice(0, 3)).toEqual(["pages:0", "pages:1", "pages:2"]);
    const page2 = await listTaskItems({ ctx, input: { taskId: task.id, after: page1.items.at(-1)!.id, limit: 20 } });
    expect(page2).toMatchObject({ hasPrevious: true, hasNext: true });
    const back = await listTaskItems({ ctx, input: { taskId: task.id, before: page2.items[0]!.id, limit: 20 } });
    expect(back.items).toEqual(page1.items);
    expect(back.hasPrevious).toBe(false);
    const skipped = await listTaskItems({ ctx, input: { taskId: task.id, outcome: "skipped", limit: 20 } });
    expect(skipped.items.map((item) => item.key)).toEqual(["pages:3", "pages:13", "pages:23", "pages:33", "pages:43"]);
    const all = [];
    for await (const item of iterateTaskItems({ ctx, input: { taskId: task.id, pageSize: 7 } })) all.push(item.key);
    expect(all).toHaveLength(45);
    expect(new Set(all).size).toBe(45);
  });
});

describe("pruning", () => {
  it("deletes tasks finished more than 90 days ago with all their results, and keeps the rest", async () => {
    const shop = await newShopDomain();
    const ctx = contextFor(shop, staff);
    const start = (key: string, items: number) =>
      submitTask({
        kinds: testKinds,
        ctx,
        input: { kind: "test.count", input: { items, label: `prune-${key}` }, idempotencyKey: key },
      });
    const old = (await start("old", 23)).task;
    const recent = (await start("recent", 5)).task;
    await createTaskRunner({ tasks: testRuns, shops: [shop], leaseMs: LEASE_MS }).drain();
    const queued = (await start("queued", 5)).task;
    const longAgo = new Date(Date.now() - 91 * 86_400_000).toISOString();
    await inTransaction(ctx, (tx) => tx.update(tasks).set({ finishedAt: longAgo }).where(eq(tasks.id, old.id)));

    await pruneFinishedTasks({ ctx: contextForAllShops("test"), input: { keepDays: 90, limit: 10, batch: 10 } });
    const left = await db.select({ id: tasks.id }).from(tasks).where(eq(tasks.shop, shop));
    expect(left.map((row) => row.id).sort()).toEqual([recent.id, queued.id].sort());
    expect(await itemsOf(old.id)).toEqual([]);
    expect(await itemsOf(recent.id)).toHaveLength(5);
  });
});

/** Tally's own kinds and the test kinds above, for the submits and runners of this file. */
const testRuns = [...taskRuns, countTask, gatedTask];
const testKinds = [...taskKinds, countTask.definition, gatedTask.definition];
