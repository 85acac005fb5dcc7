import { describe, expect, it } from "vitest";
import { loader as directoryLoader } from "~/routes/app.customers";
import { action as checkoutCreate } from "~/routes/webhooks.checkouts.create";
import { action as checkoutUpdate } from "~/routes/webhooks.checkouts.update";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { orderJson } from "../factories/orders";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { deliverWebhook, sessionTokenRequest } from "../helpers/signed-requests";
import { samplePayload } from "../helpers/shopify-samples";

/*
 * A guest Tally learns of from a checkout or an order has the contact details the payload's embedded customer carries
 * (found by a newcomer: a guest made from an abandoned checkout had no email although the checkout carried one), by
 * the rule customers/* webhooks follow: the newest dated version wins, an undated one only fills blanks.
 */

async function newShop() {
  const shop = await newShopDomain();
  await installOfflineSession(shop);
  return shop;
}

async function directory(shop: string, search = "") {
  const request = await sessionTokenRequest(shop, `/app/customers${search}`);
  return (await directoryLoader({ request, params: {}, context: {} })).page.customers;
}

/** Shopify's checkouts/create sample: checkout email example@email.com, customer John Smith, john@example.com. */
function checkout(customer: Record<string, unknown> | null, overrides: Record<string, unknown> = {}) {
  const sample = samplePayload("checkouts/create");
  return {
    ...sample,
    completed_at: null,
    updated_at: "2026-11-01T10:00:00Z",
    customer: customer === null ? null : { ...(sample.customer as object), ...customer },
    ...overrides,
  };
}

const gid = "gid://shopify/Customer/603851970716743426";

describe("the customer a checkout or an order embeds", () => {
  it("a guest made from Shopify's sample abandoned checkout has the customer's email, name and location", async () => {
    const shop = await newShop();
    expect((await deliverWebhook(checkoutCreate, "checkouts/create", shop, checkout({}))).status).toBe(200);
    const [guest] = await directory(shop, "?tab=non-converting");
    expect(guest).toMatchObject({
      name: "John Smith",
      email: "john@example.com",
      status: "guest",
      city: "Ottawa",
      countryCode: "CA",
    });
    // The merchant finds the guest by the email, as any customer.
    expect((await directory(shop, "?q=john%40example.com")).map((row) => row.name)).toEqual(["John Smith"]);
  });

  it("keeps the checkout customer's phone, and finds the guest by it", async () => {
    const shop = await newShop();
    const body = checkout({ phone: "+16135550199", email: "phone.shopper@example.com", first_name: "Priya" });
    expect((await deliverWebhook(checkoutUpdate, "checkouts/update", shop, body)).status).toBe(200);
    expect((await directory(shop, "?q=613-555-0199")).map((row) => [row.name, row.email])).toEqual([
      ["Priya Smith", "phone.shopper@example.com"],
    ]);
  });

  it("an order's customer fills in a guest a checkout named without details", async () => {
    const shop = await newShop();
    // A checkout that names its customer by id only (a payload trimmed of protected data, say).
    const bare = checkout({ email: null, first_name: null, last_name: null, default_address: null });
    expect((await deliverWebhook(checkoutCreate, "checkouts/create", shop, bare)).status).toBe(200);
    expect((await directory(shop))[0]).toMatchObject({ name: "Guest (no email)", email: null });

    const sampleCustomer = samplePayload("orders/paid").customer as Record<string, unknown>;
    const order = orderJson({
      lines: [{ id: 1n, price: "40.00" }],
      customer: { ...sampleCustomer, admin_graphql_api_id: gid, email: "jo.buyer@example.com" },
    });
    expect((await deliverWebhook(orderPaid, "orders/paid", shop, order)).status).toBe(200);
    expect((await directory(shop))[0]).toMatchObject({
      name: "John Smith",
      email: "jo.buyer@example.com",
      city: "Ottawa",
    });
  });

  it("a checkout's customer older than the customers/update Tally holds changes nothing; a newer one wins", async () => {
    const shop = await newShop();
    const customer = (email: string, updatedAt: string) => ({
      ...samplePayload("customers/update"),
      admin_graphql_api_id: gid,
      email,
      updated_at: updatedAt,
    });
    await deliverWebhook(customerUpdate, "customers/update", shop, customer("new@example.com", "2026-11-02T10:00:00Z"));
    // Dated before what Tally holds, and undated: neither overwrites the newer email.
    const older = checkout({ email: "old@example.com", updated_at: "2026-11-01T10:00:00Z" }, { token: "t-older" });
    const undated = checkout({ email: "undated@example.com", updated_at: null }, { token: "t-undated" });
    for (const body of [older, undated])
      expect((await deliverWebhook(checkoutUpdate, "checkouts/update", shop, body)).status).toBe(200);
    expect((await directory(shop))[0]).toMatchObject({ email: "new@example.com" });

    // A checkout whose customer changed since wins, and a customers/update dated between them, arriving late, does not
    // bring the older email back.
    const newer = checkout(
      { email: "newest@example.com", first_name: "Johnny", updated_at: "2026-11-03T10:00:00Z" },
      { token: "t-newer" },
    );
    expect((await deliverWebhook(checkoutUpdate, "checkouts/update", shop, newer)).status).toBe(200);
    await deliverWebhook(
      customerCreate,
      "customers/create",
      shop,
      customer("late@example.com", "2026-11-02T12:00:00Z"),
    );
    expect((await directory(shop))[0]).toMatchObject({ name: "Johnny Smith", email: "newest@example.com" });
  });

  it("a checkout arriving after the customer's erasure does not bring the email back", async () => {
    const shop = await newShop();
    expect((await deliverWebhook(checkoutCreate, "checkouts/create", shop, checkout({}))).status).toBe(200);
    const redact = {
      ...samplePayload("customers/redact"),
      shop_domain: shop,
      customer: { id: 603851970716743426n, email: "john@example.com", phone: null },
    };
    expect((await deliverWebhook(customersRedact, "customers/redact", shop, redact)).status).toBe(200);
    const late = checkout({ updated_at: "2026-12-01T10:00:00Z" }, { token: "t-late" });
    expect((await deliverWebhook(checkoutUpdate, "checkouts/update", shop, late)).status).toBe(200);
    const rows = await directory(shop, "?q=john");
    expect(rows).toEqual([]);
  });
});
