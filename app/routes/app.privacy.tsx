import type { MetaFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Page } from "@shopify/polaris";
import { z } from "zod";
import { DataRequestList } from "~/components/data-request-list";
import { withErrors } from "~/lib/errors.server";
import { parseOr400 } from "~/lib/parse.server";
import { listDataRequests } from "~/services/compliance/data-requests.server";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

const querySchema = z.object({
  cursor: z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number)
    .optional(),
});

/** Privacy requests: the customers' data requests Shopify sent, each export downloadable for its 30 days. */
export const meta: MetaFunction = () => pageTitle("Privacy requests");

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { cursor } = parseOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const requests = await listDataRequests({ ctx: contextFor(session.shop, "staff"), input: { cursor, limit: 50 } });
  return { ...requests, paged: cursor !== undefined };
});

export default function PrivacyRequests() {
  const { rows, nextCursor, paged } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  return (
    <Page>
      <TitleBar title="Privacy requests">
        <Link variant="breadcrumb" to="/app/settings">
          Settings
        </Link>
      </TitleBar>
      <DataRequestList
        rows={rows}
        hasPrevious={paged}
        onPrevious={() => navigate("?")}
        hasNext={nextCursor !== undefined}
        onNext={() => navigate(`?cursor=${nextCursor}`)}
      />
    </Page>
  );
}
