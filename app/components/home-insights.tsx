import { Link as RemixLink, useNavigate } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  Collapsible,
  DataTable,
  InlineGrid,
  InlineStack,
  Link,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { lazy, Suspense, useId, useState, type ReactNode } from "react";
import type { GrowthPeriod } from "~/domain/customers";
import { formatMinor, type CurrencyCode } from "~/domain/shared";
import { useFormat } from "./format-context";
import { useHydrated } from "./use-hydrated";

const MemberGrowthBars = lazy(() => import("./member-growth-bars"));

/** What Home's loader gives the insights (app/services/home/get-home-insights.server.ts), as JSON. */
export interface HomeInsightsView {
  customers: number;
  members: number;
  guests: number;
  conversionRate: number | null;
  pointsOutstanding: number;
  blockedHoldingPoints: number;
  pointsWorth: { minor: number; currency: string; rewardTitle: string; pointsCost: number } | null;
  highBalances: { customers: number; minimumPoints: number | null };
  topSpenders: { customers: number; minimumSpentMinor: number; currency: string | null } | null;
  growth: { period: GrowthPeriod; buckets: Array<{ start: string; newMembers: number; members: number }> };
}

const periodLabels: Record<GrowthPeriod, string> = { day: "Day", week: "Week", month: "Month" };

/** A figure and what it means, both linking to the directory filtered to exactly those customers. */
function Insight({
  title,
  value,
  detail,
  url,
  action,
}: {
  title: string;
  value: string;
  detail: ReactNode;
  url: string;
  action: string;
}) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm" tone="subdued">
          {title}
        </Text>
        {/* The figure itself opens the same list as its View link (a newcomer clicked the number first). */}
        <Text as="p" variant="headingXl">
          {value === "—" ? (
            value
          ) : (
            <Link url={url} monochrome removeUnderline accessibilityLabel={`${title}: ${value}. ${action}`}>
              {value}
            </Link>
          )}
        </Text>
        <Text as="p" tone="subdued">
          {detail}
        </Text>
        <Link url={url}>{action}</Link>
      </BlockStack>
    </Card>
  );
}

/** A bucket's first day as the chart's axis writes it: "Nov 12" for a day or a week, "Nov 2026" for a month. */
function axisLabel(start: string, period: GrowthPeriod, locale: string): string {
  const date = new Date(`${start}T00:00:00Z`);
  return period === "month"
    ? date.toLocaleDateString(locale, { month: "short", year: "numeric", timeZone: "UTC" })
    : date.toLocaleDateString(locale, { month: "short", day: "numeric", timeZone: "UTC" });
}

/**
 * The member growth chart, and the same figures as a table a merchant can open ("Show as table"): the bars carry no
 * value of their own, and polaris-viz gives a vertical bar chart no data labels and no table (only hover tooltips and
 * labels on unfocusable SVG), so without it a period's count was out of reach of a keyboard, a screen reader or a
 * glance. polaris-viz measures its container in the browser, so the server renders a placeholder of the same height
 * and the chart, loaded as a module of its own, mounts after hydration; the table is server-rendered as usual.
 */
function MemberGrowthChart({ growth }: { growth: HomeInsightsView["growth"] }) {
  const format = useFormat();
  const mounted = useHydrated();
  const [tableShown, setTableShown] = useState(false);
  const tableId = useId();
  const data = [
    {
      name: "New members",
      data: growth.buckets.map((bucket) => ({
        key: axisLabel(bucket.start, growth.period, format.locale),
        value: bucket.newMembers,
      })),
    },
  ];
  const rowLabel = (start: string) =>
    growth.period === "day"
      ? format.day(start)
      : growth.period === "week"
        ? `Week of ${format.day(start)}`
        : new Date(`${start}T00:00:00Z`).toLocaleDateString(format.locale, {
            month: "long",
            year: "numeric",
            timeZone: "UTC",
          });
  return (
    <BlockStack gap="200">
      {/* The table below says what the bars do; polaris-viz's SVG list of bars is one axe finds malformed
          (aria-required-children), so assistive technology reads the table instead. */}
      <div style={{ height: 240 }} data-testid="member-growth-chart" aria-hidden="true">
        {mounted ? (
          <Suspense fallback={<SkeletonBodyText lines={8} />}>
            <MemberGrowthBars data={data} formatNumber={format.number} />
          </Suspense>
        ) : (
          <SkeletonBodyText lines={8} />
        )}
      </div>
      <Box>
        <Button
          variant="plain"
          disclosure={tableShown ? "up" : "down"}
          ariaExpanded={tableShown}
          ariaControls={tableId}
          onClick={() => setTableShown((shown) => !shown)}
        >
          {tableShown ? "Hide table" : "Show as table"}
        </Button>
      </Box>
      <Collapsible id={tableId} open={tableShown}>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric"]}
          headings={[periodLabels[growth.period], "New members", "Members"]}
          rows={growth.buckets.map((bucket) => [
            rowLabel(bucket.start),
            format.number(bucket.newMembers),
            format.number(bucket.members),
          ])}
        />
      </Collapsible>
    </BlockStack>
  );
}

