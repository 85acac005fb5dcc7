import { randomUUID } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { defaultSettings } from "~/domain/program";
import { loader as me } from "~/routes/customer-account.v1.me";
import { loader as orderPoints } from "~/routes/customer-account.v1.orders.$orderId";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { saveProgram } from "~/services/program/save-program.server";
import { contextFor } from "~/shopify.server";
import { newShopDomain } from "../factories/shops";
import { installThroughAdmin } from "../helpers/in-process-sandbox";
import { useSandboxWithProxyApp } from "../helpers/proxy-app";
import { webhookRequest } from "../helpers/signed-requests";
import { signJwt } from "../sandbox/jwt";

// The backend of Tally's customer account UI extension (extensions/tally-account), called as Shopify's customer
// accounts call it: cross-origin, with the extension's session token, a real HS256 JWT with Shopify's claims signed
// with the app's secret. Customers and orders come from the sandbox as Shopify's webhooks.
const sandboxOf = useSandboxWithProxyApp();
const ORIGIN = "https://shopify.com";

/** A customer account extension's session token (shopify.dev, Session Token API): `dest` the shop, `sub` the customer. */
function sessionToken(claims: {
  shop: string;
  customerGid?: string;
  aud?: string;
  secret?: string;
  expiresIn?: number;
}) {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    {
      iss: `https://${claims.shop}/admin`,
      dest: claims.shop,
      aud: claims.aud ?? process.env.SHOPIFY_API_KEY,
      ...(claims.customerGid ? { sub: claims.customerGid } : {}),
      exp: now + (claims.expiresIn ?? 300),
      nbf: now - 1,
      iat: now - 1,
      jti: randomUUID(),
    },
    claims.secret ?? process.env.SHOPIFY_API_SECRET ?? "",
  );
}

