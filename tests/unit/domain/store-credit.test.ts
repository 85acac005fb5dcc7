import { describe, expect, it } from "vitest";
import { overDeduction } from "~/domain/store-credit";

describe("a store credit deduction past what the customer holds", () => {
  it("names the customer and the balance as the admin writes money, in the currency's own decimals", () => {
    const storeCurrency = "CAD";
    expect(overDeduction("Pat Lee", { amountMinor: 1235, heldMinor: 1234, currency: "CAD", storeCurrency })).toBe(
      "Pat Lee holds $12.34 of store credit; you can deduct at most that",
    );
    expect(overDeduction("Pat Lee", { amountMinor: 150_001, heldMinor: 150_000, currency: "JPY", storeCurrency })).toBe(
      "Pat Lee holds ¥150,000 JPY of store credit; you can deduct at most that",
    );
    expect(overDeduction("pat@example.com", { amountMinor: 1, heldMinor: 0, currency: "EUR", storeCurrency })).toBe(
      "pat@example.com holds no store credit in EUR; there is nothing to deduct",
    );
  });

  it("lets a deduction up to the whole balance through", () => {
    const storeCurrency = "CAD";
    expect(overDeduction("Pat Lee", { amountMinor: 1234, heldMinor: 1234, currency: "CAD", storeCurrency })).toBeNull();
    expect(overDeduction("Pat Lee", { amountMinor: 1, heldMinor: 1234, currency: "CAD", storeCurrency })).toBeNull();
  });
});
