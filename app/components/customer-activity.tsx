import { useNavigate, useRevalidator } from "@remix-run/react";
import {
  Badge,
  Box,
  Button,
  Card,
  IndexTable,
  InlineStack,
  Pagination,
  Select,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { ActivityFilter, ActivitySort } from "~/domain/ledger";
import styles from "./customer-activity.module.css";
import { DateTimeLines } from "./date-time-lines";
import { useFormat } from "./format-context";
import { activityActorLabel } from "./labels";

export interface ActivityView {
  tab: ActivityFilter;
  q: string;
  sort: ActivitySort;
  /** The page's cursor: null on the first page. */
  cursor: number | null;
  nextCursor?: number;
  rows: Array<{
    key: string;
    id: number;
    kind: string;
    /** Its word on the log, from the service ("Earned", "Imported"). */
    label: string;
    points: number;
    held: boolean;
    explanation: string;
    actor: string;
    actorName: string | null;
    createdAt: string;
    /** A store credit line: its signed amount (minor units) instead of points. */
    storeCredit: { amountMinor: number; currency: string } | null;
  }>;
}

const tabs: Array<{ id: ActivityFilter; content: string }> = [
  { id: "all", content: "All activity" },
  { id: "earned", content: "Earned" },
  { id: "redeemed", content: "Redeemed" },
  { id: "pending", content: "Pending" },
];

const sortOptions: Array<{ value: ActivitySort; label: string }> = [
  { value: "newest", label: "Newest first" },
  { value: "oldest", label: "Oldest first" },
];

const emptyActivity: Record<ActivityFilter, string> = {
  all: "No points activity yet. Points earned, redeemed and adjusted appear here as they happen.",
  earned: "No points earned yet.",
  redeemed: "No points redeemed yet.",
  pending: "No points held. Points earned while a pending period is set wait here until it is over.",
};

/**
 * The customer's ledger with All/Earned/Redeemed/Pending tabs, a search (order name, reason, staff), a sort by date
 * either way, keyset pages and a Refresh; all of it kept in the URL, so a link or a reload shows the same page.
 */
export function ActivityCard({ activity }: { activity: ActivityView }) {
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const format = useFormat();
  const [typed, setTyped] = useState(activity.q);
  const link = (change: Partial<Pick<ActivityView, "tab" | "q" | "sort">> & { cursor?: number }) => {
    const next = { tab: activity.tab, q: activity.q, sort: activity.sort, ...change };
    const query = new URLSearchParams();
    if (next.tab !== "all") query.set("tab", next.tab);
    if (next.q) query.set("q", next.q);
    if (next.sort !== "newest") query.set("sort", next.sort);
    if (change.cursor !== undefined) query.set("cursor", String(change.cursor));
    const text = query.toString();
    return text ? `?${text}` : "?";
  };
  const go = (change: Parameters<typeof link>[0]) => navigate(link(change), { preventScrollReset: true });
  // A search runs once typing pauses, not on every key.
  useEffect(() => {
    if (typed.trim() === activity.q) return;
    const timer = setTimeout(() => go({ q: typed.trim() }), 400);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `go` is rebuilt each render from the same URL state.
  }, [typed, activity.q]);

  return (
    <Card padding="0">
      <Box padding="400" paddingBlockEnd="0">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Activity log
          </Text>
          <Button onClick={() => revalidator.revalidate()} loading={revalidator.state === "loading"}>
            Refresh
          </Button>
        </InlineStack>
      </Box>
      <Tabs
        tabs={tabs}
        selected={tabs.findIndex((tab) => tab.id === activity.tab)}
        onSelect={(index) => go({ tab: tabs[index]!.id })}
      />
      <Box padding="300">
        <InlineStack gap="200" wrap={false} blockAlign="end">
          <div style={{ flexGrow: 1 }}>
            <TextField
              label="Search activity"
              labelHidden
              placeholder="Search by order, reason or staff"
              value={typed}
              onChange={setTyped}
              clearButton
              onClearButtonClick={() => setTyped("")}
              autoComplete="off"
            />
          </div>
          <Select
            label="Sort"
            labelInline
            options={sortOptions}
            value={activity.sort}
            onChange={(value) => go({ sort: value as ActivitySort })}
          />
        </InlineStack>
      </Box>
      {activity.rows.length === 0 ? (
        <Box padding="400">
          <Text as="p" tone="subdued">
            {activity.q ? `No activity matches “${activity.q}”.` : emptyActivity[activity.tab]}
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
            { title: "Points or credit", alignment: "end" },
            { title: "Details" },
            { title: "By" },
          ]}
        >
          {activity.rows.map((row, index) => (
            <IndexTable.Row id={row.key} key={row.key} position={index}>
              <IndexTable.Cell>
                <DateTimeLines iso={row.createdAt} />
              </IndexTable.Cell>
              <IndexTable.Cell>
                <InlineStack gap="100">
                  <Badge>{row.label}</Badge>
                  {row.held ? <Badge tone="attention">Held</Badge> : null}
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                {row.storeCredit ? (
                  <Text
                    as="span"
                    alignment="end"
                    numeric
                    tone={row.storeCredit.amountMinor < 0 ? "critical" : "success"}
                  >
                    {format.money(row.storeCredit.amountMinor, row.storeCredit.currency)}
                  </Text>
                ) : (
                  <Text as="span" alignment="end" numeric tone={row.points < 0 ? "critical" : "success"}>
                    {format.delta(row.points)}
                  </Text>
                )}
              </IndexTable.Cell>
              <IndexTable.Cell>
                <div className={styles.details}>
                  <Text as="span" breakWord>
                    {row.explanation}
                  </Text>
                </div>
              </IndexTable.Cell>
              <IndexTable.Cell>{activityActorLabel(row)}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      )}
      {activity.cursor !== null || activity.nextCursor !== undefined ? (
        <Box padding="300">
          <InlineStack align="center">
            <Pagination
              hasPrevious={activity.cursor !== null}
              previousTooltip="First page"
              onPrevious={() => go({})}
              hasNext={activity.nextCursor !== undefined}
              nextTooltip="Next page"
              onNext={() => go({ cursor: activity.nextCursor })}
              label={activity.sort === "newest" ? "Newest first" : "Oldest first"}
            />
          </InlineStack>
        </Box>
      ) : null}
    </Card>
  );
}
