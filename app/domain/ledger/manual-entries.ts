import { ADJUSTMENT_REASON_REQUIRED, DomainError, MAX_ADJUSTMENT_POINTS } from "~/domain/shared";
import { formatPoints } from "~/domain/program";
import { applyEntry, withBalanceNote, type EntryOf, type LedgerTotals } from "./entries";
import { ledgerKeys } from "./keys";

export interface Planned<Entry> {
  entry: Entry;
  totals: LedgerTotals;
}

/**
 * A staff correction of at most MAX_ADJUSTMENT_POINTS either way. It may take the balance below zero: the cases that
 * need it (undoing fraud, a mistaken import) are exactly the ones where the customer should carry the debt, and the
 * explanation says so. Its key is the customer's and the form's request id together, so one request id can never
 * stand for two customers' adjustments.
 */
export function adjustEntry(input: {
  customerGid: string;
  requestId: string;
  points: number;
  reason: string;
  actor: string;
  totals: LedgerTotals;
}): Planned<EntryOf<"adjust">> {
  const reason = input.reason.trim();
  if (!Number.isSafeInteger(input.points) || input.points === 0) {
    throw new DomainError("invalid_input", "An adjustment must be a non-zero whole number of points", {
      fieldErrors: { points: ["Enter a whole number of points other than zero"] },
    });
  }
  if (Math.abs(input.points) > MAX_ADJUSTMENT_POINTS) {
    const most = MAX_ADJUSTMENT_POINTS.toLocaleString("en-US");
    throw new DomainError("invalid_input", `An adjustment can be at most ${most} points either way`, {
      fieldErrors: { points: [`Enter at most ${most} points, or at least -${most}`] },
    });
  }
  if (!reason) {
    throw new DomainError("invalid_input", "An adjustment needs a reason", {
      fieldErrors: { reason: [ADJUSTMENT_REASON_REQUIRED] },
    });
  }
  const draft: EntryOf<"adjust"> = {
    kind: "adjust",
    idempotencyKey: ledgerKeys.adjust(input.customerGid, input.requestId),
    points: input.points,
    reason,
    actor: input.actor,
    explanation: "",
  };
  const totals = applyEntry(input.totals, draft);
  const entry = {
    ...draft,
    explanation: withBalanceNote(`${formatPoints(input.points)}: adjusted by staff (${reason})`, totals),
  };
  return { entry, totals };
}

/**
 * A balance brought over from another loyalty app or a customer CSV, once per (import, customer): an `earn` whose
 * source is "import", explained with where it came from ("+300: moved from Smile"). Spendable at once.
 */
export function importEntry(input: {
  importId: string;
  customerGid: string;
  points: number;
  /** Where the points came from, as the activity log says it: "moved from Smile", "imported from customers.csv". */
  from: string;
  totals: LedgerTotals;
}): Planned<EntryOf<"earn">> {
  if (!Number.isSafeInteger(input.points) || input.points < 1) {
    throw new DomainError("invalid_input", "An imported balance must be a positive whole number of points");
  }
  const entry: EntryOf<"earn"> = {
    kind: "earn",
    source: "import",
    idempotencyKey: ledgerKeys.importBalance(input.importId, input.customerGid),
    points: input.points,
    pending: false,
    programVersion: null,
    explanation: `${formatPoints(input.points)}: ${input.from}`,
  };
  return { entry, totals: applyEntry(input.totals, entry) };
}

/**
 * Takes back one customer's entry of an import batch (its undo, decision 023): a `correct` of minus the points
 * imported, which leaves balance and lifetime earned as if the import had not happened. The caller checks first that
 * the customer still holds them (nothing of the batch spent); this never takes the balance below zero, except for a
 * batch checked whole before a chunked undo (`checked`). Throws DomainError("conflict") when the points were spent.
 */
export function undoImportEntry(input: {
  importId: string;
  customerGid: string;
  points: number;
  from: string;
  totals: LedgerTotals;
  /**
   * The batch was checked as unspent when staff asked, and is being taken back in chunks: a customer who redeemed in
   * the minutes since is taken back in full, into a debt (decision 001), so the batch is never left half undone.
   */
  checked?: boolean;
}): Planned<EntryOf<"correct">> {
  if (!input.checked && input.totals.balance < input.points) {
    throw new DomainError("conflict", "Points of this import were spent: it can no longer be undone", {
      customerGid: input.customerGid,
    });
  }
  const entry: EntryOf<"correct"> = {
    kind: "correct",
    idempotencyKey: ledgerKeys.undoImport(input.importId, input.customerGid),
    points: -input.points,
    pending: false,
    importId: input.importId,
    explanation: `${formatPoints(-input.points)}: undid the import (${input.from})`,
  };
  return { entry, totals: applyEntry(input.totals, entry) };
}

/**
 * Expiry takes at most the positive balance: expiring a debt, or expiring into one, would be a penalty nobody earned.
 * Returns undefined when there is nothing to expire.
 */
export function expireEntry(input: {
  customerGid: string;
  period: string;
  points: number;
  totals: LedgerTotals;
}): Planned<EntryOf<"expire">> | undefined {
  const points = Math.min(Math.max(0, Math.trunc(input.points)), Math.max(0, input.totals.balance));
  if (points === 0) return undefined;
  const entry: EntryOf<"expire"> = {
    kind: "expire",
    idempotencyKey: ledgerKeys.expire(input.customerGid, input.period),
    points,
    explanation: `${formatPoints(-points)}: points expired (${input.period})`,
  };
  return { entry, totals: applyEntry(input.totals, entry) };
}
