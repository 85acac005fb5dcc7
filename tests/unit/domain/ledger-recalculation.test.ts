import { describe, expect, it } from "vitest";
import { compareOrder, recalculationEntry, type LedgerEntry } from "~/domain/ledger";

const order = "gid://shopify/Order/1";
const earn: LedgerEntry = {
  kind: "earn",
  source: "order",
  points: 120,
  pending: false,
  programVersion: 1,
  orderGid: order,
  idempotencyKey: `earn:order:${order}`,
  explanation: "+120: order #1001 paid",
};
const refund = (gid: string, points: number): LedgerEntry => ({
  kind: "reverse",
  reason: "refund",
  points,
  pending: false,
  orderGid: order,
  refundGid: gid,
  idempotencyKey: `reverse:refund:${gid}`,
  explanation: `−${points}: refund of order #1001`,
});

describe("recalculating an order from Shopify", () => {
  it("agrees when every expected entry is recorded with its points", () => {
    const result = compareOrder({
      orderGid: order,
      orderName: "#1001",
      expected: [earn],
      recorded: [{ key: earn.idempotencyKey, points: 120, explanation: earn.explanation }],
    });
    expect(result).toMatchObject({ expected: 120, recorded: 120, difference: 0 });
  });

  it("names each entry that differs: missed, recorded with other points, or unknown to Shopify", () => {
    const result = compareOrder({
      orderGid: order,
      orderName: "#1001",
      expected: [earn, refund("gid://shopify/Refund/7", 40)],
      recorded: [
        { key: earn.idempotencyKey, points: 100, explanation: "+100: order #1001 paid" },
        { key: "reverse:refund:gid://shopify/Refund/9", points: -5, explanation: "−5: refund Shopify does not have" },
      ],
    });
    expect(result.lines).toEqual([
      { key: earn.idempotencyKey, explanation: earn.explanation, expected: 120, recorded: 100 },
      {
        key: "reverse:refund:gid://shopify/Refund/7",
        explanation: "−40: refund of order #1001",
        expected: -40,
        recorded: null,
      },
      {
        key: "reverse:refund:gid://shopify/Refund/9",
        explanation: "−5: refund Shopify does not have",
        expected: null,
        recorded: -5,
      },
    ]);
    expect(result).toMatchObject({ expected: 80, recorded: 95, difference: -15 });
  });

  it("counts an earlier correction as held by the order, so a second recalculation finds nothing", () => {
    const first = compareOrder({
      orderGid: order,
      orderName: "#1001",
      expected: [earn],
      recorded: [{ key: earn.idempotencyKey, points: 100, explanation: "" }],
    });
    const correction = recalculationEntry(first, 1, false);
    expect(correction).toMatchObject({ kind: "correct", points: 20, orderGid: order });
    expect(correction.explanation).toBe(
      "+20: recalculated from Shopify, order #1001 should hold +120 and the ledger had +100",
    );
    const second = compareOrder({
      orderGid: order,
      orderName: "#1001",
      expected: [earn],
      recorded: [
        { key: earn.idempotencyKey, points: 100, explanation: "" },
        { key: correction.idempotencyKey, points: 20, explanation: correction.explanation },
      ],
    });
    expect(second.difference).toBe(0);
    expect(recalculationEntry(second, 2, false).idempotencyKey).not.toBe(correction.idempotencyKey);
  });
});
