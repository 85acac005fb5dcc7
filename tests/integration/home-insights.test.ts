import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { shops } from "~/db/schema";
import { loader as directoryLoader } from "~/routes/app.customers";
import { loader as homeLoader } from "~/routes/app._index";
import { repairCustomerCounts } from "~/services/customers/repair-customer-counts.server";
import { setCustomerBlocked } from "~/services/customers/set-blocked.server";
import { getHomeInsights } from "~/services/home/get-home-insights.server";
import { adjustPoints } from "~/services/ledger/adjust-points.server";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");
const DAY = 86_400_000;

async function home(shop: string, search = "") {
  const request = await sessionTokenRequest(shop, `/app${search}`);
  return homeLoader({ request, params: {}, context: {} });
}

/** How many customers the directory lists at a Home link, page after page. */
async function listedAt(shop: string, link: string) {
  const search = link.replace("/app/customers", "");
  let page = await directoryLoader({
    request: await sessionTokenRequest(shop, `/app/customers${search}`),
    params: {},
    context: {},
  });
  let listed = page.page.customers.length;
  while (page.page.nextCursor) {
    page = await directoryLoader({
      request: await sessionTokenRequest(shop, `/app/customers${search}&after=${page.page.nextCursor}`),
      params: {},
      context: {},
    });
    listed += page.page.customers.length;
  }
  return listed;
}

