import { describe, expect, it } from "vitest";
import { phoneHint, phoneProblemWords, phoneSearchDigits, readPhone, writePhone } from "~/domain/shared";

describe("reading a typed phone in the shop's country", () => {
  it.each([
    ["(613) 555-0123", "CA", "+16135550123"],
    ["613-555-0123", "CA", "+16135550123"],
    ["613.555.0123", "CA", "+16135550123"],
    ["1 613 555 0123", "CA", "+16135550123"],
    ["613\u2011555\u20110123", "CA", "+16135550123"],
    ["(415) 555-0123", "US", "+14155550123"],
    ["876 555 0123", "JM", "+18765550123"],
    ["+1 (613) 555-0123", "GB", "+16135550123"],
    ["+44 20 7946 0958", "CA", "+442079460958"],
    ["0044 20 7946 0958", "GB", "+442079460958"],
    ["011 44 20 7946 0958", "US", "+442079460958"],
    ["+33 1 23 45 67 89", null, "+33123456789"],
    ["0044 20 7946 0958", null, "+442079460958"],
    ["020 7946 0958", "GB", "+442079460958"],
    ["01 23 45 67 89", "FR", "+33123456789"],
    ["030 1234567", "DE", "+49301234567"],
    ["06 12 34 56 78", "fr", "+33612345678"],
  ])("reads %s in %s as %s", (typed, country, e164) => {
    expect(readPhone(typed, country)).toEqual({ ok: true, e164 });
  });

  it.each([
    ["020 7946 0958", null],
    ["(613) 555-0123", null],
    ["(613) 555-0123", "XX"],
  ])("asks for the country code of %s in %s rather than guessing it", (typed, country) => {
    expect(readPhone(typed, country)).toEqual({ ok: false, reason: "needs_country_code" });
  });

  it.each([
    ["555-0123", "CA", "too_short"],
    ["613 555 01234", "CA", "too_long"],
    ["(013) 555-0123", "CA", "not_a_phone"],
    ["(613) 155-0123", "CA", "not_a_phone"],
    ["+1 613 555 012", "GB", "too_short"],
    ["+44 20 7946 0958 1234", "GB", "too_long"],
    ["call me", "CA", "letters"],
    ["613 555 0123 ext 4", "CA", "letters"],
    ["+", "CA", "not_a_phone"],
    ["020 7946 095", "GB", "not_a_phone"],
    ["+999 1234567", "CA", "unknown_country_code"],
  ])("refuses %s in %s as no phone: %s", (typed, country, reason) => {
    expect(readPhone(typed, country)).toEqual({ ok: false, reason });
  });

  it("says what is wrong with what was typed, not how to write a phone (the field's help says that)", () => {
    const words = (typed: string, country: string | null) => {
      const reading = readPhone(typed, country);
      return reading.ok ? reading.e164 : phoneProblemWords(typed, reading.reason, country);
    };
    expect(words("12", "CA")).toBe("“12” is too short to be a phone number.");
    expect(words("415 555 012", "CA")).toBe("“415 555 012” is too short to be a phone number.");
    expect(words("613 555 01234", "CA")).toBe("“613 555 01234” is too long to be a phone number.");
    expect(words("call me", "CA")).toBe("“call me” has letters in it, and a phone number has none.");
    expect(words("(013) 555-0123", "CA")).toBe("“(013) 555-0123” is not a phone number in Canada.");
    expect(words("020 7946 095", "GB")).toBe("“020 7946 095” is not a phone number in the United Kingdom.");
    expect(words("+999 1234567", "CA")).toBe("“+999 1234567” starts with a country code no country has.");
    expect(words("(613) 555-0123", null)).toBe("“(613) 555-0123” needs its country code, like +44 20 7946 0958.");
  });

  it("shows the shop's own way of writing a number, and the international way", () => {
    expect(phoneHint("CA")).toBe("like (613) 555-0123, or +44 20 7946 0958 for a number abroad");
    expect(phoneHint("us")).toBe("like (201) 555-0123, or +44 20 7946 0958 for a number abroad");
    expect(phoneHint("GB")).toBe("like 07400 123456, or +1 613 555 0123 for a number abroad");
    expect(phoneHint("FR")).toBe("like 06 12 34 56 78, or +44 20 7946 0958 for a number abroad");
    expect(phoneHint(null)).toBe("with its country code, like +44 20 7946 0958");
  });
});

describe("writing a stored phone for the shop's staff", () => {
  it("writes a number of the shop's country as it is dialled there, and any other with its country code", () => {
    const cases = [
      ["+16135550123", "CA", "(613) 555-0123"],
      ["+16135550123", "US", "(613) 555-0123"],
      ["+12015550123", "CA", "(201) 555-0123"],
      ["+16135550123", "GB", "+1 613 555 0123"],
      ["+442079460958", "GB", "020 7946 0958"],
      ["+442079460958", "CA", "+44 20 7946 0958"],
      ["+33612345678", "FR", "06 12 34 56 78"],
      ["+33612345678", null, "+33 6 12 34 56 78"],
      ["+16135550123", null, "+1 613 555 0123"],
    ] as const;
    for (const [stored, country, written] of cases)
      expect(writePhone(stored, country), `${stored} in ${country}`).toBe(written);
  });

  it("reads what it writes back to the number stored, so a form prefilled with it changes nothing", () => {
    for (const country of ["CA", "US", "GB", "FR", "DE", "JP", "AU", "IN", null])
      for (const stored of [
        "+16135550123",
        "+12015550123",
        "+442079460958",
        "+33612345678",
        "+4915123456789",
        "+819012345678",
        "+61412345678",
        "+919876543210",
      ])
        expect(readPhone(writePhone(stored, country), country), `${stored} in ${country}`).toEqual({
          ok: true,
          e164: stored,
        });
  });

  it("shows a number it cannot read as stored", () => {
    expect(writePhone("+1555", "CA")).toBe("+1555");
    expect(writePhone("12345", "GB")).toBe("12345");
  });
});

describe("the digits a search for a phone looks for in stored E.164 numbers", () => {
  it("reads a whole number in the shop's country, and drops what is dialled before a part of one", () => {
    const cases = [
      ["020 7946 0958", "GB", "442079460958"],
      ["020 7946", "GB", "207946"],
      ["0044 20 79", "GB", "442079"],
      ["(613) 555-0123", "CA", "16135550123"],
      ["011 44 20 7946 0958", "CA", "442079460958"],
      ["011 44 20", "CA", "4420"],
      ["555-0123", "CA", "5550123"],
      ["+44 20 7946", "CA", "44207946"],
      ["06 12 34 56 78", "FR", "33612345678"],
      ["06 12 34", null, "61234"],
    ] as const;
    for (const [typed, country, digits] of cases)
      expect(phoneSearchDigits(typed, country), `${typed} in ${country}`).toBe(digits);
  });

  it("finds what the stored number holds: every part typed is within the digits of the whole", () => {
    for (const [whole, country] of [
      ["020 7946 0958", "GB"],
      ["(613) 555-0123", "CA"],
      ["06 12 34 56 78", "FR"],
    ] as const) {
      const stored = phoneSearchDigits(whole, country);
      for (let end = 4; end < whole.length; end++)
        expect(stored, whole.slice(0, end)).toContain(phoneSearchDigits(whole.slice(0, end), country));
    }
  });
});
