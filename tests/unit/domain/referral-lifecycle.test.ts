import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  emptyOrderState,
  planOrderEvent,
  recalculate,
  zeroTotals,
  type LedgerEntry,
  type OrderEvent,
  type OrderPointsState,
} from "~/domain/ledger";
import { defaultProgram, type CustomerEarningContext } from "~/domain/program";
import {
  claimedReferral,
  detectSignals,
  isRefusedClaim,
  planReferralApproval,
  planReferralCancellation,
  planReferralOrder,
  planReferralRelease,
  referralOrderView,
  referralStatusSchema,
  signalWeights,
  type AdvocateReward,
  type FraudSignal,
  type ReferralPlan,
  type ReferralState,
} from "~/domain/referrals";
import { DomainError } from "~/domain/shared";

const orderGid = "gid://shopify/Order/2001";
const paidAt = "2026-03-01T12:00:00.000Z";
const during = new Date("2026-03-05T00:00:00.000Z");
const afterWindow = new Date("2026-04-15T00:00:00.000Z");
const member: CustomerEarningContext = { customerTags: [], blocked: false, status: "member" };
const points: AdvocateReward = { kind: "points", points: 500 };
const discount: AdvocateReward = { kind: "fixed_amount_off", amountMinor: 1000, minimumSubtotalMinor: 0 };

const household: FraudSignal[] = detectSignals(
  { customerGid: "a", email: "ana@example.com", firstName: "Ana", lastName: "Okafor", blocked: false },
  { email: "ben@example.com", sharesAdvocateAddress: true },
  "completion",
);

const paid = (subtotalMinor = 8000, totalMinor = 9040): OrderEvent => ({
  kind: "paid",
  orderGid,
  orderName: "#2001",
  subtotalMinor,
  currency: "CAD",
  totalMinor,
  paidAt,
});
const refund = (id: number, goodsBackMinor: number): OrderEvent => ({
  kind: "refund",
  orderGid,
  refundGid: `gid://shopify/Refund/${id}`,
  goodsBackMinor,
});
const restock = (id: number): OrderEvent => ({
  kind: "refund",
  orderGid,
  refundGid: `gid://shopify/Refund/${id}`,
  goodsBackMinor: 0,
  moneyBackMinor: 0,
});
const cancelled: OrderEvent = { kind: "cancelled", orderGid, orderName: "#2001", refunds: [] };
const fulfilled: OrderEvent = { kind: "fulfilled", orderGid, fulfilledAt: "2026-03-02T00:00:00.000Z" };

function claimed(reward: AdvocateReward = points, pendingDays = 30, signals: FraudSignal[] = []): ReferralState {
  return claimedReferral({ referralKey: "ref-1", reward, pendingDays, signals }).state;
}

interface Run {
  referral: ReferralState;
  order: OrderPointsState;
  entries: LedgerEntry[];
  successful: number;
  refereeRevenueMinor: number;
  discountEffects: string[];
}

function apply(run: Run, plan: ReferralPlan): Run {
  return {
    ...run,
    referral: plan.state,
    entries: [...run.entries, ...plan.entries],
    successful: run.successful + plan.counters.successfulReferrals,
    refereeRevenueMinor: run.refereeRevenueMinor + plan.counters.refereeRevenueMinor,
    discountEffects: plan.advocateDiscount ? [...run.discountEffects, plan.advocateDiscount] : run.discountEffects,
  };
}

/** Delivers order events as applyOrderEvent does: the order's points state first, then the referral reads it. */
function deliver(
  events: readonly OrderEvent[],
  options: { referral?: ReferralState; signals?: FraudSignal[]; now?: Date; timeZone?: string } = {},
): Run {
  let run: Run = {
    referral: options.referral ?? claimed(),
    order: emptyOrderState(orderGid),
    entries: [],
    successful: 0,
    refereeRevenueMinor: 0,
    discountEffects: [],
  };
  for (const event of events) {
    const orderPlan = planOrderEvent(run.order, event, {
      program: defaultProgram("CAD"),
      customer: member,
      totals: zeroTotals,
    });
    run = { ...run, order: orderPlan.state };
    const facts = event.kind === "paid" ? { processedAt: paidAt, totalMinor: 9040, name: "#2001" } : null;
    run = apply(
      run,
      planReferralOrder(run.referral, referralOrderView(orderGid, run.order, facts, options.now ?? during), {
        signals: run.referral.order ? [] : (options.signals ?? []),
        now: options.now ?? during,
        timeZone: options.timeZone,
      }),
    );
  }
  return run;
}

const advocatePoints = (run: Run) => recalculate(run.entries);

