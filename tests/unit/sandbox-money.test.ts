import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decimalAmount, graphqlDecimal, majorValue, toMinorUnits } from "../sandbox/money";

describe("the sandbox writes money as Shopify does", () => {
  it("uses the currency's exponent for REST and webhook amounts", () => {
    expect(decimalAmount(8814, "CAD")).toBe("88.14");
    expect(decimalAmount(5, "USD")).toBe("0.05");
    expect(decimalAmount(-310, "USD")).toBe("-3.10");
    expect(decimalAmount(1500, "JPY")).toBe("1500");
    expect(decimalAmount(1500, "KWD")).toBe("1.500");
    expect(decimalAmount(7, "BHD")).toBe("0.007");
  });

  it("prints GraphQL decimals without trailing zeros but one", () => {
    expect(graphqlDecimal(500, "CAD")).toBe("5.0");
    expect(graphqlDecimal(1250, "CAD")).toBe("12.5");
    expect(graphqlDecimal(1234, "CAD")).toBe("12.34");
    expect(graphqlDecimal(1500, "JPY")).toBe("1500.0");
    expect(graphqlDecimal(1500, "KWD")).toBe("1.5");
  });

  it("reads typed amounts back into minor units and refuses extra decimals", () => {
    expect(toMinorUnits("12.5", "CAD")).toBe(1250);
    expect(toMinorUnits("1500", "JPY")).toBe(1500);
    expect(toMinorUnits("1.5", "KWD")).toBe(1500);
    expect(() => toMinorUnits("12.5", "JPY")).toThrow(/more decimals/);
    expect(() => toMinorUnits("1,5", "EUR")).toThrow(/not an amount/);
    expect(majorValue(123456, "KWD")).toBe(123.456);
  });

  it("round-trips every amount in every exponent", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom("USD", "JPY", "KWD"), (minor, currency) => {
        expect(toMinorUnits(decimalAmount(minor, currency), currency)).toBe(minor);
        expect(toMinorUnits(graphqlDecimal(minor, currency), currency)).toBe(minor);
      }),
    );
  });
});
