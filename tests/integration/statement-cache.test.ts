import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers } from "~/db/schema";
import { prepared } from "~/db/prepared";
import { withStatementCache } from "~/db/statement-cache";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { newShopDomain } from "../factories/shops";
import { onPostgres } from "../helpers/dialect";

// better-sqlite3 statements kept by SQL text inside a sync's apply (app/db/statement-cache.ts, decision 030).
// PostgreSQL has no such cache: its driver prepares by itself, and withStatementCache only runs the work there.
const { db } = contextFor("any", "test");
const byEmail = 'select "email" from "customers" where "shop" = ? order by "email"';

/** The statement the SQLite driver hands out for `source`: what drizzle gets when it prepares a query. */
function statement(source: string) {
  // eslint-disable-next-line tally/async-data-access -- SQLite only: the driver's own prepare is what is cached
  return db.$client.prepare(source);
}

describe.skipIf(onPostgres)("statements kept by SQL text inside withStatementCache", () => {
  it("hands out one statement per SQL text inside the scope, and a new one each time outside it", async () => {
    const inside = await withStatementCache(db, async () => [statement(byEmail), statement(byEmail)]);
    expect(inside[0]).toBe(inside[1]);
    expect(await withStatementCache(db, async () => statement(byEmail))).toBe(inside[0]);
    expect(statement(byEmail)).not.toBe(statement(byEmail));
  });

  it("answers rows as arrays and as objects from the same SQL text, whichever was asked first", async () => {
    const shop = await newShopDomain();
    await insertCustomers(db, shop, [
      { status: "member", email: "ana@example.com" },
      { status: "guest", email: "bo@example.com" },
    ]);
    await withStatementCache(db, async () => {
      // eslint-disable-next-line tally/async-data-access -- the driver's statement itself, as drizzle runs it
      expect(statement(byEmail).raw().all(shop)).toEqual([["ana@example.com"], ["bo@example.com"]]);
      // eslint-disable-next-line tally/async-data-access -- the driver's statement itself, as drizzle runs it
      expect(statement(byEmail).all(shop)).toEqual([{ email: "ana@example.com" }, { email: "bo@example.com" }]);
      expect(statement(byEmail).raw(true).get(shop)).toEqual(["ana@example.com"]);
      expect(statement(byEmail).get(shop)).toEqual({ email: "ana@example.com" });
    });
  });

  it("runs the same SQL again while a statement of it is still being iterated", async () => {
    const shop = await newShopDomain();
    await insertCustomers(db, shop, [
      { status: "member", email: "ana@example.com" },
      { status: "guest", email: "bo@example.com" },
    ]);
    await withStatementCache(db, async () => {
      const seen: string[] = [];
      for (const row of statement(byEmail).iterate(shop) as Iterable<{ email: string }>) {
        // eslint-disable-next-line tally/async-data-access -- the driver's statement itself, as drizzle runs it
        const all = statement(byEmail).all(shop) as Array<{ email: string }>;
        seen.push(`${row.email}:${all.length}`);
      }
      expect(seen).toEqual(["ana@example.com:2", "bo@example.com:2"]);
    });
  });

  it("keeps drizzle's queries right: a mapped select and a prepared query of the same table, in and out of the scope", async () => {
    const shop = await newShopDomain();
    const [customer] = await insertCustomers(db, shop, [
      { status: "member", email: "ana@example.com", pointsBalance: 40 },
    ]);
    const select = () =>
      db
        .select({ email: customers.email, points: customers.pointsBalance })
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.id, customer!.id)));
    const byId = () =>
      prepared(db, "statement-cache-test", (d) =>
        d.query.customers
          .findFirst({ where: (c, { eq }) => eq(c.id, customer!.id), columns: { email: true } })
          .prepare(),
      );
    const insideScope = await withStatementCache(db, async () => [
      await select(),
      await select(),
      await byId().execute(),
    ]);
    expect(insideScope).toEqual([
      [{ email: "ana@example.com", points: 40 }],
      [{ email: "ana@example.com", points: 40 }],
      { email: "ana@example.com" },
    ]);
    expect(await byId().execute()).toEqual({ email: "ana@example.com" });
    expect(await select()).toEqual([{ email: "ana@example.com", points: 40 }]);
  });
});
