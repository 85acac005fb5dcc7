import { and, eq } from "drizzle-orm";
import { imports } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";

type ImportRow = typeof imports.$inferSelect;

/**
 * Moves an import from status `from` to `to` inside the caller's transaction (a task's last chunk: a check done, a
 * chunked undo done), with the step's other columns in `set`, and answers the row as it was before. Answers undefined,
 * having written nothing, when the shop has no such import or it is not `from`: a last chunk run again after a crash
 * finds the import already moved.
 */
export async function moveImport({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: {
    importId: number;
    from: ImportRow["status"];
    to: ImportRow["status"];
    set?: Partial<Pick<ImportRow, "undoneAt">>;
  };
}): Promise<ImportRow | undefined> {
  const [row] = await tx
    .select()
    .from(imports)
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, input.importId)));
  if (!row || row.status !== input.from) return undefined;
  await tx
    .update(imports)
    .set({ ...input.set, status: input.to })
    .where(and(eq(imports.shop, ctx.shop), eq(imports.id, row.id)));
  return row;
}
