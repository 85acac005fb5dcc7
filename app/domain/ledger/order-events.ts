import { z } from "zod";
import { currencyCodeSchema, DomainError, mulDivFloor, percentOf, formatRecordMoney } from "~/domain/shared";
import {
  describeBase,
  earningBaseOf,
  formatPoints,
  goodsLineSchema,
  lineValueOf,
  orderLabel,
  pointsForBase,
  pointsForOrder,
  rateWords,
  refundedBase,
  refundPoints,
  unitsValue,
  type CustomerEarningContext,
  type Earning,
  type EarningRate,
  type Program,
} from "~/domain/program";
import { applyEntry, withBalanceNote, zeroTotals, type LedgerEntry, type LedgerTotals } from "./entries";
import { ledgerKeys } from "./keys";

/*
 * Shopify delivers order webhooks at least once and in any order, so this planner is built so that the ledger it
 * produces depends only on the set of facts seen, never on their arrival order:
 *
 * - The earn entry is computed on the earning base at payment and nothing else (`earningBase`: the subtotal less gift
 *   cards and any tax or duties inside prices). Earning "net of refunds already known" would give the earn entry
 *   different points depending on whether a refund overtook orders/paid.
 * - Each refund reverses its own share of the goods money given back (`refundPoints`), independent of other refunds.
 *   A cumulative difference (target after minus target before) would split the same total differently between refunds
 *   depending on which came first. Refunds seen before the payment are kept and reversed the moment it arrives.
 * - Each committed order edit (orders/edited) earns for the units it added and reverses for the units it removed, on
 *   its own, at the rate of the payment; its line prices come from any order payload that lists the line (orders/paid,
 *   orders/updated), so an edit waits until both the payment and its lines are known. An edit committed before the
 *   payment is already in the subtotal and counts nothing.
 * - Whatever rounding leaves behind is taken by one closing entry (`reverse:close:<order>`) when the order is cancelled
 *   or all goods money paid has come back, so a full refund reverses exactly what was earned however it was split.
 * - orders/cancelled and orders/updated carry the order's refunds; they are recorded before the closing entry is
 *   computed, so a cancellation that overtakes its own refunds still leaves each refund its share.
 *
 * Removing items by an edit and refunding their money are the same goods going back twice over, so the two are
 * matched: points an edit took back are not taken again by a later refund, and points a refund took back are not taken
 * again by a later edit (`editCredit`, `refundCredit`). The order's total reversal is then the larger of the two, in
 * whatever order they arrive; which entry carries which points depends on arrival only when an order has both an edit
 * that removed goods and a refund.
 *
 * A refund can also overtake the edit that added the goods it refunds: what the order cannot give back yet is owed,
 * and the edit's points pay it when the edit arrives. If those refunds had already given back everything paid before
 * the edit, the order closed early; the edit reopens it, gives back what the closing entry reversed (less what the order
 * still owes) and takes back the reward points the closing returned.
 *
 * The one ordering this cannot undo is a refund created after the cancellation that reaches us before it: its share
 * is already written when the cancellation arrives, so the closing entry is smaller. Totals are still the same (the
 * order ends with everything reversed) and nothing is reversed twice. Likewise an edit that reaches us after the
 * cancellation counts nothing.
 *
 * Releasing held points is not a webhook but a clock reading (`planOrderRelease`), outside this guarantee. A refund
 * after the release takes from the balance instead of the held points, with the same key and points; the release
 * row moves what the order held at that moment, so its size depends on when it ran, but the totals do not.
 */

const orderGidSchema = z.string().min(1);
const isoDate = z.iso.datetime({ offset: true });

export const refundFactSchema = z.object({
  refundGid: z.string().min(1),
  /** The currency of the amounts below: the refund transactions' own; null for the shop's. */
  currency: currencyCodeSchema.nullable().default(null),
  /** Goods money given back (`goodsMoneyBack`): successful refund transactions less shipping, duties, gift cards. */
  goodsBackMinor: z.int().min(0),
  /** All money given back, shipping included: what the order shows as refunded. Defaults to the goods money. */
  moneyBackMinor: z.int().min(0).nullable().default(null),
});
export type RefundFact = z.input<typeof refundFactSchema>;

const editLineSchema = z.object({ lineGid: z.string().min(1), units: z.int().min(1) });

export const editFactSchema = z.object({
  /** Shopify's `order_edit.id`: one committed edit. */
  editId: z.string().min(1),
  committedAt: isoDate.nullable().default(null),
  additions: z.array(editLineSchema).default([]),
  removals: z.array(editLineSchema).default([]),
});
export type EditFact = z.input<typeof editFactSchema>;

/** An order payload's line items with the order's price flags: the prices edits are valued at. */
const linesShape = {
  taxesIncluded: z.boolean().default(false),
  dutiesIncluded: z.boolean().default(false),
  lines: z.array(goodsLineSchema).default([]),
};

