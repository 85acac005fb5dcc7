import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  InlineStack,
  Text,
  useBreakpoints,
} from "@shopify/polaris";
import type { Formatter } from "~/lib/format";
import { useFormat } from "./format-context";

export interface StuckDeliveryView {
  id: number;
  topic: string;
  error: string | null;
  attempts: number;
  receivedAt: string;
  parkedAt: string | null;
}

export interface SyncHealthView {
  topics: Array<{ topic: string; lastReceivedAt: string; deliveries: number }>;
  failures: Array<{ topic: string; error: string; failedAt: string }>;
  stuck: StuckDeliveryView[];
  reconciliation: { lastRunAt: string; result: Record<string, unknown> } | null;
  currencyChange: { from: string; to: string; at: string } | null;
}

function reconciliationText(reconciliation: SyncHealthView["reconciliation"], format: Formatter): string {
  if (!reconciliation) return "Tally has not compared its records with Shopify yet; it does so right after install.";
  const r = reconciliation.result as {
    initial?: boolean;
    customers?: number;
    orders?: number;
    entriesWritten?: number;
    failed?: number;
    rejected?: number;
    firstRejection?: string;
  };
  const what = r.initial
    ? `brought in ${count(r.customers, "customer", "customers")} and ${count(r.orders, "order", "orders")} from Shopify`
    : `checked ${count(r.customers, "customer", "customers")} and ${count(r.orders, "order", "orders")}, and fixed ${count(r.entriesWritten, "points entry", "points entries")} webhooks had missed`;
  const failed = r.failed
    ? ` ${count(r.failed, "record", "records")} could not be applied and will be tried again.`
    : "";
  const rejected = r.rejected
    ? ` ${count(r.rejected, "line", "lines")} of Shopify's export did not read as a customer or order and ${r.rejected === 1 ? "was" : "were"} skipped (first: ${r.firstRejection ?? "no reason recorded"}).`
    : "";
  return `Last reconciliation ${format.dateTime(reconciliation.lastRunAt)}: ${what}.${failed}${rejected}`;

  function count(value: number | undefined, one: string, other: string) {
    return `${format.number(value ?? 0)} ${value === 1 ? one : other}`;
  }
}

/**
 * Deliveries that failed the same way on every try: parked ones wait for a retry once the cause is fixed (decision
 * 009); privacy requests are never parked and keep being retried, but are listed so nobody mistakes silence for
 * success. `onRetry` posts to the page's action.
 */
function StuckDeliveries({
  stuck,
  retrying,
  onRetry,
}: {
  stuck: StuckDeliveryView[];
  retrying: number | null;
  onRetry: (deliveryId: number) => void;
}) {
  const format = useFormat();
  const parked = stuck.filter((delivery) => delivery.parkedAt !== null).length;
  return (
    <Banner
      tone="critical"
      title={`${stuck.length} ${stuck.length === 1 ? "delivery needs" : "deliveries need"} attention`}
    >
      <BlockStack gap="300">
        <p>
          {parked > 0
            ? "Tally tried these several times and set them aside so the others keep flowing; nothing in them is lost. " +
              "Fix what the reason says, then retry: each is applied once."
            : ""}
          {parked < stuck.length ? " Privacy requests are never set aside: Tally keeps retrying them every hour." : ""}
        </p>
        {stuck.map((delivery) => (
          <Box key={delivery.id} borderColor="border" borderWidth="025" borderRadius="200" padding="300">
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span" fontWeight="semibold">
                    {delivery.topic}
                  </Text>
                  {delivery.parkedAt === null ? (
                    <Badge tone="attention">Still retrying</Badge>
                  ) : (
                    <Badge>Set aside</Badge>
                  )}
                  <Text as="span" tone="subdued">
                    {delivery.attempts} tries, received {format.dateTime(delivery.receivedAt)}
                  </Text>
                </InlineStack>
                <Button
                  size="slim"
                  loading={retrying === delivery.id}
                  disabled={retrying !== null && retrying !== delivery.id}
                  onClick={() => onRetry(delivery.id)}
                  accessibilityLabel={`Retry the ${delivery.topic} delivery`}
                >
                  Retry
                </Button>
              </InlineStack>
              <Text as="p" breakWord>
                {delivery.error ?? "No reason recorded"}
              </Text>
            </BlockStack>
          </Box>
        ))}
      </BlockStack>
    </Banner>
  );
}

/**
 * The webhooks received per topic, one under another: on a phone the three-column table was 493 px wide in a 343 px
 * card and hid the last two columns behind a sideways scroll.
 */
function TopicList({ topics }: { topics: SyncHealthView["topics"] }) {
  const format = useFormat();
  return (
    <div data-testid="sync-health-topics">
      <BlockStack as="ul" gap="200">
        {topics.map((topic) => (
          <Box as="li" key={topic.topic} borderBlockStartWidth="025" borderColor="border" paddingBlockStart="200">
            <Text as="p" fontWeight="semibold" breakWord>
              {topic.topic}
            </Text>
            <Text as="p" tone="subdued">
              Last received {format.dateTime(topic.lastReceivedAt)} ·{" "}
              {format.count(topic.deliveries, { one: "delivery", other: "deliveries" })} in 7 days
            </Text>
          </Box>
        ))}
      </BlockStack>
    </div>
  );
}

/** Is Shopify talking to Tally: webhooks per topic, failures, deliveries set aside, and the last reconciliation. */
export function SyncHealthCard({
  health,
  retrying = null,
  onRetry = () => undefined,
}: {
  health: SyncHealthView;
  retrying?: number | null;
  onRetry?: (deliveryId: number) => void;
}) {
  const format = useFormat();
  // Below Polaris' sm breakpoint (490 px) the topics stack; the server draws the table, as on a computer.
  const { smDown: stacked } = useBreakpoints();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Sync health
        </Text>
        {health.currencyChange && (
          <Banner
            tone="info"
            title={`Store currency changed from ${health.currencyChange.from} to ${health.currencyChange.to}`}
          >
            <p>
              Shopify reported the change on {format.dateTime(health.currencyChange.at)}. Tally kept your program&apos;s
              amounts at the same face value in {health.currencyChange.to} (earning rate, reward values, minimum orders)
              and saved them as a new program version; orders paid in {health.currencyChange.from} before the change
              still earn under the old one. Review the amounts in Settings if the two currencies are far apart in value.
            </p>
          </Banner>
        )}
        {health.stuck.length > 0 && <StuckDeliveries stuck={health.stuck} retrying={retrying} onRetry={onRetry} />}
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
        ) : stacked ? (
          <TopicList topics={health.topics} />
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
