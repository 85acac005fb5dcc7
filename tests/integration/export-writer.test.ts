import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, shops, tasks } from "~/db/schema";
import { exportCell, exportColumnHeader, exportColumns, exportFileName } from "~/domain/background-jobs";
import { defaultDirectorySort, emptyCustomerQuery } from "~/domain/customers";
import { exportWriterPid, writeExportPartApart } from "~/jobs/export-writer/client.server";
import { writeExportPart, type ExportPartRequest } from "~/jobs/export-writer/part.server";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { appendCsvPart } from "~/lib/csv.server";
import { exportFilePath } from "~/lib/export-files.server";
import { listSelectedCustomers } from "~/services/customers/bulk-customers.server";
import { selectCustomerPage } from "~/services/customers/customer-query.server";
import { submitTask } from "~/services/background-jobs/submit-task.server";
import { getTask, listTaskItems } from "~/services/background-jobs/get-task.server";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { newShopDomain } from "../factories/shops";
import { shopTimeWriter } from "~/domain/shared/shop-time";

// Decision 040: an export's rows are read and its file written by the export writer, a process the app forks. What
// staff download must be exactly what the app's own process would have written, part for part, and a writer that dies
// must cost a part written again, never a customer twice or a customer missing.

const { db } = contextFor("any", "test");

async function shopWithCustomers(count: number) {
  const shop = await newShopDomain();
  for (let start = 0; start < count; start += 500) {
    await insertCustomers(
      db,
      shop,
      Array.from({ length: Math.min(500, count - start) }, (_, offset) => {
        const n = start + offset;
        return {
          status: n % 3 === 0 ? ("member" as const) : ("guest" as const),
          firstName: n % 7 === 0 ? "=SUM(A1:A2)" : `Łukasz ${n}`,
          lastName: `Nowak, "${n}"`,
          pointsBalance: (n % 90) - 10,
          ordersCount: n % 5,
          amountSpentMinor: n * 125,
          tags: n % 4 === 0 ? ["VIP", "Newsletter"] : [],
          city: n % 11 === 0 ? "Kraków\nNowa Huta" : "Paris",
        };
      }),
    );
  }
  return shop;
}

/** The whole selection written in this process, part after part, as EXPORT_WRITER=in-app writes it. */
async function writtenInApp(shop: string, request: Omit<ExportPartRequest, "after" | "offset" | "path">) {
  const file = path.join(tmpdir(), `tally-export-in-app-${process.pid}-${Date.now()}.csv`);
  const ctx = contextFor(shop, "test");
  for (let after: ExportPartRequest["after"] = null, offset = 0; ;) {
    const part = await writeExportPart({ ctx, input: { ...request, path: file, after, offset } });
    offset = part.bytes;
    if (part.last === undefined) break;
    after = part.last;
  }
  const bytes = await readFile(file);
  await rm(file, { force: true });
  return bytes;
}

