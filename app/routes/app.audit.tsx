import type { MetaFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { AuditLog, type AuditFilters } from "~/components/audit-log";
import { auditActionSchema } from "~/domain/audit";
import { withErrors } from "~/lib/errors.server";
import { parseOr400 } from "~/lib/parse.server";
import { listAuditActors, listAuditEvents } from "~/services/audit/list-audit-events.server";
import { getCustomerProfile } from "~/services/customers/get-customer-profile.server";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

const id = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);
const querySchema = z.object({
  actor: z.string().min(1).max(200).optional(),
  action: auditActionSchema.optional(),
  customer: id.optional(),
  before: id.optional(),
});
const PAGE = 50;

/** The audit trail: every staff action, newest first, filtered by staff, action and customer, keyset-paged. */
export const meta: MetaFunction = () => pageTitle("Audit log");

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = parseOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const ctx = contextFor(session.shop, "staff");
  const { events, nextBefore } = await listAuditEvents({
    ctx,
    input: { actor: query.actor, action: query.action, customerId: query.customer, before: query.before, limit: PAGE },
  });
  const customer =
    query.customer !== undefined
      ? await getCustomerProfile({ ctx, input: { customerId: query.customer } }).then(
          ({ customer }) => [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email,
          () => null,
        )
      : null;
  return {
    events,
    nextBefore,
    actors: await listAuditActors({ ctx }),
    filters: {
      actor: query.actor ?? null,
      action: query.action ?? null,
      customerId: query.customer ?? null,
      customerLabel: customer,
    } satisfies AuditFilters,
    paged: query.before !== undefined,
  };
});

export default function Audit() {
  const { events, nextBefore, actors, filters, paged } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const url = (next: Partial<AuditFilters> & { before?: number }) => {
    const merged = { ...filters, ...next };
    const params = new URLSearchParams();
    if (merged.actor) params.set("actor", merged.actor);
    if (merged.action) params.set("action", merged.action);
    if (merged.customerId !== null) params.set("customer", String(merged.customerId));
    if (next.before !== undefined) params.set("before", String(next.before));
    const search = params.toString();
    return search ? `/app/audit?${search}` : "/app/audit";
  };
  return (
    <Page>
      <TitleBar title="Audit log" />
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          Every change staff made to customers, the program and Tally&apos;s jobs: who, when, and what it changed.
        </Text>
        <AuditLog
          lines={events}
          filters={filters}
          actors={actors}
          onFilter={(next) => navigate(url(next))}
          nextURL={nextBefore !== null ? url({ before: nextBefore }) : undefined}
          previousURL={paged ? url({}) : undefined}
        />
      </BlockStack>
    </Page>
  );
}
