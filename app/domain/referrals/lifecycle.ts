import { z } from "zod";
import { ledgerKeys, orderRefundedMinor, type EntryOf, type LedgerEntry, type OrderPointsState } from "~/domain/ledger";
import { formatPoints } from "~/domain/program";
import { currencyCodeSchema, DomainError, formatRecordMoney } from "~/domain/shared";
import { shopDateWriter } from "~/domain/shared/shop-time";
import { scoreSignals, mergeSignals, type FraudSignal, type SignalCode } from "./fraud";
import { advocateRewardSchema, type AdvocateReward } from "./settings";

/*
 * How a referral travels, as a pure planner: claim → Pending; the friend's first paid order with their code → Completed
 * (the advocate rewarded), or Blocked, or Pending and flagged for review, by the fraud score; a refund or cancellation
 * of that order within the pending period → Cancelled, the unpaid reward taken back; the period over → the reward is
 * the advocate's (held points released, or their discount code issued). Staff Approve or Cancel from the review queue.
 *
 * Shopify delivers order webhooks at least once and in any order, so the planner never reads an event: it reads the
 * friend's order as Tally knows it after the event (`ReferralOrderView`, built from the order's points state, which is
 * itself order-proof), and moves the referral to where that order says it belongs. A refund that arrives before
 * orders/paid is already in the view when the payment arrives, and the referral goes straight to Cancelled, paying
 * nothing; after the payment it takes back what the completion paid. Either way the referral ends Cancelled with its
 * advocate's points where they started; a duplicate finds nothing to do. Which entries were written depends on the
 * order of arrival; what they add up to does not (tests/unit/domain/referral-lifecycle.test.ts checks it over arbitrary
 * arrival orders with duplicates).
 *
 * "Within the pending period" means before the reward was released: the release is a clock reading (the jobs), like
 * held points' release, and a refund applied after it leaves the referral Completed. With no pending period a
 * completed referral is final, whichever of its order's webhooks came first. A Blocked referral stays Blocked when
 * its order is undone: it is a fraud record, and Approve then refuses (nothing to reward).
 */

/**
 * `own_link`: a claim refused on the spot because the shopper used their own link (the advocate's own mailbox, once
 * case, dots and +tags are set aside). The shopper got no code and there is nothing for staff to decide, so it is no
 * referral: not a referee, not in the completion rate, not in the review queue. It is kept as a refused attempt (the
 * same mailbox claiming again is answered the same way) and listed under its own name, "Own link, refused".
 *
 * `not_new`: a claim refused on the spot because the shopper already buys here (the fraud check's `already_customer`
 * at the claim). The shopper read "This offer is for new customers" and got no code: a refused try, not a referral,
 * and not a Blocked one waiting for review (staff could only approve an offer the shopper was already told is not
 * theirs). Kept like `own_link` and listed as "Existing customer, refused". A real friend whose claim or order the
 * fraud check stopped for anything else stays `blocked`, in the review queue with Approve.
 */
export const referralStatusSchema = z.enum(["pending", "completed", "blocked", "cancelled", "own_link", "not_new"]);
export type ReferralStatus = z.infer<typeof referralStatusSchema>;

/** Claims refused on the spot (no code, no friend, nothing to review): they are in no referral figure. */
export const refusedClaimStatuses = ["own_link", "not_new"] as const satisfies readonly ReferralStatus[];
export type RefusedClaimStatus = (typeof refusedClaimStatuses)[number];

/**
 * Whether a referral with `status` is a claim refused on the spot (refusedClaimStatuses: `own_link`, `not_new`;
 * decisions 018 and 077): no code was given and there is nothing to approve, cancel or reward. Ask this rather than
 * naming the statuses, so a refusal added later is refused everywhere at once.
 */
export function isRefusedClaim(status: ReferralStatus): status is RefusedClaimStatus {
  return (refusedClaimStatuses as readonly ReferralStatus[]).includes(status);
}

/**
 * The advocate's reward, as far as the referral goes: nothing yet; held through the pending period; released (points
 * spendable, or the discount code due to be created in Shopify); taken back before it was released, or after (staff).
 */
