import { describe, expect, it } from "vitest";
import { customerChangesSection, customerImportRanLine, customerPreviewLines, moreRowsLine } from "~/domain/imports";
import { createFormatter } from "~/lib/format";

const en = createFormatter({ locale: "en", pointsNames: { singular: "point", plural: "points" } });

/** good.csv of newcomer round 15: 3 new customers and Giulia, whose last name and email marketing change. */
const good = { rows: 4, problems: 0, valid: 4, create: 3, update: 1, unchanged: 0, skip: 0, points: 290 };

describe("a customer file that ran", () => {
  it("keeps the preview's breakdown when the results bear it out", () => {
    expect(customerImportRanLine(good, { done: 4, skipped: 0, failed: 0 }, en)).toBe(
      "The import ran: 4 imported (3 created, 1 updated, 290 points added), 0 skipped, 0 refused by Shopify. Its results list each row.",
    );
  });

  it("names only what happened: no created customers, no points", () => {
    const summary = { rows: 3, create: 0, update: 3, unchanged: 1, points: 0 };
    expect(customerImportRanLine(summary, { done: 2, skipped: 1, failed: 0 }, en)).toBe(
      "The import ran: 2 imported (2 updated), 1 skipped, 0 refused by Shopify. Its results list each row.",
    );
  });

  it("says a file of matching customers whose balances were raised added points, not updated anyone", () => {
    const summary = { rows: 2, create: 0, update: 2, unchanged: 2, points: 100 };
    expect(customerImportRanLine(summary, { done: 2, skipped: 0, failed: 0 }, en)).toBe(
      "The import ran: 2 imported (100 points added), 0 skipped, 0 refused by Shopify. Its results list each row.",
    );
  });

  it("gives the check's breakdown as foreseen, not as done, when Shopify refused rows", () => {
    expect(customerImportRanLine(good, { done: 3, skipped: 0, failed: 1 }, en)).toBe(
      "The import ran: 3 imported, 0 skipped, 1 refused by Shopify. The check foresaw 3 to create, 1 to update and 290 points to add. Its results list each row.",
    );
  });

  it("speaks of the changes in the past once the import ran", () => {
    const section = customerChangesSection(1, 1, { done: 4, skipped: 0, failed: 0 }, en);
    expect(section.heading).toBe("What the import changed for customers Shopify had (1)");
    expect(section.note).toBe("Compared with Tally's copy of each customer when the file was checked.");
    expect(section.note).not.toMatch(/will|After the import/);
    expect(customerChangesSection(120, 100, { done: 119, skipped: 0, failed: 1 }, en).note).toBe(
      "The first 100 are listed. Compared with Tally's copy of each customer when the file was checked. Shopify refused some rows: their customers were left as they were, as the results say.",
    );
  });

  it("speaks of the changes to come in a preview", () => {
    expect(customerChangesSection(1, 1, null, en).heading).toBe("What changes for customers Shopify has (1)");
  });
});

describe("a customer file's preview", () => {
  it("says matching customers' details match and that points bring balances up to the file's Points", () => {
    // Nora 250 → 300 and Wen 0 → 50 in Tally's own export: their details match, their balances are raised.
    const lines = customerPreviewLines(
      { rows: 2, create: 0, update: 2, unchanged: 2, points: 100 },
      { changedFields: "", invite: false },
      en,
    );
    expect(lines).toEqual([
      "0 customers will be created",
      "0 customers Shopify has will be updated",
      "2 customers Shopify has already match the file's details",
      "100 points will be added to bring balances up to the file's Points; a balance already above it is kept",
    ]);
    expect(lines.join(" ")).not.toContain("nothing of theirs changes");
  });

  it("counts creations, invitations and field changes as before", () => {
    expect(
      customerPreviewLines(good, { changedFields: "Last name on 1, Email marketing on 1", invite: true }, en),
    ).toEqual([
      "3 customers will be created",
      "Shopify will email 3 new customers its account invitation",
      "1 customer Shopify has will be updated: Last name on 1, Email marketing on 1",
      "290 points will be added: new customers start with the file's Points, and customers Shopify has are brought up to theirs (a balance already above it is kept)",
    ]);
    expect(
      customerPreviewLines({ create: 0, update: 1, unchanged: 1, skip: 2 }, { changedFields: "", invite: true }, en),
    ).toEqual([
      "0 customers will be created",
      "0 customers Shopify has will be updated",
      "1 customer Shopify has already matches the file's details",
      "2 customers Shopify has will be skipped",
    ]);
  });
});

describe("a preview's sample of rows", () => {
  it("says how many more there are than it lists, in the staff member's numbers, and nothing when it lists them all", () => {
    expect(moreRowsLine(1254, 20, en)).toBe("and 1,234 more");
    expect(
      moreRowsLine(1254, 20, createFormatter({ locale: "de", pointsNames: { singular: "Punkt", plural: "Punkte" } })),
    ).toBe("and 1.234 more");
    expect(moreRowsLine(20, 20, en)).toBeNull();
    expect(moreRowsLine(3, 3, en)).toBeNull();
  });
});
