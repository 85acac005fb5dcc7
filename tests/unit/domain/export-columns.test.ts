import { describe, expect, it } from "vitest";
import { exportCell, exportColumnHeaders, exportColumnsFor, type ExportColumn } from "~/domain/background-jobs";
import { defaultDirectoryColumns, directoryColumns } from "~/domain/customers";

describe("an export's columns and cells", () => {
  it("starts with the name and the columns the staff member sees in the directory, money with its currency", () => {
    expect(exportColumnsFor(defaultDirectoryColumns).map((column) => exportColumnHeaders[column])).toEqual([
      "Name",
      "Email",
      "Status",
      "Points",
      "Date joined",
      "Orders",
      "Total spent",
      "Currency",
      "City",
      "Country code",
      "Successful referrals",
    ]);
    // A column picked in the directory is in the export; one taken out is not (newcomer round 11: it was the reverse).
    const shown = exportColumnsFor(["email", "last_order", "store_credit"]);
    expect(shown).toEqual(["name", "email", "last_order", "store_credit", "store_credit_currency"]);
    expect(shown).not.toContain("joined");
    // Every directory column has its export columns.
    for (const column of directoryColumns) expect(exportColumnsFor([column]).length).toBeGreaterThan(1);
  });

  it("writes every date to the second in UTC, whatever precision Shopify or Tally stored", () => {
    const customer = {
      joinedAt: "2026-11-30T23:20:10Z",
      lastOrderAt: "2026-11-30T06:30:14.400Z",
      referralJoinedAt: "2026-11-30T07:00:00+02:00",
    } as unknown as Parameters<typeof exportCell>[1];
    const cell = (column: ExportColumn) => exportCell(column, customer, "CAD");
    expect(cell("joined")).toBe("2026-11-30T23:20:10Z");
    expect(cell("last_order")).toBe("2026-11-30T06:30:14Z");
    expect(cell("referral_joined")).toBe("2026-11-30T05:00:00Z");
    expect(exportCell("joined", { ...customer, joinedAt: null }, "CAD")).toBe("");
  });
});
