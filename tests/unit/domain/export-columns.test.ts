import { describe, expect, it } from "vitest";
import {
  exportCell,
  exportColumnHeader,
  exportColumnHeaders,
  exportColumnsFor,
  type ExportColumn,
} from "~/domain/background-jobs";
import { shopTimeWriter } from "~/domain/shared/shop-time";
import { defaultDirectoryColumns, directoryColumns, emailConsentStates } from "~/domain/customers";
import { checkCustomerRow, customerColumns, mapColumns } from "~/domain/imports";

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

  it("writes every time to the second in the shop's zone, as spreadsheets read dates, and names the zone in the header", () => {
    const customer = {
      joinedAt: "2026-11-30T23:20:10Z",
      lastOrderAt: "2026-07-01T06:30:14.900Z",
      referralJoinedAt: "2026-11-30T07:00:00+02:00",
      customerGid: "gid://shopify/Customer/706405010000002004",
    } as unknown as Parameters<typeof exportCell>[1];
    const toronto = shopTimeWriter("America/Toronto");
    const cell = (column: ExportColumn) => exportCell(column, customer, "CAD", toronto);
    // EST in November (UTC−5), EDT in July (UTC−4); a stored fraction of a second is cut, not rounded up.
    expect(cell("joined")).toBe("2026-11-30 18:20:10");
    expect(cell("last_order")).toBe("2026-07-01 02:30:14");
    expect(cell("referral_joined")).toBe("2026-11-30 00:00:00");
    expect(exportCell("joined", { ...customer, joinedAt: null }, "CAD", toronto)).toBe("");
    // Without the shop's zone, UTC, and the header says so.
    expect(exportCell("joined", customer, "CAD")).toBe("2026-11-30 23:20:10");
    expect(exportColumnHeader("joined", "America/Toronto")).toBe("Date joined (America/Toronto)");
    expect(exportColumnHeader("last_order", null)).toBe("Last order (UTC)");
    expect(exportColumnHeader("points", "America/Toronto")).toBe("Points");
    // The id a spreadsheet keeps whole: a bare 18-digit number would become 7.06405E+17 and be saved back so.
    expect(cell("shopify_id")).toBe("gid://shopify/Customer/706405010000002004");
  });

  it("writes email marketing in the directory's words, and an import of the file reads each back or leaves it", () => {
    const consentOf = (state: string | null) =>
      exportCell("consent", { emailMarketingState: state } as unknown as Parameters<typeof exportCell>[1], "CAD");
    const written = Object.fromEntries(emailConsentStates.map((state) => [state, consentOf(state)]));
    expect(written).toEqual({
      SUBSCRIBED: "Subscribed",
      NOT_SUBSCRIBED: "Not subscribed",
      PENDING: "Pending confirmation",
      UNSUBSCRIBED: "Unsubscribed",
      REDACTED: "Redacted",
      INVALID: "Invalid",
    });
    expect(consentOf(null)).toBe("");
    // A state Shopify adds later goes out as Shopify says it rather than as nothing.
    expect(consentOf("BOUNCED")).toBe("BOUNCED");

    // The file imported back (its "Email marketing" header is the import's consent column): subscribed or not where
    // the export said so; a state only Shopify sets leaves the customer's consent as it is, and is no problem.
    const { columns } = mapColumns([exportColumnHeaders.email, exportColumnHeaders.consent], customerColumns);
    const imported = Object.fromEntries(
      emailConsentStates.map((state) => {
        const row = checkCustomerRow(["ana@example.com", String(written[state])], columns, "CA");
        return [state, row.ok ? (row.customer.emailMarketing ?? "left as it is") : row.errors];
      }),
    );
    expect(imported).toEqual({
      SUBSCRIBED: true,
      NOT_SUBSCRIBED: false,
      PENDING: "left as it is",
      UNSUBSCRIBED: false,
      REDACTED: "left as it is",
      INVALID: "left as it is",
    });
  });
});
