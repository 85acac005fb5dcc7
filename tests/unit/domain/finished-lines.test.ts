import { describe, expect, it } from "vitest";
import {
  backfillOrdersKind,
  bulkEditCustomersKind,
  checkImportKind,
  describeFinished,
  describeFinishedNote,
  emptyCustomerSyncSummary,
  exportCustomersKind,
  importCustomersKind,
  importPointsKind,
  inviteCustomersKind,
  joinReferralMembersKind,
  previewBackfillKind,
  recalculatePointsKind,
  remindPointsKind,
  syncCustomersKind,
  taskKinds,
  undoImportKind,
  type AnyTaskKind,
  type FinishedFacts,
} from "~/domain/background-jobs";

const en = new Intl.NumberFormat("en-US");
const number = (n: number) => en.format(n);

/** A succeeded task of this kind that counted `counted` in its progress and listed these results. */
function finished(
  kind: AnyTaskKind,
  counted: number,
  items: Partial<FinishedFacts["items"]>,
  summary: FinishedFacts["summary"] = null,
) {
  return describeFinished(
    {
      kind: kind.kind,
      status: "succeeded",
      items: { done: 0, skipped: 0, failed: 0, ...items },
      progress: { done: counted, total: counted, unit: kind.unit },
      summary,
      input: {},
    },
    number,
  );
}

