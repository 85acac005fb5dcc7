import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, importEmails, imports } from "~/db/schema";
import { schedule } from "~/jobs/schedule.server";
import { pruneUploadsJob } from "~/jobs/scheduled/prune-uploads.server";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { uploadsDir } from "~/lib/uploads.server";
import { getImport, listImportProblems } from "~/services/imports/apply-import.server";
import { listImportChanges, listImportCreates } from "~/services/imports/check-import.server";
import { KEEP_UPLOADS_DAYS, pruneImportUploads } from "~/services/imports/prune-uploads.server";
import { contextForAllShops } from "~/shopify.server";
import { checkCustomerImport, checkPointsImport } from "../helpers/import-checks";
import { startImport } from "~/services/imports/start-import.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";

const { db } = contextFor("any", "test");
const staff = { actor: "staff:7", actorName: "Sam Owner" };
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

/** A points file uploaded as the upload handler stores it: in uploads/, named by a random id. */
async function uploaded(name: string) {
  const path = join(uploadsDir(), `${randomUUID()}--${name}`);
  await writeFile(path, "email,points\nnobody@example.com,10\n");
  return path;
}

async function checked(shop: string, name: string) {
  const ctx = contextFor(shop, staff);
  const filePath = await uploaded(name);
  const row = await checkPointsImport({ ctx, input: { fileName: name, filePath, source: "generic" } });
  return { ctx, id: row.id, filePath };
}

const setImport = (shop: string, id: number, values: Partial<typeof imports.$inferInsert>) =>
  db
    .update(imports)
    .set(values)
    .where(and(eq(imports.shop, shop), eq(imports.id, id)));

