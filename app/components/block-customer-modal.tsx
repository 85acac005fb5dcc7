import { ConfirmModal } from "~/components/confirm-modal";

export const BLOCK_CUSTOMER_MODAL_ID = "block-customer-modal";

/** What blocking does, in the same words wherever staff block: a profile's Block modal and the directory's bulk Block. */
export const WHAT_BLOCKING_DOES =
  'A blocked customer earns and redeems no points until unblocked. What they would have earned is listed under "Points not earned"; unblocking does not pay it out.';

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
    <ConfirmModal
      id={BLOCK_CUSTOMER_MODAL_ID}
      open={open}
      title={`Block ${customerName}?`}
      body={`${WHAT_BLOCKING_DOES} You can still adjust their points on this page; bulk points adjustments from the Customers list leave them out.`}
      action="Block customer"
      submitting={submitting}
      onConfirm={onBlock}
      onClose={onClose}
    />
  );
}
