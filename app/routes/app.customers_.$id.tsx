import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  useActionData,
  useLoaderData,
  useNavigate,
  useNavigation,
  useRouteError,
  useSubmit,
} from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { boundary } from "@shopify/shopify-app-remix/server";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Form,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Modal,
  Page,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import {
  CustomerInfoCard,
  OrdersCard,
  PointsNotEarnedCard,
  PointsSummaryCard,
  RewardsCard,
  StatusBadges,
  customerDisplayName,
  formatDateTime,
} from "~/components/customer-profile";
import { actorLabel } from "~/components/labels";
import { activityFilterSchema, type ActivityFilter } from "~/domain/ledger";
import { formatPoints } from "~/domain/program";
import { isDomainError } from "~/domain/shared";
import { responseForDomainError, type DomainErrorBody } from "~/lib/errors.server";
import { parseFormFields, parseOr400 } from "~/lib/parse.server";
import { getCustomerProfile } from "~/services/customers/get-customer-profile.server";
import { setCustomerBlocked } from "~/services/customers/set-blocked.server";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { listActivity } from "~/services/ledger/list-activity.server";
import { staffActorOf } from "~/shopify/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";

const idSchema = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);
const paramsSchema = z.object({ id: idSchema });
const querySchema = z.object({ tab: activityFilterSchema.default("all"), before: idSchema.optional() });
const activityPageSize = 50;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { id } = parseOr400(paramsSchema, params);
  const { tab, before } = parseOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const ctx = contextFor(session.shop, "staff");
  try {
    const profile = getCustomerProfile({ ctx, input: { customerId: id } });
    const activity = listActivity({ ctx, input: { customerId: id, filter: tab, before, limit: activityPageSize } });
    return { ...profile, activity: { tab, before: before ?? null, ...activity } };
  } catch (error) {
    if (isDomainError(error)) throw responseForDomainError(error);
    throw error;
  }
};

const intentSchema = z.object({ intent: z.enum(["adjust", "block", "unblock"]) });
const adjustSchema = z.object({
  points: z
    .string()
    .trim()
    .regex(/^[+-]?\d{1,9}$/, { error: "Enter a whole number of points, like 50 or -20" })
    .transform(Number),
  reason: z
    .string()
    .trim()
    .min(1, { error: "Say why the points are adjusted" })
    .max(500, { error: "Keep the reason under 500 characters" }),
  requestId: z.string().min(1).max(100),
});

export type CustomerActionData =
  | { ok: true; intent: "adjust"; applied: boolean; requestId: string }
  | { ok: true; intent: "block" | "unblock" }
  | DomainErrorBody;

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const { id } = parseOr400(paramsSchema, params);
  const form = Object.fromEntries(await request.formData());
  const { intent } = parseOr400(intentSchema, form);
  const ctx = contextFor(session.shop, staffActorOf(sessionToken));
  try {
    if (intent === "adjust") {
      const input = parseFormFields(adjustSchema, form);
      const { applied } = adjustPoints({ ctx, input: { ...input, customerId: id } });
      return { ok: true, intent, applied, requestId: input.requestId } satisfies CustomerActionData;
    }
    setCustomerBlocked({ ctx, input: { customerId: id, blocked: intent === "block" } });
    return { ok: true, intent } satisfies CustomerActionData;
  } catch (error) {
    if (isDomainError(error)) return responseForDomainError(error);
    throw error;
  }
};

const tabs: Array<{ id: ActivityFilter; content: string }> = [
  { id: "all", content: "All activity" },
  { id: "earned", content: "Earned" },
  { id: "redeemed", content: "Redeemed" },
];

const kindLabels: Record<string, string> = {
  earn: "Earned",
  release: "Released",
  reverse: "Reversed",
  adjust: "Adjusted",
  redeem: "Redeemed",
  redemption_return: "Returned",
  expire: "Expired",
  correct: "Corrected",
  move_in: "Moved in",
  move_out: "Moved out",
};

const emptyActivity: Record<ActivityFilter, string> = {
  all: "No points activity yet. Points earned, redeemed and adjusted appear here as they happen.",
  earned: "No points earned yet.",
  redeemed: "No points redeemed yet.",
};

const toastFor: Record<"adjust" | "block" | "unblock", string> = {
  adjust: "Points adjusted",
  block: "Customer blocked",
  unblock: "Customer unblocked",
};

