import { z } from "zod";
import { currencyCodeSchema, DomainError, formatMinor, percentOf } from "~/domain/shared";
import {
  formatPoints,
  orderLabel,
  pointsForOrder,
  refundShare,
  type CustomerEarningContext,
  type Earning,
  type Program,
} from "~/domain/program";
import { applyEntry, withBalanceNote, type LedgerEntry, type LedgerTotals } from "./entries";
import { ledgerKeys } from "./keys";

/*
 * Shopify delivers order webhooks at least once and in any order, so this planner is built so that the ledger it
 * produces depends only on the set of facts seen, never on their arrival order:
 *
 * - The earn entry is computed on the subtotal at payment and nothing else. Earning "net of refunds already known"
 *   would give the earn entry different points depending on whether a refund overtook orders/paid.
 * - Each refund reverses its own share, floor(earned × refunded / base), independent of other refunds. A cumulative
 *   difference (target after minus target before) would split the same total differently between refunds depending
 *   on which came first. Refunds seen before the payment are kept and reversed the moment the payment arrives.
 * - Whatever rounding leaves behind is taken by one closing entry (`reverse:close:<order>`) when the order is cancelled
 *   or fully refunded, so a full refund reverses exactly what was earned however it was split.
 * - orders/cancelled carries the refunds the order had when it was cancelled; they are recorded before the closing
 *   entry is computed, so a cancellation that overtakes its own refunds still leaves each refund its share.
 *
 * The one ordering this cannot undo is a refund created after the cancellation that reaches us before it: its share
 * is already written when the cancellation arrives, so the closing entry is smaller. Totals are still the same (the
 * order ends with everything reversed) and nothing is reversed twice.
 *
 * Releasing held points is not a webhook but a clock reading (`planOrderRelease`), outside this guarantee. A refund
 * after the release takes from the balance instead of the held points, with the same key and points; the release
 * row moves what the order held at that moment, so its size depends on when it ran, but the totals do not.
 */

const orderGidSchema = z.string().min(1);
const refundFactSchema = z.object({
  refundGid: z.string().min(1),
  /** The part of the earning base this refund gave back: refunded line items after discounts, no shipping or tax. */
  refundedBaseMinor: z.int().min(0),
});
export type RefundFact = z.infer<typeof refundFactSchema>;

export const orderEventSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("paid"),
    orderGid: orderGidSchema,
    orderName: z.string().optional(),
    /** Current subtotal at payment in shop currency: after discounts, before shipping and tax. */
    subtotalMinor: z.int().min(0),
    currency: currencyCodeSchema,
    /** The reward whose code paid part of this order, with the points it cost. */
    redemption: z
      .object({ rewardId: z.string().min(1), points: z.int().min(1) })
      .nullable()
      .default(null),
  }),
  z.object({ kind: z.literal("refund"), orderGid: orderGidSchema, ...refundFactSchema.shape }),
  z.object({
    kind: z.literal("cancelled"),
    orderGid: orderGidSchema,
    orderName: z.string().optional(),
    /** The order's refunds as listed in the orders/cancelled payload. */
    refunds: z.array(refundFactSchema).default([]),
  }),
  z.object({
    kind: z.literal("fulfilled"),
    orderGid: orderGidSchema,
    orderName: z.string().optional(),
    fulfilledAt: z.iso.datetime({ offset: true }),
  }),
]);

export type OrderEvent = z.input<typeof orderEventSchema>;

/** Everything Tally knows about one order's points; stored per order (a JSON column or columns), one row per order. */
export const orderPointsStateSchema = z.object({
  orderGid: orderGidSchema,
  orderName: z.string().nullable(),
  paid: z
    .object({
      subtotalMinor: z.int().min(0),
      currency: currencyCodeSchema,
      earned: z.int().min(0),
      skippedReason: z.string().nullable(),
      programVersion: z.int().min(1),
      /** Days after fulfilment the points stay held, fixed at payment; null when they were available at once. */
      holdDays: z.int().min(1).nullable(),
      returnRedeemedPoints: z.boolean(),
      redemption: z.object({ rewardId: z.string(), points: z.int().min(1) }).nullable(),
    })
    .nullable(),
  /** Every refund seen, by refund GID, paid or not yet. */
  refunds: z.record(z.string(), z.int().min(0)),
  cancelled: z.boolean(),
  /** The earliest fulfilment seen; the pending period counts from it. */
  fulfilledAt: z.string().nullable(),
  reversed: z.int().min(0),
  closed: z.boolean(),
  released: z.boolean(),
  redemptionReturned: z.boolean(),
  /** How many times a customer fact learned late changed what this order earns (customer-events.ts). */
  corrections: z.int().min(0).optional(),
});

export type OrderPointsState = z.infer<typeof orderPointsStateSchema>;