export const orderEventSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("paid"),
    orderGid: orderGidSchema,
    orderName: z.string().optional(),
    /** Shopify's current subtotal at payment in shop money: after discounts, without shipping or tips. */
    subtotalMinor: z.int().min(0),
    currency: currencyCodeSchema,
    ...linesShape,
    /** Tax on goods from the order's totals, used when lines carry no tax lines (see `OrderGoods`). */
    orderGoodsTaxMinor: z.int().min(0).default(0),
    /** The subtotal in the currency the customer paid in, when it is not the shop's: converts refunds to shop money. */
    presentment: z
      .object({ currency: currencyCodeSchema, subtotalMinor: z.int().min(0) })
      .nullable()
      .default(null),
    /** The order's updated_at as paid; an edit committed before it is already in the subtotal. */
    paidAt: isoDate.nullable().default(null),
    /** Everything the customer paid (Shopify's total price in shop money); tells a full refund from a partial one. */
    totalMinor: z.int().min(0).nullable().default(null),
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
    fulfilledAt: isoDate,
  }),
  z.object({ kind: z.literal("edited"), orderGid: orderGidSchema, ...editFactSchema.shape }),
  z.object({
    kind: z.literal("updated"),
    orderGid: orderGidSchema,
    orderName: z.string().optional(),
    ...linesShape,
    /** The order's refunds as listed in the payload: a missed refunds/create heals here. */
    refunds: z.array(refundFactSchema).default([]),
  }),
]);

export type OrderEvent = z.input<typeof orderEventSchema>;

const rateSchema = z.object({ pointsPerUnit: z.int().min(1), unitMinor: z.int().min(1) });
const lineValueSchema = z.object({ quantity: z.int().min(0), baseMinor: z.int().min(0), goodsMinor: z.int().min(0) });
const storedRefundSchema = z.object({
  currency: currencyCodeSchema.nullable(),
  goodsBackMinor: z.int().min(0),
  moneyBackMinor: z.int().min(0),
});
const storedEditSchema = z.object({
  committedAt: z.string().nullable(),
  additions: z.array(editLineSchema),
  removals: z.array(editLineSchema),
  /** pending: waiting for the payment or a line's price; before_payment / after_close: counted nothing. */
  status: z.enum(["pending", "applied", "before_payment", "after_close"]),
  /** Points the edit added (positive) or removed (negative) before matching against refunds. */
  points: z.int(),
});

/** Everything Tally knows about one order's points; stored per order (a JSON column), one row per order. */
export const orderPointsStateSchema = z.object({
  orderGid: orderGidSchema,
  orderName: z.string().nullable(),
  paid: z
    .object({
      /** Shopify's subtotal at payment, as the merchant saw it. */
      subtotalMinor: z.int().min(0),
      /** The earning base at payment (`earningBase`). */
      baseMinor: z.int().min(0),
      /** Goods money paid: the base plus its tax. Refunds are measured against it. */
      goodsMinor: z.int().min(0),
      /** How the base came from the subtotal: "120.00 less 20.00 tax". */
      basis: z.string(),
      currency: currencyCodeSchema,
      earned: z.int().min(0),
      skippedReason: z.string().nullable(),
      programVersion: z.int().min(1),
      /** The program's rate at payment; edits and refunds of this order use it, whatever the program says later. */
      rate: rateSchema,
      paidAt: z.string().nullable(),
      /** Shopify's total price at payment, in shop money, when known. */
      totalMinor: z.int().min(0).nullable(),
      presentment: z
        .object({ currency: currencyCodeSchema, subtotalMinor: z.int().min(0), shopSubtotalMinor: z.int().min(0) })
        .nullable(),
      /** Days after fulfilment the points stay held, fixed at payment; null when they were available at once. */
      holdDays: z.int().min(1).nullable(),
      returnRedeemedPoints: z.boolean(),
      redemption: z.object({ rewardId: z.string(), points: z.int().min(1) }).nullable(),
    })
    .nullable(),
  /** Every refund seen, by refund GID, paid or not yet. */
  refunds: z.record(z.string(), storedRefundSchema),
  /** Line prices seen in any order payload, by line item GID; first seen wins (a line's price never changes). */
  lines: z.record(z.string(), lineValueSchema),
  /** Every committed edit seen, by `order_edit.id`. */
  edits: z.record(z.string(), storedEditSchema),
  cancelled: z.boolean(),
  /** The earliest fulfilment seen; the pending period counts from it. */
  fulfilledAt: z.string().nullable(),
  /** Points earned by edits that added goods, and closings given back on reopening, on top of `paid.earned`. */
  editEarned: z.int().min(0),
  /** Every point reversed on this order: refunds, edits and the closing entry. */
  reversed: z.int().min(0),
  /** Points edits took back that no refund has matched yet. */
  editCredit: z.int().min(0),
  /** Points refunds took back that no edit has matched yet. */
  refundCredit: z.int().min(0),
  /** Goods money edits added beyond what they removed, in shop money: money paid in after the payment. */
  goodsAddedMinor: z.int().min(0),
  /**
   * Points a refund or edit should have taken back but the order did not hold yet (its refund overtook the edit that
   * added the goods it refunds); the next points an edit earns on this order pay it first.
   */
  reversalOwed: z.int().min(0),
  /** The order is over (cancelled, or all goods money paid came back) and holds nothing. */
  closed: z.boolean(),
  /** Closing entries written: a late edit can bring points to a closed order, and they are closed again. */
  closings: z.int().min(0),
  /** Times a fully refunded order had goods paid for again (a late edit that added goods) and reopened. */
  reopenings: z.int().min(0),
  /**
   * Points the closing entries reversed since the order last closed: given back (less what the order owes) if a late
   * edit reopens it, since the closing only stood for an order that was over. Absent in states stored before it.
   */
  closingReversed: z.int().min(0).optional(),
  released: z.boolean(),
  redemptionReturned: z.boolean(),
  /** How many times a customer fact learned late changed what this order earns (customer-events.ts). */
  corrections: z.int().min(0).optional(),
});

