import { describe, expect, it } from "vitest";
import { describeFieldChanges } from "~/domain/audit";

describe("an audit line's change in a merchant's words", () => {
  it("says an edit field by field, leaving out what did not change", () => {
    expect(
      describeFieldChanges(
        { email: "a@x.com", firstName: "Pat", tags: ["vip"], emailMarketing: "NOT_SUBSCRIBED", taxExempt: false },
        { email: "b@y.com", firstName: "Pat", tags: ["vip", "gold"], emailMarketing: "SUBSCRIBED", taxExempt: true },
      ),
    ).toBe(
      "Email: a@x.com \u2192 b@y.com; Tags: vip \u2192 vip, gold; Email marketing: not subscribed \u2192 subscribed; Tax exempt: no \u2192 yes",
    );
  });

  it("says a field only one side has, empty values as none, and numbers through the page's formatter", () => {
    expect(
      describeFieldChanges(
        { phone: null, balance: 1200 },
        { phone: "+16135550101", balance: 900, pausedReason: "burst" },
        (n) => n.toLocaleString("en-US"),
      ),
    ).toBe("Phone: none \u2192 +16135550101; Points balance: 1,200 \u2192 900; Paused reason: burst");
    expect(describeFieldChanges({ status: "pending" }, null)).toBe("Status was pending");
  });

  it("never shows JSON, even for a nested record", () => {
    const text = describeFieldChanges(null, { settings: { earnRate: 5, enabled: true } });
    expect(text).toBe("Settings: Earn rate 5, Enabled yes");
    expect(text).not.toMatch(/[{}"]/);
  });

  it("reads an import's checked file as the preview said it, in words", () => {
    expect(
      describeFieldChanges(null, { rows: 7, problems: 4, valid: 3, create: 2, update: 1, unchanged: 1, points: 0 }),
    ).toBe(
      "Rows in the file: 7; Rows with problems: 4; Rows ready: 3; To create: 2; To update: 1; Already matching: 1; Points: 0",
    );
  });
});