export function emptyOrderState(orderGid: string): OrderPointsState {
  return {
    orderGid,
    orderName: null,
    paid: null,
    refunds: {},
    cancelled: false,
    fulfilledAt: null,
    reversed: 0,
    closed: false,
    released: false,
    redemptionReturned: false,
  };
}

/**
 * An order that was already paid when the shop installed Tally. Loyalty starts at install: the order is recorded as
 * paid and earning nothing, so a later re-read of it (reconciliation, a refund) never turns into points for the past.
 */
export function preInstallPaidState(
  current: OrderPointsState,
  input: { orderName: string | null; subtotalMinor: number; currency: string; programVersion: number },
): OrderPointsState {
  if (current.paid) return current;
  return {
    ...current,
    orderName: current.orderName ?? input.orderName,
    paid: {
      subtotalMinor: input.subtotalMinor,
      currency: currencyCodeSchema.parse(input.currency),
      earned: 0,
      skippedReason: "before_install",
      programVersion: input.programVersion,
      holdDays: null,
      returnRedeemedPoints: false,
      redemption: null,
    },
  };
}

export interface OrderPlanContext {
  /** The program as it is now; only orders/paid reads it, and what it decided is kept in the state. */
  program: Program;
  customer: CustomerEarningContext;
  /** The customer's totals before this event; used to word debt notes and returned updated. */
  totals: LedgerTotals;
}

export interface OrderPlan {
  state: OrderPointsState;
  /** Entries to append, in order, each with its idempotency key. Empty for a duplicate. */
  entries: LedgerEntry[];
  totals: LedgerTotals;
  /** Present when this event was the payment: what was earned, or skipped and why, for the service to log. */
  earning?: Earning;
}

class Writer {
  entries: LedgerEntry[] = [];
  constructor(public totals: LedgerTotals) {}

  /** Appends an entry, adding the debt note of decision 001 if it leaves the balance below zero. */
  emit(entry: LedgerEntry): void {
    this.totals = applyEntry(this.totals, entry);
    this.entries.push({ ...entry, explanation: withBalanceNote(entry.explanation, this.totals) });
  }
}

function isHeld(state: OrderPointsState): boolean {
  return state.paid !== null && state.paid.holdDays !== null && !state.released;
}

function heldNote(state: OrderPointsState): string {
  return isHeld(state) ? ", from held points" : "";
}

function applyRefund(state: OrderPointsState, refundGid: string, out: Writer): void {
  const paid = state.paid;
  const refundedBaseMinor = state.refunds[refundGid];
  if (!paid || state.closed || refundedBaseMinor === undefined) return;
  const share = refundShare({ earnedForOrder: paid.earned, earningBaseMinor: paid.subtotalMinor, refundedBaseMinor });
  const points = Math.min(share, paid.earned - state.reversed);
  if (points <= 0) return;
  const base = formatMinor(paid.subtotalMinor, paid.currency);
  out.emit({
    kind: "reverse",
    reason: "refund",
    idempotencyKey: ledgerKeys.reverseRefund(refundGid),
    points,
    pending: isHeld(state),
    orderGid: state.orderGid,
    refundGid,
    explanation:
      `${formatPoints(-points)}: refund on ${orderLabel(state.orderName ?? undefined)} ` +
      `(${percentOf(refundedBaseMinor, paid.subtotalMinor)}% of ${base})${heldNote(state)}`,
  });
  state.reversed += points;
}

function isFullyRefunded(state: OrderPointsState): boolean {
  if (!state.paid || state.paid.subtotalMinor === 0) return false;
  const refunded = Object.values(state.refunds).reduce((sum, amount) => sum + amount, 0);
  return refunded >= state.paid.subtotalMinor;
}

function closeIfDone(state: OrderPointsState, out: Writer): void {
  const paid = state.paid;
  if (!paid || state.closed || !(state.cancelled || isFullyRefunded(state))) return;
  state.closed = true;
  const order = orderLabel(state.orderName ?? undefined);
  const what = state.cancelled ? "cancelled" : "fully refunded";
  const rest = paid.earned - state.reversed;
  if (rest > 0) {
    out.emit({
      kind: "reverse",
      reason: state.cancelled ? "cancel" : "refund",
      idempotencyKey: ledgerKeys.reverseClose(state.orderGid),
      points: rest,
      pending: isHeld(state),
      orderGid: state.orderGid,
      explanation: `${formatPoints(-rest)}: ${order} ${what}, reversing the rest of its points${heldNote(state)}`,
    });
    state.reversed = paid.earned;
  }
  if (paid.redemption && paid.returnRedeemedPoints && !state.redemptionReturned) {
    out.emit({
      kind: "redemption_return",
      idempotencyKey: ledgerKeys.redemptionReturn(paid.redemption.rewardId),
      points: paid.redemption.points,
      rewardId: paid.redemption.rewardId,
      orderGid: state.orderGid,
      explanation: `${formatPoints(paid.redemption.points)}: ${order} ${what}, points spent on its reward returned`,
    });
    state.redemptionReturned = true;
  }
}

