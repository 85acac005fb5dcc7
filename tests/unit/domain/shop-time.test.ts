import { describe, expect, it } from "vitest";
import {
  isoSecond,
  shopDateWriter,
  shopDayEnd,
  shopDayOf,
  shopDayStart,
  shopTimeWriter,
  shopTimeZoneName,
} from "~/domain/shared/shop-time";

describe("times in the shop's zone", () => {
  it("follows the zone's daylight saving, on both sides of each change", () => {
    const toronto = shopTimeWriter("America/Toronto");
    // 2026-03-08 02:00 EST becomes 03:00 EDT (07:00 UTC); 2026-11-01 02:00 EDT becomes 01:00 EST (06:00 UTC).
    expect(toronto("2026-03-08T06:59:59Z")).toBe("2026-03-08 01:59:59");
    expect(toronto("2026-03-08T07:00:00Z")).toBe("2026-03-08 03:00:00");
    expect(toronto("2026-11-01T05:30:00Z")).toBe("2026-11-01 01:30:00");
    expect(toronto("2026-11-01T06:30:00Z")).toBe("2026-11-01 01:30:00");
    // Across midnight and the year.
    expect(toronto("2027-01-01T04:59:59Z")).toBe("2026-12-31 23:59:59");
  });

  it("writes zones off the whole hour, and east of UTC", () => {
    expect(shopTimeWriter("Asia/Kolkata")("2026-11-30T20:00:00Z")).toBe("2026-12-01 01:30:00");
    expect(shopTimeWriter("Asia/Kathmandu")("2026-11-30T00:00:00Z")).toBe("2026-11-30 05:45:00");
    expect(shopTimeWriter("Pacific/Chatham")("2026-11-30T00:00:00Z")).toBe("2026-11-30 13:45:00");
  });

  it("falls back to UTC for a zone Shopify never sent or Intl does not know, and leaves unreadable times empty", () => {
    for (const zone of [null, undefined, "", "Mars/Olympus_Mons"]) {
      expect(shopTimeZoneName(zone)).toBe("UTC");
      expect(shopTimeWriter(zone)("2026-11-30T23:20:10.999Z")).toBe("2026-11-30 23:20:10");
    }
    expect(shopTimeZoneName("Europe/Paris")).toBe("Europe/Paris");
    const paris = shopTimeWriter("Europe/Paris");
    for (const at of [null, undefined, "", "not a date"]) expect(paris(at)).toBe("");
    // An offset given with the time is honoured.
    expect(paris("2026-11-30T07:00:00+02:00")).toBe("2026-11-30 06:00:00");
  });

  it("writes the ISO form an export begun before a deploy keeps, to the second in UTC", () => {
    expect(isoSecond("2026-11-30T06:30:14.400Z")).toBe("2026-11-30T06:30:14Z");
    expect(isoSecond("2026-11-30T07:00:00+02:00")).toBe("2026-11-30T05:00:00Z");
    expect(isoSecond(null)).toBe("");
  });

  it("begins and ends a calendar day in the shop's zone, on days the clocks change too", () => {
    expect([shopDayStart("2026-11-28", "America/Toronto"), shopDayEnd("2026-11-28", "America/Toronto")]).toEqual([
      "2026-11-28T05:00:00.000Z",
      "2026-11-29T04:59:59.999Z",
    ]);
    // A 23-hour day and a 25-hour one.
    expect(shopDayEnd("2026-03-08", "America/Toronto")).toBe("2026-03-09T03:59:59.999Z");
    expect(shopDayStart("2026-11-01", "America/Toronto")).toBe("2026-11-01T04:00:00.000Z");
    expect(shopDayEnd("2026-11-01", "America/Toronto")).toBe("2026-11-02T04:59:59.999Z");
    expect(shopDayStart("2026-11-28", "Asia/Kolkata")).toBe("2026-11-27T18:30:00.000Z");
    // Lord Howe moves half an hour (02:00 to 02:30), the day beginning before it at +10:30.
    expect(shopDayStart("2026-10-04", "Australia/Lord_Howe")).toBe("2026-10-03T13:30:00.000Z");
    // São Paulo once moved its clocks at midnight: the day began when they resumed, at 01:00.
    expect(shopDayStart("2018-11-04", "America/Sao_Paulo")).toBe("2018-11-04T03:00:00.000Z");
    // No zone known: UTC days.
    expect([shopDayStart("2026-11-28", null), shopDayEnd("2026-11-28", "Nowhere/Atlantis")]).toEqual([
      "2026-11-28T00:00:00.000Z",
      "2026-11-28T23:59:59.999Z",
    ]);
    expect(() => shopDayStart("yesterday", "America/Toronto")).toThrow(RangeError);
    // The calendar's last day ends in the year 10000 west of UTC (it threw): written as the last instant of 9999.
    expect(shopDayEnd("9999-12-31", "America/Toronto")).toBe("9999-12-31T23:59:59.999Z");
    expect(shopDayEnd("9999-12-31", null)).toBe("9999-12-31T23:59:59.999Z");
    expect(shopDayEnd("9999-12-31", "Asia/Tokyo")).toBe("9999-12-31T14:59:59.999Z");
    // A year below 100 is that year, not 19xx (Date.UTC's reading).
    expect(shopDayStart("0099-06-01", null)).toBe("0099-06-01T00:00:00.000Z");
  });

  it("tells the shop's today from an instant, west and east of UTC", () => {
    expect(shopDayOf(new Date("2026-12-01T02:00:00Z"), "America/Toronto")).toBe("2026-11-30");
    expect(shopDayOf(new Date("2026-12-01T05:00:00Z"), "America/Toronto")).toBe("2026-12-01");
    expect(shopDayOf("2026-11-30T18:29:59Z", "Asia/Kolkata")).toBe("2026-11-30");
    expect(shopDayOf("2026-11-30T18:30:00Z", "Asia/Kolkata")).toBe("2026-12-01");
    expect(shopDayOf("2026-11-30T23:00:00Z", "Nowhere/Atlantis")).toBe("2026-11-30");
    expect(() => shopDayOf("soon", "UTC")).toThrow(RangeError);
  });

  it("writes a day as the admin does (Dec 17, 2026), in the shop's zone", () => {
    const toronto = shopDateWriter("America/Toronto");
    // The end of Dec 17 in Toronto is Dec 18 in UTC.
    expect(toronto("2026-12-18T04:59:59Z")).toBe("Dec 17, 2026");
    expect(shopDateWriter("Asia/Kolkata")("2026-12-17T18:29:59Z")).toBe("Dec 17, 2026");
    expect(shopDateWriter(null)("2026-12-17T23:59:59Z")).toBe("Dec 17, 2026");
    expect(toronto(null)).toBe("");
    expect(toronto("soon")).toBe("");
  });
});
