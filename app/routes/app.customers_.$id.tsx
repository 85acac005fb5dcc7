import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  Link,
  useActionData,
  useLoaderData,
  useNavigate,
  useNavigation,
  useRouteError,
  useSubmit,
} from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { customerErrorPage } from "~/components/request-error-page";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import wrapping from "~/components/wrapping-table.module.css";
import { useEffect, useState } from "react";
import { z } from "zod";
import { AdjustPointsModal } from "~/components/adjust-points-modal";
import { CustomerAuditCard, PROFILE_AUDIT_LINES } from "~/components/audit-log";
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
import { DeleteCustomerModal, DeletionResults } from "~/components/delete-customer";
import { RecalculationCard, type RecalculationView } from "~/components/recalculation-card";
import { StoreCreditCard, StoreCreditModal, type StoreCreditDirection } from "~/components/store-credit";
import { ReferralActivityCard, ReferralRewardsCard, ReferralsCard } from "~/components/referral-profile";
import { activityFilterSchema, activitySearchSchema, activitySortSchema } from "~/domain/ledger";
import { adjustmentReasonSchema, pointsChangeTextSchema } from "~/domain/shared";
import { storeCreditFormSchema } from "~/domain/store-credit";
import { withErrors, withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { parseFormFields, parseOr400, pathIdOr404, readForm } from "~/lib/parse.server";
import { getCustomerProfile } from "~/services/customers/get-customer-profile.server";
import { setCustomerBlocked } from "~/services/customers/set-blocked.server";
import { listCustomerEmails } from "~/services/email/list-customer-emails.server";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { listActivity } from "~/services/ledger/list-activity.server";
import {
  applyRecalculation,
  previewRecalculation,
  type CustomerRecalculation,
} from "~/services/ledger/recalculate-from-shopify.server";
import { syncCustomerNow, type CustomerSyncResult } from "~/services/customers/sync-customer-now.server";
import { shopifyCustomerReader } from "~/shopify/admin/customer-reader.server";
import { shopifyCustomerEraser } from "~/shopify/admin/customer-edit.server";
import {
  deleteCustomers,
  requestCustomerErasure,
  type DeletionResult,
} from "~/services/customers/delete-customers.server";
import { getReferralProfile } from "~/services/referrals/referral-profile.server";
import { listAuditEvents } from "~/services/audit/list-audit-events.server";
import { listCustomerBulkActions } from "~/services/background-jobs/list-customer-actions.server";
import { changeStoreCredit, getStoreCredit } from "~/services/store-credit/store-credit.server";
import { shopifyStoreCredit } from "~/shopify/admin/store-credit.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

const idSchema = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);
const querySchema = z.object({
  tab: activityFilterSchema.default("all"),
  q: activitySearchSchema.default(""),
  sort: activitySortSchema.default("newest"),
  cursor: idSchema.optional(),
});
const activityPageSize = 50;

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageTitle(data ? customerDisplayName(data.customer) : "Customer", "Customers");

export const loader = withErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const id = pathIdOr404(params.id, "customer");
  const { tab, q, sort, cursor } = parseOr400(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const ctx = contextFor(session.shop, "staff");
  const profile = await getCustomerProfile({ ctx, input: { customerId: id } });
  const activity = await listActivity({
    ctx,
    input: { customerId: id, filter: tab, search: q, sort, cursor, limit: activityPageSize },
  });
  const referral = await getReferralProfile({ ctx, input: { customerId: id } });
  const emails = await listCustomerEmails({ ctx, input: { customerId: id } });
  const storeCredit = await getStoreCredit({
    ctx,
    input: { customerId: id },
    shopify: shopifyStoreCredit(admin.graphql),
  });
  const { events: audit } = await listAuditEvents({ ctx, input: { customerId: id, limit: PROFILE_AUDIT_LINES } });
  const bulkActions = await listCustomerBulkActions({ ctx, input: { customerId: id, limit: PROFILE_AUDIT_LINES } });
  return {
    ...profile,
    activity: { tab, q, sort, cursor: cursor ?? null, ...activity },
    referral,
    emails,
    storeCredit,
    audit,
    bulkActions,
  };
});

