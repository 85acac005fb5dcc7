import { Banner, BlockStack, Box, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { OrderRecalculation } from "~/domain/ledger";
import { useFormat } from "./format-context";

/** What Recalculate points from orders found, as the action answers it. */
export interface RecalculationView {
  orders: OrderRecalculation[];
  ordersRead: number;
  difference: number;
  fingerprint: string;
}

/**
 * The difference Recalculate points from orders found, order by order and entry by entry: what Shopify's orders and refunds
 * say the entry should be under the rules in force at payment, beside what the ledger holds. Nothing is written
 * until staff apply it (decision 022).
 */
export function RecalculationCard({
  recalculation,
  applying,
  onApply,
  onDismiss,
}: {
  recalculation: RecalculationView;
  applying: boolean;
  onApply: () => void;
  onDismiss: () => void;
}) {
  const format = useFormat();
  const points = (value: number | null) => (value === null ? "—" : format.delta(value));
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Points recalculated from orders
        </Text>
        <Banner tone="warning">
          {recalculation.orders.length} of {recalculation.ordersRead}{" "}
          {recalculation.ordersRead === 1 ? "order differs" : "orders differ"} from the ledger. Applying changes the
          customer&apos;s points by {format.points(recalculation.difference)}, each correction an entry in the activity
          log.
        </Banner>
        {recalculation.orders.map((order) => (
          <BlockStack gap="200" key={order.orderGid}>
            <Text as="h3" variant="headingSm">
              {order.orderName ?? order.orderGid}: should hold {format.points(order.expected)}, the ledger has{" "}
              {format.points(order.recorded)}
            </Text>
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={["Entry", "From Shopify", "In the ledger"]}
              rows={order.lines.map((line) => [
                <Box key={line.key} maxWidth="36rem">
                  <Text as="span" breakWord>
                    {line.explanation}
                  </Text>
                </Box>,
                points(line.expected),
                points(line.recorded),
              ])}
            />
          </BlockStack>
        ))}
        <InlineStack gap="200" align="end">
          <Button onClick={onDismiss}>Cancel</Button>
          <Button variant="primary" onClick={onApply} loading={applying}>
            Apply corrections
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
