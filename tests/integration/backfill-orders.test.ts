import { and, asc, eq, isNotNull, like, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, customers, ledgerEntries, orders, shops } from "~/db/schema";
import { shopDayOf, shopDayStart } from "~/domain/shared/shop-time";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { runShopJobs } from "~/jobs/scheduler.server";
import { getTask, listTaskItems } from "~/services/background-jobs/get-task.server";
import { getImport, UNDO_IN_ONE_GO, undoImport } from "~/services/imports/apply-import.server";
import { previewBackfill } from "~/services/imports/backfill-orders.server";
import { listAuditEvents } from "~/services/audit/list-audit-events.server";
import { startImport } from "~/services/imports/start-import.server";
import { contextFor } from "~/shopify.server";
import { backfillLeft } from "~/domain/imports";
import { loader as importLoader } from "~/routes/app.import.$id";
import { loader as jobLoader } from "~/routes/app.jobs.$id";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { callAdminRoute } from "../helpers/signed-requests";
import { neverInstalledShopDomain, newShopDomain } from "../factories/shops";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();
const staff = { actor: "staff:42", actorName: "Sam Owner" };

async function shopWithPastOrders() {
  const shop = await newShopDomain();
  sandboxOf().control.createShop({ shop });
  sandboxOf().control.seed({ shop, customers: 30, orders: 90, seed: 12 });
  // Shopify's times are whole seconds: install in a later second than the seeded orders.
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
  await installThroughAdmin(sandboxOf(), shop);
  await runShopJobs(shop, { force: true });
  return shop;
}

/**
 * Four past orders paid around the start of Nov 1, 2026 in Toronto (EDT, UTC-4 until 2 am that day) and in Tokyo
 * (UTC+9), every other order of the shop long before: which of them a backfill from "2026-11-01" reads.
 */
async function shopWithOrdersAroundNov1(timeZone: string) {
  const shop = await shopWithPastOrders();
  await db.update(shops).set({ timezone: timeZone }).where(eq(shops.shop, shop));
  const owned = await db
    .select({ id: orders.id, gid: orders.orderGid })
    .from(orders)
    .where(and(eq(orders.shop, shop), isNotNull(orders.customerId), eq(orders.financialStatus, "paid")))
    .orderBy(asc(orders.id));
  await db.update(orders).set({ processedAt: "2020-06-01T12:00:00Z" }).where(eq(orders.shop, shop));
  const paidAt = {
    // Oct 31, 10:30 am in Toronto; 11:30 pm in Tokyo.
    tokyoOct31: "2026-10-31T14:30:00Z",
    // Oct 31, 11:30 am in Toronto; Nov 1, 0:30 am in Tokyo.
    tokyoNov1: "2026-10-31T15:30:00Z",
    // Oct 31, 10 pm in Toronto (Nov 1 in UTC, which the backfill used to read); Nov 1, 11 am in Tokyo.
    torontoOct31Evening: "2026-11-01T02:00:00Z",
    // Nov 1, 0:30 am in Toronto.
    torontoNov1: "2026-11-01T04:30:00Z",
  };
  const gids: Record<string, string> = {};
  for (const [index, [name, at]] of Object.entries(paidAt).entries()) {
    const order = owned[index * 3]!;
    await db.update(orders).set({ processedAt: at }).where(eq(orders.id, order.id));
    gids[order.gid] = name;
  }
  return { shop, named: (keys: Iterable<string>) => [...keys].map((gid) => gids[gid]).sort() };
}

/** The preview as the merchant sees it: counted by its task in the background, then the import's figures. */
async function previewOf(shop: string, since: string) {
  const ctx = contextFor(shop, staff);
  const batch = await previewBackfill({ ctx, input: { since } });
  expect(batch.status).toBe("checking");
  await createTaskRunner({ shops: [shop] }).drain();
  const row = await getImport({ ctx, input: { importId: batch.id } });
  expect(row.status).toBe("checked");
  return { batch: row, preview: row.summary as { orders: number; customers: number; points: number } };
}