const intentSchema = z.object({
  intent: z.enum([
    "adjust",
    "block",
    "unblock",
    "sync",
    "recalculate",
    "apply-recalculation",
    "delete",
    "request-erasure",
    "store-credit",
  ]),
});
const applyRecalculationSchema = z.object({ fingerprint: z.string().regex(/^[0-9a-f]{16}$/) });
const adjustSchema = z.object({
  points: pointsChangeTextSchema,
  reason: adjustmentReasonSchema,
  requestId: z.string().min(1).max(100),
  allowDebt: z
    .literal("true")
    .optional()
    .transform((value) => value === "true"),
});

export type CustomerActionData =
  | { ok: true; intent: "adjust"; applied: boolean; requestId: string }
  | { ok: true; intent: "block" | "unblock" }
  | { ok: true; intent: "sync"; result: CustomerSyncResult }
  | { ok: true; intent: "recalculate"; recalculation: CustomerRecalculation }
  | { ok: true; intent: "apply-recalculation"; result: { corrected: number; points: number } }
  | { ok: true; intent: "delete"; results: DeletionResult[] }
  | { ok: true; intent: "request-erasure" }
  | { ok: true; intent: "store-credit"; applied: boolean; requestId: string; direction: StoreCreditDirection }
  | DomainErrorBody;

export const action = withFormErrors(async ({ request, params }: ActionFunctionArgs) => {
  const { admin, session, sessionToken } = await authenticate.admin(request);
  const id = pathIdOr404(params.id, "customer");
  const form = await readForm(request);
  const { intent } = parseOr400(intentSchema, form);
  const ctx = contextFor(session.shop, staffActorOf(session, sessionToken));
  if (intent === "adjust") {
    const input = parseFormFields(adjustSchema, form);
    const { applied } = await adjustPoints({ ctx, input: { ...input, customerId: id } });
    return { ok: true, intent, applied, requestId: input.requestId } satisfies CustomerActionData;
  }
  if (intent === "store-credit") {
    const input = parseFormFields(storeCreditFormSchema, form);
    const { applied } = await changeStoreCredit({
      ctx,
      input: { ...input, customerId: id },
      shopify: shopifyStoreCredit(admin.graphql),
    });
    return {
      ok: true,
      intent,
      applied,
      requestId: input.requestId,
      direction: input.direction,
    } satisfies CustomerActionData;
  }
  if (intent === "delete") {
    const results = await deleteCustomers({
      ctx,
      input: { customerIds: [id] },
      shopify: shopifyCustomerEraser(admin.graphql),
    });
    return { ok: true, intent, results } satisfies CustomerActionData;
  }
  if (intent === "request-erasure") {
    await requestCustomerErasure({ ctx, input: { customerId: id }, shopify: shopifyCustomerEraser(admin.graphql) });
    return { ok: true, intent } satisfies CustomerActionData;
  }
  const shopify = shopifyCustomerReader(admin.graphql);
  if (intent === "sync") {
    const result = await syncCustomerNow({ ctx, input: { customerId: id }, shopify });
    return { ok: true, intent, result } satisfies CustomerActionData;
  }
  if (intent === "recalculate") {
    const recalculation = await previewRecalculation({ ctx, input: { customerId: id }, shopify });
    return { ok: true, intent, recalculation } satisfies CustomerActionData;
  }
  if (intent === "apply-recalculation") {
    const { fingerprint } = parseOr400(applyRecalculationSchema, form);
    const result = await applyRecalculation({ ctx, input: { customerId: id, fingerprint }, shopify });
    return { ok: true, intent, result } satisfies CustomerActionData;
  }
  await setCustomerBlocked({ ctx, input: { customerId: id, blocked: intent === "block" } });
  return { ok: true, intent } satisfies CustomerActionData;
});

type Done = Extract<CustomerActionData, { ok: true }>;

/** What the toast says once an action is done; null when the page shows the answer itself. */
function toastFor(done: Done): string | null {
  switch (done.intent) {
    case "adjust":
      return "Points adjusted";
    case "block":
      return "Customer blocked";
    case "unblock":
      return "Customer unblocked";
    case "sync":
      return done.result.changes.length ? `Synced: ${done.result.changes.join(", ")}` : "Synced: already up to date";
    case "recalculate":
      return done.recalculation.orders.length ? null : "Recalculated: the ledger agrees with Shopify";
    case "delete":
      return null;
    case "request-erasure":
      return "Data erasure requested";
    case "store-credit":
      return done.direction === "issue" ? "Store credit issued" : "Store credit deducted";
    case "apply-recalculation":
      return `Corrections applied to ${done.result.corrected} ${done.result.corrected === 1 ? "order" : "orders"}`;
  }
}

