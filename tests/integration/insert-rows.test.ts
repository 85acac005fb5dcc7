import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertRows } from "~/db/insert-rows";
import { customers } from "~/db/schema";
import { inTransaction } from "~/services/context";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";

/*
 * insertRows, the sync's multi-row insert (decision 030), on whichever database the suite runs (SQLite, or PostgreSQL
 * with its named statements): a batch is split into statements of 256, 128, … 1 rows, a row that conflicts is left
 * out of the answer, JSON and booleans are stored as the schema maps them, and a refused row takes its batch back.
 */

const row = (shop: string, n: number) => ({
  shop,
  customerGid: `gid://shopify/Customer/${9_007_199_254_740_993n + BigInt(n)}`,
  email: `friend${n}@example.com`,
  firstName: n % 2 === 0 ? `Zoë ${n}` : null,
  blocked: n % 3 === 0,
  tags: n % 5 === 0 ? ["VIP", "Wholesale"] : [],
});

async function stored(shop: string) {
  return contextFor(shop, "test")
    .db.select({
      gid: customers.customerGid,
      email: customers.email,
      firstName: customers.firstName,
      blocked: customers.blocked,
      tags: customers.tags,
    })
    .from(customers)
    .where(eq(customers.shop, shop))
    .orderBy(asc(customers.id));
}

describe("insertRows", () => {
  it("inserts a batch of every size in statements of 256 rows and fewer, and answers each new row's columns", async () => {
    const shop = await newShopDomain();
    const ctx = contextFor(shop, "test");
    const rows = Array.from({ length: 301 }, (_, n) => row(shop, n));
    const answer = await inTransaction(ctx, (tx) => insertRows(tx, customers, rows, ["id", "customerGid", "blocked"]));

    expect(answer).toHaveLength(301);
    expect(answer.map((each) => each.customerGid)).toEqual(rows.map((each) => each.customerGid));
    expect(answer.map((each) => each.blocked)).toEqual(rows.map((each) => each.blocked));
    expect(new Set(answer.map((each) => each.id)).size).toBe(301);
    const kept = await stored(shop);
    expect(kept).toEqual(
      rows.map((each) => ({
        gid: each.customerGid,
        email: each.email,
        firstName: each.firstName,
        blocked: each.blocked,
        tags: each.tags,
      })),
    );
  });

  it("leaves a row that conflicts out of its answer, in a later transaction with the same statements", async () => {
    const shop = await newShopDomain();
    const ctx = contextFor(shop, "test");
    await inTransaction(ctx, (tx) =>
      insertRows(
        tx,
        customers,
        Array.from({ length: 10 }, (_, n) => row(shop, n)),
        ["id"],
      ),
    );
    // Rows 5 to 14: 5 to 9 exist (on conflict do nothing), 10 to 14 are new; the same shapes as before (8, 2 rows).
    const answer = await inTransaction(ctx, (tx) =>
      insertRows(
        tx,
        customers,
        Array.from({ length: 10 }, (_, n) => ({ ...row(shop, n + 5), email: `changed${n}@example.com` })),
        ["customerGid", "email"],
      ),
    );

    expect(answer.map((each) => each.email)).toEqual([10, 11, 12, 13, 14].map((n) => `changed${n - 5}@example.com`));
    const kept = await stored(shop);
    expect(kept).toHaveLength(15);
    expect(kept[5]!.email).toBe("friend5@example.com");
  });

  it("takes the whole batch back when one row is refused", async () => {
    const shop = await newShopDomain();
    const ctx = contextFor(shop, "test");
    const rows = Array.from({ length: 300 }, (_, n) => row(shop, n));
    // The last statement (4 rows) carries a row without its required gid, after 296 rows went in.
    rows[299] = { ...rows[299]!, customerGid: null as unknown as string };

    await expect(inTransaction(ctx, (tx) => insertRows(tx, customers, rows, ["id"]))).rejects.toThrow();
    const kept = await contextFor(shop, "test")
      .db.select({ id: customers.id })
      .from(customers)
      .where(eq(customers.shop, shop));
    expect(kept).toEqual([]);
  });
});
