import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, shops, webhookDeliveries } from "~/db/schema";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { contextFor, sessionStorage } from "~/shopify.server";
import { installOfflineSession, neverInstalledShopDomain, newShopDomain } from "../factories/shops";
import { webhookRequest } from "../helpers/signed-requests";
import { recordInstall } from "~/services/shops/record-install.server";
import { first } from "../helpers/db";
import { answerOf } from "../helpers/route-answers";

const { db } = contextFor("any", "test");
const redactBody = (shop: string) => ({ shop_domain: shop, customer: { id: 1, email: null }, orders_to_redact: [] });
const args = (request: Request) => ({ request, params: {}, context: {} });

async function deliveriesOf(shop: string) {
  return await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.shop, shop));
}

/** The action's answer, whether it returned a Response or threw one (the library throws its 401). */
describe("webhook delivery recording", () => {
  it("accepts a correctly signed delivery and records it once", async () => {
    const shop = await newShopDomain();
    const response = await answerOf(() =>
      customersRedact(
        args(webhookRequest({ topic: "customers/redact", shop, body: redactBody(shop), webhookId: "wh-1" })),
      ),
    );
    expect(response.status).toBe(200);
    expect(await deliveriesOf(shop)).toMatchObject([
      { webhookId: "wh-1", topic: "customers/redact", status: "processed" },
    ]);
  });

  it("treats a redelivery with the same X-Shopify-Webhook-Id as a no-op", async () => {
    const shop = await newShopDomain();
    const send = () =>
      answerOf(() =>
        customersRedact(
          args(webhookRequest({ topic: "customers/redact", shop, body: redactBody(shop), webhookId: "wh-2" })),
        ),
      );
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    expect(await deliveriesOf(shop)).toHaveLength(1);
  });

  it("answers 401 to a bad signature and records nothing", async () => {
    const shop = await newShopDomain();
    const forged = webhookRequest({ topic: "customers/redact", shop, body: {}, secret: "not-the-app-secret" });
    const response = await answerOf(() => customersRedact(args(forged)));
    expect(response.status).toBe(401);
    expect(await deliveriesOf(shop)).toHaveLength(0);
  });

  it("answers 401 to a body changed after signing", async () => {
    const shop = await newShopDomain();
    const signed = webhookRequest({ topic: "customers/redact", shop, body: { customer: { id: 1 } } });
    const tampered = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: '{"customer":{"id":2}}',
    });
    expect((await answerOf(() => customersRedact(args(tampered)))).status).toBe(401);
    expect(await deliveriesOf(shop)).toHaveLength(0);
  });
});

describe("app/uninstalled", () => {
  it("deletes the shop's sessions and marks it uninstalled; a redelivery afterwards is a 200 that stores nothing", async () => {
    const shop = await newShopDomain();
    const other = await newShopDomain();
    await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_customers" } });
    await installOfflineSession(shop);
    await installOfflineSession(other);

    for (const webhookId of ["u-1", "u-2"]) {
      const response = await answerOf(() =>
        uninstalled(args(webhookRequest({ topic: "app/uninstalled", shop, body: { id: 1 }, webhookId }))),
      );
      expect(response.status).toBe(200);
    }

    expect(await sessionStorage.findSessionsByShop(shop)).toHaveLength(0);
    // The other shop keeps both its sessions: the offline one and its staff member's online one.
    expect(await sessionStorage.findSessionsByShop(other)).toHaveLength(2);
    expect((await first(db.select().from(shops).where(eq(shops.shop, shop))))?.uninstalledAt).toBeTruthy();
    expect(await deliveriesOf(shop)).toHaveLength(1);
  });

  it("tolerates an installed shop with no session", async () => {
    const shop = await newShopDomain();
    const response = await answerOf(() =>
      uninstalled(args(webhookRequest({ topic: "app/uninstalled", shop, body: {} }))),
    );
    expect(response.status).toBe(200);
    expect(await db.select().from(sessions).where(eq(sessions.shop, shop))).toHaveLength(0);
  });

  it("refuses a shop that never installed Tally, and records nothing", async () => {
    const shop = neverInstalledShopDomain();
    const response = await answerOf(() =>
      uninstalled(args(webhookRequest({ topic: "app/uninstalled", shop, body: {} }))),
    );
    expect(response.status).toBe(403);
    expect(await deliveriesOf(shop)).toHaveLength(0);
    expect(await first(db.select().from(shops).where(eq(shops.shop, shop)))).toBeUndefined();
  });

  it("a reinstall clears the uninstall mark", async () => {
    const shop = await newShopDomain();
    await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_customers" } });
    await answerOf(() => uninstalled(args(webhookRequest({ topic: "app/uninstalled", shop, body: {} }))));
    await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_customers" } });
    expect((await first(db.select().from(shops).where(eq(shops.shop, shop))))?.uninstalledAt).toBeNull();
  });
});

describe("app/scopes_update", () => {
  it("stores the granted scopes on the shop's sessions", async () => {
    const shop = await newShopDomain();
    await installOfflineSession(shop, "read_customers");
    const body = { id: 1, previous: ["read_customers"], current: ["read_customers", "write_customers"] };
    const response = await answerOf(() =>
      scopesUpdate(args(webhookRequest({ topic: "app/scopes_update", shop, body }))),
    );
    expect(response.status).toBe(200);
    const [session] = await sessionStorage.findSessionsByShop(shop);
    expect(session?.scope).toBe("read_customers,write_customers");
  });

  it("rejects a payload without `current` and records nothing", async () => {
    const shop = await newShopDomain();
    const response = await answerOf(() =>
      scopesUpdate(args(webhookRequest({ topic: "app/scopes_update", shop, body: {} }))),
    );
    expect(response.status).toBe(400);
    expect(
      await db
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.shop, shop), eq(webhookDeliveries.topic, "app/scopes_update"))),
    ).toHaveLength(0);
  });
});

describe("shop/redact", () => {
  it("refuses a genuine body replayed under another shop's header, and erases nothing", async () => {
    const victim = await newShopDomain();
    await recordInstall({ ctx: contextFor(victim, "test"), input: { scope: "read_customers" } });
    await installOfflineSession(victim);
    const replayed = webhookRequest({
      topic: "shop/redact",
      shop: victim,
      body: { shop_domain: await newShopDomain() },
    });
    expect((await answerOf(() => shopRedact(args(replayed)))).status).toBe(400);
    expect(await first(db.select().from(shops).where(eq(shops.shop, victim)))).toBeDefined();
    expect(await sessionStorage.findSessionsByShop(victim)).toHaveLength(2);
  });

  it("erases the shop named in the signed body when it matches the header", async () => {
    const shop = await newShopDomain();
    await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_customers" } });
    const request = webhookRequest({ topic: "shop/redact", shop, body: { shop_id: 1, shop_domain: shop } });
    expect((await answerOf(() => shopRedact(args(request)))).status).toBe(200);
    expect(await first(db.select().from(shops).where(eq(shops.shop, shop)))).toBeUndefined();
  });
});
