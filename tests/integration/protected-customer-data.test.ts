import { and, eq, isNotNull, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, orders, shopJobs } from "~/db/schema";
import { loader as homeLoader } from "~/routes/app._index";
import { runShopJobs } from "~/jobs/scheduler.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
const sandboxOf = useSandbox();

const countWhere = async (shop: string, condition?: ReturnType<typeof sql>) =>
  (
    await first(
      db
        .select({ n: sql<number>`count(*)` })
        .from(customers)
        .where(and(eq(customers.shop, shop), condition)),
    )
  )?.n ?? 0;

async function home(shop: string) {
  return homeLoader({ request: await sessionTokenRequest(shop, "/app"), params: {}, context: {} });
}

async function lastResult(shop: string) {
  return (
    await first(
      db
        .select({ result: shopJobs.lastResult })
        .from(shopJobs)
        .where(and(eq(shopJobs.shop, shop), eq(shopJobs.job, "reconcile"))),
    )
  )?.result as Record<string, unknown> | undefined;
}

describe("a shop where Shopify has not approved Tally for protected customer fields", () => {
  it("syncs every customer without the withheld fields, says which on Home, and fills them in once granted", async () => {
    const shop = await newShopDomain();
    const control = sandboxOf().control;
    control.createShop({ shop });
    control.seed({ shop, customers: 60, orders: 90, seed: 11 });
    control.withholdProtectedData({ shop, fields: ["name", "email"] });
    await installThroughAdmin(sandboxOf(), shop);
    await runShopJobs(shop, { force: true });

    // Everyone is in, as Shopify let Tally see them: no names, no emails, phones and places kept.
    expect(await countWhere(shop)).toBe(60);
    expect(await countWhere(shop, sql`${customers.firstName} is not null or ${customers.email} is not null`)).toBe(0);
    expect(await countWhere(shop, sql`${customers.countryCode} is not null`)).toBeGreaterThan(0);
    expect(
      (
        await first(
          db
            .select({ n: sql<number>`count(*)` })
            .from(orders)
            .where(eq(orders.shop, shop)),
        )
      )?.n,
    ).toBe(90);
    expect(await lastResult(shop)).toMatchObject({
      initial: true,
      customers: 60,
      failed: 0,
      withheld: ["name", "email"],
    });
    expect((await home(shop)).withheld).toEqual(["name", "email"]);

    // A customer who signs up later arrives through the paged reconciliation, also without the withheld fields.
    control.createCustomerAccount({ shop, email: "later@example.com", firstName: "Lena" });
    await runShopJobs(shop, { force: true });
    expect(await countWhere(shop)).toBe(61);
    expect(await countWhere(shop, sql`${customers.firstName} is not null or ${customers.email} is not null`)).toBe(0);

    // Shopify approves Tally: the next run reads every customer again and fills in what was missing.
    control.withholdProtectedData({ shop, fields: [] });
    await runShopJobs(shop, { force: true });
    expect((await home(shop)).withheld).toEqual([]);
    expect(
      await first(
        db
          .select({ firstName: customers.firstName })
          .from(customers)
          .where(and(eq(customers.shop, shop), eq(customers.email, "later@example.com"))),
      ),
    ).toEqual({ firstName: "Lena" });
    expect(await countWhere(shop, isNotNull(customers.email))).toBeGreaterThan(50);
  });

  it("reads on with only phones withheld, and names just that; a shop that withholds nothing has them", async () => {
    const control = sandboxOf().control;
    const [withheld, approved] = [await newShopDomain(), await newShopDomain()];
    for (const shop of [withheld, approved]) {
      control.createShop({ shop });
      control.seed({ shop, customers: 40, orders: 10, seed: 12 });
    }
    control.withholdProtectedData({ shop: withheld, fields: ["phone"] });
    for (const shop of [withheld, approved]) {
      await installThroughAdmin(sandboxOf(), shop);
      await runShopJobs(shop, { force: true });
    }

    expect(await countWhere(withheld)).toBe(40);
    expect(await countWhere(withheld, isNotNull(customers.phone))).toBe(0);
    expect(await countWhere(withheld, isNotNull(customers.email))).toBe(40);
    expect((await home(withheld)).withheld).toEqual(["phone"]);
    expect(await countWhere(approved, isNotNull(customers.phone))).toBeGreaterThan(0);
    expect((await home(approved)).withheld).toEqual([]);
  });
});
