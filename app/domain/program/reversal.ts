import { DomainError, mulDivFloor } from "~/domain/shared";

function assertWhole(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DomainError("invalid_input", `${name} must be a non-negative whole number, got ${value}`);
  }
}

/**
 * How many of an order's points refunds should have taken back in total, given everything refunded so far:
 * floor(earned × refunded / base), and exactly `earned` once the whole base is refunded. Rounding down keeps every
 * partial state at or under what the order earned; the full-refund case is exact by construction.
 */
export function reversalTarget(input: {
  earnedForOrder: number;
  earningBaseMinor: number;
  refundedBaseMinorCumulative: number;
}): number {
  const { earnedForOrder, earningBaseMinor, refundedBaseMinorCumulative } = input;
  assertWhole("earned points", earnedForOrder);
  assertWhole("earning base", earningBaseMinor);
  assertWhole("refunded base", refundedBaseMinorCumulative);
  if (earningBaseMinor === 0 || refundedBaseMinorCumulative >= earningBaseMinor) return earnedForOrder;
  return mulDivFloor(earnedForOrder, refundedBaseMinorCumulative, earningBaseMinor);
}

/**
 * Points a refund should reverse now, from cumulative figures: the target for everything refunded so far minus what is
 * already reversed, never negative and never past what the order still holds.
 */
export function pointsToReverse(input: {
  earnedForOrder: number;
  alreadyReversed: number;
  earningBaseMinor: number;
  refundedBaseMinorCumulative: number;
}): number {
  assertWhole("already reversed", input.alreadyReversed);
  const remaining = Math.max(0, input.earnedForOrder - input.alreadyReversed);
  return Math.min(remaining, Math.max(0, reversalTarget(input) - input.alreadyReversed));
}

/**
 * One refund's own share of the order's points: floor(earned × refunded / base), independent of any other refund.
 * The order-event planner uses this rather than the cumulative difference so that each refund's entry has the same
 * points whichever order the refunds arrive in. Shares of refunds that together stay within the base sum to at most
 * `reversalTarget` (a sum of floors never exceeds the floor of the sum); the rounding left over when the order is
 * fully refunded or cancelled is taken by one closing entry.
 */
export function refundShare(input: {
  earnedForOrder: number;
  earningBaseMinor: number;
  refundedBaseMinor: number;
}): number {
  const { earnedForOrder, earningBaseMinor, refundedBaseMinor } = input;
  assertWhole("earned points", earnedForOrder);
  assertWhole("earning base", earningBaseMinor);
  assertWhole("refunded base", refundedBaseMinor);
  if (earningBaseMinor === 0) return 0;
  return mulDivFloor(earnedForOrder, Math.min(refundedBaseMinor, earningBaseMinor), earningBaseMinor);
}