export type RewardProgress = "none" | "held" | "released" | "taken_back";

export interface ReferralOrder {
  orderGid: string;
  orderName: string | null;
  /** What the friend paid (Shopify's total at payment), shop money. */
  totalMinor: number;
  currency: string;
  paidAt: string;
}

export interface ReferralState {
  /** The referral's stable key: the ledger keys of its reward derive from it. */
  referralKey: string;
  status: ReferralStatus;
  /** flagged: waiting for staff; approved: staff let the signals in `approvedSignals` through. */
  review: "flagged" | "approved" | null;
  approvedSignals: SignalCode[];
  signals: FraudSignal[];
  /** The advocate's reward as the program promised when the friend claimed. */
  reward: AdvocateReward;
  /** The program's pending period when the friend claimed, in days. */
  pendingDays: number;
  rewardProgress: RewardProgress;
  order: ReferralOrder | null;
  /** When the reward is the advocate's: the order's payment plus the pending period. */
  releaseAt: string | null;
  completedAt: string | null;
  cancelledReason: string | null;
}

/** The friend's order as Tally knows it after the latest event about it. */
export interface ReferralOrderView {
  orderGid: string;
  orderName: string | null;
  /** Null until orders/paid (or reconciliation) says the order was paid. */
  paid: { totalMinor: number; currency: string; paidAt: string } | null;
  cancelled: boolean;
  /** Money the order's refunds gave back so far; a refund that gave nothing back (a restock) is not a refund here. */
  refundedMinor: number;
}

/** What an order payload adds to its points state for a referral: when it was paid, its total, its name. */
export interface OrderFigures {
  processedAt: string | null;
  totalMinor: number | null;
  name: string;
}

/**
 * The friend's order as the planner reads it: from the order's points state (which is the same whatever order its
 * webhooks arrived in) and, when the event carried them, the order's own figures.
 */
export function referralOrderView(
  orderGid: string,
  state: OrderPointsState,
  facts: OrderFigures | null,
  now: Date,
): ReferralOrderView {
  const paid = state.paid;
  return {
    orderGid,
    orderName: state.orderName ?? facts?.name ?? null,
    paid: paid
      ? {
          totalMinor: paid.totalMinor ?? facts?.totalMinor ?? paid.subtotalMinor,
          currency: paid.currency,
          paidAt: facts?.processedAt ?? paid.paidAt ?? now.toISOString(),
        }
      : null,
    cancelled: state.cancelled,
    refundedMinor: orderRefundedMinor(state),
  };
}

export type ReferralEventKind =
  | "claimed"
  | "flagged"
  | "blocked"
  | "refused"
  | "completed"
  | "released"
  | "cancelled"
  | "approved"
  | "order_after_cancel";

export interface ReferralEvent {
  kind: ReferralEventKind;
  explanation: string;
}

/** What a step does besides moving the referral: each effect the service carries out in the same transaction. */
export interface ReferralPlan {
  state: ReferralState;
  /** Ledger entries for the advocate. */
  entries: LedgerEntry[];
  /** Changes to the advocate's counters on the customer row (directory columns). */
  counters: { successfulReferrals: number; refereeRevenueMinor: number };
  events: ReferralEvent[];
  /**
   * The advocate's discount-code reward: `issue` once it is theirs (created in Shopify after the commit, reserve-call-
   * confirm), `withdraw` when it was held and is taken back before it existed, `void` when it exists in Shopify and is
   * taken back (discountCodeDeactivate).
   */
  advocateDiscount: "issue" | "withdraw" | "void" | null;
  /** The friend's unused code is deactivated in Shopify (staff cancelled the referral). */
  voidFriendCode: boolean;
}

const noChange = (state: ReferralState): ReferralPlan => ({
  state,
  entries: [],
  counters: { successfulReferrals: 0, refereeRevenueMinor: 0 },
  events: [],
  advocateDiscount: null,
  voidFriendCode: false,
});

const dayMs = 24 * 60 * 60 * 1000;

