import { describe, expect, it } from "vitest";
import { dataRequestDeadline, exportCsvRows, isDataRequestExpired } from "~/domain/privacy";

describe("a data request's 30 days", () => {
  it("ends 30 days after the request arrived, to the millisecond", () => {
    expect(dataRequestDeadline("2026-01-31T10:00:00.000Z")).toBe("2026-03-02T10:00:00.000Z");
    expect(isDataRequestExpired("2026-01-31T10:00:00.000Z", new Date("2026-03-02T09:59:59.999Z"))).toBe(false);
    expect(isDataRequestExpired("2026-01-31T10:00:00.000Z", new Date("2026-03-02T10:00:00.000Z"))).toBe(true);
  });
});

describe("an export as CSV lines", () => {
  it("writes one line per field of each record, lists of lists as sections, and objects inside a record as JSON", () => {
    const rows = exportCsvRows({
      dataRequestId: "9",
      customer: { id: 1, email: "pat@example.com", tags: ["vip"], redactedAt: null },
      ledgerEntries: [{ id: 5, points: 40 }],
      referral: { referrals: [{ id: 2 }], referralCodes: [] },
      rewards: [],
    });
    expect(rows).toEqual([
      ["request", "1", "dataRequestId", "9"],
      ["customer", "1", "id", "1"],
      ["customer", "1", "email", "pat@example.com"],
      ["customer", "1", "tags", '["vip"]'],
      ["customer", "1", "redactedAt", ""],
      ["ledgerEntries", "1", "id", "5"],
      ["ledgerEntries", "1", "points", "40"],
      ["referral.referrals", "1", "id", "2"],
    ]);
  });
});
