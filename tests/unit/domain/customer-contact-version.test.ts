import { describe, expect, it } from "vitest";
import { contactVersionChanges, type CustomerContact, type HeldCustomerContact } from "~/domain/customers";

const blank: CustomerContact = {
  email: null,
  firstName: null,
  lastName: null,
  phone: null,
  city: null,
  province: null,
  countryCode: null,
};
const held = (fields: Partial<HeldCustomerContact> = {}): HeldCustomerContact => ({
  ...blank,
  shopifyUpdatedAt: null,
  joinedAt: null,
  deletedAt: null,
  redactedAt: null,
  ...fields,
});
const contact = (fields: Partial<CustomerContact>): CustomerContact => ({ ...blank, ...fields });

describe("which contact details a version of a customer writes", () => {
  it("the newest dated version writes all of its contact, empty fields included, and its date", () => {
    const { applied, changes } = contactVersionChanges(
      held({ email: "old@example.com", phone: "+16135550100", shopifyUpdatedAt: "2026-11-01T10:00:00Z" }),
      {
        contact: contact({ email: "new@example.com", firstName: "Ana" }),
        updatedAt: "2026-11-02T10:00:00Z",
        createdAt: null,
      },
    );
    expect(applied).toBe(true);
    expect(changes).toMatchObject({
      email: "new@example.com",
      firstName: "Ana",
      phone: null,
      shopifyUpdatedAt: "2026-11-02T10:00:00Z",
    });
    expect(changes.searchText).toContain("ana");
  });

  it("an older or undated version only fills blanks", () => {
    const stored = held({ email: "kept@example.com", shopifyUpdatedAt: "2026-11-02T10:00:00Z" });
    for (const updatedAt of ["2026-11-01T10:00:00Z", null]) {
      const { applied, changes } = contactVersionChanges(stored, {
        contact: contact({ email: "older@example.com", phone: "+16135550199", city: "Ottawa" }),
        updatedAt,
        createdAt: null,
      });
      expect(applied).toBe(false);
      expect(changes).not.toHaveProperty("email");
      expect(changes).toMatchObject({ phone: "+16135550199", city: "Ottawa" });
      expect(changes).not.toHaveProperty("shopifyUpdatedAt");
    }
  });

  it("writes nothing back of an erased customer, and a version newer than a deletion brings the customer back", () => {
    const erased = contactVersionChanges(held({ redactedAt: "2026-11-03T00:00:00Z" }), {
      contact: contact({ email: "back@example.com" }),
      updatedAt: "2026-12-01T00:00:00Z",
      createdAt: null,
    });
    expect(erased.changes).not.toHaveProperty("email");
    const deleted = held({ deletedAt: "2026-11-03T00:00:00Z", shopifyUpdatedAt: "2026-11-01T00:00:00Z" });
    const newer = contactVersionChanges(deleted, {
      contact: blank,
      updatedAt: "2026-11-04T00:00:00Z",
      createdAt: null,
    });
    expect(newer.changes.deletedAt).toBeNull();
    const older = contactVersionChanges(deleted, {
      contact: blank,
      updatedAt: "2026-11-02T00:00:00Z",
      createdAt: null,
    });
    expect(older.changes).not.toHaveProperty("deletedAt");
  });

  it("NFC-normalises the name and email, so a decomposed accent is stored composed", () => {
    const { changes } = contactVersionChanges(held(), {
      contact: contact({ firstName: "Jose\u0301" }),
      updatedAt: null,
      createdAt: null,
    });
    expect(changes.firstName).toBe("Jos\u00e9");
  });
});
