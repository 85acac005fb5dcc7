import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CustomerAuditCard, type AuditLine } from "~/components/audit-log";
import { FormatProvider } from "~/components/format-context";
import type { CustomerBulkActionLine } from "~/domain/background-jobs";

const tagsLine: AuditLine = {
  id: 1,
  at: "2026-11-30T10:00:00.000Z",
  actor: "staff:42",
  actorName: "Sam Owner",
  action: "customer.tags_add",
  customerId: 7,
  subject: "Ne",
  before: { tags: [] },
  after: { tags: ["VIP"], added: ["VIP"] },
  taskId: 12,
};
const jobLine: CustomerBulkActionLine = {
  id: 5,
  taskId: 12,
  kind: "customers.bulk-edit",
  title: "Add tags VIP",
  outcome: "done",
  message: "Added VIP",
  at: "2026-11-30T10:00:00.000Z",
  actor: "staff:42",
  actorName: "Sam Owner",
};

/** The profile's Audit trail card as the page draws it: the text of each of its rows. */
function rowsOf(lines: AuditLine[], bulkActions: CustomerBulkActionLine[]) {
  const html = renderToStaticMarkup(
    <AppProvider i18n={en}>
      <FormatProvider locale="en" pointsNames={{ singular: "point", plural: "points" }} timeZone="UTC">
        <CustomerAuditCard customerId={7} lines={lines} bulkActions={bulkActions} />
      </FormatProvider>
    </AppProvider>,
  );
  return [...html.matchAll(/<tr[^>]*Polaris-IndexTable__TableRow[^>]*>(.*?)<\/tr>/g)].map((row) =>
    row[1]!
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
  );
}

describe("a profile's Audit trail card", () => {
  it("tells a bulk action that wrote the customer's own line once, by the job's linked line while the job is kept", () => {
    const both = rowsOf([tagsLine], [jobLine]);
    expect(both).toHaveLength(1);
    expect(both[0]).toContain("Add tags VIP");
    expect(both[0]).toContain("Changed: Added VIP");
  });

  it("tells it by the audit's own line once the job is pruned", () => {
    const alone = rowsOf([tagsLine], []);
    expect(alone).toHaveLength(1);
    expect(alone[0]).toContain("Added tags to a customer");
    expect(alone[0]).toContain("Added VIP; tags: none \u2192 VIP");
  });
});
