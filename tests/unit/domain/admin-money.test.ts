import { describe, expect, it } from "vitest";
import { adminMoneyWriter, formatAdminMoney } from "~/domain/shared";

describe("money as the merchant admin writes it (decision 052)", () => {
  it("writes the store's own currency in the short format: symbol and amount, no code", () => {
    expect(formatAdminMoney(500, "CAD", { storeCurrency: "CAD" })).toBe("$5.00");
    expect(formatAdminMoney(794, "CAD", { storeCurrency: "CAD" })).toBe("$7.94");
    expect(formatAdminMoney(123456789, "USD", { storeCurrency: "USD" })).toBe("$1,234,567.89");
  });

  it("adds the ISO code to any other currency, so dollars never pass for each other", () => {
    expect(formatAdminMoney(500, "USD", { storeCurrency: "CAD" })).toBe("$5.00 USD");
    expect(formatAdminMoney(500, "CAD", { storeCurrency: "USD" })).toBe("$5.00 CAD");
    expect(formatAdminMoney(500, "CAD", { storeCurrency: null })).toBe("$5.00 CAD");
  });

  it("uses each currency's own decimals: JPY none, KWD three, CAD two", () => {
    expect(formatAdminMoney(1500, "JPY", { storeCurrency: "JPY" })).toBe("¥1,500");
    expect(formatAdminMoney(1500, "JPY", { storeCurrency: "CAD" })).toBe("¥1,500 JPY");
    // KWD has no symbol of its own: its code is written once, not twice.
    expect(formatAdminMoney(5000, "KWD", { storeCurrency: "KWD" })).toBe("KWD\u00a05.000");
    expect(formatAdminMoney(1255, "KWD", { storeCurrency: "CAD" })).toBe("KWD\u00a01.255");
    expect(formatAdminMoney(1, "CAD", { storeCurrency: "CAD" })).toBe("$0.01");
  });

  it("follows the staff member's locale for the symbol's place and the separators", () => {
    expect(formatAdminMoney(123456, "CAD", { storeCurrency: "CAD", locale: "fr" })).toBe("1\u202f234,56\u00a0$");
    expect(formatAdminMoney(123456, "EUR", { storeCurrency: "CAD", locale: "de-DE" })).toBe("1.234,56\u00a0€ EUR");
  });

  it("writes a negative amount with a true minus", () => {
    expect(formatAdminMoney(-794, "CAD", { storeCurrency: "CAD" })).toBe("\u2212$7.94");
  });

  it("gives services a writer for reward words: $5.00 off", () => {
    expect(`${adminMoneyWriter("CAD", { storeCurrency: "CAD" })(500)} off`).toBe("$5.00 off");
  });

  it("refuses an amount that is not whole minor units", () => {
    expect(() => formatAdminMoney(1.5, "CAD", { storeCurrency: "CAD" })).toThrow(/whole number of minor units/);
  });
});
