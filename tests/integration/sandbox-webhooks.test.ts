import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Shopify } from "@shopify/shopify-api";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { schemaForWebhook } from "shopify-webhook-schemas";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../sandbox/index";
import { signAppProxyQuery } from "../sandbox/index";
import { SAMPLE_VERSION } from "../sandbox/payloads";
import { newShop, sandboxWithClient, TEST_SECRET } from "../sandbox/test-client";

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let received: Received[] = [];
let failNext = 0;
let app: Server;
let sandbox: Sandbox;
let shopify: Shopify;

const here = path.dirname(fileURLToPath(import.meta.url));

beforeAll(async () => {
  app = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers as Record<string, string>, body });
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end();
      } else res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  ({ sandbox, shopify } = await sandboxWithClient({
    appUrl,
    appTomlPath: path.join(here, "../sandbox/fixtures/all-topics.app.toml"),
    retry: { delaysMs: [20, 40], maxAttempts: 4 },
  }));
});
afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => app.close(resolve));
});
beforeEach(() => {
  received = [];
  failNext = 0;
});

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

/**
 * The package infers its schemas from one sample each, so `required` lists every key the sample happened to have.
 * Shopify leaves `default_address` out for a customer who has none, which a sign-up without checkout is.
 */
function relaxed(schema: Record<string, unknown>): object {
  const copy = structuredClone(schema);
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const obj = node as Record<string, unknown>;
    if (Array.isArray(obj.required)) obj.required = obj.required.filter((k) => k !== "default_address");
    Object.values(obj).forEach(visit);
  };
  visit(copy);
  return copy;
}

function schemaErrors(topic: string, body: string) {
  const validate = ajv.compile(relaxed(schemaForWebhook(SAMPLE_VERSION, topic) as Record<string, unknown>));
  return validate(JSON.parse(body)) ? [] : validate.errors;
}

describe("sandbox webhooks", () => {
  it("delivers every store change signed, with Shopify's headers and schema-valid payloads", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const customer = sandbox.control.createCustomerAccount({
      shop,
      email: "ines@example.com",
      firstName: "Ines",
      lastName: "Dubois",
      acceptsMarketing: true,
    });
    const order = sandbox.control.placeOrder({
      shop,
      customerId: customer.id,
      lines: [{ productIndex: 2, quantity: 2 }],
    });
    sandbox.control.fulfil({ shop, orderId: order.id });
    sandbox.control.refund({ shop, orderId: order.id, amountCents: 500 });
    sandbox.control.cancel({ shop, orderId: order.id });
    sandbox.control.abandonCheckout({ shop, customerId: customer.id });
    sandbox.control.setMarketingConsent({ shop, customerId: customer.id, subscribed: false });
    sandbox.control.setTags({ shop, customerId: customer.id, tags: ["vip"] });
    sandbox.control.setTags({ shop, customerId: customer.id, tags: [] });
    sandbox.control.disableCustomer({ shop, customerId: customer.id });
    sandbox.control.redactCustomer({ shop, customerId: customer.id });
    sandbox.control.uninstall({ shop });
    await sandbox.control.idle();

    const topics = received.map((r) => r.headers["x-shopify-topic"]);
    for (const topic of [
      "customers/create",
      "orders/create",
      "orders/paid",
      "orders/fulfilled",
      "refunds/create",
      "orders/cancelled",
      "checkouts/create",
      "customers/redact",
      "app/uninstalled",
      "customer.tags_added",
      "customer.tags_removed",
      "customers_email_marketing_consent/update",
      "customers/disable",
    ]) {
      expect(topics).toContain(topic);
    }
    const failures: string[] = [];
    for (const delivery of received) {
      const topic = delivery.headers["x-shopify-topic"]!;
      const check = await shopify.webhooks.validate({
        rawBody: delivery.body,
        // The node adapter reads an IncomingMessage; the received headers are exactly that shape.
        rawRequest: { method: "POST", url: delivery.path, headers: delivery.headers },
      });
      expect(check, `${topic}: ${JSON.stringify(check)}`).toMatchObject({
        valid: true,
        domain: shop,
        apiVersion: "2026-10",
      });
      expect(delivery.headers["x-shopify-event-id"]).toBeTruthy();
      expect(delivery.headers["x-shopify-triggered-at"]).toBeTruthy();
      const errors = schemaErrors(topic, delivery.body);
      if (errors?.length)
        failures.push(`${topic}: ${JSON.stringify(errors.map((e) => `${e.instancePath} ${e.message}`))}`);
    }
    expect(failures).toEqual([]);
    const created = received.find((r) => r.headers["x-shopify-topic"] === "customers/create")!;
    // 18-digit ids are written as exact JSON numbers, beyond what JSON.parse can hold.
    expect(created.body).toContain(`"id":${customer.id},`);
    expect(created.body).toContain(`"admin_graphql_api_id":"gid://shopify/Customer/${customer.id}"`);
  });

  it("retries a failed delivery with the same webhook id, and records each attempt", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    failNext = 2;
    sandbox.control.createCustomer({ shop, email: "retry@example.com" });
    await sandbox.control.idle();
    const ids = received.map((r) => r.headers["x-shopify-webhook-id"]);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    const [delivery] = sandbox.control.deliveries({ shop, topic: "customers/create" });
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(delivery!.state).toBe("delivered");
  });

  it("injects duplicates and reordering on demand", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    sandbox.control.injectFault({ kind: "duplicate", topic: "customers/create" });
    sandbox.control.createCustomer({ shop, email: "dup@example.com" });
    await sandbox.control.idle();
    expect(received.filter((r) => r.headers["x-shopify-topic"] === "customers/create")).toHaveLength(2);

    received = [];
    sandbox.control.injectFault({ kind: "reorder", topic: "customers/create" });
    const first = sandbox.control.createCustomer({ shop, email: "first@example.com" });
    const second = sandbox.control.createCustomer({ shop, email: "second@example.com" });
    await sandbox.control.idle();
    const order = received
      .filter((r) => r.headers["x-shopify-topic"] === "customers/create")
      .map((r) => (r.body.includes(first.id) ? "first" : r.body.includes(second.id) ? "second" : "?"));
    expect(order).toEqual(["second", "first"]);
  });

  it("signs app proxy requests the way the library verifies them", async () => {
    const params = new URLSearchParams({
      shop: "a.myshopify.com",
      logged_in_customer_id: "1",
      path_prefix: "/apps/tally",
      timestamp: String(Math.floor(Date.now() / 1000)),
      extra: "x",
    });
    params.append("extra", "y");
    params.set("signature", signAppProxyQuery(params, TEST_SECRET));
    expect(
      await shopify.utils.validateHmac(params as unknown as Record<string, string>, { signator: "appProxy" }),
    ).toBe(true);
  });
});