export default function CustomerProfile() {
  const { customer, totals, orders, rewards, skips, activity } = useLoaderData<typeof loader>();
  const actionData = useActionData<CustomerActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [confirmingBlock, setConfirmingBlock] = useState(false);
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : undefined;

  useEffect(() => {
    if (actionData && "ok" in actionData) shopify.toast.show(toastFor[actionData.intent]);
    else if (actionData && !actionData.fieldErrors) shopify.toast.show(actionData.error, { isError: true });
  }, [actionData, shopify]);

  const numericId = customer.customerGid.split("/").pop();
  const setBlocked = (blocked: boolean) => {
    setConfirmingBlock(false);
    submit({ intent: blocked ? "block" : "unblock" }, { method: "post" });
  };
  // Remounting the form after a successful adjustment empties it and gives the next one a fresh request id.
  const adjustFormKey = actionData && "ok" in actionData && actionData.intent === "adjust" ? actionData.requestId : "";
  const adjustErrors = actionData && "fieldErrors" in actionData ? (actionData.fieldErrors ?? {}) : {};

  return (
    <Page
      backAction={{ content: "Customers", url: "/app/customers" }}
      title={customerDisplayName(customer)}
      titleMetadata={<StatusBadges status={customer.status} blocked={customer.blocked} />}
      secondaryActions={[
        // App Bridge turns shopify://admin links into a navigation of the admin around the app.
        { content: "View on Shopify", url: `shopify://admin/customers/${numericId}`, target: "_top" },
        customer.blocked
          ? { content: "Unblock customer", loading: busyIntent === "unblock", onAction: () => setBlocked(false) }
          : { content: "Block customer", destructive: true, onAction: () => setConfirmingBlock(true) },
      ]}
    >
      <BlockStack gap="500">
        {customer.mergedInto ? (
          <Banner
            tone="info"
            title={`Merged into ${customer.mergedInto.label}`}
            action={{ content: "Open that customer", url: `/app/customers/${customer.mergedInto.id}` }}
          >
            <p>
              Shopify merged this customer into {customer.mergedInto.label}
              {customer.mergedInto.at ? ` on ${formatDateTime(customer.mergedInto.at)}` : ""}. Their points, rewards and
              history moved there; each line below says so, and anything this customer&apos;s orders earn or give back
              later follows on its own.
            </p>
          </Banner>
        ) : null}
        {customer.mergedFrom > 0 ? (
          <Banner tone="info" title="Merged customers">
            <p>
              Shopify merged {customer.mergedFrom} {customer.mergedFrom === 1 ? "customer" : "customers"} into this one:
              their points and history are here (&quot;Moved from a merged customer&quot;), and their orders are listed
              with this customer&apos;s.
            </p>
          </Banner>
        ) : null}
        {customer.redactedAt ? (
          <Banner tone="info" title="Personal data erased">
            <p>Shopify asked Tally to erase this customer&apos;s data; only the points history is kept.</p>
          </Banner>
        ) : customer.deletedAt ? (
          <Banner tone="info" title="Deleted in Shopify">
            <p>This customer was deleted in Shopify on {formatDateTime(customer.deletedAt)}.</p>
          </Banner>
        ) : null}
        <Layout>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <CustomerInfoCard customer={customer} />
              <PointsSummaryCard totals={totals} />
              <AdjustPointsCard
                key={adjustFormKey}
                fieldErrors={adjustErrors}
                submitting={busyIntent === "adjust"}
                onSubmit={(values) => submit({ intent: "adjust", ...values }, { method: "post" })}
              />
            </BlockStack>
          </Layout.Section>
          <Layout.Section>
            <BlockStack gap="400">
              <ActivityCard activity={activity} />
              <PointsNotEarnedCard skips={skips} />
              <OrdersCard orders={orders} />
              <RewardsCard rewards={rewards} />
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
      <Modal
        open={confirmingBlock}
        onClose={() => setConfirmingBlock(false)}
        title={`Block ${customerDisplayName(customer)}?`}
        primaryAction={{ content: "Block customer", destructive: true, onAction: () => setBlocked(true) }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmingBlock(false) }]}
      >
        <Modal.Section>
          <Text as="p">
            A blocked customer earns and redeems no points until unblocked. What they would have earned is listed under
            &quot;Points not earned&quot;; unblocking does not pay it out.
          </Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

