import type { ActionFunctionArgs } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ShopifyCustomerState } from "~/domain/shared";
import { customers } from "~/db/schema";
import { action as customerEnable } from "~/routes/webhooks.customers.enable";
import { reconcileCustomer } from "~/services/customers/sync-customer.server";
import { GUEST_REREAD_AFTER_MS, meetStorefrontCustomer } from "~/services/storefront/meet-storefront-customer.server";
import { findShop } from "~/services/shops/get-shop.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { answerOf } from "../helpers/route-answers";
import { samplePayload, shopifyJson } from "../helpers/shopify-samples";
import { webhookRequest } from "../helpers/signed-requests";

// A shopper Tally holds as a Guest who arrives signed in (the app proxy's logged_in_customer_id): since 2026-10 a
// first sign-in to new customer accounts enables her in Shopify, and her customers/enable may come seconds later.

let sequence = 0;
const minutes = (n: number) => n * 60_000;

/** One customer as the Admin API reads her, in reconcileCustomer's terms. */
function customerRead(customerGid: string, state: ShopifyCustomerState, at: { createdAt: string; updatedAt: string }) {
  return {
    snapshot: {
      customerGid,
      shopifyState: state,
      email: "greta@example.com",
      firstName: "Greta",
      lastName: null,
      phone: null,
      city: null,
      province: null,
      countryCode: null,
      ...at,
    },
    tags: [],
    purchasing: null,
  };
}

/** Shopify as the service reads it: the customer as Shopify has her now, and how many times Tally asked. */
function shopifyHolding(read: ReturnType<typeof customerRead>) {
  const shopify = {
    now: read,
    reads: 0,
    customer: async () => {
      shopify.reads += 1;
      return shopify.now;
    },
  };
  return shopify;
}

/** A shop installed now, and a Guest created long before whom the install sync read as a Guest. */
async function shopWithGuestFromBeforeInstall() {
  const shop = await newShopDomain();
  const ctx = contextFor(shop, "test");
  const installedAt = Date.parse((await findShop({ ctx }))!.installedAt!);
  const gid = `gid://shopify/Customer/${7_100_000_000_000 + ++sequence}`;
  const asGuest = customerRead(gid, "DISABLED", {
    createdAt: "2024-01-10T09:00:00Z",
    updatedAt: "2024-06-01T09:00:00Z",
  });
  await reconcileCustomer({
    ctx,
    input: { ...asGuest, snapshot: { ...asGuest.snapshot, existedBeforeInstall: true } },
  });
  const at = (ms: number) => ({ ...ctx, now: new Date(installedAt + ms) });
  const customer = async () =>
    (
      await ctx.db
        .select({ status: customers.status, points: customers.pointsBalance, earned: customers.lifetimeEarned })
        .from(customers)
        .where(and(eq(customers.shop, shop), eq(customers.customerGid, gid)))
    )[0];
  return { shop, gid, at, customer, installedAt };
}

describe("meeting a signed-in shopper Tally holds as a Guest", () => {
  it("makes the Guest who signed up since the install a Member with her sign-up bonus, which her late customers/enable does not pay again", async () => {
    const { shop, gid, at, customer, installedAt } = await shopWithGuestFromBeforeInstall();
    const signedInAt = new Date(installedAt + minutes(3)).toISOString().replace(/\.\d+Z$/, "Z");
    const shopify = shopifyHolding(
      customerRead(gid, "ENABLED", { createdAt: "2024-01-10T09:00:00Z", updatedAt: signedInAt }),
    );

    expect(await meetStorefrontCustomer({ ctx: at(minutes(3)), input: { customerGid: gid }, shopify })).toBe("reread");
    expect(await customer()).toEqual({ status: "member", points: 100, earned: 100 });

    const payload = {
      ...samplePayload("customers/enable"),
      id: BigInt(gid.split("/").pop()!),
      admin_graphql_api_id: gid,
      state: "enabled",
      created_at: "2024-01-10T09:00:00Z",
      updated_at: signedInAt,
    };
    const webhook = webhookRequest({ topic: "customers/enable", shop, body: shopifyJson(payload) });
    await answerOf(() => customerEnable({ request: webhook, params: {}, context: {} } as ActionFunctionArgs));
    expect(await customer()).toEqual({ status: "member", points: 100, earned: 100 });
  });

  it("gives no sign-up bonus to a Guest whom Shopify dates as enabled before the install: she was a Member before Tally", async () => {
    const { gid, at, customer } = await shopWithGuestFromBeforeInstall();
    // Shopify's one-time update of 2026-10 enabled earlier sign-ins without a webhook, some keeping their updated_at.
    const shopify = shopifyHolding(
      customerRead(gid, "ENABLED", { createdAt: "2024-01-10T09:00:00Z", updatedAt: "2024-06-01T09:00:00Z" }),
    );
    await meetStorefrontCustomer({ ctx: at(minutes(1)), input: { customerGid: gid }, shopify });
    expect(await customer()).toEqual({ status: "member", points: 0, earned: 0 });
  });

  it("reads a signed-in Guest Shopify still has as DISABLED at most once per five minutes, and a Member never", async () => {
    const { gid, at, customer, installedAt } = await shopWithGuestFromBeforeInstall();
    const shopify = shopifyHolding(
      customerRead(gid, "DISABLED", { createdAt: "2024-01-10T09:00:00Z", updatedAt: "2024-06-01T09:00:00Z" }),
    );
    const visit = (ms: number) => meetStorefrontCustomer({ ctx: at(ms), input: { customerGid: gid }, shopify });

    expect(await visit(minutes(1))).toBe("reread");
    expect(await visit(minutes(2))).toBe("known");
    expect(await visit(minutes(1) + GUEST_REREAD_AFTER_MS - 1)).toBe("known");
    expect(shopify.reads).toBe(1);
    expect(await visit(minutes(1) + GUEST_REREAD_AFTER_MS)).toBe("reread");
    expect(shopify.reads).toBe(2);
    expect((await customer())?.status).toBe("guest");

    shopify.now = customerRead(gid, "ENABLED", {
      createdAt: "2024-01-10T09:00:00Z",
      updatedAt: new Date(installedAt + minutes(20)).toISOString().replace(/\.\d+Z$/, "Z"),
    });
    expect(await visit(minutes(20))).toBe("reread");
    expect((await customer())?.status).toBe("member");
    expect(await visit(minutes(21))).toBe("known");
    expect(await visit(minutes(40))).toBe("known");
    expect(shopify.reads).toBe(3);
  });
});
