import type { MetaFunction, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { useActionData, useLoaderData, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Card, InlineGrid, Layout, Link, Page, Text } from "@shopify/polaris";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { useFormat } from "~/components/format-context";
import { ProtectedDataBanner } from "~/components/protected-data-banner";
import { ACTIVE_JOBS_SHOWN, ActiveJobsBanner } from "~/components/active-jobs-banner";
import { blockedPointsWords, HomeInsights } from "~/components/home-insights";
import { StorefrontSetupCard } from "~/components/storefront-setup-card";
import { SyncHealthCard } from "~/components/sync-health-card";
import { growthPeriods } from "~/domain/customers";
import { withErrors, withFormErrors, type DomainErrorBody } from "~/lib/errors.server";
import { parseOr400, readForm } from "~/lib/parse.server";
import { getHomeInsights } from "~/services/home/get-home-insights.server";
import { getSyncHealth } from "~/services/home/get-sync-health.server";
import { listTasks } from "~/services/background-jobs/get-task.server";
import { getProtectedDataAccess } from "~/services/shops/protected-data-access.server";
import { staffActorOf } from "~/shopify/auth/staff-actor";
import { retryStuckDelivery } from "~/shopify/webhooks/queue.server";
import { authenticate, contextFor } from "~/shopify.server";
import { pageTitle } from "~/lib/page-title";

export const meta: MetaFunction = () => pageTitle("Home");

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

const homeQuerySchema = z.object({ growth: z.enum(growthPeriods).default("month") });

export const loader = withErrors(async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { growth } = parseOr400(homeQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  const ctx = contextFor(session.shop, "staff");
  const insights = await getHomeInsights({ ctx, input: { period: growth } });
  return {
    members: insights.members,
    guests: insights.guests,
    pointsOutstanding: insights.pointsOutstanding,
    pointsOwed: insights.pointsOwed,
    customersOwing: insights.customersOwing,
    insights,
    health: await getSyncHealth({ ctx }),
    withheld: (await getProtectedDataAccess({ ctx }))?.withheld ?? [],
    // Jobs staff started that are still going, so a merchant finds them again from Home.
    activeJobs: (await listTasks({ ctx, input: { active: true, limit: ACTIVE_JOBS_SHOWN } })).tasks,
    // The server's clock, for how soon a job Tally's restart left goes on (resumingText).
    now: ctx.now.toISOString(),
  };
});

const retrySchema = z.object({
  intent: z.literal("retry-delivery"),
  deliveryId: z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
});

export type HomeActionData = { ok: true; applied: boolean } | DomainErrorBody;

/** Retry of a delivery set aside (decision 009): one more try, now; applied once, or set aside again with its reason. */
export const action = withFormErrors(async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const { deliveryId } = parseOr400(retrySchema, await readForm(request));
  const { applied } = await retryStuckDelivery({
    shop: session.shop,
    deliveryId,
    actor: staffActorOf(session, sessionToken),
  });
  return { ok: true, applied } satisfies HomeActionData;
});

/** A headline figure; `owed` puts the points customers owe beside it, never netted against it. */
function Figure({
  label,
  value,
  url,
  owed,
  note,
}: {
  label: string;
  value: number;
  /** The directory filtered to the customers the figure counts. */
  url: string;
  owed?: { points: number; customers: number };
  /** What the figure leaves out, when it leaves something out. */
  note?: string;
}) {
  const format = useFormat();
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          <Link
            url={url}
            monochrome
            removeUnderline
            accessibilityLabel={`${label}: ${format.number(value)}. View them`}
          >
            {format.number(value)}
          </Link>
        </Text>
        {owed && owed.customers > 0 && (
          <Text as="p" tone="subdued">
            {format.number(owed.points)} points owed by {format.number(owed.customers)}{" "}
            {owed.customers === 1 ? "customer" : "customers"}, not counted
          </Text>
        )}
        {note && (
          <Text as="p" tone="subdued">
            {note}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const figures = useLoaderData<typeof loader>();
  const actionData = useActionData<HomeActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const revalidator = useRevalidator();
  const refreshing = useRef(false);
  const retrying = navigation.state === "submitting" ? Number(navigation.formData?.get("deliveryId")) : null;

  useEffect(() => {
    if (!actionData) return;
    if ("ok" in actionData) {
      shopify.toast.show(actionData.applied ? "Delivery applied" : "Still failing: set aside again", {
        isError: !actionData.applied,
      });
    } else shopify.toast.show(actionData.error, { isError: true });
  }, [actionData, shopify]);

  useEffect(() => {
    if (refreshing.current && revalidator.state === "idle") {
      refreshing.current = false;
      shopify.toast.show("Figures refreshed");
    }
  }, [revalidator.state, shopify]);

  return (
    <Page>
      <TitleBar title="Tally">
        <button
          variant="primary"
          onClick={() => {
            refreshing.current = true;
            revalidator.revalidate();
          }}
          loading={revalidator.state === "loading" ? "" : undefined}
        >
          Refresh
        </button>
      </TitleBar>
      <Layout>
        {figures.activeJobs.length > 0 && (
          <Layout.Section>
            <ActiveJobsBanner jobs={figures.activeJobs} now={figures.now} />
          </Layout.Section>
        )}
        {figures.withheld.length > 0 && (
          <Layout.Section>
            <ProtectedDataBanner withheld={figures.withheld} />
          </Layout.Section>
        )}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Figure label="Members" value={figures.members} url="/app/customers?tab=members" />
            <Figure label="Guests" value={figures.guests} url="/app/customers?tab=guests" />
            <Figure
              label="Points outstanding"
              url="/app/customers?points_min=1&blocked=no&sort=points-desc"
              value={figures.pointsOutstanding}
              owed={{ points: figures.pointsOwed, customers: figures.customersOwing }}
              note={figures.insights.blockedHoldingPoints > 0 ? blockedPointsWords : undefined}
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <StorefrontSetupCard />
        </Layout.Section>
        <Layout.Section>
          <HomeInsights insights={figures.insights} />
        </Layout.Section>
        <Layout.Section>
          <SyncHealthCard
            health={figures.health}
            retrying={retrying}
            onRetry={(deliveryId) =>
              submit({ intent: "retry-delivery", deliveryId: String(deliveryId) }, { method: "post" })
            }
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
