import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  emptyOrderState,
  orderReleaseAt,
  planOrderEvent,
  planOrderRelease,
  recalculate,
  zeroTotals,
  type LedgerEntry,
  type LedgerTotals,
  type OrderEvent,
  type OrderPointsState,
} from "~/domain/ledger";
import { defaultProgram, reversalTarget, type CustomerEarningContext, type Program } from "~/domain/program";
import { DomainError } from "~/domain/shared";

const order = "gid://shopify/Order/1042";
const member: CustomerEarningContext = { customerTags: [], blocked: false, status: "member" };

function programWith(patch: Partial<Program["settings"]>): Program {
  const program = defaultProgram("USD");
  return { ...program, settings: { ...program.settings, ...patch } };
}

interface Run {
  state: OrderPointsState;
  totals: LedgerTotals;
  entries: LedgerEntry[];
}

function deliver(
  events: readonly OrderEvent[],
  options: {
    program?: Program;
    customer?: CustomerEarningContext;
    totals?: LedgerTotals;
    afterEach?: (run: Run) => void;
  } = {},
): Run {
  const run: Run = { state: emptyOrderState(order), totals: options.totals ?? { ...zeroTotals }, entries: [] };
  for (const event of events) {
    const plan = planOrderEvent(run.state, event, {
      program: options.program ?? defaultProgram("USD"),
      customer: options.customer ?? member,
      totals: run.totals,
    });
    run.state = plan.state;
    run.totals = plan.totals;
    run.entries.push(...plan.entries);
    options.afterEach?.(run);
  }
  return run;
}

function release(run: Run, now: Date): Run {
  const plan = planOrderRelease(run.state, { now, totals: run.totals });
  return { state: plan.state, totals: plan.totals, entries: [...run.entries, ...plan.entries] };
}

const paid = (subtotalMinor: number, extra: Partial<Extract<OrderEvent, { kind: "paid" }>> = {}): OrderEvent => ({
  kind: "paid",
  orderGid: order,
  orderName: "#1042",
  subtotalMinor,
  currency: "USD",
  ...extra,
});
const refund = (id: number, refundedBaseMinor: number): OrderEvent => ({
  kind: "refund",
  orderGid: order,
  refundGid: `gid://shopify/Refund/${id}`,
  refundedBaseMinor,
});
const cancelled = (refunds: Array<[number, number]> = []): OrderEvent => ({
  kind: "cancelled",
  orderGid: order,
  orderName: "#1042",
  refunds: refunds.map(([id, amount]) => ({ refundGid: `gid://shopify/Refund/${id}`, refundedBaseMinor: amount })),
});
const fulfilled = (fulfilledAt: string): OrderEvent => ({ kind: "fulfilled", orderGid: order, fulfilledAt });

const summary = (entries: readonly LedgerEntry[]) =>
  entries.map((entry) => [entry.idempotencyKey, entry.points] as const).sort(([a], [b]) => a.localeCompare(b));

