import { describe, expect, it } from "vitest";
import { describeAuditChange, type AuditLine } from "~/components/audit-log";
import { auditActionLabels } from "~/domain/audit";
import { createFormatter } from "~/lib/format";

const format = createFormatter({ locale: "en", pointsNames: { singular: "point", plural: "points" } });
const line = (action: string, before: unknown, after: unknown): AuditLine => ({
  id: 1,
  at: "2026-11-30T10:00:00Z",
  actor: "staff:1",
  actorName: "Sam Owner",
  action,
  customerId: 7,
  subject: "Pat Lee",
  before,
  after,
  taskId: null,
  taskTitle: null,
});

describe("the Audit page's words for a change", () => {
  it("shows an edit field by field, as a merchant reads it", () => {
    expect(
      describeAuditChange(
        line(
          "customer.edit",
          { email: "a@x.com", smsMarketing: "NOT_SUBSCRIBED" },
          { email: "b@y.com", smsMarketing: "SUBSCRIBED" },
        ),
        format,
      ),
    ).toBe("Email: a@x.com \u2192 b@y.com; SMS marketing: not subscribed \u2192 subscribed");
  });

  it("never shows JSON for any action Tally records, whatever small record it stored", () => {
    const record = { email: "a@x.com", tags: ["vip"], settings: { earnRate: 5 }, version: 2, reason: "late" };
    for (const action of Object.keys(auditActionLabels)) {
      const text = describeAuditChange(line(action, { ...record, version: 1 }, record), format);
      expect(text, action).not.toMatch(/[{}[\]"]/);
    }
  });

  it("says a refused deletion and an automatic group discount in words", () => {
    expect(describeAuditChange(line("customer.delete_refused", null, { kept: "has orders" }), format)).toBe(
      "Kept by Shopify: has orders",
    );
    expect(
      describeAuditChange(line("group.discount", null, { method: "automatic", kind: "percentage", value: 15 }), format),
    ).toBe("15% off, automatic");
  });

  it("says which saved points reminder was kept as written, and who still reads a Member's words", () => {
    expect(
      describeAuditChange(
        line("email_template.keep", null, { version: 3, missed: ["guests", "below_reward"] }),
        format,
      ),
    ).toBe(
      "Version 3 kept as written: Guests (no customer account) and customers short of the cheapest reward get a Member's words",
    );
  });
});
