import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DomainError, formatMinor, minorUnits, mulDivFloor, toMinor } from "~/domain/shared";

describe("minorUnits", () => {
  it("is 2 for most currencies, 0 for yen and won, 3 for dinars", () => {
    expect(minorUnits("USD")).toBe(2);
    expect(minorUnits("EUR")).toBe(2);
    expect(minorUnits("JPY")).toBe(0);
    expect(minorUnits("KRW")).toBe(0);
    expect(minorUnits("KWD")).toBe(3);
  });
});

describe("formatMinor and toMinor", () => {
  it("write amounts the way explanations show them", () => {
    expect(formatMinor(12000, "USD")).toBe("120.00");
    expect(formatMinor(5, "EUR")).toBe("0.05");
    expect(formatMinor(-2050, "CAD")).toBe("-20.50");
    expect(formatMinor(1500, "JPY")).toBe("1500");
    expect(formatMinor(1234, "KWD")).toBe("1.234");
  });

  it("parse Shopify's decimal strings without floats and refuse extra decimals", () => {
    expect(toMinor("120.5", "USD")).toBe(12050);
    expect(toMinor("0.10", "USD")).toBe(10);
    expect(toMinor("1500", "JPY")).toBe(1500);
    expect(toMinor("1500.00", "JPY")).toBe(1500);
    expect(() => toMinor("1500.5", "JPY")).toThrowError(DomainError);
    expect(() => toMinor("12,00", "EUR")).toThrowError(/not a decimal amount/);
  });

  it("round-trip every amount in every kind of currency", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom("USD", "JPY", "KWD"), (amount, currency) => {
        expect(toMinor(formatMinor(amount, currency), currency)).toBe(amount);
      }),
    );
  });
});

describe("mulDivFloor", () => {
  it("stays exact where a float product would overflow", () => {
    expect(mulDivFloor(9_000_000_000_000, 3, 7)).toBe(3_857_142_857_142);
    expect(mulDivFloor(2 ** 52, 3, 4)).toBe(3 * 2 ** 50);
  });
});
