import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  describeBase,
  earningBase,
  giftCardDeduction,
  goodsMoneyBack,
  goodsTax,
  includedDutiesDeduction,
  includedTaxDeduction,
  lineValue,
  moneyGivenBack,
  shippingGivenBack,
  unitsValue,
  type GoodsLine,
} from "~/domain/program";

const line = (patch: Partial<GoodsLine> & { discountedMinor: number }): GoodsLine => ({
  lineGid: `gid://shopify/LineItem/${patch.discountedMinor}`,
  quantity: 1,
  ...patch,
});

describe("the earning base: each exclusion is its own rule", () => {
  it("starts from Shopify's subtotal, which is already after discounts and holds no shipping or tips", () => {
    // 100.00 of goods after a 20.00 discount; shipping and a tip are in the total, never in the subtotal.
    expect(earningBase({ subtotalMinor: 10000, lines: [line({ discountedMinor: 10000 })] })).toEqual({
      subtotalMinor: 10000,
      baseMinor: 10000,
      goodsMinor: 10000,
      deductions: [],
    });
  });

  it("gift cards: a gift card sold is money held for later and earns nothing", () => {
    const goods = { subtotalMinor: 5000, lines: [line({ discountedMinor: 5000, giftCard: true })] };
    expect(giftCardDeduction(goods)).toBe(5000);
    expect(earningBase(goods)).toMatchObject({ baseMinor: 0, goodsMinor: 0 });
    const mixed = {
      subtotalMinor: 12000,
      lines: [line({ discountedMinor: 5000, giftCard: true }), line({ lineGid: "b", discountedMinor: 7000 })],
    };
    expect(earningBase(mixed)).toMatchObject({
      baseMinor: 7000,
      deductions: [{ kind: "gift_cards", amountMinor: 5000 }],
    });
  });

  it("tax inside prices (taxes_included): the goods' tax lines come out of the subtotal", () => {
    const goods = {
      subtotalMinor: 12000,
      taxesIncluded: true,
      lines: [line({ discountedMinor: 12000, taxMinor: 2000 })],
    };
    expect(includedTaxDeduction(goods)).toBe(2000);
    expect(earningBase(goods)).toEqual({
      subtotalMinor: 12000,
      baseMinor: 10000,
      goodsMinor: 12000,
      deductions: [{ kind: "tax", amountMinor: 2000 }],
    });
  });

  it("tax outside prices: nothing comes out, and the goods money paid adds the tax", () => {
    const goods = { subtotalMinor: 10000, lines: [line({ discountedMinor: 10000, taxMinor: 1300 })] };
    expect(includedTaxDeduction(goods)).toBe(0);
    expect(earningBase(goods)).toMatchObject({ baseMinor: 10000, goodsMinor: 11300, deductions: [] });
  });

  it("tax inside prices with a discount: the tax on the discounted price comes out", () => {
    // 150.00 list, 30.00 off: 120.00 paid including 20.00 VAT.
    const goods = {
      subtotalMinor: 12000,
      taxesIncluded: true,
      lines: [line({ discountedMinor: 12000, taxMinor: 2000 })],
    };
    expect(earningBase(goods).baseMinor).toBe(10000);
  });

  it("tax inside prices, taken from the order's totals when lines carry no tax lines", () => {
    const goods = {
      subtotalMinor: 12000,
      taxesIncluded: true,
      orderGoodsTaxMinor: 2000,
      lines: [line({ discountedMinor: 12000 })],
    };
    expect(goodsTax(goods)).toBe(2000);
    expect(earningBase(goods).baseMinor).toBe(10000);
  });

  it("duties inside prices (duties_included): the goods' duties come out", () => {
    const goods = {
      subtotalMinor: 11000,
      dutiesIncluded: true,
      lines: [line({ discountedMinor: 11000, dutiesMinor: 1000 })],
    };
    expect(includedDutiesDeduction(goods)).toBe(1000);
    expect(earningBase(goods)).toMatchObject({ baseMinor: 10000, deductions: [{ kind: "duties", amountMinor: 1000 }] });
    expect(includedDutiesDeduction({ ...goods, dutiesIncluded: false })).toBe(0);
  });

  it("a gift card's own tax is never counted as tax on goods", () => {
    const goods = {
      subtotalMinor: 17000,
      taxesIncluded: true,
      lines: [
        line({ discountedMinor: 5000, giftCard: true, taxMinor: 0 }),
        line({ lineGid: "b", discountedMinor: 12000, taxMinor: 2000 }),
      ],
    };
    expect(earningBase(goods)).toMatchObject({ baseMinor: 10000, goodsMinor: 12000 });
    expect(describeBase(earningBase(goods), "EUR")).toBe("170.00 EUR less 50.00 EUR gift cards and 20.00 EUR tax");
  });

  it("counts only the units still on the order when an edit before payment removed some", () => {
    const goods = {
      subtotalMinor: 8000,
      taxesIncluded: true,
      lines: [line({ discountedMinor: 10000, taxMinor: 2000, quantity: 5, currentQuantity: 4 })],
    };
    expect(includedTaxDeduction(goods)).toBe(1600);
  });

  it("never goes below zero", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.boolean(),
        (subtotal, tax, giftCard) => {
          const base = earningBase({
            subtotalMinor: subtotal,
            taxesIncluded: true,
            lines: [line({ discountedMinor: subtotal, taxMinor: tax, giftCard })],
          });
          expect(base.baseMinor).toBeGreaterThanOrEqual(0);
          expect(base.baseMinor).toBeLessThanOrEqual(subtotal);
        },
      ),
    );
  });
});

