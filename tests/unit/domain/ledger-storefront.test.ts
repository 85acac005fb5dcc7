import { describe, expect, it } from "vitest";
import {
  emptyOrderState,
  pendingReleases,
  planOrderEvent,
  storefrontActivityKind,
  zeroTotals,
  type OrderEvent,
  type OrderPointsState,
} from "~/domain/ledger";
import { defaultProgram, type Program } from "~/domain/program";

const member = { customerTags: [], blocked: false, status: "member" as const };

function held(days: number): Program {
  const program = defaultProgram("USD");
  return { ...program, settings: { ...program.settings, pendingDays: days } };
}

/** An order's stored state after these events, as Tally keeps it. */
function orderAfter(id: number, events: OrderEvent[], program = held(14)): OrderPointsState {
  let state = emptyOrderState(`gid://shopify/Order/${id}`);
  for (const event of events)
    state = planOrderEvent(state, event, { program, customer: member, totals: zeroTotals }).state;
  return state;
}
const paid = (id: number, minor: number): OrderEvent => ({
  kind: "paid",
  orderGid: `gid://shopify/Order/${id}`,
  orderName: `#${id}`,
  subtotalMinor: minor,
  currency: "USD",
});
const fulfilled = (id: number, at: string): OrderEvent => ({
  kind: "fulfilled",
  orderGid: `gid://shopify/Order/${id}`,
  fulfilledAt: at,
});

describe("pendingReleases", () => {
  it("lists each order holding points with its release date, soonest first and unfulfilled orders last", () => {
    const states = [
      orderAfter(1, [paid(1, 5000)]),
      orderAfter(2, [paid(2, 3000), fulfilled(2, "2025-05-10T00:00:00Z")]),
      orderAfter(3, [paid(3, 2000), fulfilled(3, "2025-05-01T00:00:00Z")]),
    ];
    expect(pendingReleases(states)).toEqual([
      {
        orderGid: "gid://shopify/Order/3",
        orderName: "#3",
        points: 20,
        releaseAt: "2025-05-15T00:00:00.000Z",
        holdDays: 14,
      },
      {
        orderGid: "gid://shopify/Order/2",
        orderName: "#2",
        points: 30,
        releaseAt: "2025-05-24T00:00:00.000Z",
        holdDays: 14,
      },
      { orderGid: "gid://shopify/Order/1", orderName: "#1", points: 50, releaseAt: null, holdDays: 14 },
    ]);
  });

  it("leaves out orders that hold nothing: no pending period, cancelled, fully refunded or never paid", () => {
    const refundAll: OrderEvent = {
      kind: "refund",
      orderGid: "gid://shopify/Order/6",
      refundGid: "gid://shopify/Refund/1",
      goodsBackMinor: 4000,
    };
    const states = [
      orderAfter(4, [paid(4, 4000)], held(0)),
      orderAfter(5, [paid(5, 4000), { kind: "cancelled", orderGid: "gid://shopify/Order/5" }]),
      orderAfter(6, [paid(6, 4000), refundAll]),
      emptyOrderState("gid://shopify/Order/7"),
    ];
    expect(pendingReleases(states)).toEqual([]);
  });
});

describe("storefrontActivityKind", () => {
  it.each([
    ["earn", "order", "order"],
    ["earn", "signup", "signup"],
    ["earn", "import", "imported"],
    ["release", "order", "released"],
    ["redeem", "reward", "redeemed"],
    ["redemption_return", "reward", "reward_returned"],
    ["reverse", "refund", "reversed"],
    ["reverse", "referral", "referral_reversed"],
    ["adjust", "staff", "adjusted"],
    ["expire", "expiry", "expired"],
    ["correct", "order", "corrected"],
    ["correct", "import_undo", "corrected"],
    ["referral", "referral", "referral"],
    ["move_in", "earn", "merged"],
    ["move_out", "redeem", "merged"],
  ] as const)("a %s entry (%s) reads as %s", (kind, source, expected) => {
    expect(storefrontActivityKind(kind, source)).toBe(expected);
  });
});
