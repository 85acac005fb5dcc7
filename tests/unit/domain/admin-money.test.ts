import { describe, expect, it } from "vitest";
import { adminMoneyInText, adminMoneyWriter, formatAdminMoney } from "~/domain/shared";

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

describe("a record's money in the admin's words (decision 052, activity lines)", () => {
  const cad = { storeCurrency: "CAD" };

  it("writes an amount recorded in the store's currency short, and one in any other with its code", () => {
    expect(adminMoneyInText("+69: order #1001 paid, 69.16 CAD at 1 point per 1.00 CAD", cad)).toBe(
      "+69: order #1001 paid, $69.16 at 1 point per $1.00",
    );
    expect(adminMoneyInText("+69: order #1001 paid, 69.16 USD at 1 point per 1.00 USD", cad)).toBe(
      "+69: order #1001 paid, $69.16 USD at 1 point per $1.00 USD",
    );
    expect(adminMoneyInText("+69: order #1001 paid, 69.16 EUR at 1 point per 1.00 EUR", cad)).toBe(
      "+69: order #1001 paid, €69.16 EUR at 1 point per €1.00 EUR",
    );
    expect(adminMoneyInText("\u2212500: redeemed for 5.00 CAD off", cad)).toBe("\u2212500: redeemed for $5.00 off");
    expect(adminMoneyInText("+1500: order #7 paid, 1500 JPY at 1 point per 1 JPY", { storeCurrency: "JPY" })).toBe(
      "+1500: order #7 paid, ¥1,500 at 1 point per ¥1",
    );
    expect(adminMoneyInText("Refund (50% of 120.00 CAD less 20.00 CAD tax)", cad)).toBe(
      "Refund (50% of $120.00 less $20.00 tax)",
    );
  });

  it("leaves every other word as recorded: order names, points, a merchant's title, older lines without a code", () => {
    const untouched = [
      "+69: order #1001 paid, 69.16, at 1 point per 1.00",
      "\u2212500: redeemed for 5.00 off",
      "\u2212200: adjusted by staff (buy 2 GET 1, 3 FOR 10.00)",
      "Blocked at #1001 (score 45): same IP 10.0.0.12 CAD", // not CAD's decimals after an IP's last part
      "+10: order paid, 5.5 CAD at 1 point per 1.000 CAD", // not two decimals: not how Tally writes CAD
      "+100: sign-up bonus for becoming a member",
    ];
    for (const text of untouched) expect(adminMoneyInText(text, cad)).toBe(text);
  });
});
