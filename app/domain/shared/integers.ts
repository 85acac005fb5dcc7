import { DomainError } from "./errors";

/**
 * floor(a × b / c) for non-negative safe integers. Goes through BigInt because a × b overflows 2^53 long before the
 * result does (a 100,000,000.00 order times a points figure is already past it), and a float would round silently.
 */
export function mulDivFloor(a: number, b: number, c: number): number {
  for (const value of [a, b, c]) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new DomainError("invalid_input", `expected a non-negative whole number, got ${value}`);
    }
  }
  if (c === 0) throw new DomainError("invalid_input", "cannot divide by zero");
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}
