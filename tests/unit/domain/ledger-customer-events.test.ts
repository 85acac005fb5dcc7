import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  planCustomerUpdate,
  shouldApplyCustomerUpdate,
  zeroTotals,
  type CustomerSyncState,
  type CustomerUpdate,
  type LedgerEntry,
  type LedgerTotals,
} from "~/domain/ledger";
import { defaultProgram } from "~/domain/program";
import type { ShopifyCustomerState } from "~/domain/shared";

const customerGid = "gid://shopify/Customer/7";
const program = defaultProgram("USD");

const update = (shopifyState: ShopifyCustomerState, updatedAt: string): CustomerUpdate => ({
  customerGid,
  shopifyState,
  updatedAt,
});

function replay(updates: readonly CustomerUpdate[], ctx: { blocked?: boolean; customerTags?: string[] } = {}) {
  let state: CustomerSyncState | null = null;
  let totals: LedgerTotals = { ...zeroTotals };
  const entries: LedgerEntry[] = [];
  for (const incoming of updates) {
    const plan = planCustomerUpdate(state, incoming, {
      program,
      customerTags: ctx.customerTags ?? [],
      blocked: ctx.blocked ?? false,
      totals,
    });
    state = plan.state;
    totals = plan.totals;
    entries.push(...plan.entries);
  }
  return { state, totals, entries };
}

describe("shouldApplyCustomerUpdate", () => {
  it("applies only strictly newer updates, comparing instants not strings", () => {
    expect(shouldApplyCustomerUpdate(undefined, { updatedAt: "2025-01-01T00:00:00Z" })).toBe(true);
    expect(
      shouldApplyCustomerUpdate({ updatedAt: "2025-01-01T10:00:00Z" }, { updatedAt: "2025-01-01T09:00:00Z" }),
    ).toBe(false);
    expect(
      shouldApplyCustomerUpdate({ updatedAt: "2025-01-01T10:00:00Z" }, { updatedAt: "2025-01-01T10:00:00Z" }),
    ).toBe(false);
    // 06:00 in New York is 11:00 UTC: newer, although it sorts first as text.
    expect(
      shouldApplyCustomerUpdate({ updatedAt: "2025-01-01T10:00:00Z" }, { updatedAt: "2025-01-01T06:00:00-05:00" }),
    ).toBe(true);
  });
});

describe("planCustomerUpdate", () => {
  it("pays the sign-up bonus when the customer becomes a member, once", () => {
    const run = replay([
      update("DISABLED", "2025-01-01T09:00:00Z"),
      update("ENABLED", "2025-01-01T10:00:00Z"),
      update("ENABLED", "2025-01-01T10:00:00Z"),
      update("DISABLED", "2025-02-01T10:00:00Z"),
      update("ENABLED", "2025-03-01T10:00:00Z"),
    ]);
    expect(run.entries).toEqual([
      {
        kind: "earn",
        source: "signup",
        idempotencyKey: `signup:${customerGid}`,
        points: 100,
        pending: false,
        programVersion: 1,
        explanation: "+100: sign-up bonus for becoming a member",
      },
    ]);
    expect(run.state).toMatchObject({ shopifyState: "ENABLED", memberSince: "2025-01-01T10:00:00Z" });
  });

  it("pays the bonus even when the ENABLED update arrives after a newer one, without letting it win", () => {
    const run = replay([update("DISABLED", "2025-01-01T11:00:00Z"), update("ENABLED", "2025-01-01T10:00:00Z")]);
    expect(run.entries.map((entry) => entry.idempotencyKey)).toEqual([`signup:${customerGid}`]);
    expect(run.state).toMatchObject({ shopifyState: "DISABLED", updatedAt: "2025-01-01T11:00:00Z" });
  });

  it("settles without paying for blocked customers and reports the skip", () => {
    const plan = planCustomerUpdate(null, update("ENABLED", "2025-01-01T10:00:00Z"), {
      program,
      customerTags: [],
      blocked: true,
      totals: zeroTotals,
    });
    expect(plan.entries).toEqual([]);
    expect(plan.signup).toMatchObject({ skippedReason: "blocked", wouldHaveEarned: 100 });
    expect(plan.state.signupBonusSettled).toBe(true);
  });

  it("pays nothing to customers who were members before install (state starts settled)", () => {
    const imported: CustomerSyncState = {
      ...update("ENABLED", "2024-06-01T00:00:00Z"),
      memberSince: "2024-06-01T00:00:00Z",
      signupBonusSettled: true,
    };
    const plan = planCustomerUpdate(imported, update("ENABLED", "2025-01-01T00:00:00Z"), {
      program,
      customerTags: [],
      blocked: false,
      totals: zeroTotals,
    });
    expect(plan.entries).toEqual([]);
    expect(plan.applied).toBe(true);
  });

  it("ends in the same state with the same bonus whatever the order and duplication of updates", () => {
    const updates = fc
      .uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 6 })
      .chain((minutes) =>
        fc.tuple(
          ...minutes.map((minute) =>
            fc
              .constantFrom<ShopifyCustomerState>("ENABLED", "DISABLED", "INVITED", "DECLINED")
              .map((state) => update(state, new Date(Date.UTC(2025, 0, 1) + minute * 60_000).toISOString())),
          ),
        ),
      );
    fc.assert(
      fc.property(
        updates.chain((list) => {
          const inOrder = [...list].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
          const deliveries = fc
            .array(fc.integer({ min: 1, max: 3 }), { minLength: list.length, maxLength: list.length })
            .chain((copies) => {
              const all = list.flatMap((each, index) => Array.from({ length: copies[index] ?? 1 }, () => each));
              return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
            });
          return fc.tuple(fc.constant(inOrder), deliveries);
        }),
        ([inOrder, delivered]) => {
          const expected = replay(inOrder);
          const actual = replay(delivered);
          expect(actual.state?.shopifyState).toBe(inOrder.at(-1)?.shopifyState);
          expect(actual.state).toEqual(expected.state);
          expect(actual.totals).toEqual(expected.totals);
          expect(actual.entries.map((entry) => [entry.idempotencyKey, entry.points])).toEqual(
            expected.entries.map((entry) => [entry.idempotencyKey, entry.points]),
          );
          expect(actual.entries.length).toBe(inOrder.some((each) => each.shopifyState === "ENABLED") ? 1 : 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
