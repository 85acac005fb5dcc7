import { Modal, TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  Checkbox,
  DataTable,
  FormLayout,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useRef, useState } from "react";
import { largeIssueMinor, MAX_STORE_CREDIT_REASON_LENGTH, typedOverDeduction } from "~/domain/store-credit";
import { characterCountWords, MAX_AMOUNT_MINOR, toMinor, tooLongWords, type CurrencyCode } from "~/domain/shared";
import { useFormat } from "./format-context";
import { EnterSubmitsForm } from "./enter-submits-form";
import { useErrorsOfLastSubmit } from "./use-errors-of-last-submit";
import { useFocusedFieldInView } from "./use-focused-field-in-view";

export interface StoreCreditView {
  found: boolean;
  unavailable: string | null;
  stored: { amountMinor: number; currency: string | null };
  accounts: Array<{ accountGid: string; currency: string; balanceMinor: number }>;
  history: Array<{
    transactionGid: string | null;
    kind: "credit" | "debit" | "debit_revert" | "expiration";
    amountMinor: number;
    currency: string;
    balanceAfterMinor: number;
    createdAt: string;
    event: string;
    expiresAt: string | null;
    orderName: string | null;
    reason: string | null;
    actorName: string | null;
  }>;
  currencies: string[];
}

export type StoreCreditDirection = "issue" | "deduct";

const kindLabels: Record<StoreCreditView["history"][number]["kind"], string> = {
  credit: "Issued",
  debit: "Deducted",
  debit_revert: "Deduction reverted",
  expiration: "Expired",
};

/** Why Shopify moved the credit, where no staff reason is known (StoreCreditSystemEvent). */
function detailsOf(row: StoreCreditView["history"][number]): string {
  if (row.reason) return row.reason;
  if (row.event === "ORDER_PAYMENT") return row.orderName ? `Paid for order ${row.orderName}` : "Paid for an order";
  if (row.event === "ORDER_REFUND") return row.orderName ? `Refund of order ${row.orderName}` : "Refund of an order";
  if (row.event === "ORDER_CANCELLATION") return "Order cancelled";
  if (row.kind === "expiration") return "Expired unspent";
  return "Changed in Shopify";
}

/**
 * The profile's Store credit card (seed 004): the customer's balance in each currency Shopify keeps an account in,
 * their history (Shopify's transactions, with the reason and staff member for those made in Tally), and Issue /
 * Deduct.
 */
