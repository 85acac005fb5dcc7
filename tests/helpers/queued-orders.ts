import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import { ledgerEntries, webhookDeliveries } from "~/db/schema";
import { recordInstall } from "~/services/shops/record-install.server";
import { readWebhookRequestBody } from "~/shopify/webhooks/body.server";
import { acceptWebhook } from "~/shopify/webhooks/intake.server";
import { contextFor } from "~/shopify.server";
import { orderMoney } from "../factories/orders";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { webhookRequest } from "./signed-requests";
import { samplePayload, shopifyJson } from "./shopify-samples";

/*
 * Orders paid through the webhook intake and left queued, and what became of them: the setting of the tests that play
 * several instances on one PostgreSQL (webhook-queue-instances, pg-boss-instances).
 */

const { db } = contextFor("any", "test");

/** A shop installed with read_orders in CAD and an offline session, as after OAuth. */
export async function installedShop(): Promise<string> {
  const shop = await newShopDomain();
  await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_orders", currency: "CAD" } });
  await installOfflineSession(shop);
  return shop;
}

/**
 * Paid orders `ids`, each for its own customer (`gid://shopify/Customer/{id}1`) with a subtotal of `ids[i]`'s last two
 * digits in CAD, accepted by the intake (signed, answered 200) and left queued, not applied.
 */
export async function queuePaidOrders(shop: string, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const body = {
      ...samplePayload("orders/paid"),
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${id.slice(-4)}`,
      ...orderMoney(`${Number(id.slice(-2))}.00`, "CAD"),
      refunds: [],
      cancelled_at: null,
      customer: { admin_graphql_api_id: `gid://shopify/Customer/${id}1`, state: "enabled", updated_at: null },
    };
    const request = webhookRequest({ topic: "orders/paid", shop, body: shopifyJson(body), webhookId: `paid-${id}` });
    const read = await readWebhookRequestBody(request);
    if ("refusal" in read) throw new Error(`refused: ${read.refusal.status}`);
    expect((await acceptWebhook(request, read)).status).toBe(200);
  }
}

/** The shop's earn entries as "{order id}: {points}", sorted. */
export async function earnsOf(shop: string): Promise<string[]> {
  const rows = await db
    .select({ order: ledgerEntries.sourceGid, points: ledgerEntries.points })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.shop, shop), eq(ledgerEntries.kind, "earn")));
  return rows.map((row) => `${row.order?.replace("gid://shopify/Order/", "")}: ${row.points}`).sort();
}

/** The statuses of the shop's webhook deliveries (queued, processed, parked…). */
export async function statusesOf(shop: string): Promise<string[]> {
  const rows = await db
    .select({ status: webhookDeliveries.status })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.shop, shop));
  return rows.map((row) => row.status);
}