describe("planOrderEvent", () => {
  it("earns on payment and reverses a half refund, explaining both", () => {
    const run = deliver([paid(10000), refund(1, 5000)]);
    expect(run.entries.map((entry) => [entry.kind, entry.idempotencyKey, entry.points, entry.explanation])).toEqual([
      ["earn", `earn:order:${order}`, 100, "+100: order #1042 paid, 100.00 \u00d7 1/1.00"],
      ["reverse", "reverse:refund:gid://shopify/Refund/1", 50, "\u221250: refund on order #1042 (50% of 100.00)"],
    ]);
    expect(run.totals).toEqual({ balance: 50, pending: 0, lifetimeEarned: 50, lifetimeRedeemed: 0 });
  });

  it("records the program version on the earn entry", () => {
    const program = { ...defaultProgram("USD"), version: 7 };
    expect(deliver([paid(1000)], { program }).entries[0]).toMatchObject({ kind: "earn", programVersion: 7 });
  });

  it("ignores a redelivered payment or refund", () => {
    const run = deliver([paid(10000), paid(10000), refund(1, 2500), refund(1, 2500)]);
    expect(summary(run.entries)).toEqual([
      [`earn:order:${order}`, 100],
      ["reverse:refund:gid://shopify/Refund/1", 25],
    ]);
  });

  it("reverses exactly what was earned when partial refunds add up to the whole order", () => {
    // 10.99 earns 10; three refunds each round down to 3, and the closing entry takes the last point.
    const run = deliver([paid(1099), refund(1, 333), refund(2, 333), refund(3, 433)]);
    expect(run.entries.map((entry) => entry.points)).toEqual([10, 3, 3, 3, 1]);
    expect(run.entries.at(-1)).toMatchObject({
      idempotencyKey: `reverse:close:${order}`,
      reason: "refund",
      explanation: "\u22121: order #1042 fully refunded, reversing the rest of its points",
    });
    expect(run.totals.balance).toBe(0);
  });

  it("keeps a refund that overtakes the payment and reverses it once the payment arrives", () => {
    const early = deliver([refund(1, 4000)]);
    expect(early.entries).toEqual([]);
    const run = deliver([refund(1, 4000), paid(10000)]);
    expect(summary(run.entries)).toEqual(summary(deliver([paid(10000), refund(1, 4000)]).entries));
    expect(run.totals.balance).toBe(60);
  });

  it("cancels: each listed refund keeps its share and the rest is reversed", () => {
    const inOrder = deliver([paid(10000), refund(1, 3000), cancelled([[1, 3000]])]);
    const cancelFirst = deliver([paid(10000), cancelled([[1, 3000]]), refund(1, 3000)]);
    expect(summary(inOrder.entries)).toEqual([
      [`earn:order:${order}`, 100],
      [`reverse:close:${order}`, 70],
      ["reverse:refund:gid://shopify/Refund/1", 30],
    ]);
    expect(summary(cancelFirst.entries)).toEqual(summary(inOrder.entries));
    expect(inOrder.entries.at(-1)?.explanation).toBe(
      "\u221270: order #1042 cancelled, reversing the rest of its points",
    );
  });

  it("gives blocked customers nothing and says what they would have earned", () => {
    const plan = planOrderEvent(emptyOrderState(order), paid(12000), {
      program: defaultProgram("USD"),
      customer: { ...member, blocked: true },
      totals: zeroTotals,
    });
    expect(plan.entries).toEqual([]);
    expect(plan.earning).toMatchObject({ points: 0, wouldHaveEarned: 120, skippedReason: "blocked" });
    expect(plan.state.paid).toMatchObject({ earned: 0, skippedReason: "blocked" });
  });

  it("says so when a reversal leaves the customer in debt", () => {
    // The customer earned 100, then spent 80 on a reward before the refund.
    const run = deliver([paid(10000), refund(1, 5000)], {
      totals: { ...zeroTotals, balance: -80, lifetimeRedeemed: 80 },
    });
    expect(run.entries[1]?.explanation).toBe(
      "\u221250: refund on order #1042 (50% of 100.00); balance now \u221230, repaid from future points",
    );
  });

  it("returns points spent on the order's reward when the order is cancelled or fully refunded, once", () => {
    const reward = { redemption: { rewardId: "rw_9", points: 500 } };
    const partial = deliver([paid(2000, reward), refund(1, 1000)]);
    expect(partial.entries.some((entry) => entry.kind === "redemption_return")).toBe(false);

    const full = deliver([paid(2000, reward), refund(1, 2000), cancelled([[1, 2000]])]);
    expect(full.entries.filter((entry) => entry.kind === "redemption_return")).toEqual([
      expect.objectContaining({ idempotencyKey: "redemption_return:rw_9", points: 500 }),
    ]);

    const off = deliver([paid(2000, reward), cancelled()], { program: programWith({ returnRedeemedPoints: false }) });
    expect(off.entries.some((entry) => entry.kind === "redemption_return")).toBe(false);
  });

  it("returns the reward's points even when the order earned nothing", () => {
    const run = deliver([paid(0, { redemption: { rewardId: "rw_1", points: 500 } }), cancelled()]);
    expect(summary(run.entries)).toEqual([["redemption_return:rw_1", 500]]);
  });

  it("refuses an event for another order", () => {
    expect(() =>
      planOrderEvent(emptyOrderState("gid://shopify/Order/1"), paid(100), {
        program: defaultProgram("USD"),
        customer: member,
        totals: zeroTotals,
      }),
    ).toThrowError(DomainError);
  });
});