function AdjustPointsCard({
  fieldErrors,
  submitting,
  onSubmit,
}: {
  fieldErrors: Record<string, string[] | undefined>;
  submitting: boolean;
  onSubmit: (values: { points: string; reason: string; requestId: string }) => void;
}) {
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  // Made on the first submit and kept until the form changes, so a double click or a retry is one adjustment.
  const requestId = useRef<string | null>(null);
  const edit = (set: (value: string) => void) => (value: string) => {
    requestId.current = null;
    set(value);
  };

  return (
    <Card>
      <Form
        onSubmit={() => {
          requestId.current ??= crypto.randomUUID();
          onSubmit({ points, reason, requestId: requestId.current });
        }}
      >
        <FormLayout>
          <Text as="h2" variant="headingMd">
            Adjust points
          </Text>
          <TextField
            label="Points"
            name="points"
            type="integer"
            value={points}
            onChange={edit(setPoints)}
            helpText="Use a minus sign to take points away, like -20."
            error={fieldErrors.points?.[0]}
            autoComplete="off"
          />
          <TextField
            label="Reason"
            name="reason"
            value={reason}
            onChange={edit(setReason)}
            helpText="Recorded on the customer's activity log."
            error={fieldErrors.reason?.[0]}
            autoComplete="off"
          />
          <Button submit variant="primary" loading={submitting}>
            Adjust points
          </Button>
        </FormLayout>
      </Form>
    </Card>
  );
}

interface ActivityView {
  tab: ActivityFilter;
  before: number | null;
  nextCursor?: number;
  rows: Array<{
    id: number;
    kind: string;
    points: number;
    held: boolean;
    explanation: string;
    actor: string;
    createdAt: string;
  }>;
}

function ActivityCard({ activity }: { activity: ActivityView }) {
  const navigate = useNavigate();
  const search = (params: Record<string, string | number | undefined>) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
    const text = query.toString();
    return text ? `?${text}` : "?";
  };
  const tabParam = activity.tab === "all" ? undefined : activity.tab;

  return (
    <Card padding="0">
      <Box padding="400" paddingBlockEnd="0">
        <Text as="h2" variant="headingMd">
          Activity log
        </Text>
      </Box>
      <Tabs
        tabs={tabs}
        selected={tabs.findIndex((tab) => tab.id === activity.tab)}
        onSelect={(index) =>
          navigate(search({ tab: tabs[index]!.id === "all" ? undefined : tabs[index]!.id }), {
            preventScrollReset: true,
          })
        }
      />
      {activity.rows.length === 0 ? (
        <Box padding="400">
          <Text as="p" tone="subdued">
            {emptyActivity[activity.tab]}
          </Text>
        </Box>
      ) : (
        <IndexTable
          resourceName={{ singular: "entry", plural: "entries" }}
          itemCount={activity.rows.length}
          selectable={false}
          headings={[
            { title: "Date" },
            { title: "Activity" },
            { title: "Points", alignment: "end" },
            { title: "Details" },
            { title: "By" },
          ]}
        >
          {activity.rows.map((row, index) => (
            <IndexTable.Row id={String(row.id)} key={row.id} position={index}>
              <IndexTable.Cell>{formatDateTime(row.createdAt)}</IndexTable.Cell>
              <IndexTable.Cell>
                <InlineStack gap="100">
                  <Badge>{kindLabels[row.kind] ?? row.kind}</Badge>
                  {row.held ? <Badge tone="attention">Held</Badge> : null}
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric tone={row.points < 0 ? "critical" : "success"}>
                  {formatPoints(row.points)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" breakWord>
                  {row.explanation}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{actorLabel(row.actor)}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      )}
      {activity.before !== null || activity.nextCursor !== undefined ? (
        <Box padding="300">
          <InlineStack align="center" gap="200">
            <Button url={search({ tab: tabParam })} disabled={activity.before === null}>
              Newest
            </Button>
            <Button
              url={
                activity.nextCursor === undefined ? undefined : search({ tab: tabParam, before: activity.nextCursor })
              }
              disabled={activity.nextCursor === undefined}
            >
              Older
            </Button>
          </InlineStack>
        </Box>
      ) : null}
    </Card>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page backAction={{ content: "Customers", url: "/app/customers" }} title="Customer not found">
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              This customer is not in Tally
            </Text>
            <Text as="p">They may belong to another store, or the link is out of date.</Text>
          </BlockStack>
        </Card>
      </Page>
    );
  }
  return boundary.error(error);
}
