import { DomainError, MAX_ENTRY_POINTS, MAX_TOTAL_POINTS } from "~/domain/shared";
import type { LedgerEntry, LedgerTotals } from "./entries";

/**
 * The ledger's bounds (domain/shared/limits.ts): an entry carries at most MAX_ENTRY_POINTS, whole, and no figure of
 * the customer's goes further than MAX_TOTAL_POINTS from zero after it. Checked on every entry as it is written, so a
 * stored figure is always an exact integer. Throws DomainError("invalid_input") naming the entry, which rolls the
 * whole change back.
 */
export function assertWithinLedgerBounds(entry: LedgerEntry, after: LedgerTotals): void {
  if (!Number.isSafeInteger(entry.points) || Math.abs(entry.points) > MAX_ENTRY_POINTS) {
    throw new DomainError(
      "invalid_input",
      `${entry.kind} of ${entry.points} points is beyond the ${MAX_ENTRY_POINTS.toLocaleString("en-US")} points one ledger entry may carry`,
      {
        idempotencyKey: entry.idempotencyKey,
        fieldErrors: { points: ["This is more points than one entry may carry"] },
      },
    );
  }
  for (const [figure, value] of Object.entries(after)) {
    if (Math.abs(value) > MAX_TOTAL_POINTS) {
      throw new DomainError(
        "invalid_input",
        `${entry.kind} of ${entry.points} points would take the customer's ${figure} beyond ${MAX_TOTAL_POINTS.toLocaleString("en-US")}`,
        { idempotencyKey: entry.idempotencyKey },
      );
    }
  }
}
