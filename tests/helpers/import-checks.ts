import { createTaskRunner } from "~/jobs/task-runner.server";
import { getImport } from "~/services/imports/apply-import.server";
import { startCustomerImportCheck, startPointsImportCheck } from "~/services/imports/check-import.server";
import type { ServiceContext } from "~/services/context";

/*
 * A file's dry run as the upload starts it and the task runner finishes it (decision 048): for tests about what
 * comes after the check (the import, its undo, pruning), which want the checked import as the preview shows it.
 */

/** Runs the import's check task to its end in this process and answers the import as it now stands. */
async function runCheck(ctx: ServiceContext, importId: number, taskId: number | null) {
  if (taskId !== null) await createTaskRunner({ shops: [ctx.shop] }).runTask(taskId);
  return getImport({ ctx, input: { importId } });
}

/** startCustomerImportCheck, then its check run to the end: the checked import. */
export async function checkCustomerImport(args: Parameters<typeof startCustomerImportCheck>[0]) {
  const checking = await startCustomerImportCheck(args);
  return runCheck(args.ctx, checking.id, checking.taskId);
}

/** startPointsImportCheck, then its check run to the end: the checked import. */
export async function checkPointsImport(args: Parameters<typeof startPointsImportCheck>[0]) {
  const checking = await startPointsImportCheck(args);
  return runCheck(args.ctx, checking.id, checking.taskId);
}
