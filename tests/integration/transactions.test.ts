import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { customers, ledgerEntries } from "~/db/schema";
import { TransactionHeldOpenError } from "~/db/transaction.server";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { recalculateTotals } from "~/services/ledger/recalculate.server";
import { inTransaction, type Tx } from "~/services/context";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { onPostgres } from "../helpers/dialect";

// One transaction mechanism on the single SQLite connection (decision 013): these run on the app's own database.
const { db } = contextFor("any", "test");

async function customerNamed(shop: string, email: string) {
  return first(
    db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, email))),
  );
}

let sequence = 0;
function addCustomer(tx: Tx, shop: string, email: string) {
  sequence += 1;
  return tx
    .insert(customers)
    .values({ shop, customerGid: `gid://shopify/Customer/${8_800_000_000 + sequence}`, email });
}

/** Gives the event loop's microtask queue to whoever else is waiting, many times over, as real async code does. */
async function yieldMicrotasks(times = 20) {
  for (let i = 0; i < times; i++) await Promise.resolve();
}

describe("two transactions at once on the one connection", () => {
  it("staff adjustments racing on one customer all land, and the balance equals its ledger", async () => {
    const shop = await newShopDomain();
    const [customer] = await insertCustomers(db, shop, [{ status: "member", pointsBalance: 0 }]);
    const ctx = contextFor(shop, "staff:1");
    const points = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? -7 : 10 + i));

    // Each adjustment reads the balance, awaits, then writes balance + points: interleaved, most would be lost.
    const results = await Promise.all(
      points.map((each, i) =>
        adjustPoints({
          ctx,
          input: { customerId: customer!.id, points: each, reason: "Race", requestId: `r-${i}`, allowDebt: true },
        }),
      ),
    );

    const expected = points.reduce((sum, each) => sum + each, 0);
    expect(results.every((result) => result.applied)).toBe(true);
    expect((await customerNamed(shop, customer!.email!))?.pointsBalance).toBe(expected);
    expect(await db.select().from(ledgerEntries).where(eq(ledgerEntries.shop, shop))).toHaveLength(points.length);
    expect(await recalculateTotals({ ctx, input: { repair: false } })).toEqual([]);
  });

  // SQLite only: on PostgreSQL each transaction has a pooled connection of its own, and they run side by side.
  it.skipIf(onPostgres)(
    "a second transaction waits for the first to finish, however many times the first awaits",
    async () => {
      const shop = await newShopDomain();
      const ctx = contextFor(shop, "test");
      const log: string[] = [];
      const transaction = (name: string) =>
        inTransaction(ctx, async (tx) => {
          log.push(`${name} begins`);
          await yieldMicrotasks();
          await addCustomer(tx, shop, `${name}@example.com`);
          await yieldMicrotasks();
          log.push(`${name} ends`);
        });

      await Promise.all([transaction("first"), transaction("second"), transaction("third")]);

      expect(log).toEqual(["first begins", "first ends", "second begins", "second ends", "third begins", "third ends"]);
    },
  );

  // SQLite only: on PostgreSQL a write outside the transaction runs on another connection, never inside it.
  it.skipIf(onPostgres)(
    "a write from another flow while a transaction is open is refused, not silently joined to it",
    async () => {
      const shop = await newShopDomain();
      const ctx = contextFor(shop, "test");
      const reported = vi.spyOn(console, "error").mockImplementation(() => {});

      const [rolledBack, outside] = await Promise.allSettled([
        inTransaction(ctx, async (tx) => {
          await addCustomer(tx, shop, "inside@example.com");
          await yieldMicrotasks();
          throw new Error("the transaction gives up");
        }),
        (async () => {
          await Promise.resolve();
          // Not through inTransaction: on the shared connection it would land inside the transaction above.
          // eslint-disable-next-line tally/async-data-access -- the raw driver, to write outside the runner on purpose
          db.$client.prepare("update shops set name = 'Outside' where shop = ?").run(shop);
        })(),
      ]);

      expect(rolledBack).toMatchObject({ status: "rejected", reason: { message: "the transaction gives up" } });
      expect(outside).toMatchObject({
        status: "rejected",
        reason: { message: expect.stringContaining("Promise.all") },
      });
      expect(reported).toHaveBeenCalledTimes(1);
      expect(await db.select().from(customers).where(eq(customers.shop, shop))).toEqual([]);
    },
  );
});

