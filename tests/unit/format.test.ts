import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { minorUnits } from "~/domain/shared";
import { createFormatter, supportedLocale } from "~/lib/format";

const points = { singular: "point", plural: "points" };
const en = createFormatter({ locale: "en", pointsNames: points });

describe("the admin's formatter", () => {
  it("counts things with the noun in the plural that goes with the number", () => {
    const customer = { one: "customer", other: "customers" };
    expect([0, 1, 2, 2006].map((value) => en.count(value, customer))).toEqual([
      "0 customers",
      "1 customer",
      "2 customers",
      "2,006 customers",
    ]);
  });

  it("writes counts with thousands separators and a true minus sign", () => {
    expect(en.number(0)).toBe("0");
    expect(en.number(1234567)).toBe("1,234,567");
    expect(en.number(-1250)).toBe("\u22121,250");
    expect(en.delta(50)).toBe("+50");
    expect(en.delta(-20)).toBe("\u221220");
    expect(en.delta(0)).toBe("0");
  });

  it("says how long ago a time was in the largest whole unit, in the staff member's language", () => {
    const now = new Date("2026-11-30T12:00:00Z");
    const before = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
    expect(en.ago(before(0), now)).toBe("1 second ago");
    expect(en.ago(before(12), now)).toBe("12 seconds ago");
    expect(en.ago(before(5 * 60 + 59), now)).toBe("5 minutes ago");
    expect(en.ago(before(3 * 3600), now)).toBe("3 hours ago");
    expect(en.ago(before(26 * 3600), now)).toBe("yesterday");
    expect(en.ago(before(40 * 86_400), now)).toBe("last month");
    // A clock a little behind the server's never reads as the future.
    expect(en.ago(new Date(now.getTime() + 5000).toISOString(), now)).toBe("1 second ago");
    const fr = createFormatter({ locale: "fr", pointsNames: points });
    expect(fr.ago(before(5 * 60), now)).toBe("il y a 5 minutes");
  });

  it("names points with the locale's plural rules and the program's names", () => {
    expect(en.points(1)).toBe("1 point");
    expect(en.points(2)).toBe("2 points");
    expect(en.points(0)).toBe("0 points");
    expect(en.points(-1)).toBe("\u22121 point");
    expect(en.points(1500)).toBe("1,500 points");
    const stars = createFormatter({ locale: "en", pointsNames: { singular: "star", plural: "stars" } });
    expect(stars.points(1)).toBe("1 star");
    expect(stars.points(12)).toBe("12 stars");
    // French counts 0 and 1 as singular; English says "0 points".
    const fr = createFormatter({ locale: "fr", pointsNames: { singular: "point", plural: "points" } });
    expect(fr.points(0)).toBe("0 point");
    expect(fr.points(1500)).toBe("1\u202f500 points");
  });

  it("writes money in the currency's own exponent, never through a float", () => {
    expect(en.money(123456, "USD")).toBe("$1,234.56 USD");
    expect(en.money(5, "EUR")).toBe("€0.05 EUR");
    expect(en.money(150000, "JPY")).toBe("¥150,000 JPY");
    expect(en.money(1234567, "KWD")).toBe("KWD\u00a01,234.567");
    expect(en.money(-2050, "CAD")).toBe("\u2212$20.50 CAD");
    // 2^53 − 1 cents: a float division would lose the last digits.
    expect(en.money(Number.MAX_SAFE_INTEGER, "USD")).toBe("$90,071,992,547,409.91 USD");
    expect(en.money(1999, null)).toBe("19.99");
  });

  it("follows the staff member's locale for separators and symbol placement", () => {
    const de = createFormatter({ locale: "de-DE", pointsNames: points });
    expect(de.money(123456, "EUR")).toBe("1.234,56\u00a0€ EUR");
    expect(de.number(-1234)).toBe("\u22121.234");
    const ja = createFormatter({ locale: "ja", pointsNames: points });
    expect(ja.money(150000, "JPY")).toBe("￥150,000 JPY");
  });

  it("writes the store's own currency without its code and any other with it (decision 052)", () => {
    const canadian = createFormatter({ locale: "en", pointsNames: points, storeCurrency: "CAD" });
    expect(canadian.money(794, "CAD")).toBe("$7.94");
    expect(canadian.money(500, "USD")).toBe("$5.00 USD");
    expect(canadian.money(-2050, "CAD")).toBe("\u2212$20.50");
    const french = createFormatter({ locale: "fr", pointsNames: points, storeCurrency: "CAD" });
    expect(french.money(794, "CAD")).toBe("7,94\u00a0$");
  });

  it("shows every whole minor amount with exactly the currency's decimals", () => {
    const currencies = ["USD", "EUR", "JPY", "KRW", "KWD", "BHD", "CAD", "GBP"];
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom(...currencies), (amount, currency) => {
        const text = en.money(amount, currency);
        const digits = minorUnits(currency);
        const fraction = /\.(\d+)(?: [A-Z]{3})?$/.exec(text)?.[1] ?? "";
        expect(fraction.length).toBe(digits);
        // Reading the digits back gives the same minor units.
        const back = Number(text.replace(/[^\d]/g, "")) * (amount < 0 ? -1 : 1);
        expect(back).toBe(amount);
      }),
    );
  });

  it("dates read the same on the server and in the browser, and say so when there is none", () => {
    expect(en.date("2026-03-04T14:05:00.000Z")).toMatch(/^Mar [45], 2026$/);
    // In the shop's zone, whatever the machine's: the server's page and the browser's hydration write the same.
    expect(en.timeZone).toBe("UTC");
    expect(en.date("2026-11-28T02:00:00Z")).toBe("Nov 28, 2026");
    const toronto = createFormatter({ locale: "en", pointsNames: points, timeZone: "America/Toronto" });
    expect(toronto.date("2026-11-28T02:00:00Z")).toBe("Nov 27, 2026");
    expect(toronto.dateTime("2026-11-28T02:00:00Z")).toMatch(/^Nov 27, 2026, 9:00\sPM$/);
    expect(createFormatter({ locale: "en", pointsNames: points, timeZone: "Nowhere/Atlantis" }).timeZone).toBe("UTC");
    expect(en.date(null)).toBe("—");
    expect(en.dateTime(undefined)).toBe("—");
  });

  it("writes a calendar day as dates are written, the same day in every zone", () => {
    // A day typed in a filter is the shop's day: read as UTC midnight through Toronto, it was Nov 27.
    const toronto = createFormatter({ locale: "en", pointsNames: points, timeZone: "America/Toronto" });
    const tokyo = createFormatter({ locale: "en", pointsNames: points, timeZone: "Asia/Tokyo" });
    for (const format of [en, toronto, tokyo]) {
      expect(format.day("2026-11-28")).toBe("Nov 28, 2026");
      expect(format.day("9999-12-31")).toBe("Dec 31, 9999");
      expect(format.day("1900-01-01")).toBe("Jan 1, 1900");
    }
    expect(createFormatter({ locale: "fr", pointsNames: points, timeZone: "Europe/Paris" }).day("2026-11-28")).toBe(
      "28 nov. 2026",
    );
    expect(en.day("2026-02-30")).toBe("2026-02-30");
    expect(en.day(undefined)).toBe("—");
  });

  it("falls back to English for a locale Intl does not know", () => {
    expect(supportedLocale("pt_BR")).toBe("pt-BR");
    expect(supportedLocale("not a locale")).toBe("en");
    expect(supportedLocale(null)).toBe("en");
  });
});
