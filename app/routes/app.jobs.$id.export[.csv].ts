import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportCustomersKind, exportFileName } from "~/domain/background-jobs";
import { csvFileResponse } from "~/lib/csv.server";
import { withErrors } from "~/lib/errors.server";
import { exportFileExists, exportFilePath } from "~/lib/export-files.server";
import { pathIdOr404 } from "~/lib/parse.server";
import { verifyDownload } from "~/lib/signed-url.server";
import { getTask } from "~/services/background-jobs/get-task.server";
import { contextFor } from "~/shopify.server";

/**
 * GET /app/jobs/:id/export.csv?shop&expires&signature: the CSV file a finished customer export wrote, streamed from
 * disk. A download carries no session token, so this takes the short-lived signed link the job page hands out (403
 * for a forged, altered or expired one); 404 for a job that is not a finished export of that shop; 410 once the
 * scheduler deleted the file (decision 031).
 */
export const loader = withErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const id = pathIdOr404(params.id, "job");
  const now = new Date();
  const shop = verifyDownload({ params: new URL(request.url).searchParams, resource: `export:${id}`, now });
  if (!shop) {
    return new Response("This download link is not valid or has expired: download again from the job's page.", {
      status: 403,
    });
  }
  const job = await getTask({ ctx: contextFor(shop, "staff"), input: { taskId: id } });
  if (job.kind !== exportCustomersKind.kind || job.status !== "succeeded") {
    return new Response("This job has no finished export.", { status: 404 });
  }
  const path = exportFilePath(shop, id);
  if (!(await exportFileExists(path))) {
    return new Response("This export's file was deleted after its download window: export again from the directory.", {
      status: 410,
    });
  }
  return csvFileResponse({
    path,
    // The name the job's result line gave it (the shop's day); exports finished before it was kept, the UTC day's.
    filename:
      typeof job.summary?.fileName === "string"
        ? job.summary.fileName
        : exportFileName(id, job.finishedAt ?? now.toISOString(), null),
  });
});
