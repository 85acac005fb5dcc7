import { describe, expect, it } from "vitest";
import { blockedNoteText, guestsNoteText, type AdjustPreview } from "~/components/customer-bulk-actions";

const number = (value: number) => value.toLocaleString("en-US");
const exact = (count: number) => ({ count, precision: "exact" as const });
const preview = (guests: AdjustPreview["guests"], selected: number | null = 12, guestsRedeem = false) => ({
  selected,
  guestsRedeem,
  guests,
  blocked: exact(0),
});

describe("what bulk Adjust points says of the Guests it gives points to", () => {
  it("counts the Guests among the ticked rows, who cannot redeem until they create an account", () => {
    expect(guestsNoteText(preview(exact(3)), true, number, "100")).toBe(
      "3 of the 12 selected customers are Guests: they get the points, but can't redeem them until they create an account in your store (Guests can redeem is off in Settings).",
    );
    expect(guestsNoteText(preview(exact(1)), true, number, "100")).toMatch(
      /^1 of the 12 selected customers is a Guest: /,
    );
    expect(guestsNoteText(preview(exact(12)), true, number, "100")).toMatch(/^All 12 selected customers are Guests: /);
    expect(guestsNoteText(preview(exact(1), 1), true, number, "100")).toMatch(/^The selected customer is a Guest: /);
  });

  it("says a search's count as the directory counts it: exact, 10,000+ or about", () => {
    expect(guestsNoteText(preview(exact(40), 1_200), false, number, "100")).toMatch(
      /^40 of the 1,200 matching customers are Guests: /,
    );
    expect(guestsNoteText(preview({ count: 10_000, precision: "at_least" }, null), false, number, "100")).toMatch(
      /^10,000\+ of them are Guests: /,
    );
    expect(guestsNoteText(preview({ count: 450_000, precision: "estimate" }, null), false, number, "100")).toMatch(
      /^About 450,000 of them are Guests: /,
    );
  });

  it("speaks only of points given: nothing for 0, points taken away, or a field it cannot read yet", () => {
    expect(guestsNoteText(preview(exact(3)), true, number, "25")).toMatch(
      /^3 of the 12 selected customers are Guests: /,
    );
    expect(guestsNoteText(preview(exact(3)), true, number, "0")).toBeNull();
    expect(guestsNoteText(preview(exact(3)), true, number, "-20")).toBeNull();
    expect(guestsNoteText(preview(exact(3)), true, number, "\u221220")).toBeNull();
    expect(guestsNoteText(preview(exact(3)), true, number, "")).toBeNull();
    expect(guestsNoteText(preview(exact(3)), true, number, "2.5")).toBeNull();
  });

  it("says nothing while counting, when no Guest is selected, or when Guests can redeem", () => {
    expect(guestsNoteText(undefined, true, number, "100")).toBeNull();
    expect(guestsNoteText(preview(exact(0)), true, number, "100")).toBeNull();
    expect(guestsNoteText(preview(null, 12, true), true, number, "100")).toBeNull();
  });
});

describe("what bulk Adjust points says of the blocked customers it leaves out", () => {
  const blocked = (count: AdjustPreview["blocked"], selected: number | null = 12) => ({
    ...preview(null, selected, true),
    blocked: count,
  });

  it("counts them, says they are left out and where their points can still be adjusted, whatever the points", () => {
    expect(blockedNoteText(blocked(exact(3)), true, number)).toBe(
      "3 of the 12 selected customers are blocked: they are left out, and listed as not changed on the job's page. Adjust a blocked customer's points on their profile.",
    );
    expect(blockedNoteText(blocked(exact(1), 1), true, number)).toMatch(/^The selected customer is blocked: /);
    expect(blockedNoteText(blocked(exact(40), 1_200), false, number)).toMatch(
      /^40 of the 1,200 matching customers are blocked: /,
    );
    expect(blockedNoteText(blocked({ count: 300, precision: "estimate" }, null), false, number)).toMatch(
      /^About 300 of them are blocked: /,
    );
  });

  it("says nothing while counting or when none is blocked", () => {
    expect(blockedNoteText(undefined, true, number)).toBeNull();
    expect(blockedNoteText(blocked(exact(0)), true, number)).toBeNull();
  });
});
