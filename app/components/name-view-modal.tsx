import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { Box, Form, TextField } from "@shopify/polaris";
import { useState } from "react";
import { MAX_VIEW_NAME_LENGTH } from "~/domain/customers";
import { tooLongWords } from "~/domain/shared";

export const NAME_VIEW_MODAL_ID = "name-view-modal";

/** A saved view's name that was not saved: what was typed, and why not ("Name the view", "A view named … exists"). */
export interface RefusedViewName {
  name: string;
  reason: string;
  /** Renaming this view, or creating one. */
  renaming: boolean;
}

/**
 * Asks again for a saved view's name that was not saved. Polaris' own Create view and Rename dialogs close whatever
 * the answer, and accept a name of only spaces; so a refused name comes back here, with its reason on the field, and
 * the button stays off until the name has more than spaces. `onSave` gets the name as typed; the server trims it.
 */
export function NameViewModal({
  refused,
  saving,
  onSave,
  onClose,
}: {
  refused: RefusedViewName | null;
  saving: boolean;
  onSave: (name: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(refused?.name ?? "");
  const [shownFor, setShownFor] = useState(refused);
  if (shownFor !== refused) {
    setShownFor(refused);
    setName(refused?.name ?? "");
  }
  const blank = name.trim() === "";
  // The reason stays on the field until the name changes; a blank name always says what to do.
  const error = blank
    ? "Name the view"
    : (tooLongWords(name, MAX_VIEW_NAME_LENGTH) ?? (name === refused?.name ? refused.reason : undefined));
  const save = () => {
    if (!blank) onSave(name);
  };
  const action = refused?.renaming ? "Rename view" : "Create view";
  return (
    <Modal id={NAME_VIEW_MODAL_ID} open={refused !== null} onHide={onClose}>
      <Box padding="400">
        <Form onSubmit={save} noValidate>
          <TextField label="Name" value={name} onChange={setName} autoComplete="off" showCharacterCount error={error} />
        </Form>
      </Box>
      <TitleBar title={action}>
        <button variant="primary" onClick={save} disabled={blank} loading={saving ? "" : undefined}>
          {action}
        </button>
        <button onClick={onClose}>Cancel</button>
      </TitleBar>
    </Modal>
  );
}
