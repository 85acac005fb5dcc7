import { Badge, BlockStack, Box, Card, DataTable, InlineStack, Link, Tag, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { Formatter } from "~/lib/format";
import { locationLabel } from "~/domain/shared";
import { DateTimeLines } from "./date-time-lines";
import { useFormat } from "./format-context";
import { skipReasonLabel } from "./labels";

export interface CustomerInfoView {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  status: "member" | "guest";
  blocked: boolean;
  /** When Shopify deleted the customer; the profile is then history only. */
  deletedAt?: string | null;
  joinedAt: string | null;
  city: string | null;
  province: string | null;
  countryCode: string | null;
  ordersCount: number;
  amountSpentMinor: number;
  currency: string | null;
  tags: string[];
}

export interface PointsTotalsView {
  balance: number;
  pending: number;
  lifetimeEarned: number;
  lifetimeRedeemed: number;
  adjusted: number;
  expired: number;
}

export interface OrderView {
  id: number;
  orderGid: string;
  name: string | null;
  processedAt: string | null;
  subtotalMinor: number | null;
  totalMinor: number | null;
  refundedMinor: number;
  currency: string | null;
  financialStatus: string | null;
  cancelled: boolean;
  shippedAt: string | null;
  fulfillmentStatus: string | null;
  earningBasis: string | null;
  pointsEarned: number | null;
  skippedReason: string | null;
  pointsReversed: number;
}

export interface RewardView {
  id: number;
  code: string | null;
  title: string;
  points: number;
  status: "reserved" | "issued" | "used" | "failed" | "returned";
  createdAt: string;
}

export interface SkipView {
  id: number;
  reason: string;
  wouldHaveEarned: number;
  explanation: string;
  createdAt: string;
}

/** The profile's title names the customer as the directory and the export do (one rule, in the domain). */
export { customerDisplayName } from "~/domain/customers/search";

export function StatusBadges({
  status,
  blocked,
  deletedAt = null,
}: Pick<CustomerInfoView, "status" | "blocked"> & { deletedAt?: string | null }) {
  // Deleted in Shopify: no longer a Member or a Guest of the store, only a history kept in Tally.
  if (deletedAt) return <Badge tone="critical">Deleted</Badge>;
  return (
    <InlineStack gap="100">
      <Badge tone={status === "member" ? "success" : undefined}>{status === "member" ? "Member" : "Guest"}</Badge>
      {blocked ? <Badge tone="critical">Blocked</Badge> : null}
    </InlineStack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <BlockStack gap="050">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="span">{children}</Text>
    </BlockStack>
  );
}

function Figure({ label, value, signed = false }: { label: string; value: number; signed?: boolean }) {
  const format = useFormat();
  return (
    <InlineStack align="space-between">
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" numeric>
        {signed ? format.delta(value) : format.number(value)}
      </Text>
    </InlineStack>
  );
}

export function CustomerInfoCard({ customer }: { customer: CustomerInfoView }) {
  const format = useFormat();
  const location = locationLabel(customer) ?? "";
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Customer
          </Text>
          <StatusBadges status={customer.status} blocked={customer.blocked} deletedAt={customer.deletedAt} />
        </InlineStack>
        <Fact label="Name">{[customer.firstName, customer.lastName].filter(Boolean).join(" ") || "—"}</Fact>
        <Fact label="Email">{customer.email ?? "—"}</Fact>
        <Fact label="Phone">{customer.phone ?? "—"}</Fact>
        <Fact label="Joined">{format.date(customer.joinedAt)}</Fact>
        <Fact label="Location">{location || "—"}</Fact>
        <Fact label="Orders">
          {format.number(customer.ordersCount)} {customer.ordersCount === 1 ? "order" : "orders"},{" "}
          {format.money(customer.amountSpentMinor, customer.currency)} spent
        </Fact>
        {customer.tags.length > 0 ? (
          <InlineStack gap="100">
            {customer.tags.map((tag) => (
              <Tag key={tag}>{tag}</Tag>
            ))}
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export function PointsSummaryCard({ totals }: { totals: PointsTotalsView }) {
  const format = useFormat();
  const owes = totals.balance < 0;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Points
        </Text>
        <BlockStack gap="050">
          <Text as="span" variant="bodySm" tone="subdued">
            Balance
          </Text>
          <Text as="p" variant="headingXl" tone={owes ? "critical" : undefined} numeric>
            {format.points(totals.balance)}
          </Text>
          {/* Decision 001: a reversal may leave a debt rather than claw back a reward already spent. */}
          {owes ? (
            <Text as="p" variant="bodySm" tone="critical">
              Owed, repaid from future points
            </Text>
          ) : null}
        </BlockStack>
        <BlockStack gap="100">
          <Figure label="Pending" value={totals.pending} />
          <Figure label="Lifetime earned" value={totals.lifetimeEarned} />
          <Figure label="Lifetime redeemed" value={totals.lifetimeRedeemed} />
          {/* With these two the summary adds up: balance + pending = earned − redeemed ± adjusted − expired. */}
          <Figure label="Adjusted by staff" value={totals.adjusted} signed />
          {totals.expired ? <Figure label="Expired" value={totals.expired} /> : null}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}

function orderPoints(order: OrderView, format: Formatter): string {
  if (order.pointsEarned === null) return "Not paid yet";
  if (order.skippedReason) return `0 (${skipReasonLabel(order.skippedReason)})`;
  // The basis says what earned when something was left out: "+100 on 120.00 less 20.00 tax".
  const basis = order.earningBasis?.includes(" less ") ? ` on ${order.earningBasis}` : "";
  return `${format.delta(order.pointsEarned)}${basis}`;
}

const paymentLabel = (status: string | null) =>
  status ? status.charAt(0).toUpperCase() + status.slice(1).replace(/_/g, " ") : "—";

function shippingLabel(status: string | null): string {
  if (status === "partial" || status === "partially_fulfilled") return "Partly shipped";
  if (status === "fulfilled") return "Shipped";
  return "Not shipped";
}

/** A table cell's figure and, under it in smaller subdued type, what qualifies it ("Dec 4, 2026", "$20.00 refunded"). */
function Lines({
  first,
  second,
  tone,
  end = false,
}: {
  first: ReactNode;
  second?: string | undefined;
  tone?: "critical" | undefined;
  /** Aligned to the end, as a numeric column's figures are. */
  end?: boolean;
}) {
  return (
    <BlockStack gap="050" inlineAlign={end ? "end" : "start"}>
      <Text as="span">{first}</Text>
      {second ? (
        <Text as="span" variant="bodySm" tone={tone ?? "subdued"}>
          {second}
        </Text>
      ) : null}
    </BlockStack>
  );
}

export function OrdersCard({ orders }: { orders: OrderView[] }) {
  const format = useFormat();
  return (
    <Card padding="0">
      <BlockStack>
        <Box padding="400" paddingBlockEnd="0">
          <Text as="h2" variant="headingMd">
            Orders
          </Text>
        </Box>
        {orders.length === 0 ? (
          <Box padding="400">
            <Text as="p" tone="subdued">
              No orders yet.
            </Text>
          </Box>
        ) : (
          // Four columns, each a figure and what qualifies it under it, so the table fits the profile's two-thirds
          // column at 1024 px (eight columns scrolled sideways there and hid "Reversed").
          <DataTable
            columnContentTypes={["text", "text", "numeric", "numeric"]}
            headings={["Order", "Status", "Total", "Points"]}
            rows={orders.map((order) => [
              <Lines
                key={order.id}
                first={
                  // App Bridge turns shopify://admin links into a navigation of the admin to the order.
                  <Link url={`shopify://admin/orders/${order.orderGid.split("/").pop()}`} target="_top">
                    {order.name ?? "Order"}
                  </Link>
                }
                second={format.date(order.processedAt)}
              />,
              <Lines
                key={order.id}
                first={order.cancelled ? "Cancelled" : paymentLabel(order.financialStatus)}
                second={
                  order.shippedAt ? `Shipped ${format.date(order.shippedAt)}` : shippingLabel(order.fulfillmentStatus)
                }
              />,
              <Lines
                key={order.id}
                // Shopify's current total: after refunds and edits, so above "refunded" it reads as what was kept.
                end
                first={order.totalMinor === null ? "—" : format.money(order.totalMinor, order.currency)}
                second={
                  order.refundedMinor > 0 ? `${format.money(order.refundedMinor, order.currency)} refunded` : undefined
                }
              />,
              <Lines
                key={order.id}
                end
                first={orderPoints(order, format)}
                second={order.pointsReversed > 0 ? `${format.delta(-order.pointsReversed)} reversed` : undefined}
                tone={order.pointsReversed > 0 ? "critical" : undefined}
              />,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

const rewardStatus: Record<RewardView["status"], { label: string; tone?: "success" | "critical" | "info" }> = {
  reserved: { label: "Being issued", tone: "info" },
  issued: { label: "Issued", tone: "info" },
  used: { label: "Used", tone: "success" },
  failed: { label: "Failed", tone: "critical" },
  returned: { label: "Returned" },
};

export function RewardsCard({ rewards }: { rewards: RewardView[] }) {
  const format = useFormat();
  return (
    <Card padding="0">
      <BlockStack>
        <Box padding="400" paddingBlockEnd="0">
          <Text as="h2" variant="headingMd">
            Rewards
          </Text>
        </Box>
        {rewards.length === 0 ? (
          <Box padding="400">
            <Text as="p" tone="subdued">
              No rewards redeemed yet.
            </Text>
          </Box>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "text", "text"]}
            headings={["Code", "Reward", "Points", "Status", "Redeemed"]}
            rows={rewards.map((reward) => [
              reward.code ?? "—",
              reward.title,
              format.number(reward.points),
              <Badge key={reward.id} tone={rewardStatus[reward.status].tone}>
                {rewardStatus[reward.status].label}
              </Badge>,
              <DateTimeLines key={reward.id} iso={reward.createdAt} />,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

/** Earnings the program refused (blocked, excluded tag, guest, program off), so "where are my points?" has an answer. */
export function PointsNotEarnedCard({ skips }: { skips: SkipView[] }) {
  const format = useFormat();
  if (skips.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Points not earned
        </Text>
        <DataTable
          columnContentTypes={["text", "text", "numeric", "text"]}
          headings={["Date", "Reason", "Would have earned", "Details"]}
          rows={skips.map((skip) => [
            <DateTimeLines key={skip.id} iso={skip.createdAt} />,
            skipReasonLabel(skip.reason),
            format.number(skip.wouldHaveEarned),
            skip.explanation,
          ])}
        />
      </BlockStack>
    </Card>
  );
}
