import { createHash } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { env } from "./env.server";

/*
 * Where customer exports are written: a directory beside the database (`DATABASE_PATH`), one file per export task,
 * under a folder named by a hash of the shop (no shop's domain in a path). A file can be downloaded for
 * EXPORT_DOWNLOAD_DAYS after its export finished; the scheduler then deletes it (decisions 026, 031).
 */

export function exportsDirectory(): string {
  return resolve(dirname(env().DATABASE_PATH), "exports");
}

/** The file of export task `taskId` of `shop`. */
export function exportFilePath(shop: string, taskId: number): string {
  const folder = createHash("sha256").update(shop).digest("hex").slice(0, 24);
  return join(exportsDirectory(), folder, `customers-${taskId}.csv`);
}

/** Whether an export's file is still on disk (the scheduler deletes it after its download window). */
export async function exportFileExists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** Deletes an export's file (a task pruned, a shop erased); a missing file is fine. */
export async function removeExportFile(shop: string, taskId: number): Promise<void> {
  await rm(exportFilePath(shop, taskId), { force: true });
}

/**
 * Deletes every export file last written before `now - keepMs` (the prune-export-files job, with EXPORT_FILE_KEEP_MS),
 * whatever became of its task: finished, failed or cancelled half-way, or already pruned. The directory is walked, not
 * the tasks table, so a file whose task is gone is found too; an empty shop folder is removed with its last file.
 * At most `limit` files a call. Returns how many files went.
 */
export async function pruneExportFiles({
  now,
  keepMs,
  limit = 500,
}: {
  now: Date;
  keepMs: number;
  limit?: number;
}): Promise<{ deleted: number }> {
  const root = exportsDirectory();
  const cutoff = now.getTime() - keepMs;
  let deleted = 0;
  const folders = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const folder of folders) {
    if (!folder.isDirectory()) continue;
    const path = join(root, folder.name);
    const files = await readdir(path).catch(() => [] as string[]);
    let kept = 0;
    for (const name of files) {
      const file = join(path, name);
      const info = await stat(file).catch(() => undefined);
      if (deleted < limit && info?.isFile() && /^customers-\d+\.csv$/.test(name) && info.mtimeMs < cutoff) {
        await rm(file, { force: true });
        deleted += 1;
      } else kept += 1;
    }
    if (kept === 0) await rm(path, { recursive: true, force: true });
  }
  return { deleted };
}
