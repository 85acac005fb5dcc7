import { Badge, BlockStack, Box, Card, IndexTable, Text } from "@shopify/polaris";
// The module alone: the domain's index brings the email templates' Liquid, which the browser does not need.
import { describeSkipReason } from "~/domain/email/skip-reasons";
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
                    ? describeSkipReason(row.skipReason, row.kind)
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
