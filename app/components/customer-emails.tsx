import { Badge, BlockStack, Box, Card, IndexTable, Text } from "@shopify/polaris";
import { useFormat } from "./format-context";

export interface CustomerEmailsView {
  unsubscribedAt: string | null;
  rows: Array<{
    id: number;
    kind: string;
    status: "queued" | "sending" | "sent" | "failed" | "skipped";
    subject: string | null;
    recipient: string | null;
    skipReason: string | null;
    lastError: string | null;
    attempts: number;
    actorName: string | null;
    createdAt: string;
    sentAt: string | null;
  }>;
}

const kindLabels: Record<string, string> = { invitation: "Referral invitation", points_reminder: "Points reminder" };

const statusBadges = {
  queued: <Badge tone="info">Queued</Badge>,
  sending: <Badge tone="info">Sending</Badge>,
  sent: <Badge tone="success">Sent</Badge>,
  failed: <Badge tone="critical">Failed</Badge>,
  skipped: <Badge>Not sent</Badge>,
} as const;

const skipReasons: Record<string, string> = {
  unsubscribed: "Unsubscribed from Tally's emails",
  not_subscribed: "Not subscribed to email marketing",
  no_email: "No email address",
  blocked: "Customer blocked",
  merged: "Merged into another customer",
  deleted: "Deleted in Shopify",
  redacted: "Data erased on request",
  program_off: "Referral program off",
  not_found: "Customer not found",
  no_points: "No points to spend",
  below_reward: "Not enough points for a reward",
  reminded_recently: "Reminded of their points in the last 7 days",
};

/** Emails Tally sent the customer (or did not, and why), newest first, and whether they unsubscribed. */
export function CustomerEmailsCard({ emails }: { emails: CustomerEmailsView }) {
  const format = useFormat();
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Emails
          </Text>
          {emails.unsubscribedAt ? (
            <Text as="p" tone="subdued">
              Unsubscribed from Tally&apos;s emails on {format.dateTime(emails.unsubscribedAt)}: no invitation or
              reminder is sent.
            </Text>
          ) : null}
        </BlockStack>
      </Box>
      {emails.rows.length === 0 ? (
        <Box padding="400" paddingBlockStart="0">
          <Text as="p" tone="subdued">
            No emails yet. Referral invitations and points reminders sent to this customer appear here.
          </Text>
        </Box>
      ) : (
        <IndexTable
          resourceName={{ singular: "email", plural: "emails" }}
          itemCount={emails.rows.length}
          selectable={false}
          headings={[{ title: "Email" }, { title: "Status" }, { title: "Detail" }, { title: "Date" }]}
        >
          {emails.rows.map((row, index) => (
            <IndexTable.Row id={String(row.id)} key={row.id} position={index}>
              <IndexTable.Cell>
                <BlockStack gap="050">
                  <Text as="span">{kindLabels[row.kind] ?? row.kind}</Text>
                  {row.subject ? (
                    <Text as="span" tone="subdued" variant="bodySm">
                      {row.subject}
                    </Text>
                  ) : null}
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>{statusBadges[row.status]}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" variant="bodySm">
                  {row.status === "skipped"
                    ? (skipReasons[row.skipReason ?? ""] ?? row.skipReason)
                    : row.status === "sent"
                      ? `To ${row.recipient ?? "(erased)"}${row.actorName ? `, sent by ${row.actorName}` : ""}`
                      : row.lastError
                        ? `${row.lastError} (attempt ${row.attempts})`
                        : ""}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{format.dateTime(row.sentAt ?? row.createdAt)}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      )}
    </Card>
  );
}
