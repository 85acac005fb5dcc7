import { Banner, BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { Formatter } from "~/lib/format";
import { useFormat } from "./format-context";

export interface SyncHealthView {
  topics: Array<{ topic: string; lastReceivedAt: string; deliveries: number }>;
  failures: Array<{ topic: string; error: string; failedAt: string }>;
  reconciliation: { lastRunAt: string; result: Record<string, unknown> } | null;
}

function reconciliationText(reconciliation: SyncHealthView["reconciliation"], format: Formatter): string {
  if (!reconciliation) return "Tally has not compared its records with Shopify yet; it does so right after install.";
  const r = reconciliation.result as {
    initial?: boolean;
    customers?: number;
    orders?: number;
    entriesWritten?: number;
    failed?: number;
  };
  const what = r.initial
    ? `brought in ${count(r.customers, "customer", "customers")} and ${count(r.orders, "order", "orders")} from Shopify`
    : `checked ${count(r.customers, "customer", "customers")} and ${count(r.orders, "order", "orders")}, and fixed ${count(r.entriesWritten, "points entry", "points entries")} webhooks had missed`;
  const failed = r.failed
    ? ` ${count(r.failed, "record", "records")} could not be applied and will be tried again.`
    : "";
  return `Last reconciliation ${format.dateTime(reconciliation.lastRunAt)}: ${what}.${failed}`;

  function count(value: number | undefined, one: string, other: string) {
    return `${format.number(value ?? 0)} ${value === 1 ? one : other}`;
  }
}

/** Is Shopify talking to Tally: webhooks per topic, failures, and the last reconciliation. */
export function SyncHealthCard({ health }: { health: SyncHealthView }) {
  const format = useFormat();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Sync health
        </Text>
        {health.failures.length > 0 && (
          <Banner
            tone="warning"
            title={`${format.number(health.failures.length)} webhook ${health.failures.length === 1 ? "delivery" : "deliveries"} failed this week`}
          >
            <p>
              Tally retries them, and the next reconciliation repairs anything still missing. Latest:{" "}
              {health.failures[0]!.topic}, {format.dateTime(health.failures[0]!.failedAt)}.
            </p>
          </Banner>
        )}
        <Text as="p" tone="subdued">
          {reconciliationText(health.reconciliation, format)}
        </Text>
        {health.topics.length === 0 ? (
          <Text as="p" tone="subdued">
            No webhook received from Shopify in the last 7 days.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric"]}
            headings={["Webhook topic", "Last received", "Deliveries (7 days)"]}
            rows={health.topics.map((topic) => [
              topic.topic,
              format.dateTime(topic.lastReceivedAt),
              format.number(topic.deliveries),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
