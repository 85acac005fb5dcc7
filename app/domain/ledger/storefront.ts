import type { LedgerEntryKind } from "./entries";
import { normalizeOrderState, orderPointsHeld, orderReleaseAt, type OrderPointsState } from "./order-events";

/*
 * What a shopper is shown of their own ledger, in the storefront widget and the customer account. The merchant's
 * activity log explains each entry in the admin's English ("+120: order #1042 paid, 120.00 less 20.00 tax"); a shopper
 * reads the widget in their own language, so the storefront gets a kind the widget words from its locale files, and
 * never a staff note (an adjustment's reason is written for staff, not for the customer).
 */

/** What an entry was, in the words a shopper's widget translates (extensions/tally-widget/locales). */
export type StorefrontActivityKind =
  | "order"
  | "signup"
  | "imported"
  | "released"
  | "redeemed"
  | "reward_returned"
  | "reversed"
  | "adjusted"
  | "expired"
  | "corrected"
  | "referral"
  | "referral_reversed"
  | "merged";

/**
 * The storefront kind of a ledger row from its stored `kind` and `source_type` (see append-entries' `sourceOf`).
 * Every ledger kind has its own case and none falls to a default, so a new kind fails typecheck here until it has a
 * line of its own in the widget's locales (a default once showed referral rewards as "From a merged account"). A row
 * moved in or out by a customer merge shows as `merged`: the shopper sees their points came from another account.
 */
export function storefrontActivityKind(kind: LedgerEntryKind, sourceType: string | null): StorefrontActivityKind {
  switch (kind) {
    case "earn":
      return sourceType === "signup" ? "signup" : sourceType === "import" ? "imported" : "order";
    case "release":
      return "released";
    case "redeem":
      return "redeemed";
    case "redemption_return":
      return "reward_returned";
    case "reverse":
      return sourceType === "referral" ? "referral_reversed" : "reversed";
    case "adjust":
      return "adjusted";
    case "expire":
      return "expired";
    case "correct":
      return "corrected";
    case "referral":
      return "referral";
    case "move_in":
    case "move_out":
      return "merged";
  }
}

/** Held points of one order and when they become spendable. */
export interface PendingRelease {
  orderGid: string;
  orderName: string | null;
  points: number;
  /** ISO time the points are released; null while the order is not fulfilled (the period starts at fulfilment). */
  releaseAt: string | null;
  /** The pending period fixed when the order was paid, in days after fulfilment. */
  holdDays: number;
}

/**
 * The orders still holding points for a customer, soonest release first (unfulfilled ones last: their date is not
 * known yet). Pure: reads each order's stored points state (order-events.ts); an order already released, closed or
 * holding nothing is left out.
 */
export function pendingReleases(states: readonly OrderPointsState[]): PendingRelease[] {
  const found: PendingRelease[] = [];
  for (const stored of states) {
    const state = normalizeOrderState(stored);
    if (!state.paid || state.paid.holdDays === null || state.released || state.closed) continue;
    const points = orderPointsHeld(state);
    if (points <= 0) continue;
    found.push({
      orderGid: state.orderGid,
      orderName: state.orderName,
      points,
      releaseAt: orderReleaseAt(state)?.toISOString() ?? null,
      holdDays: state.paid.holdDays,
    });
  }
  return found.sort((a, b) => {
    if (a.releaseAt === b.releaseAt) return 0;
    if (a.releaseAt === null) return 1;
    if (b.releaseAt === null) return -1;
    return a.releaseAt < b.releaseAt ? -1 : 1;
  });
}