export default function CustomerProfile() {
  const { customer, totals, orders, rewards, skips, activity, referral, emails, storeCredit, audit, bulkActions } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<CustomerActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const navigate = useNavigate();
  const shopify = useAppBridge();
  const [modal, setModal] = useState<"adjust" | "block" | "delete" | "store-credit" | null>(null);
  // Each opening of a modal is a fresh form: a refusal shows only in the opening, and the modal, it was answered to
  // (Cancel and reopen starts clean; a store credit refusal never shows in Adjust points).
  const [opening, setOpening] = useState(0);
  const [submitted, setSubmitted] = useState<{ intent: string; opening: number } | null>(null);
  const openModal = (next: NonNullable<typeof modal>) => {
    setOpening((count) => count + 1);
    setModal(next);
  };
  const submitFrom = (intent: "adjust" | "store-credit", values: Record<string, string>) => {
    setSubmitted({ intent, opening });
    submit({ intent, ...values }, { method: "post" });
  };
  const [creditDirection, setCreditDirection] = useState<StoreCreditDirection>("issue");
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : undefined;

  useEffect(() => {
    if (!actionData) return;
    if ("ok" in actionData) {
      const message = toastFor(actionData);
      if (message) shopify.toast.show(message);
    } else if (!actionData.fieldErrors) shopify.toast.show(actionData.error, { isError: true });
  }, [actionData, shopify]);
  // A done action closes its modal (React's "adjust state when a prop changes"); a refused one keeps it open.
  const [answered, setAnswered] = useState(actionData);
  const [recalculation, setRecalculation] = useState<RecalculationView | null>(null);
  const [deletion, setDeletion] = useState<{ results: DeletionResult[]; erasureRequested: boolean } | null>(null);
  // The last adjustment and store credit done, which key their forms: a refusal after one must not remount the form
  // (its key once fell back to "", and the modal closed on the refusal without a word: newcomer round 14).
  const [lastDone, setLastDone] = useState<{ adjust: string; credit: string }>({ adjust: "", credit: "" });
  if (answered !== actionData) {
    setAnswered(actionData);
    if (actionData && "ok" in actionData) setModal(null);
    if (actionData && "ok" in actionData && actionData.intent === "adjust")
      setLastDone({ ...lastDone, adjust: actionData.requestId });
    if (actionData && "ok" in actionData && actionData.intent === "store-credit")
      setLastDone({ ...lastDone, credit: actionData.requestId });
    if (actionData && "ok" in actionData && actionData.intent === "recalculate") {
      setRecalculation(actionData.recalculation);
    }
    if (actionData && "ok" in actionData && actionData.intent === "apply-recalculation") setRecalculation(null);
    if (actionData && "ok" in actionData && actionData.intent === "delete") {
      setDeletion({ results: actionData.results, erasureRequested: false });
    }
    if (actionData && "ok" in actionData && actionData.intent === "request-erasure" && deletion) {
      setDeletion({ ...deletion, erasureRequested: true });
    }
  }

  const name = customerDisplayName(customer);
  const deleted = customer.deletedAt !== null;
  const numericId = customer.customerGid.split("/").pop();
  const setBlocked = (blocked: boolean) => submit({ intent: blocked ? "block" : "unblock" }, { method: "post" });
  // Remounting the form after a successful adjustment empties it and gives the next one a fresh request id.
  const adjustFormKey = lastDone.adjust;
  const refusedFields = actionData && "fieldErrors" in actionData ? (actionData.fieldErrors ?? {}) : {};
  const errorsOf = (intent: "adjust" | "store-credit") =>
    submitted?.intent === intent && submitted.opening === opening && busyIntent === undefined ? refusedFields : {};
  const creditFormKey = `${lastDone.credit}:${creditDirection}`;

  return (
    <Page>
      <TitleBar title={name}>
        <Link variant="breadcrumb" to="/app/customers">
          Customers
        </Link>
        {/* A customer Shopify deleted is history: nothing here acts on Shopify or changes their points (the services
            refuse it too, 410). */}
        {deleted ? null : (
          <button variant="primary" onClick={() => openModal("adjust")}>
            Adjust points
          </button>
        )}
        {deleted ? null : (
          <button
            onClick={() => submit({ intent: "sync" }, { method: "post" })}
            loading={busyIntent === "sync" ? "" : undefined}
          >
            Sync customer
          </button>
        )}
        {/* As on the admin's own customer page: the rest in one menu, so the name stays on one line. */}
        {/* App Bridge's title bar reads a <section label> as a menu; React's types know no label on a section. */}
        {deleted ? null : (
          <section {...{ label: "More actions" }}>
            <button onClick={() => navigate(`/app/customers/${customer.id}/edit`)}>Edit customer</button>
            {/* App Bridge turns shopify://admin links into a navigation of the admin around the app. */}
            <button onClick={() => open(`shopify://admin/customers/${numericId}`, "_top")}>View on Shopify</button>
            <button
              onClick={() => submit({ intent: "recalculate" }, { method: "post" })}
              loading={busyIntent === "recalculate" ? "" : undefined}
            >
              Recalculate points from orders
            </button>
            {customer.blocked ? (
              <button onClick={() => setBlocked(false)} loading={busyIntent === "unblock" ? "" : undefined}>
                Unblock customer
              </button>
            ) : (
              <button tone="critical" onClick={() => openModal("block")}>
                Block customer
              </button>
            )}
            <button tone="critical" onClick={() => openModal("delete")}>
              Delete customer
            </button>
          </section>
        )}
      </TitleBar>
      <BlockStack gap="500">
        <CustomerNotices customer={customer} balance={totals.balance} />
        {deletion && (
          <DeletionResults
            results={deletion.results}
            erasing={busyIntent === "request-erasure"}
            erasureRequested={deletion.erasureRequested}
            onRequestErasure={() => submit({ intent: "request-erasure" }, { method: "post" })}
            onDismiss={() => setDeletion(null)}
          />
        )}
        {recalculation && recalculation.orders.length > 0 && (
          <RecalculationCard
            recalculation={recalculation}
            applying={busyIntent === "apply-recalculation"}
            onApply={() =>
              submit({ intent: "apply-recalculation", fingerprint: recalculation.fingerprint }, { method: "post" })
            }
            onDismiss={() => setRecalculation(null)}
          />
        )}
        {/* The profile's tables wrap their cells rather than scroll sideways in the two-thirds column. */}
        <div className={wrapping.wrap}>
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
                <StoreCreditCard
                  storeCredit={storeCredit}
                  readOnly={deleted}
                  onChange={(direction) => {
                    setCreditDirection(direction);
                    openModal("store-credit");
                  }}
                />
                <PointsNotEarnedCard skips={skips} />
                <OrdersCard orders={orders} />
                <RewardsCard rewards={rewards} />
                <ReferralActivityCard referrals={referral.referrals} />
                <ReferralRewardsCard rewards={referral.rewards} />
                <CustomerEmailsCard emails={emails} />
                <CustomerAuditCard customerId={customer.id} lines={audit} bulkActions={bulkActions} />
              </BlockStack>
            </Layout.Section>
          </Layout>
        </div>
      </BlockStack>
      <AdjustPointsModal
        key={`${adjustFormKey}:${opening}`}
        open={modal === "adjust"}
        customerName={name}
        balance={totals.balance}
        blocked={customer.blocked}
        fieldErrors={errorsOf("adjust")}
        submitting={busyIntent === "adjust"}
        onClose={() => setModal(null)}
        onSubmit={(values) => submitFrom("adjust", values)}
      />
      <StoreCreditModal
        key={`${creditFormKey}:${opening}`}
        open={modal === "store-credit"}
        direction={creditDirection}
        customerName={name}
        currencies={storeCredit.currencies}
        accounts={storeCredit.accounts}
        fieldErrors={errorsOf("store-credit")}
        submitting={busyIntent === "store-credit"}
        onClose={() => setModal(null)}
        onSubmit={(values) => submitFrom("store-credit", values)}
      />
      <DeleteCustomerModal
        open={modal === "delete"}
        customerName={name}
        ordersCount={customer.ordersCount}
        submitting={busyIntent === "delete" || busyIntent === "request-erasure"}
        onDelete={() => submit({ intent: "delete" }, { method: "post" })}
        onRequestErasure={() => submit({ intent: "request-erasure" }, { method: "post" })}
        onClose={() => setModal(null)}
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
  return customerErrorPage(error) ?? boundary.error(error);
}
