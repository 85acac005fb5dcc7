import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { exportCsvColumns } from "~/domain/privacy";
import { csvResponse } from "~/lib/csv.server";
import { withErrors } from "~/lib/errors.server";
import { parseOr400, pathIdOr404 } from "~/lib/parse.server";
import { downloadDataRequestExport } from "~/services/compliance/data-requests.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";

const paramsSchema = z.object({ format: z.enum(["json", "csv"]) });

/** GET /app/privacy/:id/json or /csv: one data request's export, for the merchant to hand to the customer. */
export const loader = withErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const input = { id: pathIdOr404(params.id, "data request"), ...parseOr400(paramsSchema, { format: params.format }) };
  const ctx = contextFor(session.shop, staffActorOf(session, sessionToken));
  const { filename, data, csvRows } = await downloadDataRequestExport({ ctx, input });
  if (input.format === "csv") {
    return csvResponse({
      filename,
      header: exportCsvColumns,
      rows: (async function* () {
        yield* csvRows;
      })(),
    });
  }
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