export const referralStateSchema = z.object({
  referralKey: z.string().min(1),
  status: referralStatusSchema,
  review: z.enum(["flagged", "approved"]).nullable(),
  approvedSignals: z.array(z.string()),
  signals: z.array(
    z.object({ code: z.string(), weight: z.int(), reason: z.string(), at: z.enum(["claim", "completion"]) }),
  ),
  reward: advocateRewardSchema,
  pendingDays: z.int().min(0),
  rewardProgress: z.enum(["none", "held", "released", "taken_back"]),
  order: z
    .object({
      orderGid: z.string(),
      orderName: z.string().nullable(),
      totalMinor: z.int(),
      currency: currencyCodeSchema,
      paidAt: z.string(),
    })
    .nullable(),
  releaseAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  cancelledReason: z.string().nullable(),
});

const orderLabel = (order: { orderName: string | null }) => order.orderName ?? "the friend's order";
const money = (order: ReferralOrder) => formatRecordMoney(order.totalMinor, order.currency);

/** The order no longer stands: cancelled, or money given back. */
function isUndone(view: ReferralOrderView): string | null {
  if (view.cancelled) return "cancelled";
  if (view.refundedMinor > 0) return "refunded";
  return null;
}

function pointsOf(reward: AdvocateReward): number | null {
  return reward.kind === "points" ? reward.points : null;
}

/**
 * Completes the referral with its order: the counters, the reward (held or at once), the story, whose release day is
 * written in the shop's zone `timeZone` (UTC when unknown) as the admin writes days.
 */
function complete(state: ReferralState, now: Date, how: string, timeZone: string | null | undefined): ReferralPlan {
  const order = state.order!;
  const releaseAt = new Date(Date.parse(order.paidAt) + state.pendingDays * dayMs);
  const held = state.pendingDays > 0 && now.getTime() < releaseAt.getTime();
  const next: ReferralState = {
    ...state,
    status: "completed",
    review: state.review === "flagged" ? null : state.review,
    rewardProgress: held ? "held" : "released",
    releaseAt: releaseAt.toISOString(),
    completedAt: now.toISOString(),
  };
  const points = pointsOf(state.reward);
  const holdNote = held
    ? `; held until ${shopDateWriter(timeZone)(releaseAt.toISOString())}, the end of the return window`
    : "";
  const entries: LedgerEntry[] = [];
  if (points !== null) {
    const entry: EntryOf<"referral"> = {
      kind: "referral",
      idempotencyKey: ledgerKeys.referral(state.referralKey),
      points,
      pending: held,
      referralId: state.referralKey,
      orderGid: order.orderGid,
      explanation: `${formatPoints(points)}: referral completed by a friend's first order ${orderLabel(order)} (${money(order)})${holdNote}`,
    };
    entries.push(entry);
  }
  return {
    state: next,
    entries,
    counters: { successfulReferrals: 1, refereeRevenueMinor: order.totalMinor },
    events: [
      { kind: "completed", explanation: `Completed ${how}: ${orderLabel(order)} paid, ${money(order)}${holdNote}` },
    ],
    advocateDiscount: points === null && !held ? "issue" : null,
    voidFriendCode: false,
  };
}

/** Takes back what a completed referral gave, in the same words in both ledgers. */
function takeBack(state: ReferralState, why: string): Pick<ReferralPlan, "entries" | "counters" | "advocateDiscount"> {
  const points = pointsOf(state.reward);
  const order = state.order;
  const entries: LedgerEntry[] = [];
  let advocateDiscount: ReferralPlan["advocateDiscount"] = null;
  if (state.rewardProgress === "held" || state.rewardProgress === "released") {
    const held = state.rewardProgress === "held";
    if (points !== null && order) {
      const entry: EntryOf<"reverse"> = {
        kind: "reverse",
        reason: "referral",
        idempotencyKey: ledgerKeys.reverseReferral(state.referralKey),
        points,
        pending: held,
        orderGid: order.orderGid,
        explanation: `${formatPoints(-points)}: referral cancelled, ${why}; ${held ? "held referral points taken back" : "referral points taken back"}`,
      };
      entries.push(entry);
    } else if (points === null) {
      advocateDiscount = held ? "withdraw" : "void";
    }
  }
  const completed = state.status === "completed";
  return {
    entries,
    counters: {
      successfulReferrals: completed ? -1 : 0,
      refereeRevenueMinor: completed && order ? -order.totalMinor : 0,
    },
    advocateDiscount,
  };
}

