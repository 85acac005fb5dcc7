import { flushWriteAheadLog } from "~/db/dialect";
import type { AllShopsContext, ServiceContext } from "../context";

/**
 * After an erasure commits, its old page images still sit in the write-ahead log; checkpointing and truncating it
 * leaves the erased values nowhere in the files (secure_delete already zeroes them in the database pages). Must run
 * outside any transaction (it throws inside one).
 */
export async function flushErasedData({
  ctx,
}: {
  ctx: ServiceContext | AllShopsContext;
}): Promise<{ complete: boolean }> {
  return flushWriteAheadLog(ctx.db);
}
