import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, customers } from "~/db/schema";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { getTask, listTaskItems } from "~/services/background-jobs/get-task.server";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { getImport, UNDO_IN_ONE_GO, undoImport } from "~/services/imports/apply-import.server";
import { checkPointsImport } from "../helpers/import-checks";
import { startImport } from "~/services/imports/start-import.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";

// Undoing a batch too large for one transaction (decision 033): checked whole, then taken back in chunks.

const { db } = contextFor("any", "test");
const staff = { actor: "staff:42", actorName: "Sam Owner" };
const COUNT = UNDO_IN_ONE_GO + 150;

/** A shop whose COUNT customers each got i + 1 points moved from Smile. */
async function shopWithMovedPoints() {
  const shop = await newShopDomain();
  for (let start = 0; start < COUNT; start += 500)
    await db.insert(customers).values(
      Array.from({ length: Math.min(500, COUNT - start) }, (_, i) => ({
        shop,
        customerGid: `gid://shopify/Customer/${9_000_000 + start + i}`,
        email: `m${start + i}@example.com`,
      })),
    );
  const lines = ["Email,Points balance", ...Array.from({ length: COUNT }, (_, i) => `m${i}@example.com,${i + 1}`)];
  const path = join(await mkdtemp(join(tmpdir(), "tally-undo-")), "smile.csv");
  await writeFile(path, `${lines.join("\n")}\n`);
  const ctx = contextFor(shop, staff);
  const checked = await checkPointsImport({ ctx, input: { fileName: "smile.csv", filePath: path, source: "smile" } });
  await startImport({ ctx, input: { importId: checked.id } });
  await createTaskRunner({ shops: [shop] }).drain();
  return { shop, ctx, importId: checked.id, total: (COUNT * (COUNT + 1)) / 2 };
}

async function outstanding(shop: string) {
  const [row] = await db
    .select({ balance: sql<number>`coalesce(sum(${customers.pointsBalance}), 0)`.mapWith(Number) })
    .from(customers)
    .where(eq(customers.shop, shop));
  return row!.balance;
}

const balanceOf = async (shop: string, email: string) =>
  (
    await db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, email)))
  )[0]!.pointsBalance;

describe("undoing a large import batch", () => {
  it("refuses as a whole when any customer spent points of it, after checking every entry, and changes nothing", async () => {
    const { shop, ctx, importId, total } = await shopWithMovedPoints();
    const [spender] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, `m${COUNT - 1}@example.com`)));
    await adjustPoints({ ctx, input: { customerId: spender!.id, points: -COUNT, reason: "Spent", requestId: "s1" } });

    const undo = await undoImport({ ctx, input: { importId, requestId: "undo" } });
    expect(undo.taskId).toBeDefined();
    await createTaskRunner({ shops: [shop] }).drain();
    const task = await getTask({ ctx, input: { taskId: undo.taskId! } });
    expect(task.status).toBe("failed");
    expect(task.error).toContain(`1 customer has spent points from it (m${COUNT - 1}@example.com)`);
    expect(await outstanding(shop)).toBe(total - COUNT);
    expect(await balanceOf(shop, "m0@example.com")).toBe(1);
    expect((await getImport({ ctx, input: { importId } })).status).toBe("imported");
  });

  it("takes the batch back in chunks, killed after every one, each customer exactly once, then records the undo", async () => {
    const { shop, ctx, importId, total } = await shopWithMovedPoints();
    expect(await outstanding(shop)).toBe(total);
    const undo = await undoImport({ ctx, input: { importId, requestId: "undo" } });
    // A second click answers the same job.
    expect((await undoImport({ ctx, input: { importId, requestId: "undo-again" } })).taskId).toBe(undo.taskId);

    const leaseMs = 1000;
    let now = Date.now();
    const clock = () => new Date(now);
    let runs = 0;
    for (; runs < 50; runs++) {
      if ((await getTask({ ctx, input: { taskId: undo.taskId! } })).status === "succeeded") break;
      await createTaskRunner({ shops: [shop], leaseMs, clock }).drain({ stopAfterChunks: 1 });
      now += leaseMs + 100;
    }
    // Two pages checked, then five chunks taken back, and the last empty one.
    expect(runs).toBeGreaterThanOrEqual(7);

    expect(await outstanding(shop)).toBe(0);
    expect(await balanceOf(shop, `m${COUNT - 1}@example.com`)).toBe(0);
    const items = await listTaskItems({ ctx, input: { taskId: undo.taskId!, limit: 2000 } });
    expect(items.items).toHaveLength(COUNT);
    expect(new Set(items.items.map((item) => item.key)).size).toBe(COUNT);
    expect(await getImport({ ctx, input: { importId } })).toMatchObject({ status: "undone" });
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, shop), eq(auditEvents.action, "import.undo")));
    expect(audit).toMatchObject({ before: { customers: COUNT, points: total }, after: { customers: 0, points: 0 } });
    // Each customer's own trail: the points the file gave, and the undo's chunk that took them back, once each though
    // every chunk's runner was killed (a chunk's lines commit with it, in multi-row inserts).
    const lines = await db
      .select({ action: auditEvents.action, customerId: auditEvents.customerId, taskId: auditEvents.taskId })
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, shop), inArray(auditEvents.action, ["points.import", "points.import_undo"])));
    const undone = lines.filter((line) => line.action === "points.import_undo");
    expect(lines.filter((line) => line.action === "points.import")).toHaveLength(COUNT);
    expect(undone).toHaveLength(COUNT);
    expect(new Set(undone.map((line) => line.customerId)).size).toBe(COUNT);
    expect(new Set(undone.map((line) => line.taskId))).toEqual(new Set([undo.taskId]));
    await expect(undoImport({ ctx, input: { importId, requestId: "undo-3" } })).rejects.toMatchObject({
      code: "conflict",
    });
  });
});