export function StoreCreditCard({
  storeCredit,
  onChange,
  readOnly = false,
}: {
  storeCredit: StoreCreditView;
  onChange: (direction: StoreCreditDirection) => void;
  /** History only (a customer Shopify deleted): no Issue or Deduct. */
  readOnly?: boolean;
}) {
  const format = useFormat();
  const canDeduct = storeCredit.accounts.some((account) => account.balanceMinor > 0);
  return (
    <Card padding="0">
      <BlockStack>
        <Box padding="400" paddingBlockEnd="200">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Store credit
            </Text>
            {readOnly ? null : (
              <ButtonGroup>
                <Button onClick={() => onChange("issue")} disabled={!storeCredit.found || !!storeCredit.unavailable}>
                  Issue store credit
                </Button>
                <Button onClick={() => onChange("deduct")} disabled={!canDeduct}>
                  Deduct store credit
                </Button>
              </ButtonGroup>
            )}
          </InlineStack>
        </Box>
        <Box padding="400" paddingBlockStart="0">
          {storeCredit.unavailable ? (
            <Text as="p" tone="subdued">
              Shopify did not answer, so the history cannot be shown now. Last known balance:{" "}
              {storeCredit.stored.currency
                ? format.money(storeCredit.stored.amountMinor, storeCredit.stored.currency)
                : "none"}
              .
            </Text>
          ) : storeCredit.accounts.length === 0 ? (
            <Text as="p" tone="subdued">
              {storeCredit.found ? "No store credit." : "Shopify no longer has this customer."}
            </Text>
          ) : (
            <InlineStack gap="400">
              {storeCredit.accounts.map((account) => (
                <BlockStack key={account.accountGid} gap="050">
                  <Text as="span" tone="subdued">
                    Balance ({account.currency})
                  </Text>
                  <span data-store-credit-balance={account.currency}>
                    <Text as="span" variant="headingLg">
                      {format.money(account.balanceMinor, account.currency)}
                    </Text>
                  </span>
                </BlockStack>
              ))}
            </InlineStack>
          )}
        </Box>
        {storeCredit.history.length > 0 && (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "numeric", "text", "text"]}
            headings={["Date", "Activity", "Amount", "Balance", "Details", "By"]}
            rows={storeCredit.history.map((row) => [
              format.dateTime(row.createdAt),
              <InlineStack key="kind" gap="100">
                <Badge tone={row.kind === "credit" ? "success" : undefined}>{kindLabels[row.kind]}</Badge>
                {row.expiresAt && row.kind === "credit" ? (
                  <Text as="span" tone="subdued">
                    expires {format.date(row.expiresAt)}
                  </Text>
                ) : null}
              </InlineStack>,
              format.money(row.amountMinor, row.currency),
              format.money(row.balanceAfterMinor, row.currency),
              detailsOf(row),
              row.actorName ?? (row.reason ? "Staff" : "Shopify"),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

export const STORE_CREDIT_MODAL_ID = "store-credit-modal";

/** The store credit form's fields, as the action names them in its `fieldErrors`. */
type StoreCreditField = "amount" | "currency" | "confirmLarge" | "expiresOn" | "reason";

/**
 * Issue or Deduct store credit as an App Bridge modal: an amount, the currency (the shop's first; for Deduct, only
 * currencies the customer holds credit in), the customer's balance in it under the amount, an optional expiry for
 * issued credit, a reason. A deduction past that balance is refused on the amount before the form is sent, in the
 * words the server uses (`overDeduction`); Shopify's refusals land on the field they name. Remounted after a success.
 */
export function StoreCreditModal({
  open,
  direction,
  customerName,
  currencies,
  accounts,
  fieldErrors,
  submitting,
  onClose,
  onSubmit,
}: {
  open: boolean;
  direction: StoreCreditDirection;
  customerName: string;
  currencies: string[];
  /** The customer's accounts as the page read them from Shopify, minor units of each `currency`. */
  accounts: ReadonlyArray<{ currency: string; balanceMinor: number }>;
  fieldErrors: Record<string, string[] | undefined>;
  submitting: boolean;
  onClose: () => void;
  onSubmit: (values: Record<string, string>) => void;
}) {
  const format = useFormat();
  const heldOf = (code: string) => accounts.find((account) => account.currency === code)?.balanceMinor ?? 0;
  // There is nothing to deduct in a currency the customer holds none of (the shop's own, when their credit is in another).
  const held = currencies.filter((code) => heldOf(code) > 0);
  const choices = direction === "deduct" && held.length > 0 ? held : currencies;
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState(choices[0] ?? "");
  // The over-deduction found before sending: shown instead of the server's last answer until the form changes.
  const [tooMuch, setTooMuch] = useState<string | null>(null);
  const [expiresOn, setExpiresOn] = useState("");
  const [reason, setReason] = useState("");
  // An issue above largeIssueMinor is sent once staff tick that they mean it (the server asks the same).
  const [confirmLarge, setConfirmLarge] = useState(false);
  const [unconfirmed, setUnconfirmed] = useState<string | null>(null);
  const typedMinor = (() => {
    if (!/^\d+(\.\d+)?$/.test(amount.trim())) return null;
    try {
      return toMinor(amount.trim(), currency as CurrencyCode);
    } catch {
      return null;
    }
  })();
  // Past Shopify's limit the amount is refused whatever the tick says: no tick is offered for it.
  const large =
    direction === "issue" &&
    typedMinor !== null &&
    typedMinor > largeIssueMinor(currency as CurrencyCode) &&
    typedMinor <= MAX_AMOUNT_MINOR;
  // Made on the first submit and kept until the form changes, so a double click or a retry is one change.
  const requestId = useRef<string | null>(null);
  const fieldInView = useFocusedFieldInView();
  const lastSubmit = useErrorsOfLastSubmit<StoreCreditField>(fieldErrors);
  const edit = (field: StoreCreditField, set: (value: string) => void) => (value: string) => {
    requestId.current = null;
    lastSubmit.changed(field);
    setTooMuch(null);
    setUnconfirmed(null);
    setConfirmLarge(false);
    set(value);
  };
  const submit = () => {
    const refusal =
      direction === "deduct"
        ? typedOverDeduction(customerName, {
            amount,
            heldMinor: heldOf(currency),
            currency: currency as CurrencyCode,
            storeCurrency: format.storeCurrency,
          })
        : null;
    setTooMuch(refusal);
    if (refusal) return;
    const written = typedMinor === null ? "" : format.money(typedMinor, currency);
    const notTicked =
      large && !confirmLarge ? `Tick this to issue ${written} of store credit, or correct the amount` : null;
    setUnconfirmed(notTicked);
    if (notTicked) return;
    lastSubmit.submitted();
    requestId.current ??= crypto.randomUUID();
    onSubmit({
      direction,
      amount,
      currency,
      reason,
      requestId: requestId.current,
      ...(direction === "issue" ? { expiresOn } : {}),
      ...(large && confirmLarge ? { confirmLarge: "true" } : {}),
    });
  };
  const verb = direction === "issue" ? "Issue" : "Deduct";
  return (
    <Modal id={STORE_CREDIT_MODAL_ID} open={open} onHide={onClose}>
      <Box padding="400" ref={fieldInView}>
        <EnterSubmitsForm onSubmit={submit}>
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label="Amount"
                name="amount"
                inputMode="decimal"
                value={amount}
                onChange={edit("amount", setAmount)}
                helpText={`Balance: ${format.money(heldOf(currency), currency)}`}
                error={tooMuch ?? lastSubmit.errorOf("amount")}
                autoComplete="off"
              />
              <Select
                label="Currency"
                name="currency"
                options={choices}
                value={currency}
                onChange={edit("currency", setCurrency)}
                error={lastSubmit.errorOf("currency")}
              />
            </FormLayout.Group>
            {large && typedMinor !== null && (
              <Checkbox
                label={`Yes, issue ${format.money(typedMinor, currency)} of store credit to ${customerName}`}
                helpText="A large amount: check it is not a slip of a zero or two. The customer can spend it at checkout."
                checked={confirmLarge}
                onChange={(checked) => {
                  setConfirmLarge(checked);
                  setUnconfirmed(null);
                  lastSubmit.changed("confirmLarge");
                }}
                error={unconfirmed ?? lastSubmit.errorOf("confirmLarge")}
              />
            )}
            {direction === "issue" && (
              <TextField
                label="Expires on (optional)"
                name="expiresOn"
                type="date"
                value={expiresOn}
                onChange={edit("expiresOn", setExpiresOn)}
                helpText={`Unspent credit expires at the end of this day (${format.timeZone} time). Leave empty for credit that never expires.`}
                error={lastSubmit.errorOf("expiresOn")}
                autoComplete="off"
              />
            )}
            <TextField
              label="Reason"
              name="reason"
              value={reason}
              onChange={edit("reason", setReason)}
              helpText="Recorded on the customer's activity log and the audit trail."
              error={tooLongWords(reason, MAX_STORE_CREDIT_REASON_LENGTH) ?? lastSubmit.errorOf("reason")}
              autoComplete="off"
              suffix={characterCountWords(reason, MAX_STORE_CREDIT_REASON_LENGTH)}
            />
          </FormLayout>
        </EnterSubmitsForm>
      </Box>
      <TitleBar title={`${verb} store credit for ${customerName}`}>
        <button variant="primary" onClick={submit} loading={submitting ? "" : undefined} disabled={submitting}>
          {`${verb} store credit`}
        </button>
        <button onClick={onClose}>Cancel</button>
      </TitleBar>
    </Modal>
  );
}