export type OrderPointsState = z.infer<typeof orderPointsStateSchema>;

export function emptyOrderState(orderGid: string): OrderPointsState {
  // Made here in today's shape: reading it (orderReleaseAt, preInstallPaidState) needs no parse once its id is checked.
  return known({
    orderGid: orderGidSchema.parse(orderGid),
    orderName: null,
    paid: null,
    refunds: {},
    lines: {},
    edits: {},
    cancelled: false,
    fulfilledAt: null,
    editEarned: 0,
    reversed: 0,
    editCredit: 0,
    refundCredit: 0,
    goodsAddedMinor: 0,
    reversalOwed: 0,
    closed: false,
    closings: 0,
    reopenings: 0,
    released: false,
    redemptionReturned: false,
  });
}

const defaultRate: EarningRate = { pointsPerUnit: 1, unitMinor: 100 };

/**
 * States this module parsed or produced (decision 039): each is in today's shape already, so reading one again skips
 * the schema. An order's effect hands the planner's state on to the release date and the referral rules; parsing it
 * again in each cost an order about five full parses. A state read from the database is never in here: it is parsed.
 */
const inTodaysShape = new WeakSet<OrderPointsState>();

function known(state: OrderPointsState): OrderPointsState {
  inTodaysShape.add(state);
  return state;
}

/**
 * A stored state in today's shape. States written before the earning base and edits existed kept refunds as a bare
 * refunded base and the paid subtotal as the base: they read back with the same meaning (goods money = base), and
 * `rate` (the program's at payment, which they did not record) taken as the given one.
 */
export function normalizeOrderState(raw: unknown, rate: EarningRate = defaultRate): OrderPointsState {
  if (inTodaysShape.has(raw as OrderPointsState)) return raw as OrderPointsState;
  const value = raw as Record<string, unknown> & { paid?: Record<string, unknown> | null };
  const refunds = Object.fromEntries(
    Object.entries((value.refunds ?? {}) as Record<string, unknown>).map(([gid, fact]) => [
      gid,
      typeof fact === "number" ? { currency: null, goodsBackMinor: fact, moneyBackMinor: fact } : fact,
    ]),
  );
  const paid = value.paid
    ? {
        baseMinor: value.paid.subtotalMinor,
        goodsMinor: value.paid.subtotalMinor,
        basis: formatRecordMoney(Number(value.paid.subtotalMinor), String(value.paid.currency)),
        rate,
        paidAt: null,
        totalMinor: null,
        presentment: null,
        ...value.paid,
      }
    : null;
  const closings = value.closings ?? (value.closed ? 1 : 0);
  return known(
    orderPointsStateSchema.parse({
      ...emptyOrderState(String(value.orderGid)),
      ...value,
      refunds,
      paid,
      closings,
    }),
  );
}

/**
 * An order that was already paid when the shop installed Tally. Loyalty starts at install: the order is recorded as
 * paid and earning nothing, so a later re-read of it (reconciliation, a refund, an edit) never turns into points for
 * the past.
 */
