import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useRouteError,
  useSubmit,
} from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { AdjustPointsModal } from "~/components/adjust-points-modal";
import { BlockCustomerModal } from "~/components/block-customer-modal";
import { ActivityCard } from "~/components/customer-activity";
import { CustomerEmailsCard } from "~/components/customer-emails";
import {
  CustomerInfoCard,
  OrdersCard,
  PointsNotEarnedCard,
  PointsSummaryCard,
  RewardsCard,
  customerDisplayName,
} from "~/components/customer-profile";
import { CustomerNotices } from "~/components/customer-notices";
import { ReferralActivityCard, ReferralRewardsCard, ReferralsCard } from "~/components/referral-profile";
import { activityFilterSchema } from "~/domain/ledger";
import { withErrors, withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { parseFormFields, parseOr400, readForm } from "~/lib/parse.server";
import { getCustomerProfile } from "~/services/customers/get-customer-profile.server";
import { setCustomerBlocked } from "~/services/customers/set-blocked.server";
import { listCustomerEmails } from "~/services/email/list-customer-emails.server";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { listActivity } from "~/services/ledger/list-activity.server";
import { getReferralProfile } from "~/services/referrals/referral-profile.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";

const idSchema = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);
const paramsSchema = z.object({ id: idSchema });
const querySchema = z.object({ tab: activityFilterSchema.default("all"), before: idSchema.optional() });
const activityPageSize = 50;

export const loader = withErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { id } = parseOr400(paramsSchema, params);
  const { tab, before } = parseOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const ctx = contextFor(session.shop, "staff");
  const profile = await getCustomerProfile({ ctx, input: { customerId: id } });
  const activity = await listActivity({ ctx, input: { customerId: id, filter: tab, before, limit: activityPageSize } });
  const referral = await getReferralProfile({ ctx, input: { customerId: id } });
  const emails = await listCustomerEmails({ ctx, input: { customerId: id } });
  return { ...profile, activity: { tab, before: before ?? null, ...activity }, referral, emails };
});

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

export const action = withFormErrors(async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const { id } = parseOr400(paramsSchema, params);
  const form = await readForm(request);
  const { intent } = parseOr400(intentSchema, form);
  const ctx = contextFor(session.shop, staffActorOf(session, sessionToken));
  if (intent === "adjust") {
    const input = parseFormFields(adjustSchema, form);
    const { applied } = await adjustPoints({ ctx, input: { ...input, customerId: id } });
    return { ok: true, intent, applied, requestId: input.requestId } satisfies CustomerActionData;
  }
  await setCustomerBlocked({ ctx, input: { customerId: id, blocked: intent === "block" } });
  return { ok: true, intent } satisfies CustomerActionData;
});

const toastFor: Record<"adjust" | "block" | "unblock", string> = {
  adjust: "Points adjusted",
  block: "Customer blocked",
  unblock: "Customer unblocked",
};

export default function CustomerProfile() {
  const { customer, totals, orders, rewards, skips, activity, referral, emails } = useLoaderData<typeof loader>();
  const actionData = useActionData<CustomerActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [modal, setModal] = useState<"adjust" | "block" | null>(null);
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : undefined;

  useEffect(() => {
    if (actionData && "ok" in actionData) shopify.toast.show(toastFor[actionData.intent]);
    else if (actionData && !actionData.fieldErrors) shopify.toast.show(actionData.error, { isError: true });
  }, [actionData, shopify]);
  // A done action closes its modal (React's "adjust state when a prop changes"); a refused one keeps it open.
  const [answered, setAnswered] = useState(actionData);
  if (answered !== actionData) {
    setAnswered(actionData);
    if (actionData && "ok" in actionData) setModal(null);
  }

  const name = customerDisplayName(customer);
  const numericId = customer.customerGid.split("/").pop();
  const setBlocked = (blocked: boolean) => submit({ intent: blocked ? "block" : "unblock" }, { method: "post" });
  // Remounting the form after a successful adjustment empties it and gives the next one a fresh request id.
  const adjustFormKey = actionData && "ok" in actionData && actionData.intent === "adjust" ? actionData.requestId : "";
  const adjustErrors = actionData && "fieldErrors" in actionData ? (actionData.fieldErrors ?? {}) : {};

  return (
    <Page>
      <TitleBar title={name}>
        <Link variant="breadcrumb" to="/app/customers">
          Customers
        </Link>
        <button variant="primary" onClick={() => setModal("adjust")}>
          Adjust points
        </button>
        {/* App Bridge turns shopify://admin links into a navigation of the admin around the app. */}
        <button onClick={() => open(`shopify://admin/customers/${numericId}`, "_top")}>View on Shopify</button>
        {customer.blocked ? (
          <button onClick={() => setBlocked(false)} loading={busyIntent === "unblock" ? "" : undefined}>
            Unblock customer
          </button>
        ) : (
          <button tone="critical" onClick={() => setModal("block")}>
            Block customer
          </button>
        )}
      </TitleBar>
      <BlockStack gap="500">
        <CustomerNotices customer={customer} />
        <Layout>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <CustomerInfoCard customer={customer} />
              <PointsSummaryCard totals={totals} />
              <ReferralsCard summary={referral.summary} referredBy={referral.referredBy} />
            </BlockStack>
          </Layout.Section>
          <Layout.Section>
            <BlockStack gap="400">
              <ActivityCard activity={activity} />
              <PointsNotEarnedCard skips={skips} />
              <OrdersCard orders={orders} />
              <RewardsCard rewards={rewards} />
              <ReferralActivityCard referrals={referral.referrals} />
              <ReferralRewardsCard rewards={referral.rewards} />
              <CustomerEmailsCard emails={emails} />
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
      <AdjustPointsModal
        key={adjustFormKey}
        open={modal === "adjust"}
        customerName={name}
        fieldErrors={adjustErrors}
        submitting={busyIntent === "adjust"}
        onClose={() => setModal(null)}
        onSubmit={(values) => submit({ intent: "adjust", ...values }, { method: "post" })}
      />
      <BlockCustomerModal
        open={modal === "block"}
        customerName={name}
        submitting={busyIntent === "block"}
        onBlock={() => setBlocked(true)}
        onClose={() => setModal(null)}
      />
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page>
        <TitleBar title="Customer not found">
          <Link variant="breadcrumb" to="/app/customers">
            Customers
          </Link>
        </TitleBar>
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
