import { z } from "zod";

const positivePoints = z.int().min(1);
const signedPoints = z.int().refine((points) => points !== 0, { error: "Points cannot be zero" });
const common = { idempotencyKey: z.string().min(1), explanation: z.string() };

/** The kinds an entry can have before it is moved; a moved entry keeps the kind it was written with. */
export const movableKindSchema = z.enum([
  "earn",
  "adjust",
  "redeem",
  "reverse",
  "redemption_return",
  "expire",
  "release",
  "correct",
  "referral",
]);
export type MovableKind = z.infer<typeof movableKindSchema>;

/**
 * One entry of a customer Shopify merged away, carried to the customer kept (`move_in`) and taken off the one merged
 * (`move_out`). `points` and `pending` are the moved entry's own, so the pair moves exactly its effect on every figure.
 */
const moveShape = {
  ...common,
  movedKind: movableKindSchema,
  points: z.int(),
  pending: z.boolean(),
  /** The other customer of the move: where the entry went (move_out) or came from (move_in). */
  counterpartGid: z.string().min(1),
  /** The moved entry's source (an order, a reward), so the activity log still links to it. */
  sourceGid: z.string().nullable(),
};

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
    /** referral: a referral's reward taken back (its order refunded or cancelled in the pending period, or staff). */
    reason: z.enum(["refund", "cancel", "edit", "referral"]),
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
  z.object({
    ...common,
    kind: z.literal("correct"),
    /**
     * Signed. An earning decided on a customer fact that later proved false (a tag, a state), set right: negative takes
     * back what was paid, positive pays what was withheld. See customer-events.ts.
     */
    points: signedPoints,
    /** Moves held points rather than the balance, as the order's own earn did. */
    pending: z.boolean(),
    /** Absent for the sign-up bonus. */
    orderGid: z.string().optional(),
    /** Set when the correction takes back an import batch (its `imports.id`): the batch's undo (decision 023). */
    importId: z.string().optional(),
  }),
  z.object({
    ...common,
    kind: z.literal("referral"),
    /** The advocate's reward for a completed referral (app/domain/referrals), as points. */
    points: positivePoints,
    /** Held through the referral program's pending period, then released like an order's points. */
    pending: z.boolean(),
    referralId: z.string().min(1),
    /** The friend's order that completed the referral. */
    orderGid: z.string().min(1),
  }),
  z.object({ ...moveShape, kind: z.literal("move_in") }),
  z.object({ ...moveShape, kind: z.literal("move_out") }),
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
 * | referral          | +p (¬pending)| +p (pending) | +p        |                  |
 * | correct (signed)  | +p (¬pending)| +p (pending) | +p        |                  |
 * | release           | +p           | −p      |                |                  |
 * | reverse           | −p (¬pending)| −p (pending) | −p        |                  |
 * | adjust (signed)   | +p           |         |                |                  |
 * | redeem            | −p           |         |                | +p               |
 * | redemption_return | +p           |         |                | −p               |
 * | expire            | −p           |         |                |                  |
 * | move_in           | the moved entry's effect                                    |
 * | move_out          | minus the moved entry's effect                              |
 */
export function applyEntry(totals: LedgerTotals, entry: LedgerEntry): LedgerTotals {
  const delta =
    entry.kind === "move_in" || entry.kind === "move_out"
      ? effectOf(entry.movedKind, entry.points, entry.pending)
      : effectOf(entry.kind, entry.points, "pending" in entry ? entry.pending : false);
  const sign = entry.kind === "move_out" ? -1 : 1;
  return {
    balance: totals.balance + sign * delta.balance,
    pending: totals.pending + sign * delta.pending,
    lifetimeEarned: totals.lifetimeEarned + sign * delta.lifetimeEarned,
    lifetimeRedeemed: totals.lifetimeRedeemed + sign * delta.lifetimeRedeemed,
  };
}

function effectOf(kind: MovableKind, p: number, pending: boolean): LedgerTotals {
  const none = { balance: 0, pending: 0, lifetimeEarned: 0, lifetimeRedeemed: 0 };
  switch (kind) {
    case "earn":
    case "correct":
    case "referral":
      return pending ? { ...none, pending: p, lifetimeEarned: p } : { ...none, balance: p, lifetimeEarned: p };
    case "release":
      return { ...none, pending: -p, balance: p };
    case "reverse":
      return pending ? { ...none, pending: -p, lifetimeEarned: -p } : { ...none, balance: -p, lifetimeEarned: -p };
    case "adjust":
      return { ...none, balance: p };
    case "redeem":
      return { ...none, balance: -p, lifetimeRedeemed: p };
    case "redemption_return":
      return { ...none, balance: p, lifetimeRedeemed: -p };
    case "expire":
      return { ...none, balance: -p };
  }
}

const negatedWhenStored: ReadonlySet<MovableKind> = new Set(["reverse", "redeem", "expire"]);

/**
 * The signed number a ledger row stores in `points`: the direction the entry moves the customer's points (reversals,
 * redemptions and expiry negative), so the activity log reads naturally. A move_out stores the opposite of what it
 * moved. `pointsFromStored` is its inverse, for rebuilding entries from rows.
 */
export function storedPoints(entry: LedgerEntry): number {
  if (entry.kind === "move_in" || entry.kind === "move_out") {
    const moved = negatedWhenStored.has(entry.movedKind) ? -entry.points : entry.points;
    return entry.kind === "move_out" ? -moved : moved;
  }
  return negatedWhenStored.has(entry.kind) ? -entry.points : entry.points;
}

/** The entry's own `points` from a row's stored number: see `storedPoints`. */
export function pointsFromStored(kind: MovableKind, stored: number): number {
  return negatedWhenStored.has(kind) ? -stored : stored;
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
