import type { LoaderFunctionArgs } from "@remix-run/node";
import { problemRowWidth, problemsFileHeader, problemsFileName, problemsFileRow } from "~/domain/imports";
import { csvResponse } from "~/lib/csv.server";
import { withErrors } from "~/lib/errors.server";
import { pathIdOr404 } from "~/lib/parse.server";
import { verifyDownload } from "~/lib/signed-url.server";
import { getImport, listImportProblems } from "~/services/imports/apply-import.server";
import { contextFor } from "~/shopify.server";

/**
 * GET /app/import/:id/problems.csv?shop&expires&signature: the rows the dry run refused, whole, with the file's own
 * columns (and "Extra value" ones for a row with more values than the header) and a last "Problems" column, to fix
 * and upload again. Streamed; cells a spreadsheet would run as a formula are
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
  const problems = () => listImportProblems({ ctx, input: { importId: id } });
  // A row with more values than the header keeps them all (problems-file.ts): a first pass finds the widest.
  let width = row.headers.length;
  for await (const problem of problems()) width = Math.max(width, problemRowWidth(problem.cells));
  async function* rows() {
    for await (const problem of problems()) yield problemsFileRow(problem.cells, problem.message, width);
  }
  return csvResponse({
    filename: problemsFileName(row.fileName),
    header: problemsFileHeader(row.headers, width),
    rows: rows(),
  });
});