/**
 * Moves the referral to where its friend's order now puts it. `signals` are the fraud signals found on the order (the
 * service computes them when it first links the order); `now` is when the event is applied; `timeZone` is the shop's,
 * in which a held reward's release day is written ("held until Mar 31, 2026").
 */
export function planReferralOrder(
  current: ReferralState,
  view: ReferralOrderView,
  ctx: { signals: readonly FraudSignal[]; now: Date; timeZone?: string | null },
): ReferralPlan {
  const state = structuredClone(current);
  if (isRefusedClaim(state.status)) return noChange(state);
  if (state.order && state.order.orderGid !== view.orderGid) return noChange(state);

  if (!state.order) {
    if (!view.paid) return noChange(state);
    state.order = {
      orderGid: view.orderGid,
      orderName: view.orderName,
      totalMinor: view.paid.totalMinor,
      currency: view.paid.currency,
      paidAt: view.paid.paidAt,
    };
    if (state.status === "cancelled") {
      return {
        ...noChange(state),
        events: [
          {
            kind: "order_after_cancel",
            explanation: `${orderLabel(state.order)} was paid with the friend's code after the referral was cancelled; nothing is rewarded`,
          },
        ],
      };
    }
    state.signals = mergeSignals(state.signals, ctx.signals);
    if (state.status === "blocked") return noChange(state);
    const { verdict, score } = scoreSignals(state.signals, state.approvedSignals);
    const reasons = state.signals
      .filter((signal) => !state.approvedSignals.includes(signal.code))
      .map((signal) => signal.reason)
      .join("; ");
    if (verdict === "block") {
      state.status = "blocked";
      state.review = null;
      return {
        ...noChange(state),
        events: [
          { kind: "blocked", explanation: `Blocked at ${orderLabel(state.order)} (score ${score}): ${reasons}` },
        ],
      };
    }
    // Undone before its payment reached Tally: as if it had been undone right after, while nothing was the
    // advocate's yet (a referral waiting for review, or a reward held through a pending period).
    const undone = isUndone(view);
    if (undone && (verdict === "flag" || state.pendingDays > 0)) {
      state.status = "cancelled";
      state.review = null;
      state.cancelledReason = `${orderLabel(state.order)} was ${undone} before the referral completed`;
      return {
        ...noChange(state),
        events: [{ kind: "cancelled", explanation: `Cancelled: ${state.cancelledReason}` }],
      };
    }
    if (verdict === "flag") {
      state.review = "flagged";
      return {
        ...noChange(state),
        events: [
          {
            kind: "flagged",
            explanation: `Waiting for review at ${orderLabel(state.order)} (score ${score}): ${reasons}`,
          },
        ],
      };
    }
    return complete(state, ctx.now, "by the friend's first order", ctx.timeZone);
  }

  // The order is linked: only its undoing matters, and only while the reward is not the advocate's yet.
  const undone = isUndone(view);
  if (!undone || state.status === "cancelled" || state.status === "blocked") return noChange(state);
  const waitingReview = state.status === "pending" && state.review === "flagged";
  if (state.status === "completed" && state.rewardProgress !== "held") return noChange(state);
  if (state.status !== "completed" && !waitingReview) return noChange(state);
  const why = `${orderLabel(state.order)} was ${undone} within the ${state.pendingDays}-day return window`;
  const back = takeBack(state, why);
  state.status = "cancelled";
  state.review = null;
  state.rewardProgress = state.rewardProgress === "none" ? "none" : "taken_back";
  state.cancelledReason = why;
  return { ...noChange(state), ...back, events: [{ kind: "cancelled", explanation: `Cancelled: ${why}` }] };
}