describe("held points", () => {
  const program = programWith({ pendingDays: 14 });

  it("holds points until the pending period after the first fulfilment is over", () => {
    let run = deliver(
      [paid(10000), refund(1, 2000), fulfilled("2025-03-10T12:00:00Z"), fulfilled("2025-03-01T12:00:00-05:00")],
      { program },
    );
    expect(run.entries[0]).toMatchObject({ kind: "earn", pending: true });
    expect(run.entries[0]?.explanation).toBe(
      "+100: order #1042 paid, 100.00 \u00d7 1/1.00; held until 14 days after fulfilment",
    );
    expect(run.totals).toEqual({ balance: 0, pending: 80, lifetimeEarned: 80, lifetimeRedeemed: 0 });
    expect(orderReleaseAt(run.state)?.toISOString()).toBe("2025-03-15T17:00:00.000Z");

    expect(release(run, new Date("2025-03-15T16:59:59Z")).entries).toHaveLength(2);
    run = release(run, new Date("2025-03-15T17:00:00Z"));
    expect(run.entries.at(-1)).toMatchObject({ kind: "release", idempotencyKey: `release:order:${order}`, points: 80 });
    expect(run.totals).toEqual({ balance: 80, pending: 0, lifetimeEarned: 80, lifetimeRedeemed: 0 });
    expect(release(run, new Date("2025-04-01T00:00:00Z")).entries).toHaveLength(run.entries.length);
  });

  it("takes later refunds from the balance once released", () => {
    let run = deliver([paid(10000), fulfilled("2025-03-01T00:00:00Z")], { program });
    run = release(run, new Date("2025-04-01T00:00:00Z"));
    const plan = planOrderEvent(run.state, refund(1, 5000), { program, customer: member, totals: run.totals });
    expect(plan.entries[0]).toMatchObject({ kind: "reverse", pending: false, points: 50 });
    expect(plan.totals).toEqual({ balance: 50, pending: 0, lifetimeEarned: 50, lifetimeRedeemed: 0 });
  });
});

/*
 * Properties. A scenario is one order's true history: paid, some refunds whose refunded bases stay within the
 * subtotal (optionally adding up to all of it), maybe a cancellation listing those refunds, and fulfilments.
 */
const scenarioArbitrary = fc
  .record({
    subtotalMinor: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 5_000_000 })),
    pointsPerUnit: fc.integer({ min: 1, max: 5 }),
    unitMinor: fc.constantFrom(1, 100, 250, 1000),
    pendingDays: fc.constantFrom(0, 0, 7),
    blocked: fc.constantFrom(false, false, false, true),
    redemption: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: null }),
    startBalance: fc.integer({ min: -200, max: 1000 }),
  })
  .chain((order) =>
    fc.record({
      order: fc.constant(order),
      cuts: fc.array(fc.integer({ min: 0, max: order.subtotalMinor }), { maxLength: 5 }),
      fullyRefunded: fc.boolean(),
      cancel: fc.boolean(),
      fulfilments: fc.array(fc.integer({ min: 0, max: 60 * 24 * 30 }), { maxLength: 2 }),
      lateRefund: fc.option(fc.integer({ min: 0, max: order.subtotalMinor }), { nil: null }),
    }),
  );

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer Value> ? Value : never;

function timeline(scenario: Scenario, options: { lateRefunds: boolean }): OrderEvent[] {
  const { order: o } = scenario;
  const cuts = [...scenario.cuts, ...(scenario.fullyRefunded ? [o.subtotalMinor] : [])].sort((a, b) => a - b);
  const refunds: Array<[number, number]> = cuts.map((cut, index) => [index + 1, cut - (cuts[index - 1] ?? 0)]);
  const events: OrderEvent[] = [
    paid(o.subtotalMinor, { redemption: o.redemption === null ? null : { rewardId: "rw_1", points: o.redemption } }),
    ...refunds.map(([id, amount]) => refund(id, amount)),
  ];
  if (scenario.cancel) events.push(cancelled(refunds));
  for (const minutes of scenario.fulfilments) {
    events.push(fulfilled(new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString()));
  }
  if (options.lateRefunds && scenario.lateRefund !== null) {
    // A refund made after the cancellation, so the cancellation payload does not list it.
    const spent = refunds.reduce((sum, [, amount]) => sum + amount, 0);
    events.push(refund(99, Math.min(scenario.lateRefund, o.subtotalMinor - spent)));
  }
  return events;
}

function contextFor(scenario: Scenario) {
  const o = scenario.order;
  return {
    program: programWith({ pointsPerUnit: o.pointsPerUnit, unitMinor: o.unitMinor, pendingDays: o.pendingDays }),
    customer: { ...member, blocked: o.blocked },
    totals: { ...zeroTotals, balance: o.startBalance },
  };
}

