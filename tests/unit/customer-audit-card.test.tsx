import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AuditLog, CustomerAuditCard, type AuditLine } from "~/components/audit-log";
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
  taskTitle: "Add tags VIP",
};
/** Points a bulk Adjust points gave: the job writes no result line of its own for the profile, only this one. */
const pointsLine: AuditLine = {
  id: 2,
  at: "2026-11-30T11:00:00.000Z",
  actor: "staff:42",
  actorName: "Sam Owner",
  action: "points.adjust",
  customerId: 7,
  subject: "Ne",
  before: { balance: 0 },
  after: { points: 25, balance: 25, reason: "Newcomer test bonus" },
  taskId: 5,
  taskTitle: "Add 25 points",
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

/** The profile's Audit trail card as the page draws it, in HTML. */
function cardOf(lines: AuditLine[], bulkActions: CustomerBulkActionLine[]) {
  return renderToStaticMarkup(
    <AppProvider i18n={en}>
      <FormatProvider locale="en" pointsNames={{ singular: "point", plural: "points" }} timeZone="UTC">
        <CustomerAuditCard customerId={7} lines={lines} bulkActions={bulkActions} />
      </FormatProvider>
    </AppProvider>,
  );
}

/** The profile's Audit trail card as the page draws it: the text of each of its rows. */
function rowsOf(lines: AuditLine[], bulkActions: CustomerBulkActionLine[]) {
  const html = cardOf(lines, bulkActions);
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

  it("tells it by the audit's own line once the job is pruned, naming no job", () => {
    const alone = rowsOf([{ ...tagsLine, taskTitle: null }], []);
    expect(alone).toHaveLength(1);
    expect(alone[0]).toContain("Added tags to a customer");
    expect(alone[0]).toContain("Added VIP; tags: none \u2192 VIP");
    expect(alone[0]).not.toContain("Job:");
  });

  it("names the job of points a bulk adjustment gave after the change, linked to the job's page", () => {
    const rows = rowsOf([pointsLine], []);
    expect(rows).toEqual([
      expect.stringContaining(
        "Adjusted points +25, balance 0 \u2192 25, \u201cNewcomer test bonus\u201d Job: Add 25 points",
      ),
    ]);
    expect(cardOf([pointsLine], [])).toMatch(/<a [^>]*href="\/app\/jobs\/5"[^>]*>Job: Add 25 points<\/a>/);
  });

  it("names no job for points adjusted on the profile, nor for those of a pruned job", () => {
    const pruned = { ...pointsLine, taskTitle: null };
    const oneOff = { ...pointsLine, id: 3, taskId: null, taskTitle: null };
    for (const row of rowsOf([pruned, oneOff], [])) {
      expect(row).toContain("+25, balance 0 \u2192 25");
      expect(row).not.toContain("Job:");
    }
    expect(cardOf([pruned, oneOff], [])).not.toContain("/app/jobs/");
  });
});

/** The Audit log page as it draws `lines`: each row's HTML. */
function auditRowsOf(lines: AuditLine[]) {
  const html = renderToStaticMarkup(
    <AppProvider i18n={en}>
      <FormatProvider locale="en" pointsNames={{ singular: "point", plural: "points" }} timeZone="UTC">
        <AuditLog
          lines={lines}
          filters={{ actor: null, action: null, customerId: null, customerLabel: null }}
          actors={[]}
          onFilter={() => undefined}
          nextURL={undefined}
          previousURL={undefined}
        />
      </FormatProvider>
    </AppProvider>,
  );
  return [...html.matchAll(/<tr[^>]*Polaris-IndexTable__TableRow[^>]*>(.*?)<\/tr>/g)].map((row) => row[1]!);
}

describe("the Audit log page", () => {
  it("links a job's own started and cancelled lines to its page while it is kept, and not once it is pruned", () => {
    const started: AuditLine = {
      ...tagsLine,
      id: 4,
      action: "task.start",
      customerId: null,
      subject: "Add tags VIP",
      before: null,
      after: null,
    };
    const cancelled: AuditLine = { ...started, id: 5, action: "task.cancel", before: { done: 3, total: 10 } };
    const kept = auditRowsOf([cancelled, started]);
    expect(kept).toHaveLength(2);
    for (const row of kept) expect(row).toMatch(/<a [^>]*href="\/app\/jobs\/12"[^>]*>Add tags VIP<\/a>/);
    const pruned = auditRowsOf([cancelled, started].map((line) => ({ ...line, taskTitle: null })));
    expect(pruned).toHaveLength(2);
    for (const row of pruned) {
      expect(row).toContain("Add tags VIP");
      expect(row).not.toContain("/app/jobs/");
    }
  });

  it("names the job of each line a job wrote about a customer, linked to its page; a pruned job's line names none", () => {
    const rows = auditRowsOf([pointsLine, { ...tagsLine, taskTitle: null }]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/<a [^>]*href="\/app\/jobs\/5"[^>]*>Job: Add 25 points<\/a>/);
    expect(rows[1]).not.toContain("Job:");
    expect(rows[1]).not.toContain("/app/jobs/");
  });
});
