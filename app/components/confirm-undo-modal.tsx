import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { Box, Text } from "@shopify/polaris";

export const CONFIRM_UNDO_MODAL_ID = "confirm-undo-modal";

/**
 * The confirmation before an undo (a bulk points adjustment, a points import) as an App Bridge modal: its title names
 * what it reverses ("Take back +50 points from 3 customers?"), its body what then happens, and nothing is sent until
 * staff press the action in Shopify's modal chrome.
 */
export function ConfirmUndoModal({
  id = CONFIRM_UNDO_MODAL_ID,
  open,
  title,
  body,
  action,
  submitting,
  onConfirm,
  onClose,
}: {
  /** The App Bridge modal's id, unique on the page (two confirmations on one page need two). */
  id?: string;
  open: boolean;
  title: string;
  body: string;
  /** The modal's primary button: "Undo adjustment", "Undo import". */
  action: string;
  submitting: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal id={id} open={open} onHide={onClose}>
      <Box padding="400">
        <Text as="p">{body}</Text>
      </Box>
      <TitleBar title={title}>
        <button variant="primary" tone="critical" onClick={onConfirm} loading={submitting ? "" : undefined}>
          {action}
        </button>
        <button onClick={onClose}>Cancel</button>
      </TitleBar>
    </Modal>
  );
}
