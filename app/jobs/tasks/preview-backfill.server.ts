import { z } from "zod";
import { previewBackfillKind } from "~/domain/background-jobs";
import { pointsInWords } from "~/domain/program";
import { getImport } from "~/services/imports/apply-import.server";
import {
  backfillPage,
  countBackfillOrders,
  finishBackfillPreview,
  previewBackfillChunk,
  previewCustomers,
  recordPastRefunds,
  refundsUnread,
} from "~/services/imports/backfill-orders.server";
import { fetchUnseenRefunds } from "~/shopify/admin/reconcile-queries.server";
import { refundFactOfNode } from "~/shopify/admin/reconcile-records";
import type { RefundFact } from "~/domain/ledger";
import type { CurrencyCode } from "~/domain/shared";
import { getProgram } from "~/services/program/get-program.server";
import type { TaskRun } from "../task-kind";

/**
 * "Count points for past orders" (issue 12, decision 033): the backfill's preview, in the background, a chunk of
 * orders at a time in id order. An order Shopify shows refunded whose refunds Tally never saw (refunded before
 * install) has them read from Shopify first (the reader reconciliation uses) and recorded on the order, as
 * refunds/create would have; then every order is planned exactly as the backfill applies it, so it earns on what the
 * customer kept, and the preview is what is applied. Figures add up on the import in each chunk's transaction.
 */
export const previewBackfillTask: TaskRun<z.infer<typeof previewBackfillKind.input>, { afterId: number }> = {
  definition: previewBackfillKind,
  checkpoint: z.object({ afterId: z.number().int().nonnegative() }),
  initialCheckpoint: { afterId: 0 },
  begin: async ({ ctx, input }) => {
    const row = await getImport({ ctx, input: { importId: input.importId } });
    return { total: await countBackfillOrders({ ctx, input: { since: row.source ?? "" } }) };
  },
  chunk: async ({ ctx, task, input, checkpoint, report, shopify }) => {
    const row = await getImport({ ctx, input: { importId: input.importId } });
    const since = row.source ?? "";
    const page = await backfillPage({ ctx, input: { since, afterId: checkpoint.afterId } });
    const last = page[page.length - 1];
    if (!last) {
      const customers = await previewCustomers({ ctx, input: { taskId: task.id } });
      report.write((tx) => finishBackfillPreview({ ctx, tx, input: { importId: row.id, customers } }));
      return { done: true };
    }
    const unread = page.filter(refundsUnread);
    const pastRefunds: { orderGid: string; refunds: RefundFact[] }[] = [];
    if (unread.length > 0) {
      const graphql = await shopify();
      for (const order of unread) {
        const nodes = await fetchUnseenRefunds(graphql, order.orderGid, new Set());
        const currency = (order.currency ?? "") as CurrencyCode;
        pastRefunds.push({ orderGid: order.orderGid, refunds: nodes.map((node) => refundFactOfNode(node, currency)) });
      }
    }
    report.progress({ advance: page.length });
    const naming = (await getProgram({ ctx })).settings;
    report.write(async (tx) => {
      for (const refunded of pastRefunds) await recordPastRefunds({ ctx, tx, input: refunded });
      const { earned: earning } = await previewBackfillChunk({
        ctx,
        tx,
        input: { importId: row.id, since, afterId: checkpoint.afterId, throughId: last.id },
      });
      for (const order of earning) {
        report.item({
          key: order.orderGid,
          outcome: "done",
          customerId: order.customerId,
          label: order.name ?? order.orderGid,
          points: order.points,
          message: `${pointsInWords(naming, order.points, { signed: true })}${order.kept ? " on what the customer kept after refunds" : ""}`,
        });
      }
    });
    return { next: { afterId: last.id } };
  },
};