async function call(
  loader: (args: LoaderFunctionArgs) => Promise<Response>,
  path: string,
  token: string | null,
  params: Record<string, string> = {},
  method = "GET",
): Promise<Response> {
  const headers: Record<string, string> = { Origin: ORIGIN };
  if (token) headers.Authorization = `Bearer ${token}`;
  const request = new Request(`${process.env.SHOPIFY_APP_URL}${path}`, { method, headers });
  try {
    return await loader({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function shopWithMember(settings: Partial<ReturnType<typeof defaultSettings>> = {}) {
  const shop = await newShopDomain();
  sandboxOf().control.createShop({ shop });
  await installThroughAdmin(sandboxOf(), shop);
  if (Object.keys(settings).length > 0) {
    await saveProgram({ ctx: contextFor(shop, "staff"), input: { ...defaultSettings("CAD"), ...settings } });
  }
  const created = sandboxOf().control.createCustomerAccount({ shop, email: `m-${randomUUID()}@example.com` });
  const id = String(created.id).replace(/\D/g, "");
  return { shop, id, gid: `gid://shopify/Customer/${id}` };
}

describe("GET /customer-account/v1/me", () => {
  it("answers the signed-in customer's points to the extension, with CORS headers it can read", async () => {
    const { shop, id, gid } = await shopWithMember();
    const order = sandboxOf().control.placeOrder({ shop, customerId: id });
    await sandboxOf().control.idle();
    const response = await call(me, "/customer-account/v1/me", sessionToken({ shop, customerGid: gid }));
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
    const body = await response.json();
    expect(body).toMatchObject({
      customer: { id: gid, known: true, points: 100 + Math.floor(order.subtotalCents / 100), blocked: false },
      program: { pointsName: "points", pointName: "point" },
      rewardsUrl: `https://${shop}/apps/tally/`,
    });
    // `dest` may also come as a URL.
    const asUrl = sessionToken({ shop: `https://${shop}`, customerGid: gid });
    expect((await call(me, "/customer-account/v1/me", asUrl)).status).toBe(200);
  });

  it("reads a customer whose customers/create is still on its way from Shopify, and the late webhook adds nothing", async () => {
    const shop = await newShopDomain();
    sandboxOf().control.createShop({ shop });
    await installThroughAdmin(sandboxOf(), shop);
    sandboxOf().control.injectFault({ kind: "delay", topic: "customers/create", ms: 1_500 });
    const created = sandboxOf().control.createCustomerAccount({ shop, email: `late-${randomUUID()}@example.com` });
    const gid = `gid://shopify/Customer/${String(created.id).replace(/\D/g, "")}`;
    const response = await call(me, "/customer-account/v1/me", sessionToken({ shop, customerGid: gid }));
    expect(await response.json()).toMatchObject({ customer: { id: gid, known: true, status: "member", points: 100 } });
    await sandboxOf().control.idle();
    expect(sandboxOf().control.deliveries({ shop, topic: "customers/create" }).length).toBeGreaterThan(0);
    const again = await call(me, "/customer-account/v1/me", sessionToken({ shop, customerGid: gid }));
    expect(await again.json()).toMatchObject({ customer: { known: true, points: 100, lifetimeEarned: 100 } });
  });

  it("answers a CORS preflight without a token", async () => {
    const response = await call(me, "/customer-account/v1/me", null, {}, "OPTIONS");
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("refuses a missing, forged, expired or another app's token, and a token with no signed-in customer", async () => {
    const { shop, gid } = await shopWithMember();
    const path = "/customer-account/v1/me";
    expect((await call(me, path, null)).status).toBe(401);
    expect((await call(me, path, sessionToken({ shop, customerGid: gid, secret: "guess" }))).status).toBe(401);
    expect((await call(me, path, sessionToken({ shop, customerGid: gid, expiresIn: -60 }))).status).toBe(401);
    const otherApp = await call(me, path, sessionToken({ shop, customerGid: gid, aud: "another-app" }));
    expect(otherApp.status).toBe(401);
    expect(otherApp.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const anonymous = await call(me, path, sessionToken({ shop }));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: "unauthenticated" });
    expect((await call(me, path, sessionToken({ shop: "not a shop", customerGid: gid }))).status).toBe(400);
  });

  it("tells a shop that uninstalled Tally so, and shows nothing", async () => {
    const { shop, gid } = await shopWithMember();
    await uninstalled({
      request: webhookRequest({ topic: "app/uninstalled", shop, body: { id: 1 } }),
      params: {},
      context: {},
    }).catch((thrown: unknown) => thrown);
    const response = await call(me, "/customer-account/v1/me", sessionToken({ shop, customerGid: gid }));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: "Tally is not installed on this store", code: "not_installed" });
  });
});

describe("GET /customer-account/v1/orders/{id}", () => {
  it("gives the points an order earned, to the customer who placed it only", async () => {
    const { shop, id, gid } = await shopWithMember();
    const other = sandboxOf().control.createCustomerAccount({ shop, email: `o-${randomUUID()}@example.com` });
    const order = sandboxOf().control.placeOrder({ shop, customerId: id });
    await sandboxOf().control.idle();
    const orderId = String(order.id).replace(/\D/g, "");
    const path = `/customer-account/v1/orders/${orderId}`;
    const mine = await call(orderPoints, path, sessionToken({ shop, customerGid: gid }), { orderId });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toEqual({
      status: "earned",
      orderName: `#${order.number}`,
      points: Math.floor(order.subtotalCents / 100),
      releaseAt: null,
      holdDays: null,
      pointsName: "points",
      pointName: "point",
    });
    const otherGid = `gid://shopify/Customer/${String(other.id).replace(/\D/g, "")}`;
    const theirs = await call(orderPoints, path, sessionToken({ shop, customerGid: otherGid }), { orderId });
    expect(theirs.status).toBe(404);
    expect(JSON.stringify(await theirs.json())).not.toContain(String(Math.floor(order.subtotalCents / 100)));
    const bad = await call(orderPoints, "/customer-account/v1/orders/x", sessionToken({ shop, customerGid: gid }), {
      orderId: "x",
    });
    expect(bad.status).toBe(400);
  });

  it("says points are pending with their release date, and waiting for an order Tally has not seen paid", async () => {
    const { shop, id, gid } = await shopWithMember({ pendingDays: 30, pointsName: "stars", pointName: "star" });
    const order = sandboxOf().control.placeOrder({ shop, customerId: id });
    await sandboxOf().control.idle();
    const orderId = String(order.id).replace(/\D/g, "");
    const token = sessionToken({ shop, customerGid: gid });
    const path = `/customer-account/v1/orders/${orderId}`;
    expect(await (await call(orderPoints, path, token, { orderId })).json()).toMatchObject({
      status: "pending",
      releaseAt: null,
      holdDays: 30,
      points: Math.floor(order.subtotalCents / 100),
      pointsName: "stars",
    });
    sandboxOf().control.fulfil({ shop, orderId: String(order.id) });
    await sandboxOf().control.idle();
    const fulfilled = await (await call(orderPoints, path, token, { orderId })).json();
    expect(fulfilled.status).toBe("pending");
    expect(Date.parse(fulfilled.releaseAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);

    const unseen = await call(orderPoints, "/customer-account/v1/orders/999999999", token, { orderId: "999999999" });
    expect(await unseen.json()).toEqual({
      status: "waiting",
      orderName: null,
      points: 0,
      releaseAt: null,
      holdDays: null,
      pointsName: "stars",
      pointName: "star",
    });
  });
});
