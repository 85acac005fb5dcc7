import type { ServiceContext } from "../context";

/**
 * After an erasure commits, its old page images still sit in the write-ahead log; checkpointing and truncating it
 * leaves the erased values nowhere in the files (secure_delete already zeroes them in the database pages). Must run
 * outside any transaction.
 */
export function flushErasedData({ ctx }: { ctx: ServiceContext }): { complete: boolean } {
  const [result] = ctx.db.$client.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
  return { complete: result?.busy === 0 };
}
