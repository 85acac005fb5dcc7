import { Link as RemixLink } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Box, Button, ButtonGroup, Card, IndexTable, Pagination, Text } from "@shopify/polaris";
import { useState } from "react";
import { useFormat } from "./format-context";

export interface DataRequestView {
  id: number;
  dataRequestId: string;
  customerId: number | null;
  customerLabel: string;
  receivedAt: string;
  answerBy: string;
  expired: boolean;
}

/**
 * The customers' data requests (customers/data_request), newest first: who asked, when, until when the merchant can
 * answer, and the export to hand over as JSON or CSV. Downloads go through App Bridge's fetch (it carries the session
 * token), then the browser saves the file.
 */
export function DataRequestList({
  rows,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
}: {
  rows: DataRequestView[];
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}) {
  const format = useFormat();
  const shopify = useAppBridge();
  const [downloading, setDownloading] = useState<string | null>(null);
  const download = async (id: number, kind: "json" | "csv") => {
    setDownloading(`${id}:${kind}`);
    try {
      const response = await fetch(`/app/privacy/${id}/${kind}`);
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: string } | null;
        throw new Error(body?.error ?? `The download failed (${response.status})`);
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download =
        /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? `data-request.${kind}`;
      link.click();
      URL.revokeObjectURL(url);
      shopify.toast.show("Export downloaded");
    } catch (error) {
      shopify.toast.show(error instanceof Error ? error.message : "The download failed", { isError: true });
    } finally {
      setDownloading(null);
    }
  };

  return (
    <BlockStack gap="400">
      <Card>
        <Text as="p">
          When a customer asks a store for their data, Shopify tells Tally, and Tally gathers what it keeps about them:
          their profile, points history, rewards, referrals, emails sent, store credit and the audit trail's lines about
          them. Send the export to the customer within 30 days of the request.
        </Text>
      </Card>
      <Card padding="0">
        {rows.length === 0 ? (
          <Box padding="400">
            <Text as="p" tone="subdued">
              No data requests yet.
            </Text>
          </Box>
        ) : (
          <IndexTable
            resourceName={{ singular: "data request", plural: "data requests" }}
            itemCount={rows.length}
            selectable={false}
            headings={[
              { title: "Customer" },
              { title: "Received" },
              { title: "Answer by" },
              { title: "Status" },
              { title: "Export" },
            ]}
          >
            {rows.map((row, index) => (
              <IndexTable.Row id={String(row.id)} key={row.id} position={index}>
                <IndexTable.Cell>
                  {row.customerId !== null ? (
                    <RemixLink to={`/app/customers/${row.customerId}`}>{row.customerLabel}</RemixLink>
                  ) : (
                    row.customerLabel
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>{format.dateTime(row.receivedAt)}</IndexTable.Cell>
                <IndexTable.Cell>{format.date(row.answerBy)}</IndexTable.Cell>
                <IndexTable.Cell>
                  {row.expired ? <Badge>Expired</Badge> : <Badge tone="attention">To answer</Badge>}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {row.expired ? (
                    <Text as="span" tone="subdued">
                      Expired on {format.date(row.answerBy)}: Shopify&apos;s 30 days to answer have passed
                    </Text>
                  ) : (
                    <ButtonGroup>
                      <Button onClick={() => void download(row.id, "json")} loading={downloading === `${row.id}:json`}>
                        Download JSON
                      </Button>
                      <Button onClick={() => void download(row.id, "csv")} loading={downloading === `${row.id}:csv`}>
                        Download CSV
                      </Button>
                    </ButtonGroup>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
        {hasPrevious || hasNext ? (
          <Box padding="300">
            <Pagination hasPrevious={hasPrevious} onPrevious={onPrevious} hasNext={hasNext} onNext={onNext} />
          </Box>
        ) : null}
      </Card>
    </BlockStack>
  );
}
