import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse } from "~/lib/csv.server";
import { withErrors } from "~/lib/errors.server";
import { pathIdOr404 } from "~/lib/parse.server";
import { verifyDownload } from "~/lib/signed-url.server";
import { getImport, listImportProblems } from "~/services/imports/apply-import.server";
import { contextFor } from "~/shopify.server";

/**
 * GET /app/import/:id/problems.csv?shop&expires&signature: the rows the dry run refused, with the file's own columns
 * and a last "Problems" column, to fix and upload again. Streamed; cells a spreadsheet would run as a formula are
 * neutralised (csvResponse). Takes the short-lived signed link the preview's action hands out: 403 otherwise.
 */
export const loader = withErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const id = pathIdOr404(params.id, "import");
  const shop = verifyDownload({
    params: new URL(request.url).searchParams,
    resource: `import:${id}:problems`,
    now: new Date(),
  });
  if (!shop) {
    return new Response("This download link is not valid or has expired: download again from the import's page.", {
      status: 403,
    });
  }
  const ctx = contextFor(shop, "staff");
  const row = await getImport({ ctx, input: { importId: id } });
  const width = row.headers.length;
  async function* rows() {
    for await (const problem of listImportProblems({ ctx, input: { importId: id } })) {
      const cells = problem.cells.slice(0, width);
      while (cells.length < width) cells.push("");
      yield [...cells, problem.message];
    }
  }
  return csvResponse({
    filename: `${row.fileName.replace(/\.csv$/i, "")} rows with problems.csv`,
    header: [...row.headers, "Problems"],
    rows: rows(),
  });
});
