import { describe, expect, it } from "vitest";
import { describeFieldChanges } from "~/domain/audit";
import {
  alreadyMatches,
  changesSomething,
  customerChanges,
  importChangesNothing,
  importFiguresInWords,
  type KnownCustomerFields,
} from "~/domain/imports";

const maya: KnownCustomerFields = {
  firstName: "Maya",
  lastName: "Okafor",
  phone: "+16135550101",
  tags: ["vip", "wholesale"],
  taxExempt: false,
  emailMarketingState: "UNSUBSCRIBED",
  city: "Ottawa",
  countryCode: "CA",
};

const words = (proposed: Parameters<typeof customerChanges>[1]) => {
  const changes = customerChanges(maya, proposed);
  return describeFieldChanges(changes.before, changes.after);
};

describe("what an import row changes on a customer Shopify has", () => {
  it("compares an address as the directory's Location shows it: city and country", () => {
    expect(words({ address: { city: "London", countryCode: "GB" } })).toBe(
      "Location: Ottawa, Canada \u2192 London, United Kingdom",
    );
    // Another street in the same city changes nothing Tally shows; case is not a change either.
    expect(alreadyMatches(maya, { address: { city: "ottawa", countryCode: "CA" } })).toBe(true);
    expect(words({ address: { countryCode: "CA" } })).toBe("Location: Ottawa, Canada \u2192 Canada");
  });

  it("names each field it changes, before and after", () => {
    expect(words({ firstName: "Maya", lastName: "Again" })).toBe("Last name: Okafor \u2192 Again");
    expect(words({ phone: "+16135550199", taxExempt: true })).toBe(
      "Phone: +16135550101 \u2192 +16135550199; Tax exempt: no \u2192 yes",
    );
    expect(words({ emailMarketing: true })).toBe("Email marketing: unsubscribed \u2192 subscribed");
  });

  it("leaves blank cells alone and reads tags as a set, whatever their order or case", () => {
    expect(changesSomething(customerChanges(maya, {}))).toBe(false);
    expect(changesSomething(customerChanges(maya, { tags: ["Wholesale", "VIP"] }))).toBe(false);
    expect(words({ tags: ["vip"] })).toBe("Tags: vip, wholesale \u2192 vip");
    // "No" to email marketing for someone who already is not subscribed changes nothing.
    expect(changesSomething(customerChanges(maya, { emailMarketing: false, taxExempt: false }))).toBe(false);
  });

  it("fills what Tally did not know as a change from none", () => {
    const blank = { ...maya, firstName: null, phone: null };
    const changes = customerChanges(blank, { firstName: "Maya", phone: "+16135550101" });
    expect(describeFieldChanges(changes.before, changes.after)).toBe(
      "First name: none \u2192 Maya; Phone: none \u2192 +16135550101",
    );
  });
});

describe("a checked file that changes nothing", () => {
  it("is a customers file that creates no one, whose updates all match, and that adds no points", () => {
    expect(importChangesNothing("customers", { rows: 3, problems: 1, create: 0, update: 2, unchanged: 2 })).toBe(true);
    expect(importChangesNothing("customers", { rows: 2, problems: 2 }), "only bad rows").toBe(true);
    expect(importChangesNothing("customers", { create: 1 })).toBe(false);
    expect(importChangesNothing("customers", { update: 2, unchanged: 1 })).toBe(false);
    expect(importChangesNothing("customers", { update: 2, unchanged: 2, points: 50 }), "points to add").toBe(false);
    expect(importChangesNothing("customers", { skip: 4 }), "every known customer skipped").toBe(true);
  });

  it("is a points file that moves no points, or a backfill of past orders that finds nothing to give", () => {
    expect(importChangesNothing("points", { customers: 3, zero: 3, points: 0 })).toBe(true);
    expect(importChangesNothing("points", { customers: 3, points: 120 })).toBe(false);
    // Newcomer round 17, P4: such a preview offered "Give 0 stars".
    expect(importChangesNothing("orders", { orders: 0, points: 0, customers: 0 })).toBe(true);
    expect(importChangesNothing("orders", { orders: 3, points: 120, customers: 1 })).toBe(false);
  });
});

describe("a row that already matches (newcomer round 11, finding 2)", () => {
  it("says what Tally holds, in any case of tags and with blank cells left as they are", () => {
    expect(alreadyMatches(maya, { firstName: "Maya", lastName: "Okafor" })).toBe(true);
    expect(alreadyMatches(maya, { tags: ["Wholesale", "VIP"], emailMarketing: false, taxExempt: false })).toBe(true);
    expect(alreadyMatches(maya, {})).toBe(true);
    expect(alreadyMatches(maya, { lastName: "okafor" }), "a name's case is kept by Shopify").toBe(false);
    expect(alreadyMatches(maya, { emailMarketing: true })).toBe(false);
    expect(alreadyMatches(maya, { phone: "+16135550102" })).toBe(false);
  });

  it("is no update in the trail's figures: To update counts only the rows that change something", () => {
    const summary = { rows: 4, problems: 0, create: 3, update: 1, unchanged: 1, points: 0 };
    expect(importFiguresInWords("customers", summary)).toEqual({ ...summary, update: 0 });
    expect(describeFieldChanges(null, importFiguresInWords("customers", summary))).toContain(
      "To create: 3; To update: 0; Already matching: 1",
    );
    expect(importFiguresInWords("customers", { update: 5, unchanged: 2 })).toEqual({ update: 3, unchanged: 2 });
    expect(importFiguresInWords("customers", { create: 2 }), "a file with no known customer").toEqual({ create: 2 });
    expect(importFiguresInWords("points", { customers: 3, points: 120 })).toEqual({ customers: 3, points: 120 });
  });
});
