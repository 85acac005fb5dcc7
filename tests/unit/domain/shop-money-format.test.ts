import { describe, expect, it } from "vitest";
import { formatShopMoney } from "~/domain/shared";

describe("money written in the shop's own format", () => {
  it("fills every placeholder of Shopify's money formats, grouping thousands as each says", () => {
    const cases: Array<[string, string]> = [
      ["${{amount}}", "$1,234,567.89"],
      ["${{amount_no_decimals}}", "$1,234,568"],
      ["€{{amount_with_comma_separator}} EUR", "€1.234.567,89 EUR"],
      ["{{amount_no_decimals_with_comma_separator}} kr", "1.234.568 kr"],
      ["CHF {{amount_with_apostrophe_separator}}", "CHF 1'234'567.89"],
      ["{{amount_no_decimals_with_space_separator}} SEK", "1 234 568 SEK"],
      ["{{amount_with_space_separator}} zł", "1 234 567,89 zł"],
      ["R {{ amount_with_period_and_space_separator }}", "R 1 234 567.89"],
    ];
    for (const [format, text] of cases) expect(formatShopMoney(123456789, "CAD", format)).toBe(text);
  });

  it("scales by each currency's own exponent, rounding half up where the format shows fewer digits", () => {
    expect(formatShopMoney(1500, "JPY", "¥{{amount_no_decimals}}")).toBe("¥1,500");
    expect(formatShopMoney(1500, "JPY", "¥{{amount}} JPY")).toBe("¥1,500.00 JPY");
    expect(formatShopMoney(1255, "KWD", "{{amount}} KD")).toBe("1.26 KD");
    expect(formatShopMoney(1254, "KWD", "{{amount}} KD")).toBe("1.25 KD");
    expect(formatShopMoney(5, "USD", "${{amount}}")).toBe("$0.05");
    expect(formatShopMoney(0, "USD", "${{amount_no_decimals}}")).toBe("$0");
    expect(formatShopMoney(-1050, "EUR", "€{{amount_with_comma_separator}}")).toBe("€-10,50");
  });

  it("drops the markup a format may carry and leaves a placeholder it does not know as written", () => {
    expect(formatShopMoney(1000, "CAD", '<span class="money">${{amount}} CAD</span>')).toBe("$10.00 CAD");
    expect(formatShopMoney(1000, "CAD", "{{amount_in_words}} {{amount}}")).toBe("{{amount_in_words}} 10.00");
  });

  it("never writes a bare number: without a format the code follows the amount", () => {
    expect(formatShopMoney(1000, "CAD", null)).toBe("10.00 CAD");
    expect(formatShopMoney(1000, "JPY", "")).toBe("1,000 JPY");
  });
});
