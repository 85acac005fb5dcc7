import type { LoaderFunctionArgs } from "@remix-run/node";
import { DomainError } from "~/domain/shared";
import { withErrors } from "~/lib/errors.server";
import { authenticate } from "~/shopify.server";

/**
 * Any admin path no page answers (`/app/groups/12`, a mistyped link, an old bookmark): a 404 the app's own boundary
 * shows inside the app, with its navigation, "There is no such page in Tally" and the way back (AppErrorPage), instead
 * of a bare "404 Not Found" (found by a newcomer). The request is authenticated first, as every admin page's is.
 */
export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  throw new DomainError("not_found", "No such page in Tally");
});

export default function NoSuchPage() {
  return null;
}