function copyState(state: OrderPointsState): OrderPointsState {
  return {
    ...state,
    paid: state.paid && { ...state.paid, redemption: state.paid.redemption && { ...state.paid.redemption } },
    refunds: { ...state.refunds },
  };
}

/**
 * The entries one order webhook adds and the order's next state. Pure and total: a duplicate returns no entries and
 * the same state, and any arrival order of the same events ends with the same entries (by key and points) and totals.
 */
export function planOrderEvent(current: OrderPointsState, input: OrderEvent, ctx: OrderPlanContext): OrderPlan {
  const event = orderEventSchema.parse(input);
  if (event.orderGid !== current.orderGid) {
    throw new DomainError("invalid_input", `event for ${event.orderGid} applied to ${current.orderGid}`);
  }
  const state = copyState(current);
  const out = new Writer(ctx.totals);
  if ("orderName" in event && event.orderName && !state.orderName) state.orderName = event.orderName;
  let earning: Earning | undefined;

  switch (event.kind) {
    case "paid": {
      if (state.paid) break;
      const { program } = ctx;
      earning = pointsForOrder({
        program,
        subtotalMinor: event.subtotalMinor,
        currency: event.currency,
        orderName: state.orderName ?? undefined,
        ...ctx.customer,
      });
      const holdDays = program.settings.pendingDays > 0 ? program.settings.pendingDays : null;
      state.paid = {
        subtotalMinor: event.subtotalMinor,
        currency: event.currency,
        earned: earning.points,
        skippedReason: earning.skippedReason ?? null,
        programVersion: program.version,
        holdDays,
        returnRedeemedPoints: program.settings.returnRedeemedPoints,
        redemption: event.redemption,
      };
      if (earning.points > 0) {
        out.emit({
          kind: "earn",
          source: "order",
          idempotencyKey: ledgerKeys.earnOrder(state.orderGid),
          points: earning.points,
          pending: holdDays !== null,
          programVersion: program.version,
          orderGid: state.orderGid,
          explanation:
            holdDays === null
              ? earning.explanation
              : `${earning.explanation}; held until ${holdDays} days after fulfilment`,
        });
      }
      for (const refundGid of Object.keys(state.refunds).sort()) applyRefund(state, refundGid, out);
      break;
    }
    case "refund": {
      if (event.refundGid in state.refunds) break;
      state.refunds[event.refundGid] = event.refundedBaseMinor;
      applyRefund(state, event.refundGid, out);
      break;
    }
    case "cancelled": {
      for (const refund of event.refunds) {
        if (refund.refundGid in state.refunds) continue;
        state.refunds[refund.refundGid] = refund.refundedBaseMinor;
        applyRefund(state, refund.refundGid, out);
      }
      state.cancelled = true;
      break;
    }
    case "fulfilled": {
      if (state.fulfilledAt === null || Date.parse(event.fulfilledAt) < Date.parse(state.fulfilledAt)) {
        state.fulfilledAt = new Date(Date.parse(event.fulfilledAt)).toISOString();
      }
      break;
    }
  }
  closeIfDone(state, out);
  return { state, entries: out.entries, totals: out.totals, ...(earning ? { earning } : {}) };
}

const dayMs = 24 * 60 * 60 * 1000;

/** When the order's held points become spendable; null if nothing is held or the order is not fulfilled yet. */
export function orderReleaseAt(state: OrderPointsState): Date | null {
  if (!state.paid || state.paid.holdDays === null || state.released || state.fulfilledAt === null) return null;
  return new Date(Date.parse(state.fulfilledAt) + state.paid.holdDays * dayMs);
}

/**
 * Releases an order's held points once `now` is past the pending period after fulfilment. What is released is what
 * the order still holds, so refunds before the release never leave held points behind.
 */
export function planOrderRelease(current: OrderPointsState, ctx: { now: Date; totals: LedgerTotals }): OrderPlan {
  const releaseAt = orderReleaseAt(current);
  const out = new Writer(ctx.totals);
  if (!current.paid || releaseAt === null || ctx.now.getTime() < releaseAt.getTime()) {
    return { state: current, entries: [], totals: ctx.totals };
  }
  const state = copyState(current);
  state.released = true;
  const points = current.paid.earned - current.reversed;
  if (points > 0) {
    out.emit({
      kind: "release",
      idempotencyKey: ledgerKeys.release(state.orderGid),
      points,
      orderGid: state.orderGid,
      explanation:
        `${formatPoints(points)}: points from ${orderLabel(state.orderName ?? undefined)} released, ` +
        `${current.paid.holdDays} days after fulfilment`,
    });
  }
  return { state, entries: out.entries, totals: out.totals };
}
