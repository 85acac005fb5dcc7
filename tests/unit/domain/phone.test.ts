import { describe, expect, it } from "vitest";
import { phoneHint, readPhone } from "~/domain/shared";

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
    ["555-0123", "CA"],
    ["613 555 01234", "CA"],
    ["(013) 555-0123", "CA"],
    ["(613) 155-0123", "CA"],
    ["+1 613 555 012", "GB"],
    ["+44 20 7946 0958 1234", "GB"],
    ["call me", "CA"],
    ["613 555 0123 ext 4", "CA"],
    ["+", "CA"],
    ["020 7946 095", "GB"],
  ])("refuses %s in %s as no phone", (typed, country) => {
    expect(readPhone(typed, country)).toEqual({ ok: false, reason: "not_a_phone" });
  });

  it("shows the shop's own way of writing a number, and the international way", () => {
    expect(phoneHint("CA")).toBe("like (613) 555-0123 or +44 20 7946 0958");
    expect(phoneHint("us")).toBe("like (201) 555-0123 or +44 20 7946 0958");
    expect(phoneHint("GB")).toBe("like 07400 123456 or +1 613 555 0123");
    expect(phoneHint("FR")).toBe("like 06 12 34 56 78 or +44 20 7946 0958");
    expect(phoneHint(null)).toBe("with its country code, like +44 20 7946 0958");
  });
});
