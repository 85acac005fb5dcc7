import { describe, expect, it } from "vitest";
import { ledgerEntrySchema, recalculate, type LedgerEntry } from "~/domain/ledger";
import { inTransaction } from "~/services/context";
import { getCustomerProfile } from "~/services/customers/get-customer-profile.server";
import { appendEntries } from "~/services/ledger/append-entries.server";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { newShopDomain } from "../factories/shops";

/*
 * The profile's points summary adds up, whatever happened to the customer: balance + pending = lifetime earned −
 * lifetime redeemed ± adjusted by staff − expired, with every kind of ledger entry written (round 8's newcomer saw
 * Balance 50, Lifetime earned 0, Lifetime redeemed 0 after a staff adjustment).
 */

const order = "gid://shopify/Order/1";
const entries: LedgerEntry[] = [
  { kind: "earn", source: "order", programVersion: 1, points: 300, pending: false, orderGid: order },
  { kind: "earn", source: "order", programVersion: 1, points: 40, pending: true, orderGid: "gid://shopify/Order/2" },
  { kind: "release", points: 40, orderGid: "gid://shopify/Order/2" },
  { kind: "earn", source: "order", programVersion: 1, points: 25, pending: true, orderGid: "gid://shopify/Order/3" },
  { kind: "referral", points: 500, pending: false, referralId: "r1", orderGid: "gid://shopify/Order/9" },
  { kind: "correct", points: -20, pending: false, orderGid: order },
  { kind: "reverse", reason: "refund", points: 30, pending: false, orderGid: order },
  { kind: "redeem", points: 200, rewardId: "w1", optionId: "five-off" },
  { kind: "redemption_return", points: 200, rewardId: "w1", orderGid: order },
  { kind: "redeem", points: 100, rewardId: "w2", optionId: "five-off" },
  { kind: "adjust", points: 50, reason: "Goodwill", actor: "staff:1" },
  { kind: "adjust", points: -700, reason: "Fraud", actor: "staff:1" },
  { kind: "expire", points: 15 },
].map((entry, index) => ledgerEntrySchema.parse({ ...entry, idempotencyKey: `k${index}`, explanation: "test" }));

describe("the profile's points summary", () => {
  it("adds up over every kind of ledger entry, staff adjustments and expiry on lines of their own", async () => {
    const shop = await newShopDomain();
    const ctx = contextFor(shop, "staff:1");
    const [customer] = await insertCustomers(ctx.db, shop, [{ status: "member" }]);
    await inTransaction(ctx, (tx) => appendEntries({ ctx, tx, customerId: customer!.id, entries }));

    const { totals } = await getCustomerProfile({ ctx, input: { customerId: customer!.id } });
    const rebuilt = recalculate(entries);
    expect(totals).toEqual({ ...rebuilt, adjusted: -650, expired: 15 });
    expect(totals.balance + totals.pending).toBe(
      totals.lifetimeEarned - totals.lifetimeRedeemed + totals.adjusted - totals.expired,
    );
    // The newcomer's case: one staff adjustment and nothing else.
    const [emile] = await insertCustomers(ctx.db, shop, [{ status: "member" }]);
    await inTransaction(ctx, (tx) =>
      appendEntries({
        ctx,
        tx,
        customerId: emile!.id,
        entries: [{ ...entries.find((entry) => entry.kind === "adjust")!, idempotencyKey: "emile" }],
      }),
    );
    expect((await getCustomerProfile({ ctx, input: { customerId: emile!.id } })).totals).toEqual({
      balance: 50,
      pending: 0,
      lifetimeEarned: 0,
      lifetimeRedeemed: 0,
      adjusted: 50,
      expired: 0,
    });
  });
});