describe("a referral's way from claim to reward", () => {
  it("completes on the friend's paid order with its total, and holds the advocate's points through the period", () => {
    const run = deliver([paid()]);
    expect(run.referral).toMatchObject({
      status: "completed",
      rewardProgress: "held",
      order: { orderGid, orderName: "#2001", totalMinor: 9040, currency: "CAD", paidAt },
      releaseAt: "2026-03-31T12:00:00.000Z",
    });
    expect(run.entries).toEqual([
      expect.objectContaining({
        kind: "referral",
        idempotencyKey: "referral:ref-1",
        points: 500,
        pending: true,
        explanation:
          "+500: referral completed by a friend's first order #2001 (90.40 CAD); held until Mar 31, 2026, the end of the return window",
      }),
    ]);
    expect(advocatePoints(run)).toEqual({ balance: 0, pending: 500, lifetimeEarned: 500, lifetimeRedeemed: 0 });
    expect([run.successful, run.refereeRevenueMinor]).toEqual([1, 9040]);
  });

  it("writes the held reward's release day in the shop's zone, as the admin writes days", () => {
    // Released at 12:00 UTC on Mar 31: still Mar 31 in Toronto, already Apr 1 in Auckland.
    const explanation = (timeZone: string) => deliver([paid()], { timeZone }).entries[0]!.explanation;
    expect(explanation("America/Toronto")).toMatch(/; held until Mar 31, 2026, the end of the return window$/);
    expect(explanation("Pacific/Auckland")).toMatch(/; held until Apr 1, 2026, the end of the return window$/);
  });

  it("waits for the payment: a fulfilment or nothing paid completes nothing", () => {
    const run = deliver([fulfilled]);
    expect(run.referral.status).toBe("pending");
    expect(run.entries).toEqual([]);
  });

  it("releases the points when the return window ends, once", () => {
    const run = deliver([paid()]);
    expect(planReferralRelease(run.referral, during).entries).toEqual([]);
    const released = apply(run, planReferralRelease(run.referral, afterWindow));
    expect(released.referral.rewardProgress).toBe("released");
    expect(advocatePoints(released)).toEqual({ balance: 500, pending: 0, lifetimeEarned: 500, lifetimeRedeemed: 0 });
    expect(planReferralRelease(released.referral, afterWindow).entries).toEqual([]);
  });

  it("pays at once with no pending period, and a later refund changes nothing", () => {
    const run = deliver([paid(), refund(1, 8000)], { referral: claimed(points, 0) });
    expect(run.referral).toMatchObject({ status: "completed", rewardProgress: "released" });
    expect(advocatePoints(run).balance).toBe(500);
  });

  it("a refund within the period cancels it and takes the held points back, explained", () => {
    const run = deliver([paid(), refund(1, 1000)]);
    expect(run.referral).toMatchObject({
      status: "cancelled",
      rewardProgress: "taken_back",
      cancelledReason: "#2001 was refunded within the 30-day return window",
    });
    expect(run.entries.at(-1)).toMatchObject({
      kind: "reverse",
      reason: "referral",
      idempotencyKey: "reverse:referral:ref-1",
      points: 500,
      pending: true,
      explanation:
        "\u2212500: referral cancelled, #2001 was refunded within the 30-day return window; held referral points taken back",
    });
    expect(advocatePoints(run)).toEqual({ balance: 0, pending: 0, lifetimeEarned: 0, lifetimeRedeemed: 0 });
    expect([run.successful, run.refereeRevenueMinor]).toEqual([0, 0]);
  });

  it("a restock that gives no money back is not a refund", () => {
    expect(deliver([paid(), restock(1)]).referral.status).toBe("completed");
  });

  it("a refund after the release leaves the referral completed and the points with the advocate", () => {
    const released = apply(deliver([paid()]), planReferralRelease(deliver([paid()]).referral, afterWindow));
    const orderAfter = planOrderEvent(released.order, refund(1, 8000), {
      program: defaultProgram("CAD"),
      customer: member,
      totals: zeroTotals,
    }).state;
    const plan = planReferralOrder(released.referral, referralOrderView(orderGid, orderAfter, null, afterWindow), {
      signals: [],
      now: afterWindow,
    });
    expect(plan.state.status).toBe("completed");
    expect(plan.entries).toEqual([]);
  });

  it("blocks at the order on a strong signal and pays nothing", () => {
    const own = detectSignals(
      { customerGid: "a", email: "ana@example.com", firstName: null, lastName: null, blocked: false },
      { email: "other@example.com", customerGid: "a" },
      "completion",
    );
    const run = deliver([paid()], { signals: own });
    expect(run.referral.status).toBe("blocked");
    expect(run.entries).toEqual([]);
    expect(run.successful).toBe(0);
  });

  it("flags a household for review; Approve completes and rewards once", () => {
    const run = deliver([paid()], { signals: household });
    expect(run.referral).toMatchObject({ status: "pending", review: "flagged", rewardProgress: "none" });
    expect(run.entries).toEqual([]);
    const orderView = referralOrderView(orderGid, run.order, null, during);
    const approved = apply(run, planReferralApproval(run.referral, orderView, { now: during, staff: "Sam Lee" }));
    expect(approved.referral).toMatchObject({
      status: "completed",
      review: "approved",
      approvedSignals: ["same_address"],
    });
    expect(approved.entries.map((entry) => entry.idempotencyKey)).toEqual(["referral:ref-1"]);
    expect(() => planReferralApproval(approved.referral, orderView, { now: during, staff: "Sam Lee" })).toThrow(
      DomainError,
    );
    // A redelivered payment after the approval does nothing more.
    const again = deliver([paid()], { referral: approved.referral });
    expect(again.entries).toEqual([]);
  });

  it("a household approved at the claim is not flagged again by its order", () => {
    const atClaim = claimed(
      points,
      30,
      detectSignals(
        { customerGid: "a", email: "ana@example.com", firstName: null, lastName: null, blocked: false },
        { email: "ben@example.com", sharesAdvocateAddress: true },
        "claim",
      ),
    );
    expect(atClaim).toMatchObject({ status: "pending", review: "flagged" });
    const approved = planReferralApproval(atClaim, null, { now: during, staff: "Sam" }).state;
    expect(approved).toMatchObject({ status: "pending", review: "approved" });
    expect(deliver([paid()], { referral: approved, signals: household }).referral.status).toBe("completed");
  });

  it("refuses to approve a referral whose order was refunded meanwhile", () => {
    const run = deliver([paid()], { signals: household });
    const refunded = planOrderEvent(run.order, refund(1, 500), {
      program: defaultProgram("CAD"),
      customer: member,
      totals: zeroTotals,
    }).state;
    const flaggedThenRefunded = planReferralOrder(run.referral, referralOrderView(orderGid, refunded, null, during), {
      signals: [],
      now: during,
    });
    expect(flaggedThenRefunded.state.status).toBe("cancelled");
  });

  it("staff Cancel takes back what was paid (even released points), deactivates the friend's code, and is final", () => {
    const released = apply(deliver([paid()]), planReferralRelease(deliver([paid()]).referral, afterWindow));
    const cancelledByStaff = apply(released, planReferralCancellation(released.referral, { staff: "Sam Lee" }));
    expect(cancelledByStaff.referral).toMatchObject({ status: "cancelled", cancelledReason: "Cancelled by Sam Lee" });
    expect(advocatePoints(cancelledByStaff).balance).toBe(0);
    expect(cancelledByStaff.successful).toBe(0);
    expect(planReferralCancellation(released.referral, { staff: "Sam Lee" }).voidFriendCode).toBe(true);
    expect(planReferralCancellation(cancelledByStaff.referral, { staff: "Sam" }).events).toEqual([]);
    // An order with the friend's code after the cancellation completes nothing.
    const late = deliver([paid()], { referral: planReferralCancellation(claimed(), { staff: "Sam" }).state });
    expect(late.referral.status).toBe("cancelled");
    expect(late.entries).toEqual([]);
  });

  it("a discount reward is held, then issued at the end of the window; withdrawn before, voided after", () => {
    const run = deliver([paid()], { referral: claimed(discount) });
    expect(run.referral.rewardProgress).toBe("held");
    expect(run.entries).toEqual([]);
    expect(planReferralRelease(run.referral, afterWindow).advocateDiscount).toBe("issue");
    expect(deliver([paid(), refund(1, 100)], { referral: claimed(discount) }).discountEffects).toEqual(["withdraw"]);
    const released = planReferralRelease(run.referral, afterWindow).state;
    expect(planReferralCancellation(released, { staff: "Sam" }).advocateDiscount).toBe("void");
    expect(deliver([paid()], { referral: claimed(discount, 0) }).discountEffects).toEqual(["issue"]);
  });
});