export function preInstallPaidState(
  currentState: OrderPointsState,
  input: { orderName: string | null; subtotalMinor: number; currency: string; programVersion: number },
): OrderPointsState {
  const current = normalizeOrderState(currentState);
  if (current.paid) return current;
  const currency = currencyCodeSchema.parse(input.currency);
  const state: OrderPointsState = {
    ...current,
    orderName: current.orderName ?? input.orderName,
    paid: {
      subtotalMinor: input.subtotalMinor,
      baseMinor: input.subtotalMinor,
      goodsMinor: input.subtotalMinor,
      basis: formatRecordMoney(input.subtotalMinor, currency),
      currency,
      earned: 0,
      skippedReason: "before_install",
      programVersion: input.programVersion,
      rate: defaultRate,
      paidAt: null,
      totalMinor: null,
      presentment: null,
      holdDays: null,
      returnRedeemedPoints: false,
      redemption: null,
    },
  };
  // What the schema would check of the input (the rest is built here, in today's shape): parsed only when it fails,
  // for the schema's error. A sync records hundreds of thousands of these (decision 030).
  const fits =
    Number.isInteger(input.subtotalMinor) &&
    input.subtotalMinor >= 0 &&
    Number.isInteger(input.programVersion) &&
    input.programVersion >= 1;
  return known(fits ? state : orderPointsStateSchema.parse(state));
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

type Paid = NonNullable<OrderPointsState["paid"]>;

function isHeld(state: OrderPointsState): boolean {
  return state.paid !== null && state.paid.holdDays !== null && !state.released;
}

function heldNote(state: OrderPointsState): string {
  return isHeld(state) ? ", from held points" : "";
}

/** Points the order still holds: earned at payment and by edits, less everything reversed. */
export function orderPointsHeld(state: OrderPointsState): number {
  if (!state.paid) return 0;
  return Math.max(0, state.paid.earned + state.editEarned - state.reversed);
}

/** An amount in the refund's currency as shop money, at the order's own rate between its two subtotals. */
function toShopMoney(paid: Paid, currency: string | null, amountMinor: number): number {
  const presentment = paid.presentment;
  if (currency === null || currency === paid.currency || !presentment || currency !== presentment.currency) {
    return amountMinor;
  }
  if (presentment.subtotalMinor === 0) return amountMinor;
  return mulDivFloor(amountMinor, presentment.shopSubtotalMinor, presentment.subtotalMinor);
}

/** Money the order's refunds gave back, in shop money (shipping included); for the order's facts. */
export function orderRefundedMinor(state: OrderPointsState): number {
  const paid = state.paid;
  return Object.values(state.refunds).reduce(
    (sum, refund) => sum + (paid ? toShopMoney(paid, refund.currency, refund.moneyBackMinor) : refund.moneyBackMinor),
    0,
  );
}

/**
 * The order's financial status now: Shopify's newest snapshot (orders/paid, orders/updated, reconciliation), moved on
 * by refunds that gave money back since, because refunds/create carries no status of its own. Money back that reaches
 * the total paid is "refunded", less is "partially_refunded"; a snapshot already past that is kept.
 */
export function financialStatusOf(stored: OrderPointsState, snapshotStatus: string | null): string | null {
  const state = normalizeOrderState(stored);
  const refunded = orderRefundedMinor(state);
  if (refunded === 0 || snapshotStatus === "refunded" || snapshotStatus === "voided") return snapshotStatus;
  const total = state.paid?.totalMinor ?? null;
  return total !== null && refunded >= total ? "refunded" : "partially_refunded";
}

function recordRefund(state: OrderPointsState, fact: z.output<typeof refundFactSchema>): boolean {
  if (fact.refundGid in state.refunds) return false;
  state.refunds[fact.refundGid] = {
    currency: fact.currency,
    goodsBackMinor: fact.goodsBackMinor,
    moneyBackMinor: fact.moneyBackMinor ?? fact.goodsBackMinor,
  };
  return true;
}

/** A cancelled order has reversed everything for good; a fully refunded one can still gain goods from a late edit. */
function isClosedForGood(state: OrderPointsState): boolean {
  return state.closed && state.cancelled;
}

function applyRefund(state: OrderPointsState, refundGid: string, out: Writer): void {
  const paid = state.paid;
  const refund = state.refunds[refundGid];
  if (!paid || isClosedForGood(state) || refund === undefined) return;
  const goodsBackMinor = toShopMoney(paid, refund.currency, refund.goodsBackMinor);
  const share =
    paid.skippedReason === null
      ? refundPoints({ goodsBackMinor, goodsPaidMinor: paid.goodsMinor, baseMinor: paid.baseMinor, rate: paid.rate })
      : 0;
  const matched = Math.min(share, state.editCredit);
  state.editCredit -= matched;
  const wanted = share - matched;
  const points = Math.min(wanted, orderPointsHeld(state));
  // What the order cannot give back yet is owed by its next earning; either way the refund took it.
  state.reversalOwed += wanted - points;
  state.refundCredit += wanted;
  if (points <= 0) return;
  const back = refundedBase({ goodsBackMinor, goodsPaidMinor: paid.goodsMinor, baseMinor: paid.baseMinor });
  const base = formatRecordMoney(paid.baseMinor, paid.currency);
  const alreadyTaken = matched > 0 ? `; ${matched} already taken back when items were removed` : "";
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
      `(${percentOf(back, paid.baseMinor)}% of ${base})${heldNote(state)}${alreadyTaken}`,
  });
  state.reversed += points;
}

