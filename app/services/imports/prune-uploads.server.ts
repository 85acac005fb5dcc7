import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { and, eq, inArray, isNull, lt, ne, or } from "drizzle-orm";
import { importChanges, importCreates, importEmails, importProblems, imports } from "~/db/schema";
import { inTransaction, type AllShopsContext } from "../context";

/** How long an uploaded file stays on disk once its import ended (imported or undone), or its preview was left. */
export const KEEP_UPLOADS_DAYS = 7;
/** A file no import names (its check refused it, or the shop was erased) goes after a day. */
const KEEP_ORPHAN_MS = 86_400_000;
/** Rows of an import's preview deleted per transaction: a 100,000-row file of bad rows never holds the writer long. */
export const PRUNE_BATCH_ROWS = 1000;

/**
 * Deletes uploaded CSVs past their import's life (decision 033), with the bulk import files beside them: a file whose
 * import finished (imported or undone) more than `keepDays` ago, or whose dry run was checked that long ago and never
 * started, or whose check stopped that long ago; and, in `dir`, any upload no import names that is older than a day (a file refused at its check, a shop's
 * files after its erasure). An import that is running keeps its file. The rows its preview kept from the file go with
 * it (problem rows, the sample of changes and of customers to create: names and emails the merchant uploaded, decision
 * 062), `batchRows` at a time, each batch its own transaction; the import row stays (its figures and undo need neither)
 * and records `filePrunedAt` once they are gone, so an import interrupted halfway is taken up again by the next call.
 * Starting a pruned preview is refused. At most `limit` imports a call. Returns how many files (or bulk directories)
 * went and their bytes, and how many preview rows.
 */
export async function pruneImportUploads({
  ctx,
  input,
}: {
  ctx: AllShopsContext;
  input: { dir: string; keepDays: number; limit: number; batchRows?: number };
}): Promise<{ files: number; bytes: number; rows: number }> {
  const batchRows = input.batchRows ?? PRUNE_BATCH_ROWS;
  const cutoff = new Date(ctx.now.getTime() - input.keepDays * 86_400_000).toISOString();
  const ended = await ctx.db
    .select({ id: imports.id, shop: imports.shop, filePath: imports.filePath })
    .from(imports)
    .where(
      and(
        isNull(imports.filePrunedAt),
        ne(imports.filePath, ""),
        or(
          and(eq(imports.status, "imported"), lt(imports.importedAt, cutoff)),
          and(eq(imports.status, "undone"), lt(imports.undoneAt, cutoff)),
          and(eq(imports.status, "checked"), lt(imports.createdAt, cutoff)),
          // A check that stopped (a file that stops being a CSV halfway) leaves its import "checking" (decision 048).
          and(eq(imports.status, "checking"), ne(imports.kind, "orders"), lt(imports.createdAt, cutoff)),
        ),
      ),
    )
    .limit(input.limit);
  let files = 0;
  let bytes = 0;
  let rows = 0;
  for (const row of ended) {
    const removed = await removeUpload(row.filePath);
    files += removed.files;
    bytes += removed.bytes;
    for (const table of [importProblems, importChanges, importCreates]) {
      for (;;) {
        const batch = ctx.db
          .select({ id: table.id })
          .from(table)
          .where(and(eq(table.shop, row.shop), eq(table.importId, row.id)))
          .limit(batchRows);
        const deleted = await inTransaction(ctx, (tx) =>
          tx.delete(table).where(inArray(table.id, batch)).returning({ id: table.id }),
        );
        rows += deleted.length;
        if (deleted.length < batchRows) break;
      }
    }
    await inTransaction(ctx, async (tx) => {
      await tx
        .update(imports)
        .set({ filePrunedAt: ctx.now.toISOString() })
        .where(and(eq(imports.shop, row.shop), eq(imports.id, row.id)));
      await tx.delete(importEmails).where(and(eq(importEmails.shop, row.shop), eq(importEmails.importId, row.id)));
    });
  }

  const names = await readdir(input.dir).catch(() => [] as string[]);
  const old: string[] = [];
  for (const name of names) {
    const info = await stat(join(input.dir, name)).catch(() => null);
    if (info && ctx.now.getTime() - info.mtimeMs > KEEP_ORPHAN_MS) old.push(join(input.dir, name));
  }
  for (let start = 0; start < old.length; start += 200) {
    const batch = old.slice(start, start + 200);
    // A bulk import's directory belongs to the upload it is named after.
    const owners = batch.map((path) => path.replace(/\.bulk$/, ""));
    const named = await ctx.db
      .select({ filePath: imports.filePath })
      .from(imports)
      .where(and(inArray(imports.filePath, owners), isNull(imports.filePrunedAt)));
    const kept = new Set(named.map((row) => row.filePath));
    for (const path of batch) {
      if (kept.has(path.replace(/\.bulk$/, ""))) continue;
      const removed = await removePath(path);
      files += removed.files;
      bytes += removed.bytes;
    }
  }
  return { files, bytes, rows };
}

async function removeUpload(filePath: string) {
  const file = await removePath(filePath);
  const bulk = await removePath(`${filePath}.bulk`);
  return { files: file.files + bulk.files, bytes: file.bytes + bulk.bytes };
}

async function removePath(path: string): Promise<{ files: number; bytes: number }> {
  const info = await stat(path).catch(() => null);
  if (!info) return { files: 0, bytes: 0 };
  let bytes = info.size;
  if (info.isDirectory())
    for (const name of await readdir(path)) bytes += (await stat(join(path, name)).catch(() => null))?.size ?? 0;
  await rm(path, { recursive: true, force: true });
  return { files: 1, bytes };
}
