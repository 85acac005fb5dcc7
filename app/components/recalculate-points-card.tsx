import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Box, Button, Card, Text } from "@shopify/polaris";
import { useRef, useState } from "react";

const MODAL_ID = "recalculate-points-modal";

/**
 * Settings' "Recalculate points": explains what it does, asks for confirmation in an App Bridge modal, then calls
 * `onConfirm` with a request id made once per confirmation, so a double click starts one job.
 */
export function RecalculatePointsCard({
  onConfirm,
  starting,
}: {
  onConfirm: (requestId: string) => void;
  starting: boolean;
}) {
  const [open, setOpen] = useState(false);
  const requestId = useRef<string | null>(null);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="p">
          Recomputes every customer&apos;s balance, pending points and lifetime totals from their points history, and
          repairs any figure that does not match it. Each repair is listed with what was off. Runs in the background;
          customers keep earning and redeeming meanwhile.
        </Text>
        <Box>
          <Button
            onClick={() => {
              requestId.current = crypto.randomUUID();
              setOpen(true);
            }}
            loading={starting}
          >
            Recalculate points
          </Button>
        </Box>
      </BlockStack>
      <Modal id={MODAL_ID} open={open} onHide={() => setOpen(false)}>
        <Box padding="400">
          <Text as="p">
            Tally checks every customer against their points history and repairs the figures that differ. Points history
            itself is not changed. You can follow the job and cancel it under Jobs.
          </Text>
        </Box>
        <TitleBar title="Recalculate every customer's points?">
          <button
            variant="primary"
            onClick={() => {
              setOpen(false);
              onConfirm(requestId.current ?? crypto.randomUUID());
            }}
          >
            Recalculate points
          </button>
          <button onClick={() => setOpen(false)}>Cancel</button>
        </TitleBar>
      </Modal>
    </Card>
  );
}
