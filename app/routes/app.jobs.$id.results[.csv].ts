import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { itemOutcomeSchema } from "~/domain/background-jobs";
import { csvResponse } from "~/lib/csv.server";
import { withErrors } from "~/lib/errors.server";
import { parseOr400, pathIdOr404 } from "~/lib/parse.server";
import { verifyDownload } from "~/lib/signed-url.server";
import { getTaskResultsCsv } from "~/services/background-jobs/task-results-csv.server";
import { contextFor } from "~/shopify.server";

const querySchema = z.object({ outcome: itemOutcomeSchema.optional() });

/**
 * GET /app/jobs/:id/results.csv?shop&expires&signature[&outcome]: a job's results as CSV, streamed (columns and times
 * as getTaskResultsCsv writes them). A download carries no session token, so this route takes the short-lived signed
 * link the job page's action hands out instead (app/lib/signed-url.server.ts): 403 for a forged, altered or expired
 * one.
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
  return csvResponse(await getTaskResultsCsv({ ctx: contextFor(shop, "staff"), input: { taskId: id, outcome } }));
});
