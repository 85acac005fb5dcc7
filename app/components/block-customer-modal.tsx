import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { Box, Text } from "@shopify/polaris";

export const BLOCK_CUSTOMER_MODAL_ID = "block-customer-modal";

/**
 * "Block customer?" as an App Bridge modal: Shopify's admin draws it over the page, with Block customer (critical)
 * and Cancel in its own chrome. Says what blocking does before staff confirm.
 */
export function BlockCustomerModal({
  open,
  customerName,
  submitting,
  onBlock,
  onClose,
}: {
  open: boolean;
  customerName: string;
  submitting: boolean;
  onBlock: () => void;
  onClose: () => void;
}) {
  return (
    <Modal id={BLOCK_CUSTOMER_MODAL_ID} open={open} onHide={onClose}>
      <Box padding="400">
        <Text as="p">
          A blocked customer earns and redeems no points until unblocked. What they would have earned is listed under
          &quot;Points not earned&quot;; unblocking does not pay it out.
        </Text>
      </Box>
      <TitleBar title={`Block ${customerName}?`}>
        <button variant="primary" tone="critical" onClick={onBlock} loading={submitting ? "" : undefined}>
          Block customer
        </button>
        <button onClick={onClose}>Cancel</button>
      </TitleBar>
    </Modal>
  );
}
