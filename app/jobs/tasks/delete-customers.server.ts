import { z } from "zod";
import { deleteCustomersKind, KEPT_HAS_ORDERS } from "~/domain/background-jobs";
import { countSelectedCustomers, listSelectedCustomers } from "~/services/customers/bulk-customers.server";
import { deleteCustomers } from "~/services/customers/delete-customers.server";
import { shopifyCustomerEraser } from "~/shopify/admin/customer-edit.server";
import type { TaskRun } from "../task-kind";

type Input = z.infer<typeof deleteCustomersKind.input>;
type Checkpoint = { afterId: number };

/** Customers per chunk: Shopify is called once per customer. */
const CHUNK = 25;

/**
 * Delete customers from the directory (decision 022): `deleteCustomers` (customerDelete, one at a time, each attempt
 * audited) for each customer of the selection not already answered by an earlier run of this task, so a chunk resumed
 * after a restart asks Shopify nothing twice. Deleted → "Deleted in Shopify"; kept → "Kept: has orders" (or Shopify's
 * own words), which the job page pairs with Request erasure. Tally's rows follow Shopify's customers/delete.
 */
export const deleteCustomersTask: TaskRun<Input, Checkpoint> = {
  definition: deleteCustomersKind,
  checkpoint: z.object({ afterId: z.number().int().nonnegative() }),
  initialCheckpoint: { afterId: 0 },
  begin: async ({ ctx, input }) => ({
    total: await countSelectedCustomers({ ctx, input: { selection: input.selection } }),
  }),
  chunk: async ({ ctx, input, checkpoint, report, shopify }) => {
    const { rows, lastId } = await listSelectedCustomers({
      ctx,
      input: { selection: input.selection, afterId: checkpoint.afterId, limit: CHUNK },
    });
    if (lastId === undefined) return { done: true };
    const answered = await report.recorded(rows.map((row) => String(row.id)));
    const pending = rows.filter((row) => !answered.has(String(row.id)));
    if (pending.length > 0) {
      const results = await deleteCustomers({
        ctx,
        input: { customerIds: pending.map((row) => row.id) },
        shopify: shopifyCustomerEraser(await shopify()),
      });
      for (const result of results) {
        report.item({
          key: String(result.customerId),
          customerId: result.customerId,
          label: result.name,
          outcome: result.outcome === "deleted" ? "done" : "skipped",
          message:
            result.outcome === "deleted"
              ? "Deleted in Shopify"
              : result.reason === "has orders"
                ? KEPT_HAS_ORDERS
                : `Kept: Shopify said ${result.reason}`,
        });
      }
    }
    report.progress({ advance: rows.length });
    return { next: { afterId: lastId } };
  },
};
