import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  emptyOrderState,
  normalizeOrderState,
  orderPointsHeld,
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
import {
  defaultProgram,
  earningBase,
  lineValue,
  pointsForBase,
  type CustomerEarningContext,
  type GoodsLine,
  type Program,
} from "~/domain/program";
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
const refund = (id: number, goodsBackMinor: number): OrderEvent => ({
  kind: "refund",
  orderGid: order,
  refundGid: `gid://shopify/Refund/${id}`,
  goodsBackMinor,
});
const cancelled = (refunds: Array<[number, number]> = []): OrderEvent => ({
  kind: "cancelled",
  orderGid: order,
  orderName: "#1042",
  refunds: refunds.map(([id, amount]) => ({ refundGid: `gid://shopify/Refund/${id}`, goodsBackMinor: amount })),
});
const fulfilled = (fulfilledAt: string): OrderEvent => ({ kind: "fulfilled", orderGid: order, fulfilledAt });

const summary = (entries: readonly LedgerEntry[]) =>
  entries.map((entry) => [entry.idempotencyKey, entry.points] as const).sort(([a], [b]) => a.localeCompare(b));

describe("planOrderEvent", () => {
  it("earns on payment and reverses a half refund, explaining both", () => {
    const run = deliver([paid(10000), refund(1, 5000)]);
    expect(run.entries.map((entry) => [entry.kind, entry.idempotencyKey, entry.points, entry.explanation])).toEqual([
      ["earn", `earn:order:${order}`, 100, "+100: order #1042 paid, 100.00 USD at 1 point per 1.00 USD"],
      ["reverse", "reverse:refund:gid://shopify/Refund/1", 50, "\u221250: refund on order #1042 (50% of 100.00 USD)"],
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
    // At 3 points per 2.50, 10.00 earns 12; the refunds round down to 3, 3 and 4, and the closing entry takes 2.
    const program = programWith({ pointsPerUnit: 3, unitMinor: 250 });
    const run = deliver([paid(1000), refund(1, 333), refund(2, 333), refund(3, 334)], { program });
    expect(run.entries.map((entry) => entry.points)).toEqual([12, 3, 3, 4, 2]);
    expect(run.entries.at(-1)).toMatchObject({
      idempotencyKey: `reverse:close:${order}`,
      reason: "refund",
      explanation: "\u22122: order #1042 fully refunded, reversing the rest of its points",
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
      "\u221250: refund on order #1042 (50% of 100.00 USD); balance now \u221230, repaid from future points",
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
      "+100: order #1042 paid, 100.00 USD at 1 point per 1.00 USD; held until 14 days after fulfilment",
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

describe("order edits", () => {
  const line = (id: string, discountedMinor: number, extra: Partial<GoodsLine> = {}): GoodsLine => ({
    lineGid: `gid://shopify/LineItem/${id}`,
    quantity: 1,
    discountedMinor,
    ...extra,
  });
  const paidWith = (lines: GoodsLine[], extra: Partial<Extract<OrderEvent, { kind: "paid" }>> = {}) =>
    paid(
      lines.reduce((sum, l) => sum + l.discountedMinor, 0),
      { lines, paidAt: "2025-03-01T10:00:00Z", ...extra },
    );
  const edited = (
    id: string,
    change: { add?: Array<[string, number]>; remove?: Array<[string, number]> },
    committedAt = "2025-03-02T10:00:00Z",
  ): OrderEvent => ({
    kind: "edited",
    orderGid: order,
    editId: id,
    committedAt,
    additions: (change.add ?? []).map(([lineId, units]) => ({ lineGid: `gid://shopify/LineItem/${lineId}`, units })),
    removals: (change.remove ?? []).map(([lineId, units]) => ({ lineGid: `gid://shopify/LineItem/${lineId}`, units })),
  });
  const updated = (lines: GoodsLine[], extra: Partial<Extract<OrderEvent, { kind: "updated" }>> = {}): OrderEvent => ({
    kind: "updated",
    orderGid: order,
    lines,
    ...extra,
  });
  const a = line("1", 5000);
  const b = line("2", 5000);
  const c = line("3", 3000);

  it("an item added to a paid order earns, once, whichever of orders/edited and orders/updated comes first", () => {
    const editFirst = deliver([paidWith([a, b]), edited("7", { add: [["3", 1]] }), updated([a, b, c])]);
    const linesFirst = deliver([paidWith([a, b]), updated([a, b, c]), edited("7", { add: [["3", 1]] })]);
    expect(editFirst.entries.at(-1)).toMatchObject({
      kind: "earn",
      idempotencyKey: `earn:edit:${order}:7`,
      points: 30,
      explanation: "+30: order #1042 edited, 30.00 USD added, at 1 point per 1.00 USD",
    });
    expect(summary(linesFirst.entries)).toEqual(summary(editFirst.entries));
    const again = deliver([paidWith([a, b]), edited("7", { add: [["3", 1]] }), updated([a, b, c]), edited("7", {})]);
    expect(again.totals.balance).toBe(130);
  });

  it("an item removed reverses its points", () => {
    const run = deliver([paidWith([a, b]), edited("8", { remove: [["2", 1]] })]);
    expect(run.entries.at(-1)).toMatchObject({
      kind: "reverse",
      reason: "edit",
      idempotencyKey: `reverse:edit:${order}:8`,
      points: 50,
      explanation: "\u221250: order #1042 edited, 50.00 USD removed, at 1 point per 1.00 USD",
    });
    expect(run.totals.balance).toBe(50);
  });

  it("an edit that adds then one that removes the same item leave the order where it was", () => {
    const run = deliver([
      paidWith([a, b]),
      edited("7", { add: [["3", 1]] }),
      updated([a, b, c]),
      edited("9", { remove: [["3", 1]] }, "2025-03-03T10:00:00Z"),
    ]);
    expect(run.entries.map((entry) => [entry.kind, entry.points])).toEqual([
      ["earn", 100],
      ["earn", 30],
      ["reverse", 30],
    ]);
    expect(run.totals.balance).toBe(100);
  });

  it("an exchange in one edit counts the difference", () => {
    const run = deliver([paidWith([a, b]), edited("7", { add: [["3", 1]], remove: [["2", 1]] }), updated([a, b, c])]);
    expect(run.entries.at(-1)).toMatchObject({ kind: "reverse", points: 20 });
    expect(run.entries.at(-1)?.explanation).toBe(
      "\u221220: order #1042 edited, 30.00 USD added, 50.00 USD removed, at 1 point per 1.00 USD",
    );
  });

  it("an edit committed before the payment is already in the subtotal and counts nothing", () => {
    const run = deliver([paidWith([a, b]), edited("6", { add: [["2", 1]] }, "2025-02-28T10:00:00Z")]);
    expect(run.entries).toHaveLength(1);
    expect(run.state.edits["6"]?.status).toBe("before_payment");
  });

  it("an edit that arrives before the payment waits for it", () => {
    const run = deliver([edited("8", { remove: [["2", 1]] }), paidWith([a, b])]);
    expect(summary(run.entries)).toEqual(
      summary(deliver([paidWith([a, b]), edited("8", { remove: [["2", 1]] })]).entries),
    );
  });

  it("adds a gift card and earns nothing for it", () => {
    const card = line("4", 5000, { giftCard: true });
    const run = deliver([paidWith([a]), edited("7", { add: [["4", 1]] }), updated([a, card])]);
    expect(run.entries).toHaveLength(1);
    expect(run.state.edits["7"]).toMatchObject({ status: "applied", points: 0 });
  });

  it("values an edit in a tax-inclusive shop without the tax", () => {
    const gross = line("5", 6000, { taxMinor: 1000 });
    const run = deliver([
      paidWith([line("1", 12000, { taxMinor: 2000 })], { taxesIncluded: true }),
      edited("7", { add: [["5", 1]] }),
      updated([gross], { taxesIncluded: true }),
    ]);
    expect(run.entries.map((entry) => entry.points)).toEqual([100, 50]);
  });

  it("gives a blocked customer nothing for an edit either", () => {
    const run = deliver([paidWith([a, b]), edited("7", { add: [["3", 1]] }), updated([a, b, c])], {
      customer: { ...member, blocked: true },
    });
    expect(run.entries).toEqual([]);
  });

  it("removing an item and refunding its money take its points back once, in either order", () => {
    const removeThenRefund = deliver([paidWith([a, b]), edited("8", { remove: [["2", 1]] }), refund(1, 5000)]);
    const refundThenRemove = deliver([paidWith([a, b]), refund(1, 5000), edited("8", { remove: [["2", 1]] })]);
    expect(removeThenRefund.totals.balance).toBe(50);
    expect(refundThenRemove.totals.balance).toBe(50);
    // Refunding the other item too empties the order.
    expect(
      deliver([paidWith([a, b]), edited("8", { remove: [["2", 1]] }), refund(1, 5000), refund(2, 5000)]).totals,
    ).toMatchObject({ balance: 0, lifetimeEarned: 0 });
  });

  it("a refund of added goods that overtakes the edit is taken from the edit's points when it arrives", () => {
    // Paid 100.00, 30.00 added and paid for, then 120.00 refunded: 10 points stay.
    const inOrder = deliver([paidWith([a, b]), edited("7", { add: [["3", 1]] }), updated([a, b, c]), refund(1, 12000)]);
    const refundFirst = deliver([
      paidWith([a, b]),
      refund(1, 12000),
      edited("7", { add: [["3", 1]] }),
      updated([a, b, c]),
    ]);
    expect(inOrder.totals.balance).toBe(10);
    expect(refundFirst.totals.balance).toBe(10);
  });

  it("an edit that reopens a fully refunded order gives back what its closing reversed, whatever the arrival", () => {
    // Paid 100.00 + 20.00 tax on top (100 points, 40 of them spent on its reward), then 30.00 and 10.00 of untaxed
    // goods added, then 150.00 refunded: the order keeps goods paid for, so it never closes and keeps 15 points. With
    // the refund first it closes, the first edit's 5 points leave it fully refunded (closed again, the 5 reversed),
    // and the second edit reopens it: the closing's 5 come back and the reward's points are taken back again.
    const taxed = [line("1", 5000, { taxMinor: 1000 }), line("2", 5000, { taxMinor: 1000 })];
    const d = line("4", 1000);
    const redemption = { rewardId: "rw_1", points: 40 };
    const events = [
      paidWith(taxed, { redemption }),
      edited("7", { add: [["3", 1]] }),
      edited("8", { add: [["4", 1]] }, "2025-03-03T10:00:00Z"),
      updated([...taxed, c, d]),
      refund(1, 15000),
    ];
    const start = { ...zeroTotals, balance: 40 };
    const inOrder = deliver(events, { totals: start });
    expect(inOrder.totals).toEqual({ balance: 55, pending: 0, lifetimeEarned: 15, lifetimeRedeemed: 0 });
    const refundFirst = deliver([events[0]!, events[4]!, events[1]!, updated([...taxed, c]), events[2]!, events[3]!], {
      totals: start,
    });
    expect(refundFirst.totals).toEqual(inOrder.totals);
    expect(refundFirst.entries.map((entry) => [entry.kind, entry.points])).toEqual([
      ["earn", 100],
      ["reverse", 100],
      ["redemption_return", 40],
      ["earn", 5],
      ["reverse", 5],
      ["earn", 10],
      ["earn", 5],
      ["redeem", 40],
    ]);
    expect(refundFirst.entries.at(-2)?.explanation).toBe(
      "+5: order #1042 has goods paid for again after an edit, the points reversed when it closed given back",
    );
  });

  it("holds an edit's points with the order's while the pending period runs", () => {
    const program = programWith({ pendingDays: 14 });
    const run = deliver([paidWith([a, b]), edited("7", { add: [["3", 1]] }), updated([a, b, c])], { program });
    expect(run.totals).toMatchObject({ balance: 0, pending: 130 });
    expect(
      release(
        deliver(
          [
            ...[paidWith([a, b]), edited("7", { add: [["3", 1]] }), updated([a, b, c])],
            fulfilled("2025-03-01T00:00:00Z"),
          ],
          { program },
        ),
        farFuture,
      ).totals,
    ).toMatchObject({
      balance: 130,
      pending: 0,
    });
  });
});

describe("stored states from before edits and the earning base", () => {
  it("read back with the same meaning: a refund's bare number is its refunded base", () => {
    const old = {
      orderGid: order,
      orderName: "#1042",
      paid: {
        subtotalMinor: 10000,
        currency: "USD",
        earned: 100,
        skippedReason: null,
        programVersion: 1,
        holdDays: null,
        returnRedeemedPoints: true,
        redemption: null,
      },
      refunds: { "gid://shopify/Refund/1": 5000 },
      cancelled: false,
      fulfilledAt: null,
      reversed: 50,
      closed: false,
      released: false,
      redemptionReturned: false,
    };
    const state = normalizeOrderState(old);
    expect(state.paid).toMatchObject({ baseMinor: 10000, goodsMinor: 10000 });
    const plan = planOrderEvent(state, refund(2, 5000), {
      program: defaultProgram("USD"),
      customer: member,
      totals: { ...zeroTotals, balance: 50, lifetimeEarned: 50 },
    });
    expect(plan.entries.map((entry) => entry.points)).toEqual([50]);
    expect(plan.state.closed).toBe(true);
  });
});

/*
 * Properties. A scenario is one order's true history: paid for some lines, edits that add new lines or remove units,
 * refunds of goods money that stay within what was paid in (optionally adding up to all of it), maybe a cancellation
 * listing those refunds, and fulfilments.
 */
const scenarioArbitrary = fc
  .record({
    lines: fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 1, maxLength: 3 }),
    quantity: fc.integer({ min: 1, max: 3 }),
    taxPercent: fc.constantFrom(0, 0, 13, 20),
    taxesIncluded: fc.boolean(),
    pointsPerUnit: fc.integer({ min: 1, max: 5 }),
    unitMinor: fc.constantFrom(1, 100, 250, 1000),
    pendingDays: fc.constantFrom(0, 0, 7),
    blocked: fc.constantFrom(false, false, false, true),
    redemption: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: null }),
    startBalance: fc.integer({ min: -200, max: 1000 }),
    additions: fc.array(fc.integer({ min: 0, max: 500_000 }), { maxLength: 2 }),
    removals: fc.array(fc.nat(), { maxLength: 2 }),
  })
  .chain((order) =>
    fc.record({
      order: fc.constant(order),
      cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
      fullyRefunded: fc.boolean(),
      cancel: fc.boolean(),
      fulfilments: fc.array(fc.integer({ min: 0, max: 60 * 24 * 30 }), { maxLength: 2 }),
      lateRefund: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      refundsInUpdate: fc.boolean(),
    }),
  );

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer Value> ? Value : never;

interface History {
  events: OrderEvent[];
  /** Goods money paid in, with tax: at payment plus what edits added. */
  paidIn: number;
  refunded: number;
}

function goodsLine(id: string, discounted: number, o: Scenario["order"]): GoodsLine {
  const tax = Math.floor((discounted * o.taxPercent) / (o.taxesIncluded ? 100 + o.taxPercent : 100));
  return { lineGid: `gid://shopify/LineItem/${id}`, quantity: o.quantity, discountedMinor: discounted, taxMinor: tax };
}

function history(scenario: Scenario, options: { lateRefunds: boolean; removals: boolean; edits?: boolean }): History {
  const o = scenario.order;
  const flags = { taxesIncluded: o.taxesIncluded, dutiesIncluded: false };
  const lines = o.lines.map((amount, index) => goodsLine(`L${index}`, amount, o));
  const paidEvent = paid(
    lines.reduce((sum, l) => sum + l.discountedMinor, 0),
    {
      lines,
      taxesIncluded: o.taxesIncluded,
      paidAt: "2025-01-01T00:00:00Z",
      redemption: o.redemption === null ? null : { rewardId: "rw_1", points: o.redemption },
    },
  );
  const base = earningBase({ subtotalMinor: paidEvent.kind === "paid" ? paidEvent.subtotalMinor : 0, ...flags, lines });
  let paidIn = base.goodsMinor;
  const added = options.edits === false ? [] : o.additions.map((amount, index) => goodsLine(`A${index}`, amount, o));
  const events: OrderEvent[] = [paidEvent];
  const units = new Map(lines.map((l) => [l.lineGid, o.quantity]));
  added.forEach((l, index) => {
    units.set(l.lineGid, o.quantity);
    const value = lineValue(l, flags);
    paidIn += value.goodsMinor;
    events.push({
      kind: "edited",
      orderGid: order,
      editId: `add-${index}`,
      committedAt: `2025-01-0${2 + index}T00:00:00Z`,
      additions: [{ lineGid: l.lineGid, units: o.quantity }],
    });
  });
  if (options.removals && options.edits !== false) {
    o.removals.forEach((pick, index) => {
      const candidates = [...units.entries()].filter(([, left]) => left > 0);
      if (candidates.length === 0) return;
      const [lineGid, left] = candidates[pick % candidates.length]!;
      units.set(lineGid, left - 1);
      events.push({
        kind: "edited",
        orderGid: order,
        editId: `remove-${index}`,
        committedAt: `2025-01-0${5 + index}T00:00:00Z`,
        removals: [{ lineGid, units: 1 }],
      });
    });
  }
  events.push({ kind: "updated", orderGid: order, ...flags, lines: [...lines, ...added] });
  const cuts = [...scenario.cuts.map((cut) => Math.floor(cut * paidIn)), ...(scenario.fullyRefunded ? [paidIn] : [])];
  cuts.sort((x, y) => x - y);
  const refunds: Array<[number, number]> = cuts.map((cut, index) => [index + 1, cut - (cuts[index - 1] ?? 0)]);
  events.push(...refunds.map(([id, amount]) => refund(id, amount)));
  if (scenario.refundsInUpdate) {
    events.push({
      kind: "updated",
      orderGid: order,
      ...flags,
      lines: [...lines, ...added],
      refunds: refunds.map(([id, amount]) => ({ refundGid: `gid://shopify/Refund/${id}`, goodsBackMinor: amount })),
    });
  }
  if (scenario.cancel) events.push(cancelled(refunds));
  for (const minutes of scenario.fulfilments) {
    events.push(fulfilled(new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString()));
  }
  let refunded = refunds.reduce((sum, [, amount]) => sum + amount, 0);
  if (options.lateRefunds && scenario.lateRefund !== null) {
    // A refund made after the cancellation, so the cancellation payload does not list it.
    const amount = Math.floor(scenario.lateRefund * (paidIn - refunded));
    events.push(refund(99, amount));
    refunded += amount;
  }
  return { events, paidIn, refunded };
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
  const withDeliveries = (options: { lateRefunds: boolean; removals: boolean; edits: boolean }) =>
    scenarioArbitrary.chain((scenario) => {
      const { events } = history(scenario, options);
      return fc.tuple(fc.constant(scenario), fc.constant(events), deliveriesOf(events));
    });

  it("end with the same entries and totals as one in-order delivery", () => {
    fc.assert(
      fc.property(
        withDeliveries({ lateRefunds: false, removals: false, edits: false }),
        ([scenario, events, deliveries]) => {
          const inOrder = settle(events, scenario);
          const shuffled = settle(deliveries, scenario);
          expect(summary(shuffled.entries)).toEqual(summary(inOrder.entries));
          expect(shuffled.totals).toEqual(inOrder.totals);
          expectValidRun(shuffled, contextFor(scenario).totals);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("end with the same totals when edits add goods that refunds give money back for", () => {
    fc.assert(
      fc.property(
        withDeliveries({ lateRefunds: false, removals: false, edits: true }),
        ([scenario, events, deliveries]) => {
          const inOrder = settle(events, scenario);
          const shuffled = settle(deliveries, scenario);
          expect(shuffled.totals).toEqual(inOrder.totals);
          expectValidRun(shuffled, contextFor(scenario).totals);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("end with the same totals when edits also remove goods that refunds give money back for", () => {
    fc.assert(
      fc.property(
        withDeliveries({ lateRefunds: false, removals: true, edits: true }),
        ([scenario, events, deliveries]) => {
          const inOrder = settle(events, scenario);
          const shuffled = settle(deliveries, scenario);
          expect(shuffled.totals).toEqual(inOrder.totals);
          expectValidRun(shuffled, contextFor(scenario).totals);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("end with the same totals when a refund made after the cancellation overtakes it", () => {
    fc.assert(
      fc.property(
        withDeliveries({ lateRefunds: true, removals: true, edits: true }),
        ([scenario, events, deliveries]) => {
          const inOrder = settle(events, scenario);
          const shuffled = settle(deliveries, scenario);
          expect(shuffled.totals).toEqual(inOrder.totals);
          expectValidRun(shuffled, contextFor(scenario).totals);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never reverse more than the order earned, keep what the kept money earns, and everything once it is over", () => {
    fc.assert(
      fc.property(
        scenarioArbitrary.chain((scenario) => {
          const h = history(scenario, { lateRefunds: true, removals: false });
          return fc.tuple(fc.constant(scenario), fc.constant(h), deliveriesOf(h.events));
        }),
        ([scenario, h, deliveries]) => {
          const check = (run: Run) => {
            const { paid: p, reversed, editEarned } = run.state;
            const reversedInEntries = run.entries
              .filter((entry) => entry.kind === "reverse")
              .reduce((sum, entry) => sum + entry.points, 0);
            expect(reversedInEntries).toBe(reversed);
            if (!p) return expect(reversed).toBe(0);
            expect(reversed).toBeLessThanOrEqual(p.earned + editEarned);
            expect(run.totals.pending).toBeGreaterThanOrEqual(0);
          };
          const run = settle(deliveries, scenario, check);
          check(run);
          const p = run.state.paid!;
          const held = orderPointsHeld(run.state);
          if (!scenario.cancel && !scenario.order.blocked && scenario.order.additions.length === 0) {
            // Refunds never take back points the goods money still kept would earn at the payment's rate.
            const keptBase =
              p.goodsMinor === 0 ? 0 : Math.floor(((h.paidIn - h.refunded) * p.baseMinor) / p.goodsMinor);
            expect(held).toBeGreaterThanOrEqual(pointsForBase(p.rate, Math.max(0, keptBase)));
          }
          const everythingBack = scenario.cancel || (h.paidIn > 0 && h.refunded >= h.paidIn);
          if (everythingBack) {
            expect(run.totals.lifetimeEarned).toBe(0);
            expect(run.totals.pending).toBe(0);
          }
          // Points spent on the reward come back once when the order is over; a late edit that reopened it took
          // them back again in the meantime.
          const returned = run.entries
            .filter((entry) => entry.kind === "redemption_return")
            .reduce((sum, entry) => sum + entry.points, 0);
          const takenBack = run.entries
            .filter((entry) => entry.kind === "redeem")
            .reduce((sum, entry) => sum + entry.points, 0);
          expect(returned - takenBack).toBe(everythingBack ? (scenario.order.redemption ?? 0) : 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("the order's state is parsed where it is read, once", () => {
  const context = { program: defaultProgram("USD"), customer: member, totals: zeroTotals };

  it("refuses a stored state that breaks the schema, wherever it is read first", () => {
    const stored = JSON.parse(JSON.stringify({ ...emptyOrderState(order), reversed: -5 })) as OrderPointsState;
    expect(() => planOrderEvent(stored, paid(10000), context)).toThrow();
    expect(() => orderReleaseAt(stored)).toThrow();
    expect(() => normalizeOrderState(stored)).toThrow();
  });

  it("never changes the state it plans from, stored or handed on from the last plan", () => {
    const first = deliver([paid(10000)]).state;
    const handedOn = JSON.stringify(first);
    const stored = JSON.parse(handedOn) as OrderPointsState;
    const fromHandedOn = planOrderEvent(first, refund(1, 5000), context);
    const fromStored = planOrderEvent(stored, refund(1, 5000), context);
    expect(JSON.stringify(first)).toBe(handedOn);
    expect(JSON.stringify(stored)).toBe(handedOn);
    expect(fromHandedOn.state).toEqual(fromStored.state);
    expect(fromHandedOn.entries).toEqual(fromStored.entries);
    expect(fromHandedOn.state.reversed).toBe(50);
  });
});
