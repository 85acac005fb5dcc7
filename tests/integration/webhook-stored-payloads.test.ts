import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookDeliveries } from "~/db/schema";
import { parseLosslessJson } from "~/shopify/webhooks/lossless-json";
import { recordInstall } from "~/services/shops/record-install.server";
import { readWebhookRequestBody } from "~/shopify/webhooks/body.server";
import { acceptWebhook } from "~/shopify/webhooks/intake.server";
import { drainWebhookQueue } from "~/shopify/webhooks/queue.server";
import { webhookEffects } from "~/shopify/webhooks/registry.server";
import { contextFor } from "~/shopify.server";
import { installOfflineSession, newShopDomain } from "../factories/shops";
import { first } from "../helpers/db";
import { webhookRequest } from "../helpers/signed-requests";
import { samplePayload, shopifyJson } from "../helpers/shopify-samples";
import { readAppConfig } from "../sandbox/app-config";
import type { z } from "zod";

// Every route module registers its topic's schema and effect when it loads.
import.meta.glob("/app/routes/webhooks.*.ts", { eager: true });

const { db } = contextFor("any", "test");
const topics = readAppConfig("shopify.app.toml").subscriptions.map((subscription) => subscription.topic);

function schemaOf(topic: string): z.ZodType {
  const registered = webhookEffects(topic) as { schema?: z.ZodType } | undefined;
  if (!registered?.schema) throw new Error(`no schema is registered for ${topic}`);
  return registered.schema;
}

describe("a queued webhook payload is parsed again when it is applied", () => {
  // The queue stores what the topic's schema produced and parses it through the same schema before applying it: every
  // schema must take its own output back unchanged, or a delivery would be parked for nothing. Shopify's own sample
  // payload of every subscribed topic is the input.
  it.each([...new Set(topics)])("%s: the schema takes back what it stored", (topic) => {
    const schema = schemaOf(topic);
    const parsed = schema.parse(parseLosslessJson(shopifyJson(samplePayload(topic))));
    const stored = JSON.parse(JSON.stringify(parsed)) as unknown;
    expect(schema.parse(stored)).toEqual(stored);
    // The queue applies what intake parsed instead of parsing the stored text again (decision 035): it must be the
    // same value the stored text gives.
    expect(parsed).toEqual(schema.parse(stored));
  });

  it("parks a stored payload that no longer parses, with the schema's reasons, and applies nothing", async () => {
    const shop = await newShopDomain();
    await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: "read_orders", currency: "CAD" } });
    await installOfflineSession(shop);
    const body = {
      ...samplePayload("orders/paid"),
      admin_graphql_api_id: "gid://shopify/Order/880001",
      customer: { admin_graphql_api_id: "gid://shopify/Customer/880002", state: "enabled", updated_at: null },
    };
    const request = webhookRequest({ topic: "orders/paid", shop, body: shopifyJson(body), webhookId: "stored-1" });
    // The production server's lean path: recorded and answered; the effect waits in the queue.
    const read = await readWebhookRequestBody(request);
    if ("refusal" in read) throw new Error(`refused: ${read.refusal.status}`);
    expect((await acceptWebhook(request, read)).status).toBe(200);

    const where = and(eq(webhookDeliveries.shop, shop), eq(webhookDeliveries.webhookId, "stored-1"));
    const row = (await first(db.select().from(webhookDeliveries).where(where)))!;
    const tampered = { ...(JSON.parse(row.payload!) as object), admin_graphql_api_id: "gid://shopify/Product/1" };
    await db
      .update(webhookDeliveries)
      .set({ payload: JSON.stringify(tampered) })
      .where(where);

    await drainWebhookQueue();
    expect(await first(db.select().from(webhookDeliveries).where(where))).toMatchObject({
      status: "parked",
      parkedAt: expect.any(String),
      error: expect.stringContaining("The stored orders/paid payload no longer parses: admin_graphql_api_id"),
    });
  });
});
