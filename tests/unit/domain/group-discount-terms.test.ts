import { describe, expect, it } from "vitest";
import { isGroupsOwnDiscount, sameGroupDiscountTerms, type GroupDiscountTerms } from "~/domain/groups";

const fifteenOff: GroupDiscountTerms = {
  code: "VIP15",
  kind: "percentage",
  value: 15,
  currency: null,
  endsAt: "2100-01-01T04:59:59Z",
};

describe("whether two give-discount submits ask the same discount", () => {
  it("takes a code in another case and the same end written with milliseconds as the same request", () => {
    expect(
      sameGroupDiscountTerms(fifteenOff, { ...fifteenOff, code: "vip15", endsAt: "2100-01-01T04:59:59.000Z" }),
    ).toBe(true);
  });

  it("tells apart another code, value, kind, end, or an amount in another currency", () => {
    const fiveOff: GroupDiscountTerms = { code: null, kind: "amount", value: 500, currency: "CAD", endsAt: null };
    for (const other of [
      { ...fifteenOff, code: "VIP16" },
      { ...fifteenOff, code: null },
      { ...fifteenOff, value: 16 },
      { ...fifteenOff, kind: "amount" as const, currency: "CAD" },
      { ...fifteenOff, endsAt: null },
    ])
      expect(sameGroupDiscountTerms(fifteenOff, other)).toBe(false);
    expect(sameGroupDiscountTerms(fiveOff, { ...fiveOff })).toBe(true);
    expect(sameGroupDiscountTerms(fiveOff, { ...fiveOff, currency: "USD" })).toBe(false);
  });
});

describe("whether a code discount in Shopify is a group's own", () => {
  const group = { name: "VIPs", segmentGid: "gid://shopify/Segment/1" };

  it("is when it is titled as Tally titles the group's discount and is for the group's segment only", () => {
    expect(isGroupsOwnDiscount({ title: "VIPs group discount", segmentGids: ["gid://shopify/Segment/1"] }, group)).toBe(
      true,
    );
  });

  it("is not when the merchant titled it, it is for everyone, or for other segments too", () => {
    expect(isGroupsOwnDiscount({ title: "Spring sale", segmentGids: ["gid://shopify/Segment/1"] }, group)).toBe(false);
    expect(isGroupsOwnDiscount({ title: "VIPs group discount", segmentGids: [] }, group)).toBe(false);
    expect(
      isGroupsOwnDiscount(
        { title: "VIPs group discount", segmentGids: ["gid://shopify/Segment/1", "gid://shopify/Segment/2"] },
        group,
      ),
    ).toBe(false);
  });
});
