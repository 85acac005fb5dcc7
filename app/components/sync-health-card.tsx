import { Banner, BlockStack, Card, DataTable, Text } from "@shopify/polaris";

export interface SyncHealthView {
  topics: Array<{ topic: string; lastReceivedAt: string; deliveries: number }>;
  failures: Array<{ topic: string; error: string; failedAt: string }>;
  reconciliation: { lastRunAt: string; result: Record<string, unknown> } | null;
}

const when = (iso: string) => new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });

function reconciliationText(reconciliation: SyncHealthView["reconciliation"]): string {
  if (!reconciliation) return "Tally has not compared its records with Shopify yet; it does so right after install.";
  const r = reconciliation.result as {
    initial?: boolean;
    customers?: number;
    orders?: number;
    entriesWritten?: number;
    failed?: number;
  };
  const what = r.initial
    ? `brought in ${r.customers ?? 0} customers and ${r.orders ?? 0} orders from Shopify`
    : `checked ${r.customers ?? 0} customers and ${r.orders ?? 0} orders, and fixed ${r.entriesWritten ?? 0} points entries webhooks had missed`;
  const failed = r.failed ? ` ${r.failed} records could not be applied and will be tried again.` : "";
  return `Last reconciliation ${when(reconciliation.lastRunAt)}: ${what}.${failed}`;
}

/** Is Shopify talking to Tally: webhooks per topic, failures, and the last reconciliation. */
export function SyncHealthCard({ health }: { health: SyncHealthView }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Sync health
        </Text>
        {health.failures.length > 0 && (
          <Banner tone="warning" title={`${health.failures.length} webhook deliveries failed this week`}>
            <p>
              Tally retries them, and the next reconciliation repairs anything still missing. Latest:{" "}
              {health.failures[0]!.topic}, {when(health.failures[0]!.failedAt)}.
            </p>
          </Banner>
        )}
        <Text as="p" tone="subdued">
          {reconciliationText(health.reconciliation)}
        </Text>
        {health.topics.length === 0 ? (
          <Text as="p" tone="subdued">
            No webhook received from Shopify in the last 7 days.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric"]}
            headings={["Webhook topic", "Last received", "Deliveries (7 days)"]}
            rows={health.topics.map((topic) => [topic.topic, when(topic.lastReceivedAt), topic.deliveries])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