describe("line values for order edits", () => {
  it("apply the same exclusions to one line, per unit", () => {
    const flags = { taxesIncluded: true, dutiesIncluded: false };
    const value = lineValue(line({ discountedMinor: 6000, taxMinor: 1000, quantity: 2 }), flags);
    expect(value).toEqual({ quantity: 2, baseMinor: 5000, goodsMinor: 6000 });
    expect(unitsValue(value, 1)).toEqual({ baseMinor: 2500, goodsMinor: 3000 });
    expect(lineValue(line({ discountedMinor: 5000, giftCard: true }), flags)).toMatchObject({ baseMinor: 0 });
    expect(lineValue(line({ discountedMinor: 5000, taxMinor: 650 }), { ...flags, taxesIncluded: false })).toEqual({
      quantity: 1,
      baseMinor: 5000,
      goodsMinor: 5650,
    });
  });
});

describe("what a refund gave back", () => {
  const success = (amountMinor: number) => ({ kind: "refund", status: "success", amountMinor });

  it("is the successful refund transactions, however the refund was typed", () => {
    expect(moneyGivenBack({ currency: "USD", transactions: [success(10000)] })).toBe(10000);
    expect(
      moneyGivenBack({
        currency: "USD",
        transactions: [success(4000), { kind: "refund", status: "failure", amountMinor: 6000 }],
      }),
    ).toBe(4000);
    expect(
      moneyGivenBack({ currency: "USD", transactions: [{ kind: "refund", status: "pending", amountMinor: 1 }] }),
    ).toBe(0);
    // A restock-only refund moves no money.
    expect(moneyGivenBack({ currency: "USD", transactions: [] })).toBe(0);
    expect(
      moneyGivenBack({ currency: "USD", transactions: [{ kind: "void", status: "success", amountMinor: 5 }] }),
    ).toBe(0);
  });

  it("leaves out shipping, from either of Shopify's two records of it, never both", () => {
    expect(shippingGivenBack({ currency: "USD", shippingLinesMinor: 1000 })).toBe(1000);
    expect(shippingGivenBack({ currency: "USD", shippingAdjustmentsMinor: 1000 })).toBe(1000);
    expect(shippingGivenBack({ currency: "USD", shippingLinesMinor: 1000, shippingAdjustmentsMinor: 1000 })).toBe(1000);
    expect(goodsMoneyBack({ currency: "USD", transactions: [success(1000)], shippingLinesMinor: 1000 })).toEqual({
      currency: "USD",
      moneyBackMinor: 1000,
      goodsBackMinor: 0,
    });
  });

  it("leaves out duties and gift card lines", () => {
    expect(
      goodsMoneyBack({ currency: "EUR", transactions: [success(9000)], dutiesMinor: 1000, giftCardLinesMinor: 3000 }),
    ).toEqual({ currency: "EUR", moneyBackMinor: 9000, goodsBackMinor: 5000 });
  });

  it("is what the customer got, so a restocking fee the merchant kept is not given back", () => {
    // Lines worth 100.00 returned, 10.00 kept as a restocking fee: 90.00 back.
    expect(goodsMoneyBack({ currency: "USD", transactions: [success(9000)] }).goodsBackMinor).toBe(9000);
  });
});
