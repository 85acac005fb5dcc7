import { describe, expect, it } from "vitest";
import { loader as homeLoader } from "~/routes/app._index";
import { contextFor } from "~/shopify.server";
import { insertCustomers } from "../factories/customers";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { sessionToken, sessionTokenRequest } from "../helpers/signed-requests";

const { db } = contextFor("any", "test");

describe("Home", () => {
  it("shows the shop's members, guests and points outstanding, and nobody else's", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    await insertCustomers(db, shop, [
      { status: "member", pointsBalance: 120 },
      { status: "member", pointsBalance: 30 },
      { status: "guest", pointsBalance: 5 },
    ]);
    await insertCustomers(db, await newShopDomain(), [{ status: "member", pointsBalance: 1_000 }]);

    const request = await sessionTokenRequest(shop, "/app");
    const figures = await homeLoader({ request, params: {}, context: {} });

    expect(figures).toMatchObject({ members: 2, guests: 1, pointsOutstanding: 155 });
  });

  it("shows zeros for a shop with no customers yet", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const request = await sessionTokenRequest(shop, "/app");
    expect(await homeLoader({ request, params: {}, context: {} })).toMatchObject({
      members: 0,
      guests: 0,
      pointsOutstanding: 0,
      health: { topics: [], failures: [], reconciliation: null },
    });
  });

  it("refuses a request whose session token was signed with another secret", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop);
    const { token } = await sessionToken(shop, "wrong-secret");
    const request = new Request(`${process.env.SHOPIFY_APP_URL}/app`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const thrown = await homeLoader({ request, params: {}, context: {} }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(401);
  });
});