/** Every event delivered one to three times, in any order. */
function deliveriesOf(events: OrderEvent[]) {
  return fc
    .array(fc.integer({ min: 1, max: 3 }), { minLength: events.length, maxLength: events.length })
    .chain((copies) => {
      const all = events.flatMap((event, index) => Array.from({ length: copies[index] ?? 1 }, () => event));
      return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
    });
}

const farFuture = new Date("2030-01-01T00:00:00Z");

function settle(events: readonly OrderEvent[], scenario: Scenario, afterEach?: (run: Run) => void): Run {
  const ctx = contextFor(scenario);
  return release(deliver(events, { ...ctx, afterEach }), farFuture);
}

function expectValidRun(run: Run, startTotals: LedgerTotals): void {
  const keys = run.entries.map((entry) => entry.idempotencyKey);
  expect(new Set(keys).size).toBe(keys.length);
  const fromEntries = recalculate(run.entries);
  expect(run.totals).toEqual({
    balance: startTotals.balance + fromEntries.balance,
    pending: startTotals.pending + fromEntries.pending,
    lifetimeEarned: startTotals.lifetimeEarned + fromEntries.lifetimeEarned,
    lifetimeRedeemed: startTotals.lifetimeRedeemed + fromEntries.lifetimeRedeemed,
  });
}

describe("order events delivered at least once and out of order", () => {
  const withDeliveries = (lateRefunds: boolean) =>
    scenarioArbitrary.chain((scenario) => {
      const events = timeline(scenario, { lateRefunds });
      return fc.tuple(fc.constant(scenario), fc.constant(events), deliveriesOf(events));
    });

  it("end with the same entries and totals as one in-order delivery", () => {
    fc.assert(
      fc.property(withDeliveries(false), ([scenario, events, deliveries]) => {
        const inOrder = settle(events, scenario);
        const shuffled = settle(deliveries, scenario);
        expect(summary(shuffled.entries)).toEqual(summary(inOrder.entries));
        expect(shuffled.totals).toEqual(inOrder.totals);
        expectValidRun(shuffled, contextFor(scenario).totals);
      }),
      { numRuns: 500 },
    );
  });

  it("end with the same totals when a refund made after the cancellation overtakes it", () => {
    fc.assert(
      fc.property(withDeliveries(true), ([scenario, events, deliveries]) => {
        const inOrder = settle(events, scenario);
        const shuffled = settle(deliveries, scenario);
        expect(shuffled.totals).toEqual(inOrder.totals);
        expectValidRun(shuffled, contextFor(scenario).totals);
      }),
      { numRuns: 300 },
    );
  });

  it("never reverse more than the order earned, and everything once it is cancelled or fully refunded", () => {
    fc.assert(
      fc.property(withDeliveries(true), ([scenario, events, deliveries]) => {
        const check = (run: Run) => {
          const { paid: p, reversed, refunds } = run.state;
          const reversedInEntries = run.entries
            .filter((entry) => entry.kind === "reverse")
            .reduce((sum, entry) => sum + entry.points, 0);
          expect(reversedInEntries).toBe(reversed);
          if (!p) return expect(reversed).toBe(0);
          expect(reversed).toBeLessThanOrEqual(p.earned);
          const refunded = Object.values(refunds).reduce((sum, amount) => sum + amount, 0);
          if (!run.state.closed) {
            expect(reversed).toBeLessThanOrEqual(
              reversalTarget({
                earnedForOrder: p.earned,
                earningBaseMinor: p.subtotalMinor,
                refundedBaseMinorCumulative: refunded,
              }),
            );
          } else {
            expect(reversed).toBe(p.earned);
          }
          expect(run.totals.pending).toBeGreaterThanOrEqual(0);
        };
        const run = settle(deliveries, scenario, check);
        check(run);
        const refundedBase = events.reduce(
          (sum, event) => sum + (event.kind === "refund" ? event.refundedBaseMinor : 0),
          0,
        );
        const everythingBack =
          scenario.cancel || (scenario.order.subtotalMinor > 0 && refundedBase >= scenario.order.subtotalMinor);
        if (everythingBack) {
          expect(run.totals.lifetimeEarned).toBe(0);
          expect(run.totals.pending).toBe(0);
        }
        const returned = run.entries.filter((entry) => entry.kind === "redemption_return");
        expect(returned.length).toBe(everythingBack && scenario.order.redemption !== null ? 1 : 0);
        for (const entry of returned) expect(entry.points).toBe(scenario.order.redemption);
      }),
      { numRuns: 500 },
    );
  });
});
