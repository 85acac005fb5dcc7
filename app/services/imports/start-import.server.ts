import { and, eq } from "drizzle-orm";
import { backfillOrdersKind, importCustomersKind, importPointsKind } from "~/domain/background-jobs";
import { backfillGivesNothing, backfillLeft } from "~/domain/imports";
import { DomainError } from "~/domain/shared";
import { imports } from "~/db/schema";
import { submitTask } from "../background-jobs/submit-task.server";
import { inTransaction, type ServiceContext } from "../context";
import type { TaskView } from "../background-jobs/task-view";
import { getImport } from "./apply-import.server";

/**
 * Starts the import of a checked file as a background task ("Import customers" or "Move points in"), once per
 * import (a double click or a second tab answers the same task), and ties the task to the import. The task's own `task.start`
 * audit line names who started it. Throws "not_found" for an unknown import, "conflict" for one still being checked, already started or
 * whose file was pruned (prune-uploads.server.ts), or a backfill whose preview found nothing to give.
 */
export async function startImport({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { importId: number };
}): Promise<{ task: TaskView }> {
  const row = await getImport({ ctx, input: { importId: input.importId } });
  if (row.status === "checking") {
    throw new DomainError(
      "conflict",
      row.kind === "orders"
        ? "Tally is still counting what these orders earn: wait for the preview"
        : "Tally is still checking this file: wait for the preview",
    );
  }
  if (row.status !== "checked" && row.taskId === null) {
    throw new DomainError("conflict", "This file was already imported");
  }
  if (row.status === "checked" && row.filePrunedAt) {
    throw new DomainError(
      "conflict",
      "This preview is more than a week old and its file was deleted: upload the file again to check it afresh",
    );
  }
  if (row.kind === "orders" && row.status === "checked" && backfillGivesNothing(row.summary)) {
    // A page counted before another backfill gave its orders still offered "Give 21,938 stars".
    throw new DomainError(
      "conflict",
      backfillLeft(row.summary).taken > 0
        ? "Another Points for past orders gave these orders their points since this preview: nothing was started"
        : "No order since this date has points to give: nothing was started",
    );
  }
  if (row.kind !== "orders" && row.summary.rows === 0) {
    throw new DomainError("conflict", "No customers in this file: add a row per customer and upload it again");
  }
  const kind =
    row.kind === "points" ? importPointsKind : row.kind === "orders" ? backfillOrdersKind : importCustomersKind;
  const { task } = await submitTask({
    ctx,
    input: { kind: kind.kind, input: { importId: row.id }, idempotencyKey: `import:${row.id}` },
  });
  await inTransaction(ctx, async (tx) => {
    await tx
      .update(imports)
      .set({ taskId: task.id, status: "importing" })
      .where(and(eq(imports.shop, ctx.shop), eq(imports.id, row.id), eq(imports.status, "checked")));
  });
  return { task };
}
