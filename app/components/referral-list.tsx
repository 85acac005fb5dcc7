import { Form, Link as RemixLink, useSearchParams, useSubmit } from "@remix-run/react";
import { Modal, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Page,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import {
  isRefusedClaim,
  referralCountsInWords,
  referralTabs,
  type ReferralStatus,
  type ReferralTab,
} from "~/domain/referrals";
import { useFormat } from "./format-context";
import { referralStatusBadge } from "./referral-profile";

export type ReferralActionData =
  | { ok: true; intent: "approve"; status: string }
  | { ok: true; intent: "cancel"; status: string; codesPending: number }
  | { ok: true; intent: "resume" }
  | { error: string; code: string };

export interface ReferralRowView {
  id: number;
  status: ReferralStatus;
  needsReview: boolean;
  score: number;
  reasons: string[];
  advocate: { customerId: number; name: string; email: string | null; code: string };
  friend: { email: string | null; customerId: number | null; name: string | null };
  friendCode: string | null;
  friendCodeStatus: string | null;
  order: { name: string | null; totalMinor: number; currency: string } | null;
  rewardProgress: string;
  releaseAt: string | null;
  cancelledReason: string | null;
  createdAt: string;
  completedAt: string | null;
}

interface PageProps {
  tab: ReferralTab;
  q: string;
  page: { rows: ReferralRowView[]; nextBefore: number | undefined };
  figures: {
    counts: Record<ReferralStatus, number>;
    total: number;
    waitingForReview: number;
    completionRate: number | null;
    refereeRevenueMinor: number;
    referrerRevenueMinor: number;
    currency: string;
  };
  paused: Array<{
    advocateId: number;
    code: string;
    pausedAt: string | null;
    pausedReason: string | null;
    customerId: number;
    firstName: string | null;
    lastName: string | null;
    email: string | null;
  }>;
  busyReferralId: string | null;
}

const tabLabels: Record<ReferralTab, string> = {
  review: "Review queue",
  pending: "Pending",
  completed: "Completed",
  blocked: "Blocked",
  cancelled: "Cancelled",
  own_link: "Own link, refused",
  not_new: "Existing customer, refused",
};

const claimsAppearHere = "Referrals appear here as friends claim offers from advocates' links.";

/** What each tab says when it lists nothing (a search that finds nothing says so instead of the heading). */
const emptyTabs: Record<ReferralTab, { heading: string; body: string }> = {
  review: { heading: "No review queue referrals", body: "Blocked and flagged referrals wait here for a decision." },
  pending: { heading: "No pending referrals", body: claimsAppearHere },
  completed: { heading: "No completed referrals", body: claimsAppearHere },
  blocked: { heading: "No blocked referrals", body: claimsAppearHere },
  cancelled: { heading: "No cancelled referrals", body: claimsAppearHere },
  own_link: {
    heading: "No own-link claims refused",
    body: "Customers who try their own referral link are refused on the spot and listed here. They are not counted as referrals.",
  },
  not_new: {
    heading: "No existing customers refused",
    body: "Existing customers who try a friend's offer are refused on the spot (it is for new customers) and listed here. They are not counted as referrals.",
  },
};

const SEARCH_DELAY_MS = 300;
const CANCEL_MODAL_ID = "cancel-referral-modal";

function FigureCard({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
        {help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

/**
 * The Referrals page: the program's figures, the review queue and a tab per status, search by advocate or friend, and
 * Export CSV. The view lives in the URL (tab, q, before), like the customer directory's.
 */
export function ReferralsPage({ tab, q, page, figures, paused, busyReferralId }: PageProps) {
  const format = useFormat();
  const shopify = useAppBridge();
  const submit = useSubmit();
  const [searchParams, setSearchParams] = useSearchParams();
  const [query, setQuery] = useState(q);
  const [cancelling, setCancelling] = useState<ReferralRowView | null>(null);
  const [exporting, setExporting] = useState(false);

  const setView = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    next.delete("before");
    setSearchParams(next, { replace: "q" in changes });
  };
  useEffect(() => {
    if (query.trim() === q) return;
    const timer = setTimeout(() => setView({ q: query.trim() || undefined }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, q]);

  const tabs = referralTabs.map((id) => ({
    id,
    content: tabLabels[id],
    badge: String(id === "review" ? figures.waitingForReview : figures.counts[id]),
  }));

  // App Bridge's fetch carries the session token, so the export streams through the app's own authentication.
  const exportCsv = async () => {
    setExporting(true);
    try {
      const response = await fetch("/app/referrals/export");
      if (!response.ok) throw new Error(`The export failed (${response.status})`);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download =
        /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "referrals.csv";
      link.click();
      URL.revokeObjectURL(url);
      shopify.toast.show("Referrals exported");
    } catch (error) {
      shopify.toast.show(error instanceof Error ? error.message : "The export failed", { isError: true });
    } finally {
      setExporting(false);
    }
  };

  return (
    <Page>
      <TitleBar title="Referrals">
        <button onClick={() => void exportCsv()} loading={exporting ? "" : undefined}>
          Export CSV
        </button>
        <a href="/app/settings/referrals">Referral settings</a>
      </TitleBar>
      <BlockStack gap="500">
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
          <FigureCard
            label="Referrals"
            value={format.number(figures.total)}
            help={referralCountsInWords(figures.counts, format.number)}
          />
          <FigureCard
            label="Completion rate"
            value={figures.completionRate === null ? "—" : `${figures.completionRate}%`}
            help="Of referrals that completed, were blocked or cancelled"
          />
          <FigureCard
            label="Referral revenue"
            value={format.money(figures.refereeRevenueMinor, figures.currency)}
            help="What referred friends paid on their first orders"
          />
          <FigureCard
            label="Referrer revenue"
            value={format.money(figures.referrerRevenueMinor, figures.currency)}
            help="What advocates paid with their referral rewards"
          />
        </InlineGrid>

        {tab === "review" && paused.length > 0 ? (
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Paused referral links
              </Text>
              {paused.map((code) => (
                <InlineStack key={code.advocateId} align="space-between" blockAlign="center">
                  <BlockStack gap="050">
                    <Text as="p" fontWeight="semibold">
                      {code.code} ·{" "}
                      <RemixLink to={`/app/customers/${code.customerId}`}>
                        {[code.firstName, code.lastName].filter(Boolean).join(" ") || code.email || "Customer"}
                      </RemixLink>
                    </Text>
                    <Text as="p" tone="subdued" variant="bodySm">
                      {code.pausedReason} ({format.dateTime(code.pausedAt)})
                    </Text>
                  </BlockStack>
                  <Form method="post">
                    <input type="hidden" name="intent" value="resume" />
                    <input type="hidden" name="advocateId" value={code.advocateId} />
                    <Button submit>Resume link</Button>
                  </Form>
                </InlineStack>
              ))}
            </BlockStack>
          </Card>
        ) : null}

        <Card padding="0">
          <Tabs
            tabs={tabs}
            selected={Math.max(
              0,
              tabs.findIndex((each) => each.id === tab),
            )}
            onSelect={(index) => setView({ tab: tabs[index]?.id })}
          />
          <Box padding="300">
            <TextField
              label="Search referrals"
              labelHidden
              placeholder="Search by advocate or friend (name or email)"
              value={query}
              onChange={setQuery}
              clearButton
              onClearButtonClick={() => setQuery("")}
              autoComplete="off"
            />
          </Box>
          {page.rows.length === 0 ? (
            <EmptyState heading={q ? "No referrals found" : emptyTabs[tab].heading} image="">
              <p>{emptyTabs[tab].body}</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "referral", plural: "referrals" }}
              itemCount={page.rows.length}
              selectable={false}
              headings={[
                { title: "Advocate" },
                { title: "Friend" },
                { title: "Status" },
                { title: "Reasons" },
                { title: "Order total", alignment: "end" },
                { title: "Claimed" },
                { title: "Actions" },
              ]}
              pagination={{
                hasNext: page.nextBefore !== undefined,
                onNext: () => {
                  const next = new URLSearchParams(searchParams);
                  next.set("before", String(page.nextBefore));
                  setSearchParams(next);
                },
              }}
            >
              {page.rows.map((row, index) => (
                <IndexTable.Row id={String(row.id)} key={row.id} position={index}>
                  <IndexTable.Cell>
                    <RemixLink to={`/app/customers/${row.advocate.customerId}`}>{row.advocate.name}</RemixLink>
                    <Text as="p" variant="bodySm" tone="subdued">
                      {row.advocate.code}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {row.friend.customerId ? (
                      <RemixLink to={`/app/customers/${row.friend.customerId}`}>
                        {row.friend.name ?? row.friend.email ?? "Friend"}
                      </RemixLink>
                    ) : (
                      (row.friend.email ?? "(erased)")
                    )}
                    {row.friendCode ? (
                      <Text as="p" variant="bodySm" tone="subdued">
                        {row.friendCode}
                        {row.friendCodeStatus === "used" ? " (used)" : ""}
                      </Text>
                    ) : null}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="100" wrap={false}>
                      <Badge tone={referralStatusBadge[row.status].tone}>{referralStatusBadge[row.status].label}</Badge>
                      {row.needsReview && row.status !== "blocked" ? <Badge tone="warning">Needs review</Badge> : null}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <BlockStack gap="050">
                      {row.reasons.map((reason) => (
                        <Text as="p" key={reason} variant="bodySm">
                          {reason}
                        </Text>
                      ))}
                      {row.cancelledReason ? (
                        <Text as="p" variant="bodySm" tone="subdued">
                          {row.cancelledReason}
                        </Text>
                      ) : null}
                      {row.reasons.length === 0 && !row.cancelledReason ? "—" : null}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {row.order
                        ? `${row.order.name ?? ""} ${format.money(row.order.totalMinor, row.order.currency)}`.trim()
                        : "—"}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{format.date(row.createdAt)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="200" wrap={false}>
                      {row.needsReview ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="approve" />
                          <input type="hidden" name="referralId" value={row.id} />
                          <Button submit size="slim" loading={busyReferralId === String(row.id)}>
                            Approve
                          </Button>
                        </Form>
                      ) : null}
                      {row.status !== "cancelled" && !isRefusedClaim(row.status) ? (
                        <Button size="slim" tone="critical" onClick={() => setCancelling(row)}>
                          Cancel
                        </Button>
                      ) : null}
                    </InlineStack>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
      <Modal id={CANCEL_MODAL_ID} open={cancelling !== null} onHide={() => setCancelling(null)}>
        <Box padding="400">
          <Text as="p">
            The friend&apos;s code is deactivated in Shopify if it is unused, and whatever the advocate got for this
            referral is taken back. This is recorded with your name and cannot be undone.
          </Text>
        </Box>
        <TitleBar title="Cancel this referral?">
          <button
            variant="primary"
            tone="critical"
            onClick={() => {
              if (cancelling) submit({ intent: "cancel", referralId: String(cancelling.id) }, { method: "post" });
              setCancelling(null);
            }}
          >
            Cancel referral
          </button>
          <button onClick={() => setCancelling(null)}>Keep it</button>
        </TitleBar>
      </Modal>
    </Page>
  );
}