function describeUnits(amountMinor: number, what: string, currency: string): string {
  return `${formatRecordMoney(amountMinor, currency)} ${what}`;
}

function applyEdit(state: OrderPointsState, editId: string, out: Writer): void {
  const paid = state.paid;
  const edit = state.edits[editId];
  if (!paid || !edit || edit.status !== "pending") return;
  if (edit.committedAt && paid.paidAt && Date.parse(edit.committedAt) < Date.parse(paid.paidAt)) {
    edit.status = "before_payment";
    return;
  }
  if (isClosedForGood(state)) {
    edit.status = "after_close";
    return;
  }
  const needed = [...edit.additions, ...edit.removals];
  if (needed.some((line) => !(line.lineGid in state.lines))) return;
  const valueOf = (list: typeof edit.additions) =>
    list.reduce(
      (sum, line) => {
        const value = unitsValue(state.lines[line.lineGid]!, line.units);
        return { baseMinor: sum.baseMinor + value.baseMinor, goodsMinor: sum.goodsMinor + value.goodsMinor };
      },
      { baseMinor: 0, goodsMinor: 0 },
    );
  const added = valueOf(edit.additions);
  const removed = valueOf(edit.removals);
  const counts = paid.skippedReason === null;
  const net = counts ? pointsForBase(paid.rate, added.baseMinor) - pointsForBase(paid.rate, removed.baseMinor) : 0;
  edit.status = "applied";
  edit.points = net;
  state.goodsAddedMinor += Math.max(0, added.goodsMinor - removed.goodsMinor);
  const order = orderLabel(state.orderName ?? undefined);
  const changes = [
    ...(added.baseMinor > 0 ? [describeUnits(added.baseMinor, "added", paid.currency)] : []),
    ...(removed.baseMinor > 0 ? [describeUnits(removed.baseMinor, "removed", paid.currency)] : []),
  ].join(", ");
  const rate = rateWords(paid.rate, paid.currency);
  if (net > 0) {
    const owed = Math.min(net, state.reversalOwed);
    state.reversalOwed -= owed;
    const points = net - owed;
    if (points <= 0) return;
    const owedNote = owed > 0 ? `; ${owed} of them already refunded` : "";
    const heldSuffix = isHeld(state) ? "; held with the order's points" : "";
    out.emit({
      kind: "earn",
      source: "order",
      idempotencyKey: ledgerKeys.earnEdit(state.orderGid, editId),
      points,
      pending: isHeld(state),
      programVersion: paid.programVersion,
      orderGid: state.orderGid,
      explanation: `${formatPoints(points)}: ${order} edited, ${changes}, ${rate}${owedNote}${heldSuffix}`,
    });
    state.editEarned += points;
    return;
  }
  if (net === 0) return;
  const matched = Math.min(-net, state.refundCredit);
  state.refundCredit -= matched;
  const wanted = -net - matched;
  const points = Math.min(wanted, orderPointsHeld(state));
  state.reversalOwed += wanted - points;
  state.editCredit += wanted;
  if (points <= 0) return;
  const alreadyTaken = matched > 0 ? `; ${matched} already taken back by a refund` : "";
  out.emit({
    kind: "reverse",
    reason: "edit",
    idempotencyKey: ledgerKeys.reverseEdit(state.orderGid, editId),
    points,
    pending: isHeld(state),
    orderGid: state.orderGid,
    explanation: `${formatPoints(-points)}: ${order} edited, ${changes}, ${rate}${heldNote(state)}${alreadyTaken}`,
  });
  state.reversed += points;
}

function applyPendingEdits(state: OrderPointsState, out: Writer): void {
  for (const editId of Object.keys(state.edits).sort()) applyEdit(state, editId, out);
}

function recordLines(
  state: OrderPointsState,
  facts: { taxesIncluded: boolean; dutiesIncluded: boolean; lines: z.output<typeof goodsLineSchema>[] },
): void {
  for (const line of facts.lines) {
    if (line.lineGid in state.lines) continue;
    state.lines[line.lineGid] = lineValueOf(line, facts);
  }
}

function isFullyRefunded(state: OrderPointsState): boolean {
  const paid = state.paid;
  if (!paid) return false;
  const paidIn = paid.goodsMinor + state.goodsAddedMinor;
  if (paidIn === 0) return false;
  const back = Object.values(state.refunds).reduce(
    (sum, refund) => sum + toShopMoney(paid, refund.currency, refund.goodsBackMinor),
    0,
  );
  return back >= paidIn;
}

/**
 * An order that is over holds nothing: on cancellation, or once all goods money paid in has come back, whatever it
 * still holds (rounding, or points a late edit brought) is reversed by a closing entry, the first under
 * `reverse:close:<order>`, any later one numbered.
 */
