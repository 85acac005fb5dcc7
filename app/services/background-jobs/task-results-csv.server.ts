import { outcomeLabelsOf, type ItemOutcome } from "~/domain/background-jobs";
import { shopDayOf, shopTimeWriter, shopTimeZoneName } from "~/domain/shared/shop-time";
import type { ServiceContext } from "../context";
import { getShopTimeZone } from "../shops/get-shop.server";
import { getTask, iterateTaskItems } from "./get-task.server";

/*
 * A job's results as a spreadsheet reads them, alike the customer export (decisions 026 and 050; newcomer round 21
 * found "When" in UTC ISO beside a page in the shop's time, and a "Key" column of Tally's own ids): times in the
 * shop's zone, named in the header; each customer's email and Shopify customer ID (the GraphQL id, whole in Excel),
 * never Tally's row ids.
 */

/**
 * The file a job's results download as: its name (the job's title and id, the outcome or "results", the shop's day
 * of `ctx.now`), its header and its rows, streamed in the order recorded, optionally one outcome only. Columns: the
 * unit ("Customer"), Email, "Shopify customer ID" ("Shopify ID" for a job whose lines are orders too: an order's is
 * its Order gid), the outcome in the kind's words, what happened, and "When (America/Toronto)" as
 * `2026-12-02 03:16:37` (UTC when Shopify never gave the shop's zone). Throws DomainError "not_found" for a job that
 * is not the shop's.
 */
export async function getTaskResultsCsv({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { taskId: number; outcome?: ItemOutcome };
}): Promise<{ filename: string; header: string[]; rows: AsyncGenerator<string[]> }> {
  const job = await getTask({ ctx, input: { taskId: input.taskId } });
  const timeZone = await getShopTimeZone({ ctx });
  const labels = outcomeLabelsOf(job.kind);
  const unit = job.progress.unit.one;
  const when = shopTimeWriter(timeZone);
  async function* rows(): AsyncGenerator<string[]> {
    for await (const item of iterateTaskItems({ ctx, input })) {
      yield [
        item.label,
        item.email ?? "",
        item.shopifyId ?? "",
        labels[item.outcome],
        item.message ?? "",
        when(item.at),
      ];
    }
  }
  return {
    filename: `${job.title} ${job.id} ${input.outcome ?? "results"} ${shopDayOf(ctx.now, timeZone)}.csv`,
    header: [
      unit[0]!.toUpperCase() + unit.slice(1),
      "Email",
      unit === "customer" ? "Shopify customer ID" : "Shopify ID",
      "Outcome",
      "What happened",
      `When (${shopTimeZoneName(timeZone)})`,
    ],
    rows: rows(),
  };
}
