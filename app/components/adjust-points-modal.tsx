import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { Box, Form, FormLayout, TextField } from "@shopify/polaris";
import { useRef, useState } from "react";

export const ADJUST_POINTS_MODAL_ID = "adjust-points-modal";

/**
 * "Adjust points" as an App Bridge modal: Shopify's admin draws it over the whole page and puts the title and the
 * Adjust/Cancel buttons in its own chrome; the fields are rendered into the modal's frame. Errors from the action's
 * zod parse land on the fields. Remounted after a successful adjustment, so the next one starts empty.
 */
export function AdjustPointsModal({
  open,
  customerName,
  fieldErrors,
  submitting,
  onClose,
  onSubmit,
}: {
  open: boolean;
  customerName: string;
  fieldErrors: Record<string, string[] | undefined>;
  submitting: boolean;
  onClose: () => void;
  onSubmit: (values: { points: string; reason: string; requestId: string }) => void;
}) {
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  // Made on the first submit and kept until the form changes, so a double click or a retry is one adjustment.
  const requestId = useRef<string | null>(null);
  const edit = (set: (value: string) => void) => (value: string) => {
    requestId.current = null;
    set(value);
  };
  const submit = () => {
    requestId.current ??= crypto.randomUUID();
    onSubmit({ points, reason, requestId: requestId.current });
  };

  return (
    <Modal id={ADJUST_POINTS_MODAL_ID} open={open} onHide={onClose}>
      <Box padding="400">
        <Form onSubmit={submit} noValidate>
          <FormLayout>
            <TextField
              label="Points"
              name="points"
              inputMode="numeric"
              value={points}
              onChange={edit(setPoints)}
              helpText="Use a minus sign to take points away, like -20."
              error={fieldErrors.points?.[0]}
              autoComplete="off"
            />
            <TextField
              label="Reason"
              name="reason"
              value={reason}
              onChange={edit(setReason)}
              helpText="Recorded on the customer's activity log."
              error={fieldErrors.reason?.[0]}
              autoComplete="off"
            />
          </FormLayout>
        </Form>
      </Box>
      <TitleBar title={`Adjust points for ${customerName}`}>
        <button variant="primary" onClick={submit} loading={submitting ? "" : undefined} disabled={submitting}>
          Adjust points
        </button>
        <button onClick={onClose}>Cancel</button>
      </TitleBar>
    </Modal>
  );
}