describe("a finished job's line says what the merchant got, in what they count", () => {
  it("an export speaks of the customers in its file and the download, not of its one result line (the file)", () => {
    expect(finished(exportCustomersKind, 2004, { done: 1 }, { rows: 2004, bytes: 512_000 })).toBe(
      "Finished: the CSV file holds 2,004 customers: download it above",
    );
    expect(finished(exportCustomersKind, 1, { done: 1 }, { rows: 1, bytes: 90 })).toBe(
      "Finished: the CSV file holds 1 customer: download it above",
    );
    expect(finished(exportCustomersKind, 0, { done: 1 }, { rows: 0, bytes: 40 })).toBe(
      "Finished: the CSV file holds no customers, only its column headings",
    );
  });

  it("a recalculation counts the customers it checked, then the few it repaired or found off", () => {
    expect(finished(recalculatePointsKind, 2004, { done: 3 })).toBe("Finished: 2,004 customers checked, 3 repaired");
    expect(finished(recalculatePointsKind, 2004, {})).toBe("Finished: 2,004 customers checked, none needed repairing");
    expect(finished(recalculatePointsKind, 2004, { skipped: 2 })).toBe(
      "Finished: 2,004 customers checked, 2 found off and not repaired",
    );
  });

  it("points for past orders count orders, and their preview the orders read", () => {
    expect(finished(backfillOrdersKind, 40, { done: 40 })).toBe("Finished: 40 orders earned points");
    expect(finished(backfillOrdersKind, 0, {})).toBe("Finished: no order earned points");
    expect(finished(previewBackfillKind, 120, { done: 40 })).toBe("Finished: 40 of 120 orders would earn points");
  });

  it("a sync says the customers and their orders it read apart, and what changed, never 'N of N updated'", () => {
    // Home's install sync brought in 2,004 customers and 5,004 orders; 227 of those orders have no customer, which a
    // customer sync does not read: "6,780 customers and orders read" added up to neither.
    const summary = {
      ...emptyCustomerSyncSummary,
      phase: "done" as const,
      objectsRead: 6783,
      customers: 2004,
      orders: 4777,
      customersAdded: 3,
      customersChanged: 12,
      ordersHealed: 1,
      rejected: 2,
    };
    expect(finished(syncCustomersKind, 6783, { done: 13, skipped: 2 }, summary)).toBe(
      "Finished: 2,004 customers and 4,777 of their orders read; 12 customers new or updated, 1 missed order applied, 2 lines of Shopify's file set aside",
    );
    expect(
      finished(syncCustomersKind, 6781, {}, { ...summary, customersChanged: 0, ordersHealed: 0, rejected: 0 }),
    ).toBe("Finished: 2,004 customers and 4,777 of their orders read; no customer changed");
    expect(finished(syncCustomersKind, 1, {}, { ...summary, customers: 1, orders: 0, customersChanged: 0 })).toMatch(
      /^Finished: 1 customer read, with no orders; no customer changed/,
    );
    // A summary of another shape (a task from before the summary held its counts) still reads, as its progress counted.
    expect(finished(syncCustomersKind, 6781, { done: 4 }, { phase: "done", objectsRead: 6781 })).toBe(
      "Finished: 6,781 customers and orders read; 4 updated",
    );
  });

  it("a finished sync says, under its line, that orders placed without a customer are not part of it", () => {
    const note = describeFinishedNote({ kind: syncCustomersKind.kind, status: "succeeded" });
    expect(note).toBe(
      "Orders placed without a customer aren't included in a customer sync, so it can count fewer orders than your store has.",
    );
    expect(note).not.toMatch(/object|JSONL|bulk/i);
    expect(describeFinishedNote({ kind: syncCustomersKind.kind, status: "running" })).toBeUndefined();
    expect(describeFinishedNote({ kind: recalculatePointsKind.kind, status: "succeeded" })).toBeUndefined();
  });

  it("per-customer kinds name the customers: changed, emailed, moved in, taken back, checked rows", () => {
    expect(finished(bulkEditCustomersKind, 3, { done: 2, skipped: 1 })).toBe(
      "Finished: 2 of 3 customers changed, 1 not changed",
    );
    expect(finished(bulkEditCustomersKind, 2, { failed: 2 })).toBe("Finished: 0 of 2 customers changed, 2 failed");
    // A points adjustment names its skips by why: blocked customers left out, removals short of points, the rest.
    expect(
      finished(
        bulkEditCustomersKind,
        12,
        { done: 6, skipped: 6 },
        { blocked: 3, notEnoughPoints: 2, pointsName: "stars" },
      ),
    ).toBe(
      "Finished: 6 of 12 customers changed, 3 not changed (blocked), 2 not changed (not enough stars), 1 not changed",
    );
    expect(finished(remindPointsKind, 6, { done: 3, skipped: 3 })).toBe(
      "Finished: an email queued for 3 of 6 customers, 3 not sent",
    );
    // Nobody, one or everyone emailed reads as said, not "an email queued for 0 of 1 customer, 1 not sent".
    expect(finished(inviteCustomersKind, 1, { skipped: 1 })).toBe(
      "Finished: no email queued, 1 customer not sent to (see why below)",
    );
    expect(finished(remindPointsKind, 3, { skipped: 2, failed: 1 })).toBe(
      "Finished: no email queued, 3 customers not sent to (see why below)",
    );
    expect(finished(inviteCustomersKind, 1, { done: 1 })).toBe("Finished: an email queued for 1 customer");
    expect(finished(remindPointsKind, 2, { done: 2 })).toBe("Finished: an email queued for each of 2 customers");
    expect(finished(importPointsKind, 3, { done: 2, skipped: 1 })).toBe(
      "Finished: points moved in for 2 of 3 customers, 1 skipped",
    );
    expect(finished(undoImportKind, 12, { done: 12 })).toBe("Finished: points taken back from 12 customers");
    // Points for past orders are taken back order by order, and counted so (its job is started with that unit).
    const byOrder = { ...undoImportKind, unit: { one: "order", other: "orders" } };
    expect(finished(byOrder, 4572, { done: 4572 })).toBe("Finished: points taken back for 4,572 orders");
    expect(finished(checkImportKind, 7, {})).toBe("Finished: 7 rows checked");
    expect(finished(joinReferralMembersKind, 1_000_000, {}, { joined: 612_345 })).toBe(
      "Finished: 1,000,000 customers checked, 612,345 Members added to the referral program",
    );
  });

  it("every kind's line, whatever its results count, names what is counted (no bare '1 of 1 exported')", () => {
    for (const kind of taskKinds) {
      // 2,004 counted by the progress bar, one result line: the export's shape, and a recalculation's with one drift.
      const line = finished(kind, 2004, { done: 1 }, null);
      expect(line, kind.kind).toBeDefined();
      expect(line, kind.kind).not.toMatch(/^Finished: [\d,]+ of [\d,]+ [a-z]+$/i);
      expect(line, kind.kind).toMatch(/customer|order|row|file/);
    }
  });

  it("a customer import names the rows that already matched apart from those skipped or refused (newcomer round 11)", () => {
    expect(finished(importCustomersKind, 4, { done: 3, skipped: 1 }, { matching: 1 })).toBe(
      "Finished: 3 of 4 customers imported, 1 already matching",
    );
    // Known customers skipped as chosen are skips; a refusal keeps Shopify's capital.
    expect(finished(importCustomersKind, 5, { done: 2, skipped: 2, failed: 1 }, { matching: 0 })).toBe(
      "Finished: 2 of 5 customers imported, 2 skipped, 1 refused by Shopify",
    );
    expect(finished(importCustomersKind, 1, { skipped: 1 }, { matching: 1 })).toBe(
      "Finished: 0 of 1 customer imported, 1 already matching",
    );
    // A task finished before the count was kept, or a count past its skips, claims no more than it listed.
    expect(finished(importCustomersKind, 3, { done: 2, skipped: 1 })).toBe(
      "Finished: 2 of 3 customers imported, 1 skipped",
    );
    expect(finished(importCustomersKind, 3, { done: 2, skipped: 1 }, { matching: 9 })).toBe(
      "Finished: 2 of 3 customers imported, 1 already matching",
    );
  });

  it("says nothing while running or after a job stopped (its banner says why)", () => {
    const base = {
      kind: bulkEditCustomersKind.kind,
      items: { done: 1, skipped: 0, failed: 0 },
      progress: { done: 1, total: 1, unit: bulkEditCustomersKind.unit },
      summary: null,
      input: {},
    };
    for (const status of ["queued", "running", "failed", "cancelled"] as const)
      expect(describeFinished({ ...base, status }, number)).toBeUndefined();
  });
});
