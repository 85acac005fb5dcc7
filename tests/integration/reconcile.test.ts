import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, ledgerEntries, orders } from "~/db/schema";
import { runShopJobs } from "~/shopify/jobs.server";
import { contextFor } from "~/shopify.server";
import { installThroughAdmin, useSandbox } from "../helpers/in-process-sandbox";
import { newShopDomain } from "../factories/shops";

const { db } = contextFor("any", "test");
// Every webhook the sandbox sends is lost (no app listens): healing that is what reconciliation is for.
const sandboxOf = useSandbox();
const install = (shop: string) => installThroughAdmin(sandboxOf(), shop);

const count = (table: typeof customers | typeof orders | typeof ledgerEntries, shop: string) =>
  db
    .select({ n: sql<number>`count(*)` })
    .from(table)
    .where(eq(table.shop, shop))
    .get()?.n ?? 0;

describe("reconciliation", () => {
  it("brings a shop's customers and orders in at install, without bonuses or points for the past", async () => {
    const shop = newShopDomain();
    sandboxOf().control.createShop({ shop });
    sandboxOf().control.seed({ shop, customers: 120, orders: 300, seed: 7 });
    await install(shop);
    await runShopJobs(shop, { forceReconcile: true });

    expect(count(customers, shop)).toBe(120);
    expect(count(orders, shop)).toBe(300);
    expect(count(ledgerEntries, shop)).toBe(0);
    const members = db
      .select({ n: sql<number>`count(*)` })
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.status, "member")))
      .get()?.n;
    expect(members).toBeGreaterThan(0);
    expect(members).toBeLessThan(120);
    // The directory's Orders and Total spent columns come from Shopify's own figures.
    const buyers = db
      .select({ n: sql<number>`count(*)` })
      .from(customers)
      .where(and(eq(customers.shop, shop), sql`${customers.ordersCount} > 0 and ${customers.amountSpentMinor} > 0`))
      .get()?.n;
    expect(buyers).toBeGreaterThan(0);
  });

  it("heals a missed orders/paid: the points arrive with the next reconciliation, once", async () => {
    const shop = newShopDomain();
    sandboxOf().control.createShop({ shop });
    sandboxOf().control.seed({ shop, customers: 5, orders: 0, seed: 3 });
    await install(shop);
    await runShopJobs(shop, { forceReconcile: true });

    const buyer = sandboxOf().control.createCustomerAccount({ shop, email: "late@example.com" });
    sandboxOf().control.placeOrder({ shop, customerId: String(buyer.id) });
    await sandboxOf().control.idle();
    await runShopJobs(shop, { forceReconcile: true });
    await runShopJobs(shop, { forceReconcile: true });

    const row = db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, "late@example.com")))
      .get();
    expect(row?.status).toBe("member");
    const entries = db
      .select({ kind: ledgerEntries.kind, points: ledgerEntries.points })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.customerId, row?.id ?? -1))
      .all();
    // The sign-up bonus (an account made after install) and the order's points, each exactly once.
    expect(entries.map((entry) => entry.kind).sort()).toEqual(["earn", "earn"]);
    expect(row?.pointsBalance).toBe(entries.reduce((sum, entry) => sum + entry.points, 0));
    expect(row?.pointsBalance).toBeGreaterThan(100);
  });

  it("publishes changed balances to the customer's app metafield", async () => {
    const shop = newShopDomain();
    sandboxOf().control.createShop({ shop });
    await install(shop);
    await runShopJobs(shop, { forceReconcile: true });
    const buyer = sandboxOf().control.createCustomerAccount({ shop, email: "meta@example.com" });
    await runShopJobs(shop, { forceReconcile: true });

    const metafields = sandboxOf().control.metafields({ shop });
    const mine = metafields.filter((m) => m.ownerGid.endsWith(`/${String(buyer.id).replace(/\D/g, "")}`));
    expect(mine).toMatchObject([{ key: "points", value: "100" }]);
    expect(
      db
        .select()
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.metafieldDirty, true)))
        .all(),
    ).toHaveLength(0);
  });

  it("never pays points for orders placed before install, even when they change afterwards", async () => {
    const shop = newShopDomain();
    const control = sandboxOf().control;
    control.createShop({ shop });
    const buyer = control.createCustomerAccount({ shop, email: "early@example.com" });
    const order = control.placeOrder({ shop, customerId: String(buyer.id) });
    await control.idle();
    await install(shop);
    await runShopJobs(shop, { forceReconcile: true });

    control.fulfil({ shop, orderId: order.id });
    await control.idle();
    await runShopJobs(shop, { forceReconcile: true });
    await runShopJobs(shop, { forceReconcile: true });

    expect(count(ledgerEntries, shop)).toBe(0);
  });

  it("a guest from before install who signs up afterwards gets the sign-up bonus", async () => {
    const shop = newShopDomain();
    const control = sandboxOf().control;
    control.createShop({ shop });
    control.placeOrder({ shop, email: "guest-then-member@example.com" });
    await control.idle();
    await install(shop);
    await runShopJobs(shop, { forceReconcile: true });

    control.createCustomerAccount({ shop, email: "guest-then-member@example.com" });
    await control.idle();
    await runShopJobs(shop, { forceReconcile: true });

    const row = db
      .select()
      .from(customers)
      .where(and(eq(customers.shop, shop), eq(customers.email, "guest-then-member@example.com")))
      .get();
    expect(row).toMatchObject({ status: "member", pointsBalance: 100 });
  });
});
