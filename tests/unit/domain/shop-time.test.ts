import { describe, expect, it } from "vitest";
import { isoSecond, shopTimeWriter, shopTimeZoneName } from "~/domain/shared/shop-time";

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
});
