import { z } from "zod";
import { recalculatePointsKind } from "~/domain/background-jobs";
import { describeDrift } from "~/domain/ledger/drift";
import { countCustomers, nextCustomerRange, recalculateCustomerRange } from "~/services/ledger/recalculate.server";
import type { TaskRun } from "../task-kind";

/** Customers per chunk: their ledger rows folded and repaired in one transaction of a few milliseconds. */
const CHUNK = 250;

/**
 * "Recalculate points": recomputes every customer's balance, pending, lifetime earned and lifetime redeemed from their
 * ledger rows, the truth (STYLE.md, "ledger rows are append-only"), and repairs any drift, listing per customer what
 * was off. Chunks in customer id order; the checkpoint is the last id done, and each chunk reads and repairs in one
 * transaction, so no entry lands between the reading and the repair.
 */
export const recalculatePointsTask: TaskRun<z.infer<typeof recalculatePointsKind.input>, { afterId: number }> = {
  definition: recalculatePointsKind,
  checkpoint: z.object({ afterId: z.number().int().nonnegative() }),
  initialCheckpoint: { afterId: 0 },
  begin: async ({ ctx }) => ({ total: await countCustomers({ ctx }) }),
  chunk: async ({ ctx, input, checkpoint, report }) => {
    const range = await nextCustomerRange({ ctx, input: { afterId: checkpoint.afterId, limit: CHUNK } });
    if (!range) return { done: true };
    report.write(async (tx) => {
      const { checked, drifts } = await recalculateCustomerRange({
        ctx,
        tx,
        input: { afterId: checkpoint.afterId, throughId: range.lastId, repair: input.repair },
      });
      for (const drift of drifts) {
        report.item({
          key: drift.customerGid,
          customerId: drift.customerId,
          outcome: input.repair ? "done" : "skipped",
          message: describeDrift(drift.stored, drift.recomputed),
        });
      }
      report.progress({ advance: checked });
    });
    return { next: { afterId: range.lastId } };
  },
};
