import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { customerSelectionSchema } from "~/domain/background-jobs";
import { withErrors } from "~/lib/errors.server";
import { jsonField, parseOr400, readForm } from "~/lib/parse.server";
import { previewPointsReminder } from "~/services/rewards/points-reminders.server";
import { authenticate, contextFor } from "~/shopify.server";

const previewSchema = z.object({ selection: jsonField.pipe(customerSelectionSchema) });

/**
 * POST /app/customers/reminder-preview {selection (JSON)}: how many of the selection a points reminder for customers
 * who can redeem would leave out, and the cheapest reward's cost, for the directory's panel. A POST only because a
 * selection of ticked rows can be long; it reads and changes nothing.
 */
export const action = withErrors(async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { selection } = parseOr400(previewSchema, await readForm(request));
  return previewPointsReminder({ ctx: contextFor(session.shop, "staff"), input: { selection } });
});