function closeIfDone(state: OrderPointsState, out: Writer): void {
  const paid = state.paid;
  if (!paid || !(state.cancelled || isFullyRefunded(state))) return;
  state.closed = true;
  const order = orderLabel(state.orderName ?? undefined);
  const what = state.cancelled ? "cancelled" : "fully refunded";
  const rest = orderPointsHeld(state);
  if (rest > 0) {
    state.closings += 1;
    const key = ledgerKeys.reverseClose(state.orderGid);
    out.emit({
      kind: "reverse",
      reason: state.cancelled ? "cancel" : "refund",
      idempotencyKey: state.closings === 1 ? key : `${key}:${state.closings}`,
      points: rest,
      pending: isHeld(state),
      orderGid: state.orderGid,
      explanation: `${formatPoints(-rest)}: ${order} ${what}, reversing the rest of its points${heldNote(state)}`,
    });
    state.reversed += rest;
    state.closingReversed = (state.closingReversed ?? 0) + rest;
  }
  if (paid.redemption && paid.returnRedeemedPoints && !state.redemptionReturned) {
    const key = ledgerKeys.redemptionReturn(paid.redemption.rewardId);
    out.emit({
      kind: "redemption_return",
      idempotencyKey: state.reopenings === 0 ? key : `${key}:${state.reopenings + 1}`,
      points: paid.redemption.points,
      rewardId: paid.redemption.rewardId,
      orderGid: state.orderGid,
      explanation: `${formatPoints(paid.redemption.points)}: ${order} ${what}, points spent on its reward returned`,
    });
    state.redemptionReturned = true;
  }
}

/**
 * A fully refunded order that a late edit gave goods paid for again (the edit reached us after the refunds) is open
 * again: the points returned for its reward are taken back, as if the order had never closed.
 */
function reopenIfNotOver(state: OrderPointsState, out: Writer): void {
  const paid = state.paid;
  if (!paid || !state.closed || state.cancelled || isFullyRefunded(state)) return;
  state.closed = false;
  giveBackClosing(state, paid, out);
  if (!paid.redemption || !state.redemptionReturned) return;
  state.redemptionReturned = false;
  state.reopenings += 1;
  out.emit({
    kind: "redeem",
    idempotencyKey: `${ledgerKeys.redemptionReturn(paid.redemption.rewardId)}:reopened:${state.reopenings}`,
    points: paid.redemption.points,
    rewardId: paid.redemption.rewardId,
    optionId: "",
    explanation:
      `${formatPoints(-paid.redemption.points)}: ${orderLabel(state.orderName ?? undefined)} has goods paid for ` +
      `again after an edit, points returned for its reward taken back`,
  });
}

/**
 * The closing entries reversed "the rest" of an order that was over; reopened, it is not, so what they took comes back,
 * as if the order had never closed. What the order owes (a refund that overtook the edit) is paid from it first, as
 * the edit's own points would have paid it. Without this the order's end would depend on arrival: a refund first, then
 * an edit that leaves it fully refunded (closed), then an edit adding goods, would keep the closing's points reversed
 * where in-order arrival never closes.
 */
function giveBackClosing(state: OrderPointsState, paid: Paid, out: Writer): void {
  const closing = state.closingReversed ?? 0;
  state.closingReversed = 0;
  const owed = Math.min(closing, state.reversalOwed);
  state.reversalOwed -= owed;
  const points = closing - owed;
  if (points <= 0) return;
  const owedNote = owed > 0 ? `; ${owed} of them kept for a refund` : "";
  out.emit({
    kind: "earn",
    source: "order",
    idempotencyKey: ledgerKeys.restoreClose(state.orderGid, state.closings),
    points,
    pending: isHeld(state),
    programVersion: paid.programVersion,
    orderGid: state.orderGid,
    explanation:
      `${formatPoints(points)}: ${orderLabel(state.orderName ?? undefined)} has goods paid for again after an ` +
      `edit, the points reversed when it closed given back${owedNote}`,
  });
  state.editEarned += points;
}

/**
 * The order's state had its payment been decided as `decision` from the start: every refund and edit seen is applied
 * again, by the same rules, to a payment earning `decision.earned`. Entries are not kept (the caller writes one
 * correction for the difference); what the order returned for its reward stays as it is, since earning does not decide
 * it. Used when a customer fact learned late changes what the payment earned (customer-events.ts, decision 010).
 */
