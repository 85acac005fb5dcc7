import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { env } from "./env.server";

/*
 * Where customer exports are written: a directory beside the database (`DATABASE_PATH`), one file per export task,
 * under a folder named by a hash of the shop (no shop's domain in a path). A file lives as long as its task
 * (decision 026).
 */

export function exportsDirectory(): string {
  return resolve(dirname(env().DATABASE_PATH), "exports");
}

/** The file of export task `taskId` of `shop`. */
export function exportFilePath(shop: string, taskId: number): string {
  const folder = createHash("sha256").update(shop).digest("hex").slice(0, 24);
  return join(exportsDirectory(), folder, `customers-${taskId}.csv`);
}

/** Deletes an export's file (a task pruned, a shop erased); a missing file is fine. */
export async function removeExportFile(shop: string, taskId: number): Promise<void> {
  await rm(exportFilePath(shop, taskId), { force: true });
}
