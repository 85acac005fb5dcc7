import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  addCustomerFact,
  emptyCustomerFacts,
  existedBeforeInstall,
  memberSince,
  sameHistory,
  stateAt,
  tagsAt,
  type CustomerFact,
  type CustomerFacts,
} from "~/domain/customers";
import type { ShopifyCustomerState } from "~/domain/shared";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1) + minute * 60_000).toISOString();
const facts = (...list: CustomerFact[]): CustomerFacts => list.reduce(addCustomerFact, emptyCustomerFacts);

describe("a customer's tags at a moment", () => {
  it("follow the latest dated fact at or before the moment, snapshot or change", () => {
    const known = facts(
      { kind: "snapshot", at: at(0), state: "ENABLED", tags: ["VIP"] },
      { kind: "tags", at: at(10), tags: ["Wholesale"], present: true },
      { kind: "snapshot", at: at(20), tags: ["wholesale"] },
      { kind: "tags", at: at(30), tags: ["wholesale"], present: false },
    );
    expect(tagsAt(known, at(5))).toEqual(["VIP"]);
    expect(tagsAt(known, at(10))).toEqual(["VIP", "wholesale"]);
    expect(tagsAt(known, at(25))).toEqual(["wholesale"]);
    expect(tagsAt(known, at(31))).toEqual([]);
    expect(tagsAt(known)).toEqual([]);
  });

  it("before anything is known, the earliest snapshot holds and a change says the opposite held", () => {
    expect(tagsAt(facts({ kind: "snapshot", at: at(60), tags: ["wholesale"] }), at(0))).toEqual(["wholesale"]);
    expect(tagsAt(facts({ kind: "tags", at: at(60), tags: ["wholesale"], present: true }), at(0))).toEqual([]);
    expect(tagsAt(facts({ kind: "tags", at: at(60), tags: ["wholesale"], present: false }), at(0))).toEqual([
      "wholesale",
    ]);
  });

  it("compare instants, not text: 06:00 in New York is after 10:00 UTC", () => {
    const known = facts(
      { kind: "snapshot", at: "2026-11-01T10:00:00Z", tags: ["wholesale"] },
      { kind: "snapshot", at: "2026-11-01T06:00:00-05:00", tags: [] },
    );
    expect(tagsAt(known)).toEqual([]);
  });

  it("read a REST tag list as Shopify spells it and keep the merchant's spelling for display", () => {
    const known = facts({ kind: "snapshot", at: at(0), tags: [" Wholesale", "vip "] });
    expect(tagsAt(known)).toEqual(["vip", "Wholesale"]);
  });
});

describe("a customer's state", () => {
  it("is the latest dated snapshot's, and member since is the earliest ENABLED", () => {
    const known = facts(
      { kind: "snapshot", at: at(30), state: "DISABLED" },
      { kind: "snapshot", at: at(10), state: "ENABLED" },
      { kind: "snapshot", at: at(0), state: "INVITED" },
    );
    expect(stateAt(known)).toBe("DISABLED");
    expect(stateAt(known, at(15))).toBe("ENABLED");
    expect(memberSince(known)).toBe(at(10));
  });
});

// Arbitrary facts about one customer: dated and undated snapshots, tag changes.
const states: ShopifyCustomerState[] = ["ENABLED", "DISABLED", "INVITED", "DECLINED"];
const tagPool = ["wholesale", "VIP", "staff"];
const tagsArb = fc.subarray(tagPool);
const factArb: fc.Arbitrary<CustomerFact> = fc.oneof(
  fc.record({
    kind: fc.constant("snapshot" as const),
    at: fc.option(fc.integer({ min: 0, max: 200 }).map(at), { nil: null, freq: 4 }),
    state: fc.option(fc.constantFrom(...states), { nil: undefined }),
    tags: fc.option(tagsArb, { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant("tags" as const),
    at: fc.integer({ min: 0, max: 200 }).map(at),
    tags: fc.subarray(tagPool, { minLength: 1 }),
    present: fc.boolean(),
  }),
);

describe("facts, whatever order they arrive in", () => {
  it("end the same, and answer the same for every moment", () => {
    fc.assert(
      fc.property(
        fc
          .array(factArb, { maxLength: 12 })
          .chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })),
          ),
        ([inOrder, shuffled]) => {
          const a = facts(...inOrder);
          const b = facts(...shuffled, ...shuffled.slice(0, 3));
          expect(b).toEqual(a);
          expect(sameHistory(a, b)).toBe(true);
          for (let minute = -1; minute <= 201; minute += 7) {
            expect(tagsAt(b, at(minute))).toEqual(tagsAt(a, at(minute)));
            expect(stateAt(b, at(minute))).toBe(stateAt(a, at(minute)));
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("a fact without a date never overrides a dated one, and fills in only where nothing dated speaks", () => {
    fc.assert(
      fc.property(
        fc.array(factArb, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...states),
        tagsArb,
        (list, state, tags) => {
          const dated = facts(...list);
          const withUndated = addCustomerFact(dated, { kind: "snapshot", at: null, state, tags });
          for (let minute = -1; minute <= 201; minute += 11) {
            if (dated.states.length > 0) expect(stateAt(withUndated, at(minute))).toBe(stateAt(dated, at(minute)));
            else expect(stateAt(withUndated, at(minute))).not.toBeNull();
            const datedTags = dated.tagSnapshots.length > 0 || Object.keys(dated.tagEvents).length > 0;
            if (datedTags) expect(tagsAt(withUndated, at(minute))).toEqual(tagsAt(dated, at(minute)));
          }
          expect(memberSince(withUndated)).toBe(memberSince(dated));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("existedBeforeInstall", () => {
  const installedAt = "2026-03-10T14:00:05.730Z";

  it("is true for an account Shopify created before Tally was installed, false for one created since", () => {
    expect(existedBeforeInstall("2026-03-10T14:00:04Z", installedAt)).toBe(true);
    expect(existedBeforeInstall("2025-11-01T09:00:00Z", installedAt)).toBe(true);
    expect(existedBeforeInstall("2026-03-10T14:00:06Z", installedAt)).toBe(false);
  });

  it("counts the install's own second as after: Shopify's createdAt has no milliseconds", () => {
    expect(existedBeforeInstall("2026-03-10T14:00:05Z", installedAt)).toBe(false);
    expect(existedBeforeInstall("2026-03-10T15:00:05+01:00", installedAt)).toBe(false);
  });

  it("invents no sign-up bonus for an undated account or an unknown install", () => {
    expect(existedBeforeInstall(null, installedAt)).toBe(true);
    expect(existedBeforeInstall("", installedAt)).toBe(true);
    expect(existedBeforeInstall("2026-03-10T14:00:06Z", undefined)).toBe(true);
  });
});
