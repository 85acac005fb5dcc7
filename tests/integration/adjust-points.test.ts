import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, ledgerEntries } from "~/db/schema";
import { DomainError } from "~/domain/shared";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";

const { db } = contextFor("any", "test");

async function customerOf(id: number) {
  return (await first(db.select().from(customers).where(eq(customers.id, id))))!;
}
async function entriesOf(id: number) {
  return await db.select().from(ledgerEntries).where(eq(ledgerEntries.customerId, id));
}

describe("adjustPoints", () => {
  it("adds points with the staff member and reason on the ledger row", async () => {
    const shop = await newShopDomain();
    const [customer] = await insertCustomers(db, shop, [{ status: "member", pointsBalance: 40, lifetimeEarned: 40 }]);
    const result = await adjustPoints({
      ctx: contextFor(shop, "staff:7"),
      input: { customerId: customer!.id, points: 60, reason: " Missed order from the old shop ", requestId: "req-1" },
    });

    expect(result).toMatchObject({ applied: true, totals: { balance: 100 } });
    expect(await customerOf(customer!.id)).toMatchObject({ pointsBalance: 100 });
    expect(await entriesOf(customer!.id)).toMatchObject([
      {
        shop,
        kind: "adjust",
        points: 60,
        actor: "staff:7",
        note: "Missed order from the old shop",
        explanation: "+60: adjusted by staff (Missed order from the old shop)",
      },
    ]);
  });

  it("treats a resubmitted request id as the same adjustment", async () => {
    const shop = await newShopDomain();
    const [customer] = await insertCustomers(db, shop, [{ status: "member", pointsBalance: 10 }]);
    const input = {
      customerId: customer!.id,
      points: -30,
      reason: "Duplicate earn",
      requestId: "req-2",
      allowDebt: true,
    };
    const ctx = contextFor(shop, "staff:7");

    expect(await adjustPoints({ ctx, input })).toMatchObject({ applied: true, totals: { balance: -20 } });
    expect(await adjustPoints({ ctx, input })).toMatchObject({ applied: false, totals: { balance: -20 } });

    expect((await customerOf(customer!.id)).pointsBalance).toBe(-20);
    expect(await entriesOf(customer!.id)).toHaveLength(1);
    expect((await entriesOf(customer!.id))[0]!.explanation).toContain("repaid from future points");
  });

  it("does not find a customer of another shop, and writes nothing", async () => {
    const [theirs] = await insertCustomers(db, await newShopDomain(), [{ status: "member", pointsBalance: 5 }]);
    const ctx = contextFor(await newShopDomain(), "staff:7");
    const attempt = () =>
      adjustPoints({
        ctx,
        input: { customerId: theirs!.id, points: 1_000, reason: "Free points", requestId: "req-3" },
      });

    await expect(attempt()).rejects.toThrow(DomainError);
    await expect(attempt()).rejects.toThrow(expect.objectContaining({ code: "not_found" }));
    expect((await customerOf(theirs!.id)).pointsBalance).toBe(5);
    expect(await entriesOf(theirs!.id)).toEqual([]);
  });

  it("refuses zero points or a blank reason with field errors", async () => {
    const shop = await newShopDomain();
    const [customer] = await insertCustomers(db, shop, [{ status: "member" }]);
    const ctx = contextFor(shop, "staff:7");
    await expect(
      adjustPoints({ ctx, input: { customerId: customer!.id, points: 0, reason: "x", requestId: "req-4" } }),
    ).rejects.toThrow(
      expect.objectContaining({ code: "invalid_input", details: { fieldErrors: { points: [expect.any(String)] } } }),
    );
    await expect(
      adjustPoints({ ctx, input: { customerId: customer!.id, points: 5, reason: "  ", requestId: "req-5" } }),
    ).rejects.toThrow(
      expect.objectContaining({ code: "invalid_input", details: { fieldErrors: { reason: [expect.any(String)] } } }),
    );
    expect(await entriesOf(customer!.id)).toEqual([]);
  });

  it("a request id reused on another customer adjusts that customer too, rather than being swallowed", async () => {
    const shop = await newShopDomain();
    const [ada, ben] = await insertCustomers(db, shop, [
      { status: "member", pointsBalance: 10 },
      { status: "member", pointsBalance: 20 },
    ]);
    const ctx = contextFor(shop, "staff:7");
    const same = { points: 50, reason: "Goodwill", requestId: "req-shared" };

    expect(await adjustPoints({ ctx, input: { ...same, customerId: ada!.id } })).toMatchObject({ applied: true });
    expect(await adjustPoints({ ctx, input: { ...same, customerId: ben!.id } })).toMatchObject({
      applied: true,
      totals: { balance: 70 },
    });
    expect([(await customerOf(ada!.id)).pointsBalance, (await customerOf(ben!.id)).pointsBalance]).toEqual([60, 70]);
    expect(await entriesOf(ben!.id)).toHaveLength(1);
  });

  it("the same request id with other points or another reason is a conflict, not a resubmit, and changes nothing", async () => {
    const shop = await newShopDomain();
    const [customer] = await insertCustomers(db, shop, [{ status: "member", pointsBalance: 0 }]);
    const ctx = contextFor(shop, "staff:7");
    const first = { customerId: customer!.id, points: 25, reason: "Birthday", requestId: "req-6" };
    await adjustPoints({ ctx, input: first });

    for (const changed of [
      { ...first, points: 2500 },
      { ...first, reason: "Anniversary" },
    ]) {
      await expect(adjustPoints({ ctx, input: changed })).rejects.toThrow(
        expect.objectContaining({ code: "conflict" }),
      );
    }
    expect(await adjustPoints({ ctx, input: first })).toMatchObject({ applied: false, totals: { balance: 25 } });
    expect((await customerOf(customer!.id)).pointsBalance).toBe(25);
    expect(await entriesOf(customer!.id)).toHaveLength(1);
  });
});