async function backfillEntries(shop: string, batchId: number) {
  return db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.shop, shop), like(ledgerEntries.idempotencyKey, `earn:backfill:${batchId}:%`)));
}

async function pointsOutstanding(shop: string) {
  const [row] = await db
    .select({ balance: sql<number>`coalesce(sum(${customers.pointsBalance}), 0)`.mapWith(Number) })
    .from(customers)
    .where(eq(customers.shop, shop));
  return row!.balance;
}

describe("points for past orders", () => {
  it("previews exactly what it applies, ties each entry to its order so a refund reverses it, and undoes as a batch", async () => {
    const shop = await shopWithPastOrders();
    const ctx = contextFor(shop, staff);
    expect(await pointsOutstanding(shop)).toBe(0);

    const { batch, preview } = await previewOf(shop, "2000-01-01");
    expect(preview.orders).toBeGreaterThan(10);
    expect(preview.points).toBeGreaterThan(0);
    await startImport({ ctx, input: { importId: batch.id } });
    await createTaskRunner({ shops: [shop] }).drain();

    const entries = await backfillEntries(shop, batch.id);
    expect({
      orders: entries.length,
      customers: new Set(entries.map((entry) => entry.customerId)).size,
      points: entries.reduce((sum, entry) => sum + entry.points, 0),
    }).toEqual(preview);
    expect(await pointsOutstanding(shop)).toBe(preview.points);
    expect(entries[0]!.explanation).toMatch(/^\+\d+: order #\d+ paid, .*; a past order, under today's rules$/);
    // Each order given is a line in its customer's audit trail, under the job that gave it.
    const given = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, shop), eq(auditEvents.action, "points.backfill")));
    const giving = (await getImport({ ctx, input: { importId: batch.id } })).taskId;
    expect(given).toHaveLength(entries.length);
    expect(new Set(given.map((line) => line.taskId))).toEqual(new Set([giving]));
    expect(new Set(given.map((line) => line.customerId))).toEqual(new Set(entries.map((entry) => entry.customerId)));
    const [one] = await listAuditEvents({ ctx, input: { customerId: entries[0]!.customerId, limit: 1 } }).then(
      (page) => page.events,
    );
    expect(one).toMatchObject({ action: "points.backfill", actorName: "Sam Owner" });
    // A second run of the same backfill's task gives nothing twice; a new preview finds nothing left to give.
    expect((await previewOf(shop, "2000-01-01")).preview).toEqual({
      orders: 0,
      customers: 0,
      points: 0,
    });

    // A refund of a backfilled order, read by reconciliation, takes its points back as any order's.
    const refunded = entries[0]!;
    const [order] = await db
      .select()
      .from(orders)
      .where(and(eq(orders.shop, shop), eq(orders.orderGid, refunded.sourceGid!)));
    sandboxOf().control.refund({ shop, orderId: order!.orderGid });
    await runShopJobs(shop, { force: true });
    const reversals = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.sourceType, "refund")));
    // The refund's share of the order's goods, taken from the points the backfill gave it, as for any order.
    expect(reversals).toHaveLength(1);
    const taken = -reversals[0]!.points;
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThanOrEqual(refunded.points);
    expect(reversals[0]!.explanation).toContain(`refund on order ${order!.name}`);
    expect(await pointsOutstanding(shop)).toBe(preview.points - taken);

    await undoImport({ ctx, input: { importId: batch.id, requestId: "undo-backfill" } });
    expect(await pointsOutstanding(shop)).toBe(0);
    // The import's page says who undid it and when, not only "Undone" (found by a newcomer).
    const importPage = await callAdminRoute(importLoader, shop, `/app/import/${batch.id}`);
    expect(importPage.status).toBe("undone");
    expect(importPage.undone).toEqual({ by: "Sam Owner", at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const [after] = await db
      .select()
      .from(orders)
      .where(and(eq(orders.shop, shop), eq(orders.orderGid, entries[1]!.sourceGid!)));
    expect(after!.pointsState.paid).toMatchObject({ earned: 0, skippedReason: "before_install" });
    const actions = (await db.select().from(auditEvents).where(eq(auditEvents.shop, shop))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["import.check", "task.start", "import.orders", "import.undo"]));
    // The undo took each order's points back in its customer's trail, naming the order.
    const undone = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, shop), eq(auditEvents.action, "points.backfill_undo")));
    expect(undone.length).toBeGreaterThan(0);
    expect(undone.every((line) => typeof (line.after as { order?: unknown }).order === "string")).toBe(true);
  });

  it("an older preview given after a newer one says what it gave and names the orders it skipped, and a preview with nothing left offers nothing", async () => {
    const shop = await shopWithPastOrders();
    const ctx = contextFor(shop, staff);
    // The merchant previews from a recent date, then from far back, then gives the recent one first.
    const paidAt = (await db.select({ at: orders.processedAt }).from(orders).where(eq(orders.shop, shop)))
      .map((row) => row.at!)
      .sort();
    const recent = await previewOf(shop, paidAt[Math.floor(paidAt.length / 2)]!.slice(0, 10));
    const all = await previewOf(shop, "1900-01-01");
    expect(recent.preview.orders).toBeGreaterThan(0);
    expect(all.preview.orders).toBeGreaterThan(recent.preview.orders);
    await startImport({ ctx, input: { importId: recent.batch.id } });
    await createTaskRunner({ shops: [shop] }).drain();
    await startImport({ ctx, input: { importId: all.batch.id } });
    await createTaskRunner({ shops: [shop] }).drain();

    const entries = await backfillEntries(shop, all.batch.id);
    const given = {
      orders: entries.length,
      points: entries.reduce((sum, entry) => sum + entry.points, 0),
      customers: new Set(entries.map((entry) => entry.customerId)).size,
    };
    expect(given.orders).toBe(all.preview.orders - recent.preview.orders);
    expect(given.points).toBe(all.preview.points - recent.preview.points);
    // The import's page and its undo say what was given, and name the skipped orders (they read the preview's 4,500).
    const page = await callAdminRoute(importLoader, shop, `/app/import/${all.batch.id}`);
    expect(page.status).toBe("imported");
    expect(page.summary).toEqual({ ...given, alreadyGiven: recent.preview.orders });
    expect(await pointsOutstanding(shop)).toBe(all.preview.points);
    // The audit line too.
    const audit = await listAuditEvents({ ctx, input: { action: "import.orders", limit: 10 } });
    const line = audit.events.find((event) => event.subject.includes(`(import ${all.batch.id})`));
    expect(line?.after).toEqual({ ...given, alreadyGiven: recent.preview.orders });
    // The job lists each skipped order and why.
    const job = await getTask({ ctx, input: { taskId: page.taskId! } });
    expect(job.items).toMatchObject({ done: given.orders, skipped: recent.preview.orders });
    const skipped = await listTaskItems({ ctx, input: { taskId: page.taskId!, outcome: "skipped", limit: 5 } });
    expect(skipped.items[0]!.message).toBe("Already had points: another Points for past orders gave them first");

    // A preview now finds nothing left: the page offers no "Give 0 points", and giving it anyway starts nothing.
    const empty = await previewOf(shop, "1900-01-01");
    expect(empty.preview).toMatchObject({ orders: 0, points: 0 });
    const emptyPage = await callAdminRoute(importLoader, shop, `/app/import/${empty.batch.id}`);
    expect(emptyPage.nothingToImport).toBe(true);
    await expect(startImport({ ctx, input: { importId: empty.batch.id } })).rejects.toMatchObject({
      code: "conflict",
      message: "No order since this date has points to give: nothing was started",
    });
  });

  it("a preview counted before another backfill gave its orders offers only what is left, nothing when none is, and all again once that backfill is undone", async () => {
    const shop = await shopWithPastOrders();
    const ctx = contextFor(shop, staff);
    const paidAt = (await db.select({ at: orders.processedAt }).from(orders).where(eq(orders.shop, shop)))
      .map((row) => row.at!)
      .sort();
    const day = paidAt[Math.floor(paidAt.length / 2)]!.slice(0, 10);
    // Two tabs preview from the same day, a third from far back; the merchant gives the first.
    const first = await previewOf(shop, day);
    const second = await previewOf(shop, day);
    const all = await previewOf(shop, "1900-01-01");
    expect(second.preview).toEqual(first.preview);
    await startImport({ ctx, input: { importId: first.batch.id } });
    await createTaskRunner({ shops: [shop] }).drain();

    // The far-back preview offers what is left of it, and says why it is less than it counted.
    const allPage = await callAdminRoute(importLoader, shop, `/app/import/${all.batch.id}`);
    const left = backfillLeft(allPage.summary);
    expect(left).toEqual({
      orders: all.preview.orders - first.preview.orders,
      points: all.preview.points - first.preview.points,
      taken: first.preview.orders,
    });
    expect(allPage.nothingToImport).toBe(false);
    // The same-day preview has nothing left: no Give on its page, and a give sent from its older page starts nothing.
    const secondPage = await callAdminRoute(importLoader, shop, `/app/import/${second.batch.id}`);
    expect(backfillLeft(secondPage.summary)).toEqual({ orders: 0, points: 0, taken: first.preview.orders });
    expect(secondPage.nothingToImport).toBe(true);
    await expect(startImport({ ctx, input: { importId: second.batch.id } })).rejects.toMatchObject({
      code: "conflict",
      message: "Another Points for past orders gave these orders their points since this preview: nothing was started",
    });

    // Undone, the first backfill's orders earn nothing again: the same-day preview offers them all again.
    await undoImport({ ctx, input: { importId: first.batch.id, requestId: "undo-first" } });
    const again = await callAdminRoute(importLoader, shop, `/app/import/${second.batch.id}`);
    expect(backfillLeft(again.summary)).toEqual({
      orders: first.preview.orders,
      points: first.preview.points,
      taken: 0,
    });
    expect(again.nothingToImport).toBe(false);
    // Giving the far-back one now gives what its page offers: every order it counted.
    await startImport({ ctx, input: { importId: all.batch.id } });
    await createTaskRunner({ shops: [shop] }).drain();
    expect(await pointsOutstanding(shop)).toBe(all.preview.points);
    // ...and the same-day preview, counted before it, is left with nothing.
    const last = await callAdminRoute(importLoader, shop, `/app/import/${second.batch.id}`);
    expect(last.nothingToImport).toBe(true);
  });

  // 1,400 orders through install, preview, backfill and a chunked undo: several seconds, more on a loaded machine.
  it(
    "lists each order by its name and customer, and an undo too large for one go counts and names orders",
    { timeout: 90_000 },
    async () => {
      // More orders than one transaction's undo takes (UNDO_IN_ONE_GO): the undo runs as a job, order by order.
      const shop = await newShopDomain();
      sandboxOf().control.createShop({ shop });
      sandboxOf().control.seed({ shop, customers: 40, orders: UNDO_IN_ONE_GO + 400, seed: 21 });
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
      await installThroughAdmin(sandboxOf(), shop);
      await runShopJobs(shop, { force: true });
      const ctx = contextFor(shop, staff);
      const { batch, preview } = await previewOf(shop, "2000-01-01");
      expect(preview.orders).toBeGreaterThan(UNDO_IN_ONE_GO);
      // Another tab's preview of the same orders, counted before the give.
      const other = await previewOf(shop, "2000-01-01");
      await startImport({ ctx, input: { importId: batch.id } });
      await createTaskRunner({ shops: [shop] }).drain();
      const given = (await getImport({ ctx, input: { importId: batch.id } })).taskId!;
      const whileGiven = await callAdminRoute(importLoader, shop, `/app/import/${other.batch.id}`);
      expect(whileGiven.nothingToImport).toBe(true);
      const orderLine = /^#\d+ · \S.*$/;
      const givenLines = await listTaskItems({ ctx, input: { taskId: given, limit: 5 } });
      // An order's line was shown as its customer's name alone, under the heading "Order" (found by a newcomer).
      for (const item of givenLines.items) expect(item.label).toMatch(orderLine);

      const undo = await undoImport({ ctx, input: { importId: batch.id, requestId: "undo-many" } });
      expect(undo.taskId).toBeDefined();
      await createTaskRunner({ shops: [shop] }).drain();
      const job = await getTask({ ctx, input: { taskId: undo.taskId! } });
      expect(job.status).toBe("succeeded");
      expect(job.progress.unit).toEqual({ one: "order", other: "orders" });
      expect(job.items.done).toBe(preview.orders);
      const taken = await listTaskItems({ ctx, input: { taskId: undo.taskId!, limit: 5 } });
      for (const item of taken.items) expect(item.label).toMatch(orderLine);
      expect(await pointsOutstanding(shop)).toBe(0);
      // Each order taken back is a line in its customer's trail under the undo's job, naming the order, once.
      const undoneLines = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.shop, shop), eq(auditEvents.action, "points.backfill_undo")));
      expect(undoneLines).toHaveLength(preview.orders);
      expect(new Set(undoneLines.map((line) => line.taskId))).toEqual(new Set([undo.taskId]));
      expect(new Set(undoneLines.map((line) => (line.after as { order: string }).order)).size).toBe(preview.orders);
      // The other preview had nothing left while the backfill stood; undone chunk by chunk, it has all again.
      const otherPage = await callAdminRoute(importLoader, shop, `/app/import/${other.batch.id}`);
      expect(backfillLeft(otherPage.summary)).toEqual({ orders: preview.orders, points: preview.points, taken: 0 });
      // The backfill's own job page says it was undone, and no longer offers to undo it.
      const page = await callAdminRoute(jobLoader, shop, `/app/jobs/${given}`);
      expect(page.importUndoneAt).not.toBeNull();
      // Undone by a job: the import's page names who started it, and when it finished.
      const importPage = await callAdminRoute(importLoader, shop, `/app/import/${batch.id}`);
      expect(importPage.undone).toEqual({ by: "Sam Owner", at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    },
  );

  it.each([
    { timeZone: "America/Toronto", earning: ["torontoNov1"] },
    { timeZone: "Asia/Tokyo", earning: ["tokyoNov1", "torontoNov1", "torontoOct31Evening"] },
  ])(
    "from Nov 1 reads the orders paid from the start of Nov 1 in the shop's zone ($timeZone), counted and given alike",
    async ({ timeZone, earning }) => {
      const { shop, named } = await shopWithOrdersAroundNov1(timeZone);
      const ctx = contextFor(shop, staff);
      const { batch, preview } = await previewOf(shop, "2026-11-01");
      const counted = await listTaskItems({ ctx, input: { taskId: batch.taskId!, limit: 10 } });
      expect(named(counted.items.map((item) => item.key))).toEqual([...earning].sort());
      expect(preview.orders).toBe(earning.length);
      expect(batch.fileName).toBe(`Orders since Nov 1, 2026 (${timeZone} time)`);

      await startImport({ ctx, input: { importId: batch.id } });
      await createTaskRunner({ shops: [shop] }).drain();
      const given = await backfillEntries(shop, batch.id);
      expect(named(given.map((entry) => entry.sourceGid!))).toEqual([...earning].sort());
      // The audit lines name the day and its zone.
      const audit = await listAuditEvents({ ctx, input: { action: "import.orders", limit: 10 } });
      expect(audit.events[0]?.subject).toBe(`Orders since Nov 1, 2026 (${timeZone} time) (import ${batch.id})`);
    },
  );

  it("refuses a day after the shop's today, which is tomorrow's date east of UTC", async () => {
    const shop = await newShopDomain();
    await db.update(shops).set({ timezone: "Pacific/Kiritimati" }).where(eq(shops.shop, shop));
    const now = new Date();
    const ctx = { ...contextFor(shop, staff), now };
    // UTC+14: the shop's today is a day after UTC's for most of the UTC day, and a backfill from it is not refused.
    const today = shopDayOf(now, "Pacific/Kiritimati");
    const batch = await previewBackfill({ ctx, input: { since: today } });
    expect(batch.source).toBe(shopDayStart(today, "Pacific/Kiritimati"));
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await expect(previewBackfill({ ctx, input: { since: tomorrow } })).rejects.toMatchObject({
      code: "invalid_input",
      details: { fieldErrors: { since: ["Choose a date in the past"] } },
    });
  });

  it("reads from Shopify the refunds of orders refunded before install, so a past order earns on what the customer kept", async () => {
    const shop = neverInstalledShopDomain();
    const sandbox = sandboxOf();
    sandbox.control.createShop({ shop });
    const buyer = sandbox.control.createCustomer({ shop, email: "kept@example.com", firstName: "Kit" });
    const kept = sandbox.control.placeOrder({ shop, customerId: buyer.id, lines: [{ productIndex: 0, quantity: 2 }] });
    const halfBack = sandbox.control.placeOrder({
      shop,
      customerId: buyer.id,
      lines: [{ productIndex: 0, quantity: 2 }],
    });
    const allBack = sandbox.control.placeOrder({
      shop,
      customerId: buyer.id,
      lines: [{ productIndex: 0, quantity: 2 }],
    });
    sandbox.control.refund({ shop, orderId: halfBack.id, lines: [{ lineItemId: halfBack.lines[0]!.id, quantity: 1 }] });
    sandbox.control.refund({ shop, orderId: allBack.id });
    // Shopify's times are whole seconds: install a clear second after the orders were paid.
    await new Promise((resolve) => setTimeout(resolve, 2000 - (Date.now() % 1000) + 5));
    await installThroughAdmin(sandbox, shop);
    await runShopJobs(shop, { force: true });
    const ctx = contextFor(shop, staff);

    const { batch, preview } = await previewOf(shop, "2000-01-01");
    // Each order as its task's result says: the kept one earns in full, the half-refunded one on the unit kept, the
    // refunded one nothing.
    const results = await listTaskItems({ ctx, input: { taskId: batch.taskId!, limit: 10 } });
    const said = new Map(results.items.map((item) => [item.key, item.message]));
    const messageOf = (order: { id: string }) => said.get(`gid://shopify/Order/${order.id}`);
    const pointsOf = (order: { id: string }) => Number(/^\+(\d+)/.exec(messageOf(order) ?? "")?.[1]);
    const full = pointsOf(kept);
    expect(full).toBeGreaterThan(1);
    expect(messageOf(kept)).toBe(`+${full} points`);
    expect(messageOf(halfBack)).toMatch(/^\+\d+ points on what the customer kept after refunds$/);
    expect(pointsOf(halfBack)).toBeGreaterThan(0);
    expect(pointsOf(halfBack)).toBeLessThan(full);
    expect(messageOf(allBack)).toBe("0 points on what the customer kept after refunds");
    expect(preview).toEqual({ orders: 3, customers: 1, points: full + pointsOf(halfBack) });

    await startImport({ ctx, input: { importId: batch.id } });
    await createTaskRunner({ shops: [shop] }).drain();
    expect(await pointsOutstanding(shop)).toBe(preview.points);
    // Each refunded order's earn is followed by its refund's share, explained as any refund's.
    const refundEntries = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.sourceType, "refund")));
    expect(refundEntries.map((entry) => entry.points).sort((a, b) => a - b)).toEqual([
      -full,
      -(full - pointsOf(halfBack)),
    ]);
  });
});