export function redecideOrder(
  stored: OrderPointsState,
  decision: { earned: number; skippedReason: string | null },
): { state: OrderPointsState; heldBefore: number; heldAfter: number } {
  const current = normalizeOrderState(stored);
  const paid = current.paid;
  if (!paid) return { state: current, heldBefore: 0, heldAfter: 0 };
  const replay: OrderPointsState = {
    ...copyState(current),
    paid: { ...paid, earned: decision.earned, skippedReason: decision.skippedReason, redemption: null },
    editEarned: 0,
    reversed: 0,
    editCredit: 0,
    refundCredit: 0,
    goodsAddedMinor: 0,
    reversalOwed: 0,
    closed: false,
    closings: 0,
    closingReversed: 0,
  };
  for (const edit of Object.values(replay.edits)) {
    if (edit.status !== "before_payment") Object.assign(edit, { status: "pending", points: 0 });
  }
  const out = new Writer(zeroTotals);
  for (const refundGid of Object.keys(replay.refunds).sort()) applyRefund(replay, refundGid, out);
  applyPendingEdits(replay, out);
  closeIfDone(replay, out);
  const state: OrderPointsState = {
    ...replay,
    paid: { ...replay.paid!, redemption: paid.redemption },
    closings: Math.max(current.closings, replay.closings),
    redemptionReturned: current.redemptionReturned,
  };
  return { state, heldBefore: orderPointsHeld(current), heldAfter: orderPointsHeld(state) };
}

function copyState(state: OrderPointsState): OrderPointsState {
  return structuredClone(state);
}

/**
 * A state the planner may change: a stored one parsed into today's shape (the parse builds new objects throughout, so
 * the caller's value is untouched), or a copy of one this module already holds in today's shape.
 */
function stateToChange(current: OrderPointsState, rate: EarningRate): OrderPointsState {
  return inTodaysShape.has(current) ? copyState(current) : normalizeOrderState(current, rate);
}

/**
 * The entries one order webhook adds and the order's next state. Pure and total: a duplicate returns no entries and
 * the same state, and any arrival order of the same events ends with the same totals, and with the same entries (by
 * key and points) unless the order has both an edit that removed goods and a refund (see the header).
 */
