import { describe, expect, it } from "vitest";
import { isNewerEmailConsent, type EmailConsent } from "~/domain/customers";

const at = (minute: number) => `2026-11-30T10:${String(minute).padStart(2, "0")}:00Z`;
const held = (state: string | null, updatedAt: string | null) => ({ state, updatedAt });
const word = (state: string, updatedAt: string | null): EmailConsent => ({ state, updatedAt });

describe("which word about email marketing consent Tally keeps", () => {
  it("takes any word while it knows nothing", () => {
    expect(isNewerEmailConsent(null, word("SUBSCRIBED", null))).toBe(true);
    expect(isNewerEmailConsent(held(null, null), word("SUBSCRIBED", at(1)))).toBe(true);
  });

  it("lets a dated word replace a held word dated at or before it, never one dated after it", () => {
    expect(isNewerEmailConsent(held("SUBSCRIBED", at(1)), word("UNSUBSCRIBED", at(2)))).toBe(true);
    expect(isNewerEmailConsent(held("SUBSCRIBED", at(1)), word("UNSUBSCRIBED", at(1)))).toBe(true);
    expect(isNewerEmailConsent(held("UNSUBSCRIBED", at(2)), word("SUBSCRIBED", at(1)))).toBe(false);
    // Offsets are instants, not text: 11:01+01:00 is 10:01Z, before 10:02Z.
    expect(isNewerEmailConsent(held("UNSUBSCRIBED", at(2)), word("SUBSCRIBED", "2026-11-30T11:01:00+01:00"))).toBe(
      false,
    );
  });

  it("never lets an undated snapshot overwrite a dated fact, whatever the states", () => {
    for (const heldState of ["SUBSCRIBED", "UNSUBSCRIBED", "NOT_SUBSCRIBED", "PENDING", "INVALID"]) {
      for (const incoming of ["SUBSCRIBED", "UNSUBSCRIBED", "NOT_SUBSCRIBED", "PENDING", "INVALID"]) {
        expect(isNewerEmailConsent(held(heldState, at(5)), word(incoming, null))).toBe(false);
      }
    }
  });

  it("lets a dated word replace an undated one, and an undated word replace another undated one", () => {
    expect(isNewerEmailConsent(held("NOT_SUBSCRIBED", null), word("SUBSCRIBED", at(0)))).toBe(true);
    expect(isNewerEmailConsent(held("NOT_SUBSCRIBED", null), word("SUBSCRIBED", null))).toBe(true);
  });

  it("ends with the same word whatever order the words arrive in", () => {
    const words = [
      word("NOT_SUBSCRIBED", null),
      word("SUBSCRIBED", at(3)),
      word("UNSUBSCRIBED", at(7)),
      word("SUBSCRIBED", null),
    ];
    const orders = permutations(words);
    const outcomes = new Set(
      orders.map((order) => {
        let kept: EmailConsent | null = null;
        for (const incoming of order) if (isNewerEmailConsent(kept, incoming)) kept = incoming;
        return JSON.stringify(kept);
      }),
    );
    expect([...outcomes]).toEqual([JSON.stringify(word("UNSUBSCRIBED", at(7)))]);
  });
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}
