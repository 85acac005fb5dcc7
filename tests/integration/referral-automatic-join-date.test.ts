import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, referralAdvocates, shops } from "~/db/schema";
import { referralSettingsToForm } from "~/domain/referrals/settings";
import { getAdvocateSummary } from "~/services/referrals/advocates.server";
import { getReferralProgram, saveReferralProgram } from "~/services/referrals/referral-program.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";

/*
 * With joining automatic, a Member's code is made when the widget or the profile first asks (decision 019), but the
 * date they joined the referral program is when they became an advocate (decision 018): the later of when they became
 * a Member and when the program began making Members advocates, not the day someone first looked.
 */

const INSTALLED = "2026-03-01T09:00:00.000Z";
const { db } = contextFor("any", "test");

async function shopInstalledOn(at: string) {
  const shop = await newShopDomain();
  await db.update(shops).set({ installedAt: at }).where(eq(shops.shop, shop));
  return shop;
}

let next = 0;
async function member(shop: string, memberSince: string | null) {
  next += 1;
  const [row] = await db
    .insert(customers)
    .values({
      shop,
      // Past 2^53, as Shopify's ids run.
      customerGid: `gid://shopify/Customer/90071992547410${next}`,
      email: `member${next}@example.com`,
      shopifyState: "ENABLED",
      memberSince,
    })
    .returning({ id: customers.id });
  return row!.id;
}

/** Opens the customer's place in the program (as the profile does) on `day`, and answers the dates it stamped. */
async function firstLookOn(shop: string, customerId: number, day: string) {
  const ctx = { ...contextFor(shop, "staff:1"), now: new Date(day) };
  const summary = await getAdvocateSummary({ ctx, input: { customerId } });
  expect(summary.status).toBe("joined");
  const [advocate] = await db
    .select({ joinedAt: referralAdvocates.joinedAt, via: referralAdvocates.joinedVia })
    .from(referralAdvocates)
    .where(and(eq(referralAdvocates.shop, shop), eq(referralAdvocates.customerId, customerId)));
  const [row] = await db
    .select({ referralJoinedAt: customers.referralJoinedAt })
    .from(customers)
    .where(eq(customers.id, customerId));
  return { advocate: advocate!.joinedAt, directory: row!.referralJoinedAt, via: advocate!.via };
}

describe("a Member who joins the referral program automatically", () => {
  it("joined when they became a Member, however much later their profile is first opened", async () => {
    const shop = await shopInstalledOn(INSTALLED);
    const maya = await member(shop, "2026-05-10T14:30:00.000Z");

    expect(await firstLookOn(shop, maya, "2026-11-30T10:00:00.000Z")).toEqual({
      advocate: "2026-05-10T14:30:00.000Z",
      directory: "2026-05-10T14:30:00.000Z",
      via: "automatic",
    });
  });

  it("joined at the install when they were a Member before it, and when the program turned automatic again", async () => {
    const shop = await shopInstalledOn(INSTALLED);
    const early = await member(shop, "2024-02-02T08:00:00.000Z");
    expect((await firstLookOn(shop, early, "2026-06-01T00:00:00.000Z")).advocate).toBe(INSTALLED);

    // On request from July, automatic again from September: Members then join on that day, not before.
    const staff = (day: string) => ({ ...contextFor(shop, "staff:1"), now: new Date(day) });
    const form = referralSettingsToForm(
      (await getReferralProgram({ ctx: staff(INSTALLED) })).settings,
      (await getReferralProgram({ ctx: staff(INSTALLED) })).currency,
    );
    await saveReferralProgram({ ctx: staff("2026-07-01T00:00:00.000Z"), input: { ...form, joining: "on_request" } });
    await saveReferralProgram({ ctx: staff("2026-09-15T12:00:00.000Z"), input: { ...form, joining: "automatic" } });
    const before = await member(shop, "2026-04-04T04:00:00.000Z");
    const after = await member(shop, "2026-10-20T20:00:00.000Z");

    expect((await firstLookOn(shop, before, "2026-11-30T10:00:00.000Z")).directory).toBe("2026-09-15T12:00:00.000Z");
    expect((await firstLookOn(shop, after, "2026-11-30T10:00:00.000Z")).directory).toBe("2026-10-20T20:00:00.000Z");
  });

  it("joined when first looked at if when they became a Member is not known", async () => {
    const shop = await shopInstalledOn(INSTALLED);
    const unknown = await member(shop, null);
    expect((await firstLookOn(shop, unknown, "2026-11-30T10:00:00.000Z")).advocate).toBe("2026-11-30T10:00:00.000Z");
  });
});
