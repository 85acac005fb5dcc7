import { Link as RemixLink } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import type { ReferralStatus } from "~/domain/referrals";
import { useFormat } from "./format-context";
import { referralEventActorLabel } from "./labels";

/** A referral's status as the admin names it, with the badge tone seed 002's statuses suggest. */
export const referralStatusBadge: Record<
  ReferralStatus,
  { label: string; tone?: "success" | "critical" | "attention" | "info" }
> = {
  pending: { label: "Pending", tone: "attention" },
  completed: { label: "Completed", tone: "success" },
  blocked: { label: "Blocked", tone: "critical" },
  cancelled: { label: "Cancelled" },
  own_link: { label: "Own link, refused" },
  not_new: { label: "Existing customer, refused" },
};

export interface ReferralSummaryView {
  status: "joined" | "not_joined";
  code: string | null;
  url: string | null;
  referees: number;
  successful: number;
  paused: boolean;
  refereeRevenueMinor: number;
  referrerRevenueMinor: number;
  currency: string;
}

/** The profile's Referrals card: program status, the link with Copy, referees, successful referrals, revenue. */
export function ReferralsCard({
  summary,
  referredBy,
}: {
  summary: ReferralSummaryView;
  referredBy: { advocateCustomerId: number; advocateName: string; status: keyof typeof referralStatusBadge } | null;
}) {
  const format = useFormat();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (!summary.url) return;
    await navigator.clipboard?.writeText(summary.url).catch(() => undefined);
    setCopied(true);
  };
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Referrals
          </Text>
          <InlineStack gap="100">
            <Badge tone={summary.status === "joined" ? "success" : undefined}>
              {summary.status === "joined" ? "Joined" : "Not joined"}
            </Badge>
            {summary.paused ? <Badge tone="warning">Link paused</Badge> : null}
          </InlineStack>
        </InlineStack>
        {summary.url ? (
          <BlockStack gap="100">
            <Text as="p" variant="bodySm" tone="subdued">
              Referral link
            </Text>
            <InlineStack gap="200" blockAlign="center" wrap={false}>
              <Box minWidth="0">
                <Text as="p" breakWord>
                  <span data-referral-link>{summary.url}</span>
                </Text>
              </Box>
              <Button size="slim" onClick={() => void copy()} accessibilityLabel="Copy referral link">
                {copied ? "Copied" : "Copy"}
              </Button>
            </InlineStack>
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            No referral link yet: this customer has not joined the referral program.
          </Text>
        )}
        <Figure label="Total referees">{format.number(summary.referees)}</Figure>
        <Figure label="Successful referrals">{format.number(summary.successful)}</Figure>
        {/* Seed 002's customer-level terms, as the directory's columns name them: what their friends and they spent. */}
        <Figure label="Referee revenue">{format.money(summary.refereeRevenueMinor, summary.currency)}</Figure>
        <Figure label="Referrer revenue">{format.money(summary.referrerRevenueMinor, summary.currency)}</Figure>
        {referredBy ? (
          <Text as="p" tone="subdued">
            Referred by{" "}
            <RemixLink to={`/app/customers/${referredBy.advocateCustomerId}`}>{referredBy.advocateName}</RemixLink> (
            {referralStatusBadge[referredBy.status].label.toLowerCase()})
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function Figure({ label, children }: { label: string; children: string }) {
  return (
    <InlineStack align="space-between">
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" fontWeight="semibold" numeric>
        {children}
      </Text>
    </InlineStack>
  );
}

export interface ReferralActivityView {
  id: number;
  friendEmail: string | null;
  friendName: string | null;
  friendCustomerId: number | null;
  status: keyof typeof referralStatusBadge;
  needsReview: boolean;
  reasons: string[];
  order: { name: string | null; totalMinor: number; currency: string } | null;
  rewardProgress: string;
  createdAt: string;
  events: Array<{ kind: string; explanation: string; actor: string; actorName: string | null; createdAt: string }>;
}

/** The customer's referrals as the advocate: friend, status, reasons, order total; each referral's story below it. */
export function ReferralActivityCard({ referrals }: { referrals: ReferralActivityView[] }) {
  const format = useFormat();
  return (
    <Card padding="0">
      <BlockStack>
        <Box padding="400" paddingBlockEnd="0">
          <Text as="h2" variant="headingMd">
            Referral activity
          </Text>
        </Box>
        {referrals.length === 0 ? (
          <Box padding="400">
            <Text as="p" tone="subdued">
              No friends referred yet.
            </Text>
          </Box>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric", "text"]}
            headings={["Friend", "Status", "Reasons and history", "Order total", "Claimed"]}
            rows={referrals.map((referral) => [
              referral.friendCustomerId ? (
                <RemixLink key="friend" to={`/app/customers/${referral.friendCustomerId}`}>
                  {referral.friendName ?? referral.friendEmail ?? "Friend"}
                </RemixLink>
              ) : (
                (referral.friendEmail ?? "(erased)")
              ),
              <InlineStack key="status" gap="100">
                <Badge tone={referralStatusBadge[referral.status].tone}>
                  {referralStatusBadge[referral.status].label}
                </Badge>
                {referral.needsReview ? <Badge tone="warning">Needs review</Badge> : null}
              </InlineStack>,
              <BlockStack key="story" gap="100">
                {referral.reasons.map((reason) => (
                  <Text as="p" key={reason} tone="critical" variant="bodySm">
                    {reason}
                  </Text>
                ))}
                {referral.events
                  .slice()
                  .reverse()
                  .map((event, index) => (
                    <Text as="p" key={index} variant="bodySm" tone="subdued">
                      {format.dateTime(event.createdAt)}: {event.explanation} (
                      {referralEventActorLabel(event.actor, event.actorName)})
                    </Text>
                  ))}
              </BlockStack>,
              referral.order
                ? `${referral.order.name ?? ""} ${format.money(referral.order.totalMinor, referral.order.currency)}`.trim()
                : "—",
              format.date(referral.createdAt),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

export interface ReferralRewardView {
  id: number;
  code: string;
  title: string;
  role: "friend" | "advocate";
  used: boolean;
  status: string;
  createdAt: string;
}

const rewardStates: Record<string, string> = {
  held: "Held until the return window ends",
  reserved: "Being created",
  issued: "Active",
  failed: "Shopify refused it",
  used: "Used",
  voiding: "Being deactivated",
  voided: "Deactivated",
  withdrawn: "Withdrawn",
};

/** Referral discount codes the customer holds, Used or Unused (seed 002). */
export function ReferralRewardsCard({ rewards }: { rewards: ReferralRewardView[] }) {
  const format = useFormat();
  if (rewards.length === 0) return null;
  return (
    <Card padding="0">
      <BlockStack>
        <Box padding="400" paddingBlockEnd="0">
          <Text as="h2" variant="headingMd">
            Referral rewards
          </Text>
        </Box>
        <DataTable
          columnContentTypes={["text", "text", "text", "text", "text"]}
          headings={["Code", "Reward", "Used", "State", "Created"]}
          rows={rewards.map((reward) => [
            reward.code,
            `${reward.title}${reward.role === "friend" ? " (as a referred friend)" : ""}`,
            <Badge key="used" tone={reward.used ? "success" : undefined}>
              {reward.used ? "Used" : "Unused"}
            </Badge>,
            rewardStates[reward.status] ?? reward.status,
            format.date(reward.createdAt),
          ])}
        />
      </BlockStack>
    </Card>
  );
}