export function planOrderEvent(current: OrderPointsState, input: OrderEvent, ctx: OrderPlanContext): OrderPlan {
  const event = orderEventSchema.parse(input);
  if (event.orderGid !== current.orderGid) {
    throw new DomainError("invalid_input", `event for ${event.orderGid} applied to ${current.orderGid}`);
  }
  const { pointsPerUnit, unitMinor } = ctx.program.settings;
  const state = stateToChange(current, { pointsPerUnit, unitMinor });
  const out = new Writer(ctx.totals);
  if ("orderName" in event && event.orderName && !state.orderName) state.orderName = event.orderName;
  let earning: Earning | undefined;

  switch (event.kind) {
    case "paid": {
      recordLines(state, event);
      if (state.paid) break;
      const { program } = ctx;
      const base = earningBaseOf({
        subtotalMinor: event.subtotalMinor,
        taxesIncluded: event.taxesIncluded,
        dutiesIncluded: event.dutiesIncluded,
        orderGoodsTaxMinor: event.orderGoodsTaxMinor,
        lines: event.lines,
      });
      earning = pointsForOrder({
        program,
        subtotalMinor: event.subtotalMinor,
        deductions: base.deductions,
        currency: event.currency,
        orderName: state.orderName ?? undefined,
        ...ctx.customer,
      });
      const holdDays = program.settings.pendingDays > 0 ? program.settings.pendingDays : null;
      state.paid = {
        subtotalMinor: event.subtotalMinor,
        baseMinor: base.baseMinor,
        goodsMinor: base.goodsMinor,
        basis: describeBase(base, event.currency),
        currency: event.currency,
        earned: earning.points,
        skippedReason: earning.skippedReason ?? null,
        programVersion: program.version,
        rate: { pointsPerUnit, unitMinor },
        paidAt: event.paidAt,
        totalMinor: event.totalMinor,
        presentment: event.presentment && {
          currency: event.presentment.currency,
          subtotalMinor: event.presentment.subtotalMinor,
          shopSubtotalMinor: event.subtotalMinor,
        },
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
      applyPendingEdits(state, out);
      break;
    }
    case "refund": {
      if (recordRefund(state, event)) applyRefund(state, event.refundGid, out);
      break;
    }
    case "cancelled": {
      for (const refund of event.refunds) {
        if (recordRefund(state, refund)) applyRefund(state, refund.refundGid, out);
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
    case "edited": {
      if (event.editId in state.edits) break;
      state.edits[event.editId] = {
        committedAt: event.committedAt,
        additions: event.additions,
        removals: event.removals,
        status: "pending",
        points: 0,
      };
      applyEdit(state, event.editId, out);
      break;
    }
    case "updated": {
      recordLines(state, event);
      for (const refund of event.refunds) {
        if (recordRefund(state, refund)) applyRefund(state, refund.refundGid, out);
      }
      applyPendingEdits(state, out);
      break;
    }
  }
  reopenIfNotOver(state, out);
  closeIfDone(state, out);
  return { state: known(state), entries: out.entries, totals: out.totals, ...(earning ? { earning } : {}) };
}

const dayMs = 24 * 60 * 60 * 1000;

/** When the order's held points become spendable; null if nothing is held or the order is not fulfilled yet. */
export function orderReleaseAt(stored: OrderPointsState): Date | null {
  const state = normalizeOrderState(stored);
  if (!state.paid || state.paid.holdDays === null || state.released || state.fulfilledAt === null) return null;
  return new Date(Date.parse(state.fulfilledAt) + state.paid.holdDays * dayMs);
}

/**
 * Releases an order's held points once `now` is past the pending period after fulfilment. What is released is what
 * the order still holds, so refunds and edits before the release never leave held points behind.
 */
export function planOrderRelease(stored: OrderPointsState, ctx: { now: Date; totals: LedgerTotals }): OrderPlan {
  const current = normalizeOrderState(stored);
  const releaseAt = orderReleaseAt(current);
  const out = new Writer(ctx.totals);
  if (!current.paid || releaseAt === null || ctx.now.getTime() < releaseAt.getTime()) {
    return { state: current, entries: [], totals: ctx.totals };
  }
  const state = known(copyState(current));
  state.released = true;
  const points = orderPointsHeld(current);
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

/**
 * Points for an order paid before the shop installed Tally (issue 12, "points for past orders", decision 023): what
 * the order earns under the program as it is now, as if its orders/paid had arrived today, spendable at once (the
 * order is long fulfilled), then the refunds Tally has recorded for it since, so the order ends where its webhooks
 * would have left it and a later refund reverses it as any order. `batchId` names the backfill, so each is undone
 * alone. Undefined for an order that is not a pre-install one (already earning), cancelled, fully closed, or that
 * would earn nothing (a blocked customer, an excluded tag, a guest when guests do not earn).
 */
export function planBackfill(
  current: OrderPointsState,
  ctx: OrderPlanContext & { batchId: string },
): (OrderPlan & { earning: Earning }) | undefined {
  const { pointsPerUnit, unitMinor } = ctx.program.settings;
  const state = copyState(normalizeOrderState(current, { pointsPerUnit, unitMinor }));
  const paid = state.paid;
  if (!paid || paid.skippedReason !== "before_install" || state.cancelled || isClosedForGood(state)) return undefined;
  if (paid.currency !== ctx.program.currency) return undefined;
  const earning = pointsForOrder({
    program: ctx.program,
    subtotalMinor: paid.subtotalMinor,
    currency: paid.currency,
    orderName: state.orderName ?? undefined,
    ...ctx.customer,
  });
  if (earning.points <= 0) return undefined;
  state.paid = {
    ...paid,
    earned: earning.points,
    skippedReason: null,
    programVersion: ctx.program.version,
    rate: { pointsPerUnit, unitMinor },
    holdDays: null,
    returnRedeemedPoints: ctx.program.settings.returnRedeemedPoints,
  };
  const out = new Writer(ctx.totals);
  out.emit({
    kind: "earn",
    source: "order",
    idempotencyKey: ledgerKeys.earnBackfill(ctx.batchId, state.orderGid),
    points: earning.points,
    pending: false,
    programVersion: ctx.program.version,
    orderGid: state.orderGid,
    explanation: `${earning.explanation}; a past order, under today's rules`,
  });
  for (const refundGid of Object.keys(state.refunds).sort()) applyRefund(state, refundGid, out);
  closeIfDone(state, out);
  return { state, entries: out.entries, totals: out.totals, earning };
}

/**
 * Takes one order's backfilled points back (the backfill's undo): what the order still holds after any refund, as a
 * `correct` entry, and the order returns to "paid before install", earning nothing. Undefined when the order holds
 * none of the backfill's points any more.
 */
export function planBackfillUndo(
  current: OrderPointsState,
  ctx: { batchId: string; totals: LedgerTotals },
): OrderPlan | undefined {
  const state = copyState(normalizeOrderState(current));
  const paid = state.paid;
  if (!paid || paid.skippedReason !== null) return undefined;
  const held = orderPointsHeld(state);
  state.paid = { ...paid, earned: 0, skippedReason: "before_install" };
  state.reversed = 0;
  state.refundCredit = 0;
  state.reversalOwed = 0;
  state.closed = false;
  state.closings = 0;
  state.closingReversed = 0;
  const out = new Writer(ctx.totals);
  if (held > 0) {
    out.emit({
      kind: "correct",
      idempotencyKey: ledgerKeys.undoBackfill(ctx.batchId, state.orderGid),
      points: -held,
      pending: false,
      orderGid: state.orderGid,
      importId: ctx.batchId,
      explanation: `${formatPoints(-held)}: undid the points for a past ${orderLabel(state.orderName ?? undefined)}`,
    });
  }
  return { state, entries: out.entries, totals: out.totals };
}
