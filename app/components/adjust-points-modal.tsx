import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { Banner, Box, Checkbox, FormLayout, TextField } from "@shopify/polaris";
import { asciiMinus, MAX_ADJUSTMENT_REASON_LENGTH, tooLongWords, characterCountWords } from "~/domain/shared";
import { EnterSubmitsForm } from "./enter-submits-form";
import { useFormat } from "./format-context";
import { useErrorsOfLastSubmit } from "./use-errors-of-last-submit";
import { useFocusedFieldInView } from "./use-focused-field-in-view";
import { useRef, useState } from "react";

export const ADJUST_POINTS_MODAL_ID = "adjust-points-modal";

/**
 * Who reads an adjustment's reason, said the same on the profile's and the bulk form: staff, on the activity log; the
 * shopper's panel names the line "Adjusted by the store" and never shows a staff note (domain/ledger/storefront.ts).
 */
export const adjustReasonHelp = "Staff read it in the activity log; customers see only “Adjusted by the store”.";

/**
 * "Adjust points" as an App Bridge modal: Shopify's admin draws it over the whole page and puts the title and the
 * Adjust/Cancel buttons in its own chrome; the fields are rendered into the modal's frame. Errors from the action's
 * zod parse land on the fields. Remounted after a successful adjustment, so the next one starts empty.
 * A change that leaves the balance below zero is shown before it is made ("Leaves −1,657: the customer will owe
 * stars ⭐", the program's name for its points as every line here) and is made only once staff tick "Leave Maya Chen
 * owing 1,657 stars ⭐" (a mistyped "-999663" is one
 * click no longer), a box any change to the amount unticks; it is sent with `allowDebt` only then, and the action
 * refuses a debt it was not told of (decision 022).
 */
export function AdjustPointsModal({
  open,
  customerName,
  balance,
  blocked = false,
  fieldErrors,
  submitting,
  onClose,
  onSubmit,
}: {
  open: boolean;
  customerName: string;
  /** The customer's spendable balance as the page shows it. */
  balance: number;
  /**
   * Blocked customers earn and redeem nothing until unblocked: staff can still adjust here, told so, and that a bulk
   * adjustment leaves them out (decision 065).
   */
  blocked?: boolean;
  fieldErrors: Record<string, string[] | undefined>;
  submitting: boolean;
  onClose: () => void;
  onSubmit: (values: { points: string; reason: string; requestId: string; allowDebt?: "true" }) => void;
}) {
  const format = useFormat();
  const fieldInView = useFocusedFieldInView();
  const [points, setPoints] = useState("");
  // "−2000" (the minus a debt is written with) warns as "-2000" does: the action reads both alike.
  const typedChange = asciiMinus(points);
  const change = /^[+-]?\d{1,9}$/.test(typedChange) ? Number(typedChange) : null;
  const after = change === null ? null : balance + change;
  const lastSubmit = useErrorsOfLastSubmit<"points" | "reason">(fieldErrors);
  const pointsErrors = lastSubmit.errorsOf("points");
  // The action's own refusal, when the balance moved since the page loaded, counts as the warning too.
  const refusedDebt = pointsErrors?.find((message) => message.startsWith("Leaves "));
  const leavesDebt = (after !== null && change! < 0 && after < 0) || refusedDebt !== undefined;
  const [reason, setReason] = useState("");
  // Ticked for the amount in front of staff: any change to the points unticks it, even back to an amount ticked before
  // (remembering that one ticked the box again by itself, for an amount staff had moved away from).
  const [debtTicked, setDebtTicked] = useState(false);
  const [debtUnagreed, setDebtUnagreed] = useState(false);
  const debtAgreed = leavesDebt && debtTicked;
  // Made on the first submit and kept until the form changes, so a double click or a retry is one adjustment.
  const requestId = useRef<string | null>(null);
  const edit = (field: "points" | "reason", set: (value: string) => void) => (value: string) => {
    requestId.current = null;
    lastSubmit.changed(field);
    // A new amount is a new question: the box is unticked, and its reminder waits for the next click.
    if (field === "points") {
      setDebtTicked(false);
      setDebtUnagreed(false);
    }
    set(value);
  };
  const submit = () => {
    if (leavesDebt && !debtAgreed) {
      setDebtUnagreed(true);
      return;
    }
    lastSubmit.submitted();
    requestId.current ??= crypto.randomUUID();
    onSubmit({ points, reason, requestId: requestId.current, ...(debtAgreed ? { allowDebt: "true" as const } : {}) });
  };
  const owed = refusedDebt === undefined && after !== null ? format.points(-after) : null;
  const pointsName = format.pointsUnit(2);

  return (
    <Modal id={ADJUST_POINTS_MODAL_ID} open={open} onHide={onClose}>
      <Box padding="400" ref={fieldInView}>
        <EnterSubmitsForm onSubmit={submit}>
          <FormLayout>
            {blocked && (
              <Banner tone="info" title={`${customerName} is blocked`}>
                They earn and redeem nothing until unblocked; the {pointsName} you adjust here stay on their balance.
                Bulk adjustments from the Customers list leave them out.
              </Banner>
            )}
            {leavesDebt && (
              <Banner
                tone="warning"
                title={refusedDebt ?? `Leaves ${format.number(after!)}: the customer will owe ${pointsName}`}
              >
                Their next earnings repay the debt before they can redeem again.
              </Banner>
            )}
            <TextField
              label="Points"
              name="points"
              inputMode="numeric"
              value={points}
              onChange={edit("points", setPoints)}
              helpText={`Use a minus sign to take ${pointsName} away, like -20.`}
              error={pointsErrors?.find((message) => message !== refusedDebt)}
              autoComplete="off"
            />
            <TextField
              label="Reason"
              name="reason"
              value={reason}
              onChange={edit("reason", setReason)}
              helpText={adjustReasonHelp}
              error={tooLongWords(reason, MAX_ADJUSTMENT_REASON_LENGTH) ?? lastSubmit.errorOf("reason")}
              autoComplete="off"
              suffix={characterCountWords(reason, MAX_ADJUSTMENT_REASON_LENGTH)}
            />
            {leavesDebt && (
              <Checkbox
                label={owed ? `Leave ${customerName} owing ${owed}` : `Leave ${customerName} owing ${pointsName}`}
                checked={debtAgreed}
                onChange={(checked) => {
                  requestId.current = null;
                  setDebtUnagreed(false);
                  setDebtTicked(checked);
                }}
                error={
                  debtUnagreed && !debtAgreed
                    ? `Tick this to leave the debt, or take away fewer ${pointsName}`
                    : undefined
                }
              />
            )}
          </FormLayout>
        </EnterSubmitsForm>
      </Box>
      <TitleBar title={`Adjust points for ${customerName}`}>
        <button variant="primary" onClick={submit} loading={submitting ? "" : undefined} disabled={submitting}>
          {leavesDebt ? "Adjust and leave a debt" : "Adjust points"}
        </button>
        <button onClick={onClose}>Cancel</button>
      </TitleBar>
    </Modal>
  );
}
