import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CustomerDirectory } from "~/components/customer-directory";
import { directoryQuerySchema } from "~/domain/customers";
import { withErrors } from "~/lib/errors.server";
import { parseOr400 } from "~/lib/parse.server";
import { listCustomers } from "~/services/customers/list-customers.server";
import { authenticate, contextFor } from "~/shopify.server";

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { q, ...query } = parseOr400(directoryQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  return listCustomers({
    ctx: contextFor(session.shop, "staff"),
    input: { ...query, search: q || undefined, limit: 50 },
  });
});

export default function Customers() {
  return <CustomerDirectory page={useLoaderData<typeof loader>()} />;
}
