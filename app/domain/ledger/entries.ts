import { z } from "zod";

const positivePoints = z.int().min(1);
const common = { idempotencyKey: z.string().min(1), explanation: z.string() };

/**
 * A ledger row as the domain sees it. `points` is a magnitude: the kind says which way it moves the figures
 * (see `applyEntry`). Only `adjust` is signed, because staff can add or take away.
 */
export const ledgerEntrySchema = z.discriminatedUnion("kind", [
  z.object({
    ...common,
    kind: z.literal("earn"),
    source: z.enum(["order", "signup", "import"]),
    points: positivePoints,
    /** Held until released (see `release`); counts in `pending`, not in `balance`. */
    pending: z.boolean(),
    programVersion: z.int().min(1).nullable(),
    orderGid: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal("adjust"),
    points: z.int().refine((points) => points !== 0, { error: "An adjustment cannot be zero points" }),
    reason: z.string().trim().min(1),
    actor: z.string().min(1),
  }),
  z.object({
    ...common,
    kind: z.literal("redeem"),
    points: positivePoints,
    rewardId: z.string().min(1),
    optionId: z.string(),
  }),
  z.object({
    ...common,
    kind: z.literal("reverse"),
    reason: z.enum(["refund", "cancel", "edit"]),
    points: positivePoints,
    /** Taken from points still held rather than from the balance. */
    pending: z.boolean(),
    orderGid: z.string().min(1),
    refundGid: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal("redemption_return"),
    points: positivePoints,
    rewardId: z.string().min(1),
    orderGid: z.string().min(1),
  }),
  z.object({ ...common, kind: z.literal("expire"), points: positivePoints }),
  z.object({ ...common, kind: z.literal("release"), points: positivePoints, orderGid: z.string().min(1) }),
]);

export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
export type LedgerEntryKind = LedgerEntry["kind"];
export type EntryOf<Kind extends LedgerEntryKind> = Extract<LedgerEntry, { kind: Kind }>;

/** The figures kept on the customer row; always equal to `recalculate` over the customer's entries. */
export interface LedgerTotals {
  /** Spendable now. May be negative: a debt left by a reversal, repaid by future earnings (decision 001). */
  balance: number;
  /** Earned but held until the pending period after fulfilment is over. Never negative. */
  pending: number;
  /** Points earned net of reversals, held ones included. Adjustments and expiry do not count as earning. */
  lifetimeEarned: number;
  /** Points spent on rewards net of points returned from refunded or cancelled reward orders. */
  lifetimeRedeemed: number;
}

export const zeroTotals: Readonly<LedgerTotals> = Object.freeze({
  balance: 0,
  pending: 0,
  lifetimeEarned: 0,
  lifetimeRedeemed: 0,
});

/**
 * How each kind moves each figure:
 *
 * | kind              | balance      | pending | lifetimeEarned | lifetimeRedeemed |
 * | earn              | +p (¬pending)| +p (pending) | +p        |                  |
 * | release           | +p           | −p      |                |                  |
 * | reverse           | −p (¬pending)| −p (pending) | −p        |                  |
 * | adjust (signed)   | +p           |         |                |                  |
 * | redeem            | −p           |         |                | +p               |
 * | redemption_return | +p           |         |                | −p               |
 * | expire            | −p           |         |                |                  |
 */
export function applyEntry(totals: LedgerTotals, entry: LedgerEntry): LedgerTotals {
  const p = entry.points;
  switch (entry.kind) {
    case "earn":
      return entry.pending
        ? { ...totals, pending: totals.pending + p, lifetimeEarned: totals.lifetimeEarned + p }
        : { ...totals, balance: totals.balance + p, lifetimeEarned: totals.lifetimeEarned + p };
    case "release":
      return { ...totals, pending: totals.pending - p, balance: totals.balance + p };
    case "reverse":
      return entry.pending
        ? { ...totals, pending: totals.pending - p, lifetimeEarned: totals.lifetimeEarned - p }
        : { ...totals, balance: totals.balance - p, lifetimeEarned: totals.lifetimeEarned - p };
    case "adjust":
      return { ...totals, balance: totals.balance + p };
    case "redeem":
      return { ...totals, balance: totals.balance - p, lifetimeRedeemed: totals.lifetimeRedeemed + p };
    case "redemption_return":
      return { ...totals, balance: totals.balance + p, lifetimeRedeemed: totals.lifetimeRedeemed - p };
    case "expire":
      return { ...totals, balance: totals.balance - p };
  }
}

/** Totals from the rows alone; the check that the customer row's figures can always be rebuilt. */
export function recalculate(entries: Iterable<LedgerEntry>): LedgerTotals {
  let totals: LedgerTotals = { ...zeroTotals };
  for (const entry of entries) totals = applyEntry(totals, entry);
  return totals;
}

/** The entry's effect on the spendable balance, for a signed "points" column or a history list. */
export function balanceDelta(entry: LedgerEntry): number {
  return applyEntry(zeroTotals, entry).balance;
}

/** Appends the debt note of decision 001 when an entry leaves the balance below zero. */
export function withBalanceNote(explanation: string, after: LedgerTotals): string {
  if (after.balance >= 0) return explanation;
  return `${explanation}; balance now \u2212${-after.balance}, repaid from future points`;
}
