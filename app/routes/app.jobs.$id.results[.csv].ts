import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { itemOutcomeSchema } from "~/domain/background-jobs";
import { csvResponse } from "~/lib/csv.server";
import { withErrors } from "~/lib/errors.server";
import { parseOr400, pathIdOr404 } from "~/lib/parse.server";
import { verifyDownload } from "~/lib/signed-url.server";
import { outcomeLabelsOf } from "~/domain/background-jobs";
import { getTask, iterateTaskItems } from "~/services/background-jobs/get-task.server";
import { contextFor } from "~/shopify.server";

const querySchema = z.object({ outcome: itemOutcomeSchema.optional() });

/**
 * GET /app/jobs/:id/results.csv?shop&expires&signature[&outcome]: a job's results as CSV, streamed. A download carries
 * no session token, so this route takes the short-lived signed link the job page's action hands out instead
 * (app/lib/signed-url.server.ts): 403 for a forged, altered or expired one.
 */
export const loader = withErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const id = pathIdOr404(params.id, "job");
  const search = new URL(request.url).searchParams;
  const { outcome } = parseOr400(querySchema, { outcome: search.get("outcome") ?? undefined });
  const now = new Date();
  const shop = verifyDownload({ params: search, resource: `task:${id}:${outcome ?? "all"}`, now });
  if (!shop) {
    return new Response("This download link is not valid or has expired: download again from the job's page.", {
      status: 403,
    });
  }
  const ctx = contextFor(shop, "staff");
  const job = await getTask({ ctx, input: { taskId: id } });
  const labels = outcomeLabelsOf(job.kind);
  const unit = job.progress.unit.one;
  async function* rows() {
    for await (const item of iterateTaskItems({ ctx, input: { taskId: id, outcome } })) {
      yield [item.label, item.key, labels[item.outcome], item.message ?? "", item.at];
    }
  }
  const date = now.toISOString().slice(0, 10);
  return csvResponse({
    filename: `${job.title} ${job.id} ${outcome ?? "results"} ${date}.csv`,
    header: [unit[0]!.toUpperCase() + unit.slice(1), "Key", "Outcome", "What happened", "When"],
    rows: rows(),
  });
});
