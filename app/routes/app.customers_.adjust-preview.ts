import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { customerSelectionSchema } from "~/domain/background-jobs";
import { withErrors } from "~/lib/errors.server";
import { jsonField, parseOr400, readForm } from "~/lib/parse.server";
import { previewBulkAdjustment } from "~/services/ledger/preview-bulk-adjustment.server";
import { authenticate, contextFor } from "~/shopify.server";

const previewSchema = z.object({ selection: jsonField.pipe(customerSelectionSchema) });

/**
 * POST /app/customers/adjust-preview {selection (JSON)}: how many of a bulk Adjust points selection are blocked (left
 * out, decision 065) and Guests who could not redeem the points (while the program's "Guests can redeem" is off), for
 * the directory's form. A POST only because a selection of ticked rows can be long; it reads and changes nothing.
 */
export const action = withErrors(async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { selection } = parseOr400(previewSchema, await readForm(request));
  return previewBulkAdjustment({ ctx: contextFor(session.shop, "staff"), input: { selection } });
});
