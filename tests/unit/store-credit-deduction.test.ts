import { describe, expect, it } from "vitest";
import { typedOverDeduction } from "~/domain/store-credit";

// The Deduct dialog's own check, before anything is sent: the amount as typed against the balance it shows.
describe("a deduction typed in the Deduct store credit dialog", () => {
  const check = (amount: string, heldMinor: number, currency: "CAD" | "JPY" | "USD" = "CAD") =>
    typedOverDeduction("Pat Lee", { amount, heldMinor, currency, storeCurrency: "CAD" });

  it("refuses more than the balance, saying what the customer holds as the admin writes money", () => {
    expect(check("15.01", 1500)).toBe("Pat Lee holds $15.00 of store credit; you can deduct at most that");
    expect(check(" 20 ", 1500)).toBe("Pat Lee holds $15.00 of store credit; you can deduct at most that");
    expect(check("1501", 1500, "JPY")).toBe("Pat Lee holds ¥1,500 JPY of store credit; you can deduct at most that");
    expect(check("1", 0, "USD")).toBe("Pat Lee holds no store credit in USD; there is nothing to deduct");
  });

  it("lets the whole balance or less through, and leaves an amount that is not one yet to the form's own words", () => {
    expect(check("15", 1500)).toBeNull();
    expect(check("0.01", 1500)).toBeNull();
    for (const typed of ["", "abc", "1,000", "-5", "15.001"]) expect(check(typed, 1500), typed).toBeNull();
  });
});