/** The pending period is over: the held reward becomes the advocate's. A clock reading, run by the jobs. */
export function planReferralRelease(current: ReferralState, now: Date): ReferralPlan {
  const state = structuredClone(current);
  if (state.status !== "completed" || state.rewardProgress !== "held" || !state.releaseAt || !state.order) {
    return noChange(state);
  }
  if (now.getTime() < Date.parse(state.releaseAt)) return noChange(state);
  state.rewardProgress = "released";
  const points = pointsOf(state.reward);
  const entries: LedgerEntry[] = [];
  if (points !== null) {
    const entry: EntryOf<"release"> = {
      kind: "release",
      idempotencyKey: ledgerKeys.releaseReferral(state.referralKey),
      points,
      orderGid: state.order.orderGid,
      explanation: `${formatPoints(points)}: referral points released, the ${state.pendingDays}-day return window of ${orderLabel(state.order)} is over`,
    };
    entries.push(entry);
  }
  return {
    ...noChange(state),
    entries,
    events: [
      {
        kind: "released",
        explanation: `The return window of ${orderLabel(state.order)} ended; the reward is the advocate's`,
      },
    ],
    advocateDiscount: points === null ? "issue" : null,
  };
}

/**
 * Staff approve a blocked or flagged referral: its signals no longer stop it. With its order it completes and
 * rewards (once: the reward's ledger key is the referral's); without one it goes back to Pending and the friend's
 * next claim gets their code. `orderView` is the order as Tally knows it now. Throws DomainError("conflict") for a
 * referral that is not waiting for review, or whose order was since refunded or cancelled.
 */
export function planReferralApproval(
  current: ReferralState,
  orderView: ReferralOrderView | null,
  ctx: { now: Date; staff: string; timeZone?: string | null },
): ReferralPlan {
  const state = structuredClone(current);
  if (state.status === "own_link") {
    throw new DomainError("conflict", "The shopper used their own referral link: there is no friend to approve");
  }
  if (state.status === "not_new") {
    throw new DomainError(
      "conflict",
      "An existing customer tried the offer and was refused (not a new customer): there is no referral to approve",
    );
  }
  const waiting = state.status === "blocked" || (state.status === "pending" && state.review === "flagged");
  if (!waiting)
    throw new DomainError("conflict", "Only blocked referrals and referrals flagged for review can be approved");
  state.approvedSignals = [...new Set([...state.approvedSignals, ...state.signals.map((signal) => signal.code)])];
  state.review = "approved";
  const approved: ReferralEvent = {
    kind: "approved",
    explanation: `Approved by ${ctx.staff}${state.signals.length ? `, despite: ${state.signals.map((signal) => signal.reason).join("; ")}` : ""}`,
  };
  if (!state.order) {
    state.status = "pending";
    return { ...noChange(state), events: [approved] };
  }
  const undone = orderView ? isUndone(orderView) : null;
  if (undone) {
    throw new DomainError("conflict", `${orderLabel(state.order)} was ${undone}: there is nothing to reward`);
  }
  const plan = complete(state, ctx.now, `on approval by ${ctx.staff}`, ctx.timeZone);
  return { ...plan, events: [approved, ...plan.events] };
}

/**
 * Staff cancel a referral: it ends Cancelled, the friend's unused code is deactivated in Shopify, and whatever the
 * advocate got is taken back (held points, or points already released: a balance may then go below zero, as staff
 * corrections may; a discount code deactivated if unused). A cancelled referral stays as it is. Throws
 * DomainError("conflict") for a refused own-link or existing-customer claim: it gave nothing and has no code.
 */
export function planReferralCancellation(current: ReferralState, ctx: { staff: string }): ReferralPlan {
  const state = structuredClone(current);
  if (state.status === "own_link") {
    throw new DomainError(
      "conflict",
      "The shopper used their own referral link: it was refused, there is nothing to cancel",
    );
  }
  if (state.status === "not_new") {
    throw new DomainError(
      "conflict",
      "An existing customer tried the offer and was refused (not a new customer): there is nothing to cancel",
    );
  }
  if (state.status === "cancelled") return noChange(state);
  const why = `cancelled by ${ctx.staff}`;
  const back = takeBack(state, why);
  state.status = "cancelled";
  state.review = null;
  state.rewardProgress = state.rewardProgress === "none" ? "none" : "taken_back";
  state.cancelledReason = `Cancelled by ${ctx.staff}`;
  return {
    ...noChange(state),
    ...back,
    events: [
      { kind: "cancelled", explanation: `Cancelled by ${ctx.staff}; the friend's code is deactivated in Shopify` },
    ],
    voidFriendCode: true,
  };
}

