import { useNavigate } from "@remix-run/react";
import { Badge, Box, Button, Card, IndexTable, InlineStack, Tabs, Text } from "@shopify/polaris";
import type { ActivityFilter } from "~/domain/ledger";
import { useFormat } from "./format-context";
import { actorLabel } from "./labels";

export interface ActivityView {
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
    actorName: string | null;
    createdAt: string;
  }>;
}

const tabs: Array<{ id: ActivityFilter; content: string }> = [
  { id: "all", content: "All activity" },
  { id: "earned", content: "Earned" },
  { id: "redeemed", content: "Redeemed" },
];

const kindLabels: Record<string, string> = {
  earn: "Earned",
  referral: "Referral",
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

/** The customer's ledger, newest first, with All/Earned/Redeemed tabs and keyset pages kept in the URL. */
export function ActivityCard({ activity }: { activity: ActivityView }) {
  const navigate = useNavigate();
  const format = useFormat();
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
              <IndexTable.Cell>{format.dateTime(row.createdAt)}</IndexTable.Cell>
              <IndexTable.Cell>
                <InlineStack gap="100">
                  <Badge>{kindLabels[row.kind] ?? row.kind}</Badge>
                  {row.held ? <Badge tone="attention">Held</Badge> : null}
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric tone={row.points < 0 ? "critical" : "success"}>
                  {format.delta(row.points)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" breakWord>
                  {row.explanation}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{actorLabel(row.actor, row.actorName)}</IndexTable.Cell>
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
