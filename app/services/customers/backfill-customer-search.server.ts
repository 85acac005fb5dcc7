import { and, asc, eq, gt, isNull, sql, type SQL } from "drizzle-orm";
import { searchColumnsOf } from "~/domain/customers";
import { customers } from "~/db/schema";
import { inTransaction, type AllShopsContext } from "../context";

const BATCH = 500;
/**
 * Rows already in the search index are rewritten in smaller batches: each one's old entry is taken out of the index
 * first (a secure delete across trigrams every email shares, about 4 ms a row on 2 cores at 1,000,000 customers:
 * decision 031), and a batch holds the write lock for its whole transaction.
 */
const STALE_BATCH = 50;

/**
 * Writes the search text and name sort key of rows stored before they existed (migration 0009 adds them empty; the
 * fold is Tally's, so SQL cannot fill them), then of rows an older fold indexed with an apostrophe or hyphen, which
 * the fold now drops (migration 0030's `customers_search_stale_idx`, decision 031): a batch per transaction, yielding
 * between batches so requests are served meanwhile, and a stale row stays found by its old text until rewritten.
 * Spans every shop; run once at boot. Returns how many rows it wrote.
 */
export async function backfillCustomerSearch({ ctx }: { ctx: AllShopsContext }): Promise<number> {
  let written = 0;
  for (;;) {
    const ids = await rewriteBatch(ctx, isNull(customers.searchText), BATCH);
    if (ids.length === 0) break;
    written += ids.length;
  }
  // The partial index's own expression, so SQLite reads these rows from it alone. The id moves on past each batch, so
  // a row is read once even if its new text still matched (the fold never writes either character).
  const stale = sql`(${customers.searchText} like '%''%' or ${customers.searchText} like '%-%')`;
  for (let after = 0; ;) {
    const ids = await rewriteBatch(ctx, and(stale, gt(customers.id, after))!, STALE_BATCH);
    if (ids.length === 0) return written;
    written += ids.length;
    after = ids.at(-1)!;
  }
}

/** Rewrites both search columns of the first `limit` rows matching `where`, in id order; answers their ids. */
async function rewriteBatch(ctx: AllShopsContext, where: SQL, limit: number): Promise<number[]> {
  const rows = await ctx.db
    .select({
      id: customers.id,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
      phone: customers.phone,
    })
    .from(customers)
    .where(where)
    .orderBy(asc(customers.id))
    .limit(limit);
  if (rows.length > 0) {
    await inTransaction(ctx, async (tx) => {
      for (const row of rows) {
        await tx.update(customers).set(searchColumnsOf(row)).where(eq(customers.id, row.id));
      }
    });
  }
  await new Promise((resolve) => setImmediate(resolve));
  return rows.map((row) => row.id);
}
