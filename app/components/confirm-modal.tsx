import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { Box, Text } from "@shopify/polaris";

export const CONFIRM_MODAL_ID = "confirm-modal";

/**
 * The confirmation before something a merchant cannot take back in one click (undoing a bulk points adjustment or a
 * points import, removing an email translation) as an App Bridge modal: its title names what happens ("Take back +50
 * points from 3 customers?"), its body what then follows, and nothing is done until staff press the action in
 * Shopify's modal chrome. Leaving typed changes asks the save bar's own question instead
 * (`shopify.saveBar.leaveConfirmation()`), never one of these.
 */
export function ConfirmModal({
  id = CONFIRM_MODAL_ID,
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
  /** The modal's primary button: "Undo adjustment", "Remove French version". */
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
