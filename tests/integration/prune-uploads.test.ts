import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { importEmails, imports } from "~/db/schema";
import { schedule } from "~/jobs/schedule.server";
import { pruneUploadsJob } from "~/jobs/scheduled/prune-uploads.server";
import { createTaskRunner } from "~/jobs/task-runner.server";
import { uploadsDir } from "~/lib/uploads.server";
import { getImport } from "~/services/imports/apply-import.server";
import { checkPointsImport } from "../helpers/import-checks";
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
});