describe("Home insights", () => {
  it("shows conversion, points outstanding and their worth, idle high balances and the top 10% by spend, each as the directory lists them", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const now = Date.now();
    const ago = (days: number) => new Date(now - days * DAY).toISOString();
    await insertCustomers(db, shop, [
      // Enough for the $5 reward (500 points), untouched for 40 days: idle.
      { status: "member", pointsBalance: 800, pointsActivityAt: ago(40), amountSpentMinor: 90_000, currency: "USD" },
      { status: "member", pointsBalance: 500, pointsActivityAt: null, amountSpentMinor: 10_000, currency: "USD" },
      // Enough, but active last week; and idle, but not enough.
      { status: "member", pointsBalance: 2_000, pointsActivityAt: ago(7), amountSpentMinor: 5_000, currency: "USD" },
      { status: "member", pointsBalance: 499, pointsActivityAt: ago(90), amountSpentMinor: 0, currency: "USD" },
      ...Array.from({ length: 16 }, (_, index) => ({
        status: "guest" as const,
        pointsBalance: 0,
        amountSpentMinor: index * 1_000,
        currency: "USD",
      })),
    ]);
    await insertCustomers(db, await newShopDomain(), [{ status: "member", pointsBalance: 9_000 }]);

    const { insights } = await home(shop);
    expect(insights.customers).toBe(20);
    expect(insights.conversionRate).toBeCloseTo(4 / 20);
    expect(insights.pointsOutstanding).toBe(3_799);
    // The default program's cheapest money reward: $5.00 off for 500 points, so 1 cent a point.
    expect(insights.pointsWorth).toEqual({
      minor: 3_799,
      currency: "USD",
      rewardTitle: "$5.00 off",
      pointsCost: 500,
    });
    expect(insights.highBalances).toEqual({ customers: 2, minimumPoints: 500 });
    // 20 customers: the top 10% are the two who spent most, $150 (15,000) and up.
    expect(insights.topSpenders).toEqual({ customers: 2, minimumSpentMinor: 15_000, currency: "USD" });

    expect(await listedAt(shop, "/app/customers?points_min=500&idle_days=30&blocked=no&sort=points-desc")).toBe(2);
    expect(await listedAt(shop, "/app/customers?spent_min=150.00&sort=spent-desc")).toBe(2);
    expect(await listedAt(shop, "/app/customers?tab=guests")).toBe(16);
  });

  it("leaves customers Shopify deleted out of every figure, each still as the directory lists them", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const now = Date.now();
    const ago = (days: number) => new Date(now - days * DAY).toISOString();
    const deletedAt = ago(1);
    await insertCustomers(db, shop, [
      { status: "member", pointsBalance: 800, pointsActivityAt: ago(40), amountSpentMinor: 90_000, currency: "USD" },
      { status: "member", pointsBalance: 500, pointsActivityAt: null, amountSpentMinor: 10_000, currency: "USD" },
      ...Array.from({ length: 18 }, (_, index) => ({
        status: "guest" as const,
        amountSpentMinor: index * 1_000,
        currency: "USD",
      })),
      // Deleted in Shopify: the biggest spenders, idle high balances, a debt and a member who joined today.
      ...[200_000, 190_000, 180_000].map((spent) => ({
        status: "member" as const,
        pointsBalance: 5_000,
        pointsActivityAt: ago(60),
        amountSpentMinor: spent,
        currency: "USD",
        memberSince: ago(0),
        deletedAt,
      })),
      { status: "guest", pointsBalance: -300, deletedAt },
    ]);

    const { insights } = await home(shop, "?growth=day");
    expect(insights).toMatchObject({ customers: 20, members: 2, guests: 18, pointsOutstanding: 1_300 });
    expect(insights).toMatchObject({ pointsOwed: 0, customersOwing: 0 });
    expect(insights.highBalances).toEqual({ customers: 2, minimumPoints: 500 });
    // 20 customers: the top 10% are the two who spent most and were not deleted, $170 (17,000) and up.
    expect(insights.topSpenders).toEqual({ customers: 2, minimumSpentMinor: 17_000, currency: "USD" });
    // Both members not deleted were added today (their row's date); the three deleted ones who joined today are not.
    expect(insights.growth.buckets.at(-1)?.newMembers).toBe(2);

    expect(await listedAt(shop, "/app/customers?points_min=500&idle_days=30&blocked=no&sort=points-desc")).toBe(2);
    expect(await listedAt(shop, "/app/customers?spent_min=170.00&sort=spent-desc")).toBe(2);
    expect(await listedAt(shop, "/app/customers?tab=members")).toBe(2);
  });

  it("leaves blocked customers' points out of points outstanding, their worth and idle high balances, as they are blocked, unblocked and their points move", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const ctx = contextFor(shop, { actor: "staff:1", actorName: "Sam Owner" });
    const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    const [kept, blocked, toBlock] = await insertCustomers(db, shop, [
      { status: "member", pointsBalance: 800, pointsActivityAt: ago(40) },
      // Blocked for abuse, holding enough for a reward and idle: they cannot redeem, so they are no liability.
      { status: "member", pointsBalance: 5_000, pointsActivityAt: ago(40), blocked: true },
      { status: "member", pointsBalance: 600, pointsActivityAt: ago(40) },
    ]);
    const figures = async () => {
      const { insights } = await home(shop);
      return {
        outstanding: insights.pointsOutstanding,
        worth: insights.pointsWorth?.minor,
        idle: insights.highBalances.customers,
        // Home says the figure leaves blocked customers' points out, when any blocked customer holds some.
        blockedHolding: insights.blockedHoldingPoints,
      };
    };
    // The Home links' directory lists the same customers the figures count.
    const listed = async () => ({
      withPoints: await listedAt(shop, "/app/customers?points_min=1&blocked=no&sort=points-desc"),
      idle: await listedAt(shop, "/app/customers?points_min=500&idle_days=30&blocked=no&sort=points-desc"),
    });

    expect(await figures()).toEqual({ outstanding: 1_400, worth: 1_400, idle: 2, blockedHolding: 1 });
    expect(await listed()).toEqual({ withPoints: 2, idle: 2 });

    await setCustomerBlocked({ ctx, input: { customerId: toBlock!.id, blocked: true } });
    expect(await figures()).toEqual({ outstanding: 800, worth: 800, idle: 1, blockedHolding: 2 });
    expect(await listed()).toEqual({ withPoints: 1, idle: 1 });

    // A blocked customer's points moving (staff take some back) leaves the figure alone; unblocked, what is left counts.
    await adjustPoints({
      ctx,
      input: { customerId: blocked!.id, points: -1_000, reason: "Points from a refunded abuse", requestId: "b-1" },
    });
    expect((await figures()).outstanding).toBe(800);
    await setCustomerBlocked({ ctx, input: { customerId: blocked!.id, blocked: false } });
    expect(await figures()).toMatchObject({ outstanding: 4_800, blockedHolding: 1 });
    await setCustomerBlocked({ ctx, input: { customerId: toBlock!.id, blocked: false } });
    expect(await figures()).toMatchObject({ outstanding: 5_400, blockedHolding: 0 });
    await setCustomerBlocked({ ctx, input: { customerId: toBlock!.id, blocked: true } });
    await adjustPoints({ ctx, input: { customerId: kept!.id, points: 200, reason: "Goodwill", requestId: "k-1" } });
    expect(await figures()).toMatchObject({ outstanding: 5_000, worth: 5_000 });
    // Recounted from the rows, the kept figures were right all along.
    expect(await repairCustomerCounts({ ctx })).toEqual({ drifted: false });
  });

  it("charts member growth by day, week and month from the days members joined", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const today = new Date().toISOString().slice(0, 10);
    const daysAgo = (days: number) => new Date(Date.parse(`${today}T12:00:00Z`) - days * DAY).toISOString();
    await insertCustomers(db, shop, [
      { status: "member", memberSince: daysAgo(0) },
      { status: "member", memberSince: daysAgo(0) },
      { status: "member", memberSince: daysAgo(2) },
      { status: "member", memberSince: daysAgo(400) },
      { status: "guest", joinedAt: daysAgo(1) },
    ]);

    const byDay = (await home(shop, "?growth=day")).insights.growth;
    expect(byDay.period).toBe("day");
    expect(byDay.buckets).toHaveLength(30);
    expect(byDay.buckets.at(-1)).toEqual({ start: today, newMembers: 2, members: 4 });
    expect(byDay.buckets.at(-3)).toMatchObject({ newMembers: 1, members: 2 });
    expect(byDay.buckets[0]).toMatchObject({ newMembers: 0, members: 1 });

    const byMonth = (await home(shop, "?growth=month")).insights.growth;
    expect(byMonth.buckets).toHaveLength(12);
    expect(byMonth.buckets.reduce((sum, bucket) => sum + bucket.newMembers, 0)).toBe(3);
    expect(byMonth.buckets.at(-1)?.members).toBe(4);
    expect((await home(shop, "?growth=week")).insights.growth.buckets).toHaveLength(13);

    const thrown = await home(shop, "?growth=hourly").catch((error: unknown) => error);
    expect((thrown as Response).status).toBe(400);
  });

  it("counts each member on the shop's own day, in Toronto and in Kolkata, evenings and clock changes included", async () => {
    // Members near midnight of the shop's day: in UTC days, a Toronto evening was the next day's bar (decision 050).
    const cases = [
      {
        timeZone: "America/Toronto",
        now: "2026-11-12T03:30:00.000Z", // Nov 11, 10:30 pm in Toronto
        joined: ["2026-11-12T03:00:00.000Z", "2026-11-11T04:59:00.000Z", "2026-11-11T05:00:00.000Z"],
        // Nov 11 10 pm, Nov 10 11:59 pm, Nov 11 00:00: two on the shop's today, one the day before.
        today: "2026-11-11",
        perDay: { "2026-11-11": 2, "2026-11-10": 1 },
      },
      {
        // Nov 1, the day the clocks went back, ran 25 hours: from 04:00Z to 05:00Z on Nov 2.
        timeZone: "America/Toronto",
        now: "2026-11-02T12:00:00.000Z",
        joined: ["2026-11-01T04:15:00.000Z", "2026-11-02T04:45:00.000Z", "2026-11-02T05:00:00.000Z"],
        today: "2026-11-02",
        perDay: { "2026-11-01": 2, "2026-11-02": 1 },
      },
      {
        timeZone: "Asia/Kolkata",
        now: "2026-11-12T20:00:00.000Z", // Nov 13, 1:30 am in Kolkata
        joined: ["2026-11-12T18:29:00.000Z", "2026-11-12T18:30:00.000Z"],
        today: "2026-11-13",
        perDay: { "2026-11-12": 1, "2026-11-13": 1 },
      },
    ];
    for (const { timeZone, now, joined, today, perDay } of cases) {
      const shop = await newShopDomain();
      await installOfflineSession(shop);
      await db.update(shops).set({ timezone: timeZone }).where(eq(shops.shop, shop));
      await insertCustomers(
        db,
        shop,
        joined.map((memberSince) => ({ status: "member" as const, memberSince })),
      );
      const ctx = { ...contextFor(shop, "test"), now: new Date(now) };
      const byDay = (await getHomeInsights({ ctx, input: { period: "day" } })).growth.buckets;
      expect(byDay.at(-1)?.start, timeZone).toBe(today);
      const shown = Object.fromEntries(byDay.filter((b) => b.newMembers > 0).map((b) => [b.start, b.newMembers]));
      expect(shown, `${timeZone} ${now}`).toEqual(perDay);
      expect(byDay.at(-1)?.members).toBe(joined.length);
    }
  });
});
