import { DomainError, mulDivFloor } from "~/domain/shared";

function assertWhole(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DomainError("invalid_input", `${name} must be a non-negative whole number, got ${value}`);
  }
}

/** The program's earning rate as it was when an order was paid: `pointsPerUnit` points per `unitMinor`. */
export interface EarningRate {
  pointsPerUnit: number;
  unitMinor: number;
}

/** Points for an amount of earning base at a rate, rounded down: floor(base × pointsPerUnit / unitMinor). */
export function pointsForBase(rate: EarningRate, baseMinor: number): number {
  assertWhole("earning base", baseMinor);
  return mulDivFloor(baseMinor, rate.pointsPerUnit, rate.unitMinor);
}

/**
 * The part of the earning base a refund gave back, in shop money: the goods money given back in proportion to the
 * goods money paid (base plus its tax), floor(goodsBack × base / goodsPaid). So 113.00 back on an order whose 100.00
 * of goods cost 113.00 with tax is 100.00 of base. With no goods money paid (nothing earned at payment) the money is
 * taken as base. Never capped here: refunds of goods added by later edits can pass the base at payment.
 */
export function refundedBase(input: { goodsBackMinor: number; goodsPaidMinor: number; baseMinor: number }): number {
  const { goodsBackMinor, goodsPaidMinor, baseMinor } = input;
  assertWhole("goods money given back", goodsBackMinor);
  assertWhole("goods money paid", goodsPaidMinor);
  assertWhole("earning base", baseMinor);
  if (goodsPaidMinor === 0) return goodsBackMinor;
  return mulDivFloor(goodsBackMinor, baseMinor, goodsPaidMinor);
}

/**
 * Points one refund takes back, on its own: the program rate of the order's payment applied to the base it gave back,
 * floor(goodsBack × base × pointsPerUnit / (goodsPaid × unitMinor)) in one rounding. Independent of any other refund,
 * so each refund's entry has the same points whatever order refunds arrive in; a full refund comes to exactly what
 * the base earned (floor(goodsPaid × base × rate / goodsPaid) = floor(base × rate)). Capping at what the order still
 * holds is the planner's job.
 */
export function refundPoints(input: {
  goodsBackMinor: number;
  goodsPaidMinor: number;
  baseMinor: number;
  rate: EarningRate;
}): number {
  const { goodsBackMinor, goodsPaidMinor, baseMinor, rate } = input;
  assertWhole("goods money given back", goodsBackMinor);
  assertWhole("goods money paid", goodsPaidMinor);
  assertWhole("earning base", baseMinor);
  assertWhole("points per unit", rate.pointsPerUnit);
  assertWhole("unit", rate.unitMinor);
  if (rate.unitMinor === 0) throw new DomainError("invalid_input", "the earning unit cannot be zero");
  if (goodsPaidMinor === 0) return pointsForBase(rate, goodsBackMinor);
  const points =
    (BigInt(goodsBackMinor) * BigInt(baseMinor) * BigInt(rate.pointsPerUnit)) /
    (BigInt(goodsPaidMinor) * BigInt(rate.unitMinor));
  return Number(points);
}

/**
 * How many of an order's points refunds should have taken back in total, given everything refunded so far:
 * floor(earned × refunded / base), and exactly `earned` once the whole base is refunded. Used to check that per-refund
 * entries never run ahead of the order's proportional target.
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