describe("pruning uploaded files", () => {
  it("the scheduler deletes files a week past their import's end or an abandoned preview, and day-old orphans, keeping the rest", async () => {
    expect(schedule).toContain(pruneUploadsJob);
    const shop = await newShopDomain();

    // Imported eight days ago, with a bulk import's files beside it: both go.
    const old = await checked(shop, "old.csv");
    await startImport({ ctx: old.ctx, input: { importId: old.id } });
    await createTaskRunner({ shops: [shop] }).drain();
    expect((await getImport({ ctx: old.ctx, input: { importId: old.id } })).status).toBe("imported");
    await setImport(shop, old.id, { importedAt: daysAgo(8).toISOString() });
    await mkdir(`${old.filePath}.bulk`);
    await writeFile(`${old.filePath}.bulk/customerSet.vars.jsonl`, "{}\n");
    // Imported two days ago, undone since: kept for now.
    const recent = await checked(shop, "recent.csv");
    await setImport(shop, recent.id, {
      status: "undone",
      importedAt: daysAgo(3).toISOString(),
      undoneAt: daysAgo(2).toISOString(),
    });
    // A preview left unstarted for eight days goes; one started long ago and still running keeps its file.
    const abandoned = await checked(shop, "abandoned.csv");
    await setImport(shop, abandoned.id, { createdAt: daysAgo(8).toISOString() });
    // A check that stopped eight days ago (the file broke halfway) goes, with the emails it had met.
    const stopped = await checked(shop, "stopped.csv");
    await setImport(shop, stopped.id, { status: "checking", createdAt: daysAgo(8).toISOString() });
    await db.insert(importEmails).values({ shop, importId: stopped.id, email: "nobody@example.com" });
    const running = await checked(shop, "running.csv");
    await setImport(shop, running.id, { status: "importing", createdAt: daysAgo(30).toISOString() });
    // Files no import names: a day and a half old (a file refused at its check), and one uploaded a minute ago.
    const orphan = await uploaded("refused.csv");
    await utimes(orphan, daysAgo(1.5), daysAgo(1.5));
    const fresh = await uploaded("being-checked.csv");

    const result = await pruneUploadsJob.perform();
    expect(result).toMatchObject({ files: expect.any(Number), bytes: expect.any(Number) });

    const onDisk = (path: string) => existsSync(path);
    expect(onDisk(old.filePath)).toBe(false);
    expect(onDisk(`${old.filePath}.bulk`)).toBe(false);
    expect(onDisk(abandoned.filePath)).toBe(false);
    expect(onDisk(stopped.filePath)).toBe(false);
    expect(await db.select().from(importEmails).where(eq(importEmails.shop, shop))).toEqual([]);
    expect(onDisk(orphan)).toBe(false);
    expect(onDisk(recent.filePath)).toBe(true);
    expect(onDisk(running.filePath)).toBe(true);
    expect(onDisk(fresh)).toBe(true);

    // The import keeps its figures and says when its file went; the abandoned preview cannot start without it.
    const pruned = await getImport({ ctx: old.ctx, input: { importId: old.id } });
    expect(pruned).toMatchObject({ status: "imported", summary: expect.objectContaining({ rows: 1 }) });
    expect(pruned.filePrunedAt).not.toBeNull();
    await expect(startImport({ ctx: abandoned.ctx, input: { importId: abandoned.id } })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("upload the file again"),
    });
    // A second tick finds nothing more of these.
    await pruneUploadsJob.perform();
    expect(onDisk(recent.filePath)).toBe(true);
  });

  it("a pruned customer file takes its preview's rows with it (problem rows, changes, customers to create), in batches", async () => {
    const shop = await newShopDomain();
    const ctx = contextFor(shop, staff);
    await db.insert(customers).values({
      shop,
      customerGid: "gid://shopify/Customer/920001",
      email: "maya@example.com",
      firstName: "Maya",
      lastName: "Okafor",
    });
    const file = (name: string) => {
      const path = join(uploadsDir(), `${randomUUID()}--${name}`);
      const rows = [
        "First name,Last name,Email,Points",
        "Maya,Okafor-Reyes,maya@example.com,40",
        ...Array.from({ length: 5 }, (_, i) => `Bad,Row ${i},not-an-email-${i},5`),
        ...Array.from({ length: 5 }, (_, i) => `New,Customer ${i},new${i}@example.com,${i + 1}0`),
      ];
      return writeFile(path, rows.join("\n") + "\n").then(() => path);
    };
    const preview = async (id: number) => {
      const problems = [];
      for await (const problem of listImportProblems({ ctx, input: { importId: id } })) problems.push(problem);
      return {
        problems,
        changes: await listImportChanges({ ctx, input: { importId: id } }),
        creates: await listImportCreates({ ctx, input: { importId: id } }),
      };
    };
    const check = async (name: string) =>
      checkCustomerImport({
        ctx,
        input: { fileName: name, filePath: await file(name), existing: "update", invite: false },
      });
    const left = await check("left.csv");
    const kept = await check("kept.csv");
    // What the preview showed the merchant: Maya's new last name, five refused rows, five customers to create.
    expect(await preview(left.id)).toMatchObject({
      problems: { length: 5 },
      changes: [expect.objectContaining({ email: "maya@example.com" })],
      creates: { length: 5 },
    });
    await setImport(shop, left.id, { createdAt: daysAgo(KEEP_UPLOADS_DAYS + 1).toISOString() });

    const result = await pruneImportUploads({
      ctx: contextForAllShops("test"),
      input: { dir: uploadsDir(), keepDays: KEEP_UPLOADS_DAYS, limit: 20, batchRows: 2 },
    });

    // The names and emails the merchant uploaded are gone with the file; the preview left a week ago shows none.
    expect(await preview(left.id)).toEqual({ problems: [], changes: [], creates: [] });
    expect(result.rows).toBeGreaterThanOrEqual(11);
    expect(await getImport({ ctx, input: { importId: left.id } })).toMatchObject({
      filePrunedAt: expect.any(String),
      summary: expect.objectContaining({ rows: 11, problems: 5, create: 5, update: 1 }),
    });
    // A preview checked today keeps its rows and its file.
    expect(await preview(kept.id)).toMatchObject({
      problems: { length: 5 },
      changes: { length: 1 },
      creates: { length: 5 },
    });
    expect(existsSync(kept.filePath)).toBe(true);
  });
});