describe("a throw inside a transaction", () => {
  it("rolls back everything the transaction wrote, through every service it called", async () => {
    const shop = await newShopDomain();
    const [customer] = await insertCustomers(db, shop, [{ status: "member", pointsBalance: 5 }]);
    const ctx = contextFor(shop, "staff:1");

    await expect(
      inTransaction(ctx, async (tx) => {
        await addCustomer(tx, shop, "new@example.com");
        await adjustPoints({
          ctx,
          input: { customerId: customer!.id, points: 40, reason: "Goodwill", requestId: "rollback-1" },
        });
        throw new Error("Shopify said no");
      }),
    ).rejects.toThrow("Shopify said no");

    expect(await customerNamed(shop, "new@example.com")).toBeUndefined();
    expect((await customerNamed(shop, customer!.email!))?.pointsBalance).toBe(5);
    expect(await db.select().from(ledgerEntries).where(eq(ledgerEntries.shop, shop))).toEqual([]);
  });

  it("inside a nested transaction rolls back only the nested part when the caller catches it", async () => {
    const shop = await newShopDomain();
    const ctx = contextFor(shop, "test");

    await inTransaction(ctx, async (tx) => {
      await addCustomer(tx, shop, "before@example.com");
      await expect(
        inTransaction(ctx, async (nested) => {
          await addCustomer(nested, shop, "nested@example.com");
          throw new Error("nested failure");
        }),
      ).rejects.toThrow("nested failure");
      await addCustomer(tx, shop, "after@example.com");
    });

    expect(await customerNamed(shop, "before@example.com")).toBeDefined();
    expect(await customerNamed(shop, "nested@example.com")).toBeUndefined();
    expect(await customerNamed(shop, "after@example.com")).toBeDefined();
  });

  it("inside a nested transaction the caller lets through rolls back the whole transaction", async () => {
    const shop = await newShopDomain();
    const ctx = contextFor(shop, "test");

    await expect(
      inTransaction(ctx, async (tx) => {
        await addCustomer(tx, shop, "outer@example.com");
        await inTransaction(ctx, async (nested) => {
          await addCustomer(nested, shop, "inner@example.com");
          throw new Error("inner failure");
        });
      }),
    ).rejects.toThrow("inner failure");

    expect(await db.select().from(customers).where(eq(customers.shop, shop))).toEqual([]);
  });
});

describe("what a transaction callback must not do", () => {
  // SQLite only: there the write lock would be held across the I/O; a PostgreSQL transaction holds its own connection.
  it.skipIf(onPostgres)("awaiting real I/O inside it rolls the transaction back and says why", async () => {
    const shop = await newShopDomain();
    const ctx = contextFor(shop, "test");
    const reported = vi.spyOn(console, "error").mockImplementation(() => {});

    await expect(
      inTransaction(ctx, async (tx) => {
        await addCustomer(tx, shop, "slow@example.com");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }),
    ).rejects.toThrow(TransactionHeldOpenError);

    expect(reported).toHaveBeenCalledWith(expect.stringContaining("awaited real I/O"));
    expect(await customerNamed(shop, "slow@example.com")).toBeUndefined();
    // The connection is free again: the next transaction commits.
    await inTransaction(ctx, (tx) => addCustomer(tx, shop, "next@example.com"));
    expect(await customerNamed(shop, "next@example.com")).toBeDefined();
  });

  it("starting two nested transactions at once is refused, and nothing is written", async () => {
    const shop = await newShopDomain();
    const ctx = contextFor(shop, "test");

    await expect(
      inTransaction(ctx, async () => {
        await Promise.all([
          inTransaction(ctx, (nested) => addCustomer(nested, shop, "a@example.com")),
          inTransaction(ctx, (nested) => addCustomer(nested, shop, "b@example.com")),
        ]);
      }),
    ).rejects.toThrow("Two nested transactions ran at once");

    expect(await db.select().from(customers).where(eq(customers.shop, shop))).toEqual([]);
  });
});
