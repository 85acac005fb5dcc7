import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { withErrors } from "~/lib/errors.server";
import { referralCsvColumns, referralCsvRecords } from "~/services/referrals/list-referrals.server";
import { authenticate, contextFor } from "~/shopify.server";

const BATCH = 500;

/**
 * Export CSV of referrals: every referral of the shop, streamed as it is read (pages of 1,000 from the database,
 * written 500 records at a time by csv-stringify), so neither the server nor the answer holds the whole shop at once.
 * UTF-8 with a byte-order mark, so spreadsheets read names with accents right.
 */
export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const records = referralCsvRecords({ ctx: contextFor(session.shop, "staff") });
  const encoder = new TextEncoder();
  let first = true;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const batch: string[][] = [];
      for (let next = await records.next(); ; next = await records.next()) {
        if (next.done) break;
        batch.push(next.value);
        if (batch.length === BATCH) break;
      }
      if (batch.length > 0 || first) {
        controller.enqueue(
          encoder.encode(stringify(batch, { header: first, columns: [...referralCsvColumns], bom: first })),
        );
        first = false;
      }
      if (batch.length < BATCH) controller.close();
    },
    async cancel() {
      await records.return(undefined);
    },
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="referrals-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
