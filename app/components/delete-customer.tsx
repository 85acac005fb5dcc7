import { useFetcher } from "@remix-run/react";
import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Button, InlineStack, List, Text } from "@shopify/polaris";
import { useState } from "react";
import { ConfirmModal } from "~/components/confirm-modal";
/** One customer's outcome, as deleteCustomers answers it. */
export interface DeletionResultView {
  customerId: number;
  name: string;
  outcome: "deleted" | "kept";
  reason: string | null;
}

export const DELETE_CUSTOMER_MODAL_ID = "delete-customer-modal";

/**
 * "Delete customer?" as an App Bridge modal, saying what deleting does in Shopify and in Tally before staff confirm.
 * A customer with orders (`ordersCount` > 0) is one Shopify keeps: the modal says so before anything is asked and
 * offers what Shopify admin offers for them, erasing their personal data (newcomer round 20 met the refusal only after
 * confirming a Delete that could not succeed).
 */
export function DeleteCustomerModal({
  open,
  customerName,
  ordersCount,
  submitting,
  onDelete,
  onRequestErasure,
  onClose,
}: {
  open: boolean;
  customerName: string;
  ordersCount: number;
  submitting: boolean;
  onDelete: () => void;
  onRequestErasure: () => void;
  onClose: () => void;
}) {
  const orders = `${ordersCount} ${ordersCount === 1 ? "order" : "orders"}`;
  return (
    <Modal id={DELETE_CUSTOMER_MODAL_ID} open={open} onHide={onClose}>
      <Box padding="400">
        {ordersCount > 0 ? (
          <BlockStack gap="200">
            <Text as="p">
              Shopify keeps customers who have orders, so {customerName}, with {orders}, cannot be deleted.
            </Text>
            <Text as="p">
              You can request that their personal data be erased instead: Shopify erases the name, email, phone and
              addresses it holds, keeps the orders for your records, and tells Tally, which erases its copy. This cannot
              be undone.
            </Text>
          </BlockStack>
        ) : (
          <Text as="p">
            The customer is deleted in Shopify, and Tally removes them with their points when Shopify confirms.
          </Text>
        )}
      </Box>
      <TitleBar title={ordersCount > 0 ? `${customerName} has ${orders}` : `Delete ${customerName}?`}>
        {ordersCount > 0 ? (
          <button variant="primary" tone="critical" onClick={onRequestErasure} loading={submitting ? "" : undefined}>
            Request data erasure
          </button>
        ) : (
          <button variant="primary" tone="critical" onClick={onDelete} loading={submitting ? "" : undefined}>
            Delete customer
          </button>
        )}
        <button onClick={onClose}>Cancel</button>
      </TitleBar>
    </Modal>
  );
}

/**
 * What a deletion did, per customer: "Pat Lee: deleted", or "Pat Lee: kept: has orders" with the offer to request
 * Shopify's customer data erasure instead.
 */
export function DeletionResults({
  results,
  erasing,
  erasureRequested,
  onRequestErasure,
  onDismiss,
}: {
  results: DeletionResultView[];
  erasing: boolean;
  erasureRequested: boolean;
  onRequestErasure: (customerId: number) => void;
  onDismiss: () => void;
}) {
  const kept = results.filter((result) => result.outcome === "kept");
  const [confirming, setConfirming] = useState<DeletionResultView | null>(null);
  return (
    <Banner
      tone={kept.length ? "warning" : "success"}
      title={
        kept.length === 0
          ? "Deleted in Shopify"
          : results.length === 1
            ? "Not deleted: Shopify keeps customers who have orders"
            : "Not every customer was deleted"
      }
      onDismiss={onDismiss}
    >
      <BlockStack gap="200">
        <List>
          {results.map((result) => (
            <List.Item key={result.customerId}>
              <span data-deletion-result={result.outcome}>
                {result.name}: {result.outcome === "deleted" ? "deleted" : `kept: ${result.reason}`}
              </span>
            </List.Item>
          ))}
        </List>
        {kept.map((result) =>
          erasureRequested ? (
            <Text as="p" key={result.customerId}>
              Erasure requested for {result.name}: Shopify erases their personal data and tells Tally, which erases its
              copy.
            </Text>
          ) : (
            <InlineStack key={result.customerId} gap="200" blockAlign="center">
              <Text as="span">
                Shopify keeps {result.name} for their orders. You can erase their personal data instead.
              </Text>
              <Button onClick={() => setConfirming(result)} loading={erasing}>
                Request data erasure
              </Button>
            </InlineStack>
          ),
        )}
      </BlockStack>
      <RequestErasureModal
        id="request-erasure-modal"
        open={confirming !== null}
        customerName={confirming?.name ?? ""}
        submitting={erasing}
        onConfirm={() => {
          if (confirming) onRequestErasure(confirming.customerId);
          setConfirming(null);
        }}
        onClose={() => setConfirming(null)}
      />
    </Banner>
  );
}

/**
 * "Request erasure?" as an App Bridge modal: erasure cannot be undone, so staff confirm it after reading what it does
 * (customerRequestDataErasure; Shopify then sends customers/redact, and Tally erases its copy).
 */
export function RequestErasureModal({
  id,
  open,
  customerName,
  submitting,
  onConfirm,
  onClose,
}: {
  /** Unique on the page: one modal per customer offered erasure. */
  id: string;
  open: boolean;
  customerName: string;
  submitting: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <ConfirmModal
      id={id}
      open={open}
      title={`Erase ${customerName}'s personal data?`}
      body={`Shopify erases the personal data it holds about ${customerName} (name, email, phone, addresses) and then tells Tally, which erases its copy. This cannot be undone.`}
      action="Request erasure"
      submitting={submitting}
      onConfirm={onConfirm}
      onClose={onClose}
    />
  );
}

/**
 * Request erasure for one customer Shopify kept (a bulk deletion's result): confirms first, then asks the profile's
 * action (`request-erasure`, customerRequestDataErasure) and says what Shopify answered, in place.
 */
export function RequestErasureButton({ customerId, customerName }: { customerId: number; customerName: string }) {
  const fetcher = useFetcher<{ ok: true } | { error: string }>();
  const [confirming, setConfirming] = useState(false);
  if (fetcher.data && "ok" in fetcher.data) return <Text as="span">Erasure requested</Text>;
  return (
    <InlineStack gap="200" blockAlign="center">
      <Button size="slim" loading={fetcher.state !== "idle"} onClick={() => setConfirming(true)}>
        Request erasure
      </Button>
      {fetcher.data && "error" in fetcher.data ? (
        <Text as="span" tone="critical">
          {fetcher.data.error}
        </Text>
      ) : null}
      <RequestErasureModal
        id={`request-erasure-modal-${customerId}`}
        open={confirming}
        customerName={customerName}
        submitting={fetcher.state !== "idle"}
        onConfirm={() => {
          setConfirming(false);
          fetcher.submit({ intent: "request-erasure" }, { method: "post", action: `/app/customers/${customerId}` });
        }}
        onClose={() => setConfirming(false)}
      />
    </InlineStack>
  );
}
