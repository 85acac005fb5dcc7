import { asc, eq, isNull } from "drizzle-orm";
import { searchColumnsOf } from "~/domain/customers";
import { customers } from "~/db/schema";
import { inTransaction, type AllShopsContext } from "../context";

const BATCH = 500;

/**
 * Writes the search text and name sort key of rows stored before they existed (migration 0009 adds them empty; the
 * fold is Tally's, so SQL cannot fill them), a batch per transaction, yielding between batches so requests are served
 * meanwhile. Spans every shop; run once at boot. Returns how many rows it wrote.
 */
export async function backfillCustomerSearch({ ctx }: { ctx: AllShopsContext }): Promise<number> {
  let written = 0;
  for (;;) {
    const rows = await ctx.db
      .select({
        id: customers.id,
        firstName: customers.firstName,
        lastName: customers.lastName,
        email: customers.email,
        phone: customers.phone,
      })
      .from(customers)
      .where(isNull(customers.searchText))
      .orderBy(asc(customers.id))
      .limit(BATCH);
    if (rows.length === 0) return written;
    await inTransaction(ctx, async (tx) => {
      for (const row of rows) {
        await tx.update(customers).set(searchColumnsOf(row)).where(eq(customers.id, row.id));
      }
    });
    written += rows.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