describe("a claim refused on the spot (decisions 018, 077)", () => {
  const atClaim = (code: "same_email" | "already_customer", reason: string): FraudSignal => ({
    code,
    weight: signalWeights[code],
    reason,
    at: "claim",
  });
  const ownLink = claimed(points, 30, [atClaim("same_email", "The friend's email is the advocate's")]);
  const existingCustomer = claimed(points, 30, [atClaim("already_customer", "The friend already ordered here")]);

  it("is an own-link or existing-customer claim, and no other referral", () => {
    expect(referralStatusSchema.options.filter(isRefusedClaim)).toEqual(["own_link", "not_new"]);
    expect([ownLink.status, existingCustomer.status]).toEqual(["own_link", "not_new"]);
    expect(isRefusedClaim(claimed().status)).toBe(false);
  });

  it("completes nothing when an order is paid with the offer anyway", () => {
    for (const refused of [ownLink, existingCustomer]) {
      const run = deliver([paid()], { referral: refused });
      expect(run.referral.status).toBe(refused.status);
      expect(run.entries).toEqual([]);
      expect(run.successful).toBe(0);
    }
  });
});

describe("exactly once, whatever the arrival order", () => {
  const historyArbitrary = fc.record({
    refunds: fc.array(fc.integer({ min: 0, max: 8000 }), { maxLength: 3 }),
    cancel: fc.boolean(),
    fulfil: fc.boolean(),
    reward: fc.constantFrom(points, discount),
    pendingDays: fc.constantFrom(0, 30),
    signals: fc.constantFrom<FraudSignal[]>([], household),
  });

  type History = typeof historyArbitrary extends fc.Arbitrary<infer Value> ? Value : never;
  const eventsOf = (history: History): OrderEvent[] => [
    paid(),
    ...history.refunds.map((amount, index) => refund(index + 1, amount)),
    ...(history.cancel ? [cancelled] : []),
    ...(history.fulfil ? [fulfilled] : []),
  ];

  /** Each event delivered one to three times, the whole lot shuffled. */
  const deliveriesOf = (events: OrderEvent[]) =>
    fc.array(fc.integer({ min: 1, max: 3 }), { minLength: events.length, maxLength: events.length }).chain((times) => {
      const all = events.flatMap((event, index) => Array<OrderEvent>(times[index]!).fill(event));
      return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
    });

  it("ends with the same status, reward, advocate points and counters as delivery in order, once each", () => {
    fc.assert(
      fc.property(
        historyArbitrary.chain((history) => fc.tuple(fc.constant(history), deliveriesOf(eventsOf(history)))),
        ([history, deliveries]) => {
          const referral = claimed(history.reward, history.pendingDays);
          const inOrder = deliver(eventsOf(history), { referral, signals: history.signals });
          const shuffled = deliver(deliveries, { referral, signals: history.signals });
          expect(shuffled.referral.status).toBe(inOrder.referral.status);
          expect(shuffled.referral.review).toBe(inOrder.referral.review);
          expect(advocatePoints(shuffled)).toEqual(advocatePoints(inOrder));
          expect([shuffled.successful, shuffled.refereeRevenueMinor]).toEqual([
            inOrder.successful,
            inOrder.refereeRevenueMinor,
          ]);
          // Each reward entry at most once, and a discount reward is issued only where the in-order one is.
          const keys = shuffled.entries.map((entry) => entry.idempotencyKey);
          expect(new Set(keys).size).toBe(keys.length);
          expect(shuffled.discountEffects.filter((effect) => effect === "issue")).toEqual(
            inOrder.discountEffects.filter((effect) => effect === "issue"),
          );
          // What it ends as follows from the facts alone.
          const undone = history.cancel || history.refunds.some((amount) => amount > 0);
          const expected =
            history.signals.length > 0
              ? undone
                ? "cancelled"
                : "pending"
              : undone && history.pendingDays > 0
                ? "cancelled"
                : "completed";
          expect(shuffled.referral.status).toBe(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("a release at any point leaves the advocate's points either all given or all taken back", () => {
    fc.assert(
      fc.property(
        historyArbitrary.chain((history) => fc.tuple(fc.constant(history), deliveriesOf(eventsOf(history)), fc.nat())),
        ([history, deliveries, cut]) => {
          const referral = claimed(points, 30);
          const at = deliveries.length === 0 ? 0 : cut % (deliveries.length + 1);
          const before = deliver(deliveries.slice(0, at), { referral });
          const released = apply(before, planReferralRelease(before.referral, afterWindow));
          let run = released;
          for (const event of deliveries.slice(at)) {
            const order = planOrderEvent(run.order, event, {
              program: defaultProgram("CAD"),
              customer: member,
              totals: zeroTotals,
            }).state;
            run = apply(
              { ...run, order },
              planReferralOrder(
                run.referral,
                referralOrderView(
                  orderGid,
                  order,
                  { processedAt: paidAt, totalMinor: 9040, name: "#2001" },
                  afterWindow,
                ),
                { signals: [], now: afterWindow },
              ),
            );
          }
          const totals = advocatePoints(run);
          expect(totals.pending).toBe(0);
          expect([0, 500]).toContain(totals.balance);
          expect(totals.balance === 500).toBe(run.referral.status === "completed");
          expect(run.successful).toBe(run.referral.status === "completed" ? 1 : 0);
          void history;
        },
      ),
      { numRuns: 300 },
    );
  });
});