/** Why the figure leaves some points out (decision 062): a merchant who blocked someone saw it drop with no reason given. */
export const blockedPointsWords = "Blocked customers' points are left out until they are unblocked.";

/** Home's insights (issue 10, seed 000): growth, conversion, points outstanding and their worth, idle balances, top spenders. */
export function HomeInsights({ insights }: { insights: HomeInsightsView }) {
  const format = useFormat();
  const navigate = useNavigate();
  const { growth } = insights;
  const added = growth.buckets.reduce((sum, bucket) => sum + bucket.newMembers, 0);
  const percent = (rate: number) =>
    new Intl.NumberFormat(format.locale, { style: "percent", maximumFractionDigits: 1 }).format(rate);
  const amountParam = (minor: number, currency: string | null) =>
    formatMinor(minor, (currency ?? "XXX") as CurrencyCode);
  return (
    <BlockStack gap="400">
      <Text as="h2" variant="headingMd">
        Insights
      </Text>
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                Member growth
              </Text>
              <Text as="p" tone="subdued">
                {format.number(added)} new members in the last {growth.buckets.length} {growth.period}s ·{" "}
                {format.number(insights.members)} members now
              </Text>
            </BlockStack>
            {/* Buttons, not links: Polaris draws a link as a link, so the period shown was not marked (a newcomer). */}
            <ButtonGroup variant="segmented">
              {(Object.keys(periodLabels) as GrowthPeriod[]).map((period) => (
                <Button
                  key={period}
                  pressed={growth.period === period}
                  onClick={() => navigate(`?growth=${period}`, { preventScrollReset: true })}
                >
                  {periodLabels[period]}
                </Button>
              ))}
            </ButtonGroup>
          </InlineStack>
          <MemberGrowthChart growth={growth} />
          <Text as="p" tone="subdued" variant="bodySm">
            Each customer is counted on the day they became a member, which can be later than the date they joined the
            store.
          </Text>
          <Box>
            <RemixLink to="/app/customers?tab=members&sort=joined-desc">View members</RemixLink>
          </Box>
        </BlockStack>
      </Card>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <Insight
          title="Guest-to-member conversion"
          value={insights.conversionRate === null ? "—" : percent(insights.conversionRate)}
          detail={`${format.number(insights.members)} of ${format.number(insights.customers)} customers are members; ${format.number(insights.guests)} are still guests.`}
          url="/app/customers?tab=guests"
          action="View guests"
        />
        <Insight
          title="Worth of unspent points"
          value={insights.pointsWorth ? format.money(insights.pointsWorth.minor, insights.pointsWorth.currency) : "—"}
          detail={
            insights.pointsWorth
              ? `${format.points(insights.pointsOutstanding)} at the cheapest reward's rate (${insights.pointsWorth.rewardTitle} for ${format.points(insights.pointsWorth.pointsCost)}).${insights.blockedHoldingPoints > 0 ? ` ${blockedPointsWords}` : ""}`
              : "No reward is worth a money amount (only percentages or free shipping), so the points have no money value to show."
          }
          url="/app/customers?points_min=1&blocked=no&sort=points-desc"
          action="View customers with points"
        />
        <Insight
          title="High unredeemed balances"
          value={format.number(insights.highBalances.customers)}
          detail={
            insights.highBalances.minimumPoints === null
              ? "Add a reward to see who holds enough for one."
              : `Customers holding ${format.points(insights.highBalances.minimumPoints)} or more (enough for a reward) who have not earned or redeemed in 30 days: remind them of the ways to redeem.`
          }
          url={`/app/customers?points_min=${insights.highBalances.minimumPoints ?? 1}&idle_days=30&blocked=no&sort=points-desc`}
          action="View these customers"
        />
        <Insight
          title="Top 10% by spend"
          value={insights.topSpenders ? format.number(insights.topSpenders.customers) : "—"}
          detail={
            insights.topSpenders
              ? `Customers who spent ${format.money(insights.topSpenders.minimumSpentMinor, insights.topSpenders.currency)} or more: your best candidates for early access and surprise rewards.`
              : "Not enough customers have spent anything yet."
          }
          url={
            insights.topSpenders
              ? `/app/customers?spent_min=${amountParam(insights.topSpenders.minimumSpentMinor, insights.topSpenders.currency)}&sort=spent-desc`
              : "/app/customers?sort=spent-desc"
          }
          action="View top spenders"
        />
      </InlineGrid>
    </BlockStack>
  );
}
