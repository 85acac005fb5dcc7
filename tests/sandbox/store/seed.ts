/**
 * What a seeded shop is made of, and the generator that makes it: record i of a seed is computable without generating
 * records 0..i-1, so a million-customer shop is a plan and a few typed arrays, never a million objects.
 */
export interface SeedOptions {
  customers: number;
  orders: number;
  abandonedCheckouts?: number;
  seed?: number;
  /** Seeded history ends here (default: start of the current UTC day), so timestamps are never in the future. */
  until?: string;
}

export interface SeedPlan {
  seed: number;
  customers: number;
  orders: number;
  checkouts: number;
  startMs: number;
  endMs: number;
}

export const DAY = 86_400_000;

export const emptyPlan = (): SeedPlan => ({ seed: 0, customers: 0, orders: 0, checkouts: 0, startMs: 0, endMs: 0 });

/** A stateless hash-based generator: record i of a seed is computable without generating records 0..i-1. */
export function rand(seed: number, stream: number, i: number, salt = 0): number {
  let h =
    Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35) ^ Math.imul(i + 1, 0x27d4eb2f) ^ salt;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export const pick = <T>(list: readonly T[], r: number): T => list[Math.floor(r * list.length)]!;

/** Record streams of `rand`: one per kind, so adding a kind never changes another kind's records. */
export const STREAM = { customers: 1, orders: 2, checkouts: 3 } as const;