/**
 * A new referral, as the friend's claim makes it, with what the claim's fraud check found. A claim through the
 * shopper's own link (`same_email`) is `own_link` whatever else was found, and one by a shopper who already paid for an
 * order here (`already_customer`) is `not_new`: refused, no code, nothing to review.
 */
export function claimedReferral(input: {
  referralKey: string;
  reward: AdvocateReward;
  pendingDays: number;
  signals: FraudSignal[];
}): { state: ReferralState; events: ReferralEvent[] } {
  const { verdict, score } = scoreSignals(input.signals);
  const reasons = input.signals.map((signal) => signal.reason).join("; ");
  const ownLink = input.signals.some((signal) => signal.code === "same_email");
  const notNew = !ownLink && input.signals.some((signal) => signal.code === "already_customer");
  const state: ReferralState = {
    referralKey: input.referralKey,
    status: ownLink ? "own_link" : notNew ? "not_new" : verdict === "block" ? "blocked" : "pending",
    review: !ownLink && !notNew && verdict === "flag" ? "flagged" : null,
    approvedSignals: [],
    signals: input.signals,
    reward: input.reward,
    pendingDays: input.pendingDays,
    rewardProgress: "none",
    order: null,
    releaseAt: null,
    completedAt: null,
    cancelledReason: null,
  };
  if (ownLink) {
    return {
      state,
      events: [
        {
          kind: "refused",
          explanation: `Refused at the claim: the shopper used their own referral link (${reasons}); no code was given`,
        },
      ],
    };
  }
  if (notNew) {
    return {
      state,
      events: [
        {
          kind: "refused",
          explanation: "An existing customer tried the offer: refused (not a new customer); no code was given",
        },
      ],
    };
  }
  const events: ReferralEvent[] = [{ kind: "claimed", explanation: "The friend claimed their offer" }];
  if (verdict === "block")
    events.push({ kind: "blocked", explanation: `Blocked at the claim (score ${score}): ${reasons}` });
  if (verdict === "flag") {
    events.push({ kind: "flagged", explanation: `Flagged for review at the claim (score ${score}): ${reasons}` });
  }
  return { state, events };
}

/** The Referrals page's tabs: the review queue (blocked and flagged), then each status, refused claims last. */
export const referralTabs = ["review", "pending", "completed", "blocked", "cancelled", "own_link", "not_new"] as const;
export type ReferralTab = (typeof referralTabs)[number];

/**
 * The Referrals figure's breakdown in words, whose parts add up to the figure: each status with referrals, in the
 * tabs' order ("1 pending, 1 completed"), then refused claims apart, as they are no referrals ("1 own-link claim
 * refused, 1 existing customer's try refused, not counted"). "None yet" without any. `formatNumber` writes a count in
 * the shop's locale.
 */
export function referralCountsInWords(
  counts: Readonly<Record<ReferralStatus, number>>,
  formatNumber: (n: number) => string,
): string {
  const parts = referralStatusSchema.options
    .filter((status) => !isRefusedClaim(status) && counts[status] > 0)
    .map((status) => `${formatNumber(counts[status])} ${status}`);
  const refusedParts = [
    counts.own_link > 0
      ? `${formatNumber(counts.own_link)} own-link ${counts.own_link === 1 ? "claim" : "claims"} refused`
      : null,
    counts.not_new > 0
      ? `${formatNumber(counts.not_new)} existing ${counts.not_new === 1 ? "customer's try" : "customers' tries"} refused`
      : null,
  ].filter((part) => part !== null);
  const refused = refusedParts.length > 0 ? `${refusedParts.join(", ")}, not counted` : null;
  if (parts.length === 0) return refused ?? "None yet";
  return refused ? `${parts.join(", ")}; ${refused}` : parts.join(", ");
}
