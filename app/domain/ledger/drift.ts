import type { LedgerTotals } from "./index";

const fields: Array<[keyof LedgerTotals, string]> = [
  ["balance", "Balance"],
  ["pending", "Pending"],
  ["lifetimeEarned", "Lifetime earned"],
  ["lifetimeRedeemed", "Lifetime redeemed"],
];

/**
 * What a recalculation found wrong with a customer's stored figures, in staff's words, only the figures that differ:
 * "Balance 120 → 100 points; Pending 0 → 10 points". Stored first, recomputed from the ledger second.
 */
export function describeDrift(stored: LedgerTotals, recomputed: LedgerTotals): string {
  return fields
    .filter(([field]) => stored[field] !== recomputed[field])
    .map(([field, label]) => `${label} ${points(stored[field])} \u2192 ${points(recomputed[field])} points`)
    .join("; ");
}

function points(value: number): string {
  return value < 0 ? `\u2212${-value}` : String(value);
}
