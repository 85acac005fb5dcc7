/**
 * Whether a staff adjustment can still be taken back for one customer (a bulk adjustment's undo, decision 026). Undo
 * gives back exactly what the adjustment did, unless the customer already used its points. What counts is what
 * happened since the adjustment's entry, never the balance's sign: a customer who owed 500 before a gift of 7 and
 * spent nothing since goes back to owing 500.
 */

/** The ledger kinds by which a customer spends points: a redemption, or points lost to expiry. */
export const SPENDING_KINDS = ["redeem", "expire"] as const;

/** A stored ledger row as this rule reads it: its kind, its signed points, and whether they moved held points. */
export interface StoredMovement {
  kind: string;
  points: number;
  held: boolean;
}

/**
 * A stored row's effect on the spendable balance: its signed points (app/domain/ledger/entries.ts, storedPoints),
 * unless it moved held points, which never reach the balance until their release (applyEntry's table).
 */
export function balanceEffectOf(row: Pick<StoredMovement, "points" | "held">): number {
  return row.held ? 0 : row.points;
}

/**
 * Whether a customer spent points of an adjustment of `points` given to them: `since` is every ledger row written after
 * the adjustment's own, oldest first, and `balance` their balance now (which includes all of them).
 *
 * Spent when the adjustment gave points (`points` > 0) and a redemption or an expiry since then left the balance below
 * those points: without the adjustment, that redemption or expiry would have taken points the customer did not have.
 * Taking the points back then would charge for a reward already had, or for points already gone. A redemption paid
 * for from the customer's own points (they held enough without the gift) does not spend the gift; a refund or another
 * staff change spends nothing. An adjustment that took points away is never spent: its undo gives them back.
 */
export function hasSpentAdjustment(input: {
  points: number;
  balance: number;
  since: readonly StoredMovement[];
}): boolean {
  if (input.points <= 0) return false;
  // From the newest row back: `after` is the balance right after each row.
  let after = input.balance;
  for (let index = input.since.length - 1; index >= 0; index -= 1) {
    const row = input.since[index]!;
    if (isSpending(row.kind) && after < input.points) return true;
    after -= balanceEffectOf(row);
  }
  return false;
}

function isSpending(kind: string): boolean {
  return (SPENDING_KINDS as readonly string[]).includes(kind);
}
