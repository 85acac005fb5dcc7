import { describe, expect, it } from "vitest";
import {
  describeSkipReason,
  emailKindSchema,
  emailSkipReasons,
  mostImportantSkipReason,
  skipReasonPrecedence,
} from "~/domain/email";

describe("why an email was not sent, in one table of words", () => {
  it("has words for every skip reason the outbox stores, for every kind of email, never the stored code", () => {
    for (const kind of emailKindSchema.options) {
      for (const reason of emailSkipReasons) {
        const words = describeSkipReason(reason, kind);
        expect(words, `${kind} ${reason}`).not.toBe("Not sent");
        expect(words, `${kind} ${reason}`).not.toContain("_");
        expect(words, `${kind} ${reason}`).toMatch(/^[A-Z]/);
      }
    }
  });

  it("names the program that sends the email when it is off", () => {
    expect(describeSkipReason("program_off", "invitation")).toBe("The referral program is off");
    expect(describeSkipReason("program_off", "points_reminder")).toBe("The points program is off or offers no reward");
    expect(describeSkipReason("not_subscribed", "points_reminder")).toBe("Not subscribed to email marketing");
  });

  it("says only 'Not sent' for no reason, or one this version does not know", () => {
    expect(describeSkipReason(null)).toBe("Not sent");
    expect(describeSkipReason("on_holiday", "points_reminder")).toBe("Not sent");
    expect(describeSkipReason("toString")).toBe("Not sent");
  });
});

describe("which reason a skipped customer is shown when several hold", () => {
  it("names consent before recency, points and the program, for every kind of email", () => {
    expect(mostImportantSkipReason(["reminded_recently", "unsubscribed"])).toBe("unsubscribed");
    expect(mostImportantSkipReason(["no_points", "not_subscribed"])).toBe("not_subscribed");
    expect(mostImportantSkipReason(["program_off", "unsubscribed"])).toBe("unsubscribed");
    expect(mostImportantSkipReason(["below_reward", "reminded_recently"])).toBe("below_reward");
    expect(mostImportantSkipReason(["unsubscribed", "redacted"])).toBe("redacted");
    expect(mostImportantSkipReason([false, null, undefined])).toBeNull();
  });

  it("ranks every reason the outbox stores exactly once", () => {
    expect([...skipReasonPrecedence].sort()).toEqual([...emailSkipReasons].sort());
  });
});
