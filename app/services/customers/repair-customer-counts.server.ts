import { eq } from "drizzle-orm";
import { recountCustomerFigures } from "~/db/customer-counts";
import { customerCounts } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";

/**
 * Recounts the shop's kept directory figures (tab counts, points outstanding, tag and country counts, member growth)
 * from its customers, in one transaction: the repair path for counters the triggers of migration 0009 keep
 * (decision 019). Returns whether the tab counts had drifted. Reads the whole shop: a background job's work.
 */
export async function repairCustomerCounts({ ctx }: { ctx: ServiceContext }): Promise<{ drifted: boolean }> {
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(customerCounts).where(eq(customerCounts.shop, ctx.shop));
    await recountCustomerFigures(tx, ctx.shop);
    const [after] = await tx.select().from(customerCounts).where(eq(customerCounts.shop, ctx.shop));
    return { drifted: JSON.stringify(before ?? null) !== JSON.stringify(after ?? null) };
  });
}
