import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { Box, Form, TextField } from "@shopify/polaris";
import { useState } from "react";
import { isViewNameTaken, MAX_VIEW_NAME_LENGTH, VIEW_NAME_TAKEN } from "~/domain/customers";
import { characterCountWords, tooLongWords } from "~/domain/shared";

export const NAME_VIEW_MODAL_ID = "name-view-modal";

/** A saved view's name that was not saved: what was typed, and why not ("Name the view", "A view named … exists"). */
export interface RefusedViewName {
  name: string;
  reason: string;
  /** Renaming this view, or creating one. */
  renaming: boolean;
  /** The view renamed or saved over, whose own name it may keep. */
  viewId?: string;
}

/**
 * Asks again for a saved view's name that was not saved. Polaris' own Create view and Rename dialogs close whatever
 * the answer, and accept a name of only spaces; so a refused name comes back here, with its reason on the field, and
 * the button stays off until the name has more than spaces. `onSave` gets the name as typed; the server trims it.
 */
export function NameViewModal({
  refused,
  viewNames,
  saving,
  onSave,
  onClose,
}: {
  refused: RefusedViewName | null;
  /** The shop's saved views' names, less the one being renamed: a name one of them or a built-in tab has is refused. */
  viewNames: readonly string[];
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
  const taken = !blank && isViewNameTaken(name, viewNames);
  // The reason stays on the field until the name changes; a blank or taken name always says what to do.
  const error = blank
    ? "Name the view"
    : taken
      ? VIEW_NAME_TAKEN
      : (tooLongWords(name, MAX_VIEW_NAME_LENGTH) ?? (name === refused?.name ? refused.reason : undefined));
  const save = () => {
    if (!blank && !taken) onSave(name);
  };
  const action = refused?.renaming ? "Rename view" : "Create view";
  return (
    <Modal id={NAME_VIEW_MODAL_ID} open={refused !== null} onHide={onClose}>
      <Box padding="400">
        <Form onSubmit={save} noValidate>
          <TextField
            label="Name"
            value={name}
            onChange={setName}
            autoComplete="off"
            suffix={characterCountWords(name, MAX_VIEW_NAME_LENGTH)}
            error={error}
          />
        </Form>
      </Box>
      <TitleBar title={action}>
        <button variant="primary" onClick={save} disabled={blank || taken} loading={saving ? "" : undefined}>
          {action}
        </button>
        <button onClick={onClose}>Cancel</button>
      </TitleBar>
    </Modal>
  );
}