describe("the export writer process", () => {
  it("writes the export in a process other than the app's, byte for byte the file the app's own process writes", async () => {
    const shop = await shopWithCustomers(4_321);
    const ctx = contextFor(shop, "staff:1");
    const input = {
      selection: { query: { ...emptyCustomerQuery, tab: "members" as const } },
      columns: [...exportColumns],
    };
    const { task } = await submitTask({
      ctx,
      input: { kind: "customers.export", input, idempotencyKey: `writer-${shop}` },
    });
    await createTaskRunner({ shops: [shop] }).drain();
    const finished = await getTask({ ctx, input: { taskId: task.id } });
    expect(finished).toMatchObject({ status: "succeeded", progress: { done: 1_441 } });
    // One result line, the file by the name it downloads under, its count as staff read counts elsewhere.
    const { items } = await listTaskItems({ ctx, input: { taskId: task.id, limit: 10 } });
    expect(items.map((item) => [item.label, item.message])).toEqual([
      [exportFileName(task.id, finished.finishedAt!, null), "1,441 customers exported"],
    ]);
    const writer = exportWriterPid();
    expect(writer).toBeTypeOf("number");
    expect(writer).not.toBe(process.pid);

    const apart = await readFile(exportFilePath(shop, task.id));
    const inApp = await writtenInApp(shop, { taskId: -1, ...input, currency: "USD", timeZone: null, limit: 2_000 });
    expect(apart.equals(inApp)).toBe(true);
    const table = parse(apart.toString("utf8").replace(/^\uFEFF/, "")) as string[][];
    expect(table).toHaveLength(1 + 1_441);
    expect(table.slice(1).filter((row) => row[1] === "'=SUM(A1:A2)")).not.toHaveLength(0);
  });

  it("after the writer dies, the next part starts a new one and the file goes on from the last committed part", async () => {
    const shop = await shopWithCustomers(2_500);
    const ctx = contextFor(shop, "test");
    const file = exportFilePath(shop, 999_999);
    const request = {
      taskId: 999_999,
      selection: { query: emptyCustomerQuery },
      columns: ["first_name", "last_name", "tags"] as ExportPartRequest["columns"],
      currency: "USD" as const,
      timeZone: null,
      limit: 1_000,
    };
    const first = await writeExportPartApart({ ctx, input: { ...request, path: file, after: null, offset: 0 } });
    expect(first.rows).toBe(1_000);
    // A second part is written, but (as if the app crashed before committing it) the task's checkpoint stays after
    // the first; then the writer is killed.
    await writeExportPartApart({ ctx, input: { ...request, path: file, after: first.last!, offset: first.bytes } });
    const killed = exportWriterPid()!;
    process.kill(killed, "SIGKILL");
    await expect.poll(() => exportWriterPid()).toBeUndefined();

    let part = first;
    let rows = first.rows;
    while (part.last !== undefined) {
      part = await writeExportPartApart({
        ctx,
        input: { ...request, path: file, after: part.last, offset: part.bytes },
      });
      rows += part.rows;
    }
    expect(exportWriterPid()).not.toBe(killed);
    expect(rows).toBe(2_500);
    const written = await readFile(file);
    expect(written.equals(await writtenInApp(shop, request))).toBe(true);
    const table = parse(written.toString("utf8").replace(/^\uFEFF/, "")) as string[][];
    expect(new Set(table.slice(1).map((row) => row[1])).size).toBe(2_500);
    await rm(file, { force: true });
  });

  it("writes the rows in the directory's sort, newest first by default, and a resumed export continues in that order", async () => {
    const shop = await shopWithCustomers(2_300);
    const ctx = contextFor(shop, "test");
    /** Every customer's email, in the order the directory pages through them for `query`. */
    const directoryOrder = async (query: typeof emptyCustomerQuery) => {
      const emails: (string | null)[] = [];
      for (let after: { value: string | number; id: number } | undefined; ;) {
        const { rows } = await selectCustomerPage({ ctx, input: { query, limit: 500, ...(after ? { after } : {}) } });
        const page = rows.slice(0, 500);
        emails.push(...page.map((row) => row.email));
        if (rows.length <= 500) return emails;
        after = { value: page.at(-1)!.sortValue as string | number, id: page.at(-1)!.id };
      }
    };
    const byId = (await directoryOrder({ ...emptyCustomerQuery, sort: "joined-asc" })).slice().sort();
    for (const sort of [defaultDirectorySort, "points-desc", "name-asc"] as const) {
      const query = { ...emptyCustomerQuery, sort };
      const file = exportFilePath(shop, 999_997);
      const request = {
        taskId: 999_997,
        selection: { query },
        columns: ["email", "points"] as ExportPartRequest["columns"],
        currency: "USD" as const,
        timeZone: null,
        limit: 700,
      };
      // Two parts, the second written but (as after a crash before its checkpoint) not committed; the writer killed.
      const first = await writeExportPartApart({ ctx, input: { ...request, path: file, after: null, offset: 0 } });
      await writeExportPartApart({ ctx, input: { ...request, path: file, after: first.last!, offset: first.bytes } });
      process.kill(exportWriterPid()!, "SIGKILL");
      await expect.poll(() => exportWriterPid()).toBeUndefined();
      for (let part = first; part.last !== undefined;) {
        part = await writeExportPartApart({
          ctx,
          input: { ...request, path: file, after: part.last, offset: part.bytes },
        });
      }
      const table = parse((await readFile(file)).toString("utf8").replace(/^\uFEFF/, "")) as string[][];
      const emails = table.slice(1).map((row) => row[0]);
      expect(emails, sort).toEqual(await directoryOrder(query));
      expect(emails.slice().sort(), sort).toEqual(byId);
      await rm(file, { force: true });
    }
  });

  it("a part in hand when the writer dies fails at once, rather than leaving the export waiting", async () => {
    const shop = await shopWithCustomers(1_000);
    const file = exportFilePath(shop, 999_998);
    const asked = writeExportPartApart({
      ctx: contextFor(shop, "test"),
      input: {
        taskId: 999_998,
        selection: { query: emptyCustomerQuery },
        columns: [...exportColumns],
        currency: "USD",
        timeZone: null,
        path: file,
        after: null,
        offset: 0,
        limit: 1_000,
      },
    });
    process.kill(exportWriterPid()!, "SIGKILL");
    await expect(asked).rejects.toThrow("The export writer exited (SIGKILL) before it answered");
    await rm(file, { force: true });
  });

  describe("an export running when decision 043 was deployed (its checkpoint the last id written, in id order)", () => {
    const columns = ["email", "points"] as ExportPartRequest["columns"];

    /** The shop's emails in id order, as exports were written before decision 043. */
    const emailsInIdOrder = async (shop: string) =>
      (
        await db
          .select({ email: customers.email })
          .from(customers)
          .where(eq(customers.shop, shop))
          .orderBy(asc(customers.id))
      ).map((row) => row.email);

    /**
     * An export task as the version before decision 043 left it: its file holds the first `rows` customers in id order
     * (read and written as that version did: listSelectedCustomers, then the CSV library), its checkpoint
     * `{ afterId, bytes, rows }`; `uncommitted` more customers were appended after it (a part in hand when the app was
     * stopped for the deploy), which the checkpoint does not count.
     */
    async function exportStoppedByADeploy(shop: string, { rows, uncommitted }: { rows: number; uncommitted: number }) {
      const ctx = contextFor(shop, "staff:1");
      const { task } = await submitTask({
        ctx,
        input: {
          kind: "customers.export",
          input: { selection: { query: emptyCustomerQuery }, columns },
          idempotencyKey: `before-043-${shop}`,
        },
      });
      const file = exportFilePath(shop, task.id);
      const header = columns.map((column) => exportColumnHeader(column, null));
      const selection = { query: emptyCustomerQuery };
      const written = await listSelectedCustomers({ ctx, input: { selection, afterId: 0, limit: rows } });
      const cells = (part: typeof written.rows) =>
        part.map((row) => columns.map((column) => exportCell(column, row, "USD")));
      const bytes = await appendCsvPart({ path: file, offset: 0, header, rows: cells(written.rows) });
      const inHand = await listSelectedCustomers({
        ctx,
        input: { selection, afterId: written.lastId!, limit: uncommitted },
      });
      await appendCsvPart({ path: file, offset: bytes, header, rows: cells(inHand.rows) });
      const total = (await emailsInIdOrder(shop)).length;
      await db
        .update(tasks)
        .set({ checkpoint: { afterId: written.lastId!, bytes, rows }, progressDone: rows, progressTotal: total })
        .where(eq(tasks.id, task.id));
      return { ctx, task, file, head: (await readFile(file)).subarray(0, bytes) };
    }

    it("finishes in id order after the deploy: every customer once, the part written before it kept as it was", async () => {
      const shop = await shopWithCustomers(12_345);
      const { ctx, task, file, head } = await exportStoppedByADeploy(shop, { rows: 5_000, uncommitted: 3_000 });

      await createTaskRunner({ shops: [shop] }).drain();

      const finished = await getTask({ ctx, input: { taskId: task.id } });
      expect(finished).toMatchObject({ status: "succeeded", progress: { done: 12_345, total: 12_345 } });
      const { items } = await listTaskItems({ ctx, input: { taskId: task.id, limit: 10 } });
      expect(items.map((item) => [item.label, item.message])).toEqual([
        [exportFileName(task.id, finished.finishedAt!, null), "12,345 customers exported"],
      ]);
      const bytes = await readFile(file);
      expect(bytes.subarray(0, head.length).equals(head)).toBe(true);
      const table = parse(bytes.toString("utf8").replace(/^\uFEFF/, "")) as string[][];
      expect(table[0]).toEqual(["Email", "Points"]);
      // Newest first would be the order of an export begun today; this one began in id order and ends in it.
      expect(table.slice(1).map((row) => row[0])).toEqual(await emailsInIdOrder(shop));
      await rm(file, { force: true });
    });

    it("one that had written no customer yet starts in the directory's order, newest first", async () => {
      const shop = await shopWithCustomers(1_200);
      const { ctx, task, file } = await exportStoppedByADeploy(shop, { rows: 0, uncommitted: 0 });
      await db
        .update(tasks)
        .set({ checkpoint: { afterId: 0, bytes: 0, rows: 0 }, progressDone: 0 })
        .where(eq(tasks.id, task.id));

      await createTaskRunner({ shops: [shop] }).drain();

      expect(await getTask({ ctx, input: { taskId: task.id } })).toMatchObject({ status: "succeeded" });
      const table = parse((await readFile(file)).toString("utf8").replace(/^\uFEFF/, "")) as string[][];
      expect(table.slice(1).map((row) => row[0])).toEqual((await emailsInIdOrder(shop)).reverse());
      await rm(file, { force: true });
    });
  });

  describe("times in an export", () => {
    const columns = ["email", "joined"] as ExportPartRequest["columns"];
    const shopTime = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
    const startExport = async (shop: string, key: string) => {
      const ctx = contextFor(shop, "staff:1");
      const { task } = await submitTask({
        ctx,
        input: {
          kind: "customers.export",
          input: { selection: { query: emptyCustomerQuery }, columns },
          idempotencyKey: key,
        },
      });
      return { ctx, task, file: exportFilePath(shop, task.id) };
    };
    /** Members joined on a summer day, guests on a winter one, each at a time that is the day before or after in UTC. */
    const joinedShop = async (count: number) => {
      const shop = await shopWithCustomers(count);
      for (const [status, at] of [
        ["member", "2026-07-01T20:30:15.250Z"],
        ["guest", "2026-01-15T02:00:00Z"],
      ] as const)
        await db
          .update(customers)
          .set({ joinedAt: at })
          .where(and(eq(customers.shop, shop), eq(customers.status, status)));
      return shop;
    };
    const tableOf = async (file: string) =>
      parse((await readFile(file)).toString("utf8").replace(/^\uFEFF/, "")) as string[][];

    it("are in the zone the shop had when the export began, named in the header, even if the shop changes it meanwhile", async () => {
      const shop = await joinedShop(11_000);
      await db.update(shops).set({ timezone: "Asia/Kolkata" }).where(eq(shops.shop, shop));
      const { ctx, task, file } = await startExport(shop, "zone-kept");
      // The first runner stops after one part, as a killed one would; the next takes the task up once its lease ran out.
      let now = Date.now();
      const clock = () => new Date(now);
      await createTaskRunner({ shops: [shop], clock, leaseMs: 30_000 }).drain({ stopAfterChunks: 1 });
      // One part written, in Kolkata's time, when the shop moves.
      expect(await getTask({ ctx, input: { taskId: task.id } })).toMatchObject({
        status: "running",
        progress: { done: 5_000 },
      });
      await db.update(shops).set({ timezone: "America/Vancouver" }).where(eq(shops.shop, shop));
      now += 31_000;
      await createTaskRunner({ shops: [shop], clock, leaseMs: 30_000 }).drain();

      const table = await tableOf(file);
      expect(table[0]).toEqual(["Email", "Date joined (Asia/Kolkata)"]);
      expect(table).toHaveLength(11_001);
      const joined = await db
        .select({ email: customers.email, at: customers.joinedAt })
        .from(customers)
        .where(eq(customers.shop, shop));
      const inKolkata = shopTimeWriter("Asia/Kolkata");
      const expected = new Map(joined.map((row) => [row.email, inKolkata(row.at)]));
      expect(new Set(table.slice(1).map((row) => row[1]))).toEqual(
        new Set(["2026-07-02 02:00:15", "2026-01-15 07:30:00"]),
      );
      for (const row of table.slice(1)) {
        expect(row[1]).toMatch(shopTime);
        expect(row[1]).toBe(expected.get(row[0]!));
      }
      await rm(file, { force: true });
    });

    it("of a file begun in ISO form before a deploy stay in that form to its end: one file, one form", async () => {
      const shop = await joinedShop(4_500);
      const { ctx, task, file } = await startExport(shop, "iso-begun");
      const first = await writeExportPart({
        ctx,
        input: {
          taskId: task.id,
          selection: { query: emptyCustomerQuery },
          columns,
          currency: "USD",
          timeZone: null,
          times: "iso",
          path: file,
          after: null,
          offset: 0,
          limit: 1_000,
        },
      });
      // The checkpoint as the version before left it: no zone.
      await db
        .update(tasks)
        .set({ checkpoint: { after: first.last, bytes: first.bytes, rows: first.rows }, progressDone: first.rows })
        .where(eq(tasks.id, task.id));
      await createTaskRunner({ shops: [shop] }).drain();

      expect(await getTask({ ctx, input: { taskId: task.id } })).toMatchObject({ status: "succeeded" });
      const table = await tableOf(file);
      expect(table[0]).toEqual(["Email", "Date joined (UTC)"]);
      expect(table).toHaveLength(4_501);
      expect(new Set(table.slice(1).map((row) => row[1]))).toEqual(
        new Set(["2026-07-01T20:30:15Z", "2026-01-15T02:00:00Z"]),
      );
      await rm(file, { force: true });
    });
  });
});
