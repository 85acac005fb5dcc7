import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RequestedTokenType, type Shopify } from "@shopify/shopify-api";
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
beforeEach(async () => {
  received = [];
  failNext = 0;
});

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

/**
 * The package infers its schemas from one sample each, so `required` lists every key the sample happened to have.
 * Shopify leaves `default_address` out for a customer who has none, which a sign-up without checkout is. The order
 * samples have no refunds (`items: false`); an order's refunds are checked against the refunds/create schema instead.
 */
function relaxed(schema: Record<string, unknown>): object {
  const copy = structuredClone(schema);
  const refundSchema = schemaForWebhook(SAMPLE_VERSION, "refunds/create") as Record<string, unknown>;
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const obj = node as Record<string, unknown>;
    if (Array.isArray(obj.required)) obj.required = obj.required.filter((k) => k !== "default_address");
    const properties = obj.properties as Record<string, Record<string, unknown>> | undefined;
    if (properties?.refunds?.items === false && properties.line_items)
      properties.refunds = { type: "array", items: refundSchema };
    // A failed transaction carries Shopify's standard error code ("card_declined"); the sample's is null.
    if (properties?.error_code?.type === "null") properties.error_code = { type: ["null", "string"] };
    // The samples' shipping lines carry no discount, so their schema allows no discount allocation at all; a
    // free-shipping code's allocation has the line items' shape.
    if (properties?.discount_allocations?.items === false)
      properties.discount_allocations = { type: "array", items: { type: "object" } };
    // The refunds/create sample's refund_shipping_lines is empty, so its schema allows no item at all.
    if (properties?.refund_shipping_lines?.items === false)
      properties.refund_shipping_lines = { type: "array", items: { type: "object" } };
    Object.values(obj).forEach(visit);
  };
  visit(copy);
  return copy;
}

const bodiesOf = (topic: string) =>
  received
    .filter((r) => r.headers["x-shopify-topic"] === topic)
    .map((r) => JSON.parse(r.body) as Record<string, unknown>);

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
    sandbox.control.refund({ shop, orderId: order.id, lines: [{ lineItemId: order.lines[0]!.id, quantity: 1 }] });
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
      "customers/purchasing_summary",
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

  it("merges customers, changes the store currency and creates tagged customers as Shopify reports them", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop, currency: "USD" });
    const kept = sandbox.control.createCustomer({ shop, email: "kept@example.com", state: "ENABLED", tags: ["vip"] });
    const merged = sandbox.control.createCustomer({
      shop,
      email: "merged@example.com",
      state: "ENABLED",
      tags: ["wholesale"],
    });
    const order = sandbox.control.placeOrder({ shop, customerId: merged.id });
    sandbox.control.mergeCustomers({ shop, keptId: kept.id, mergedId: merged.id });
    sandbox.control.updateShop({ shop, currency: "EUR", timezone: "Europe/Paris" });
    sandbox.control.placeOrder({ shop, customerId: kept.id });
    await sandbox.control.idle();

    // Tags given at creation arrive as customer.tags_added at the creation instant; customer payloads carry none.
    const createdTags = bodiesOf("customer.tags_added").filter((body) => body.occurredAt === merged.createdAt);
    expect(createdTags).toContainEqual(expect.objectContaining({ customerId: `gid://shopify/Customer/${merged.id}` }));
    expect(bodiesOf("customers/create").every((body) => !("tags" in body))).toBe(true);

    const topics = received.map((r) => r.headers["x-shopify-topic"]);
    expect(topics.indexOf("customers/merge")).toBeLessThan(topics.indexOf("customers/delete"));
    expect(bodiesOf("customers/merge")).toEqual([
      expect.objectContaining({
        admin_graphql_api_customer_kept_id: `gid://shopify/Customer/${kept.id}`,
        admin_graphql_api_customer_deleted_id: `gid://shopify/Customer/${merged.id}`,
        status: "completed",
        errors: [],
      }),
    ]);
    expect(bodiesOf("customers/delete")).toEqual([
      expect.objectContaining({ admin_graphql_api_id: `gid://shopify/Customer/${merged.id}` }),
    ]);
    // The kept customer takes both tag lists; the merged customer's order is the kept customer's now.
    expect(sandbox.control.customer({ shop, customerId: kept.id })).toMatchObject({
      tags: ["vip", "wholesale"],
      count: 2,
    });
    expect(bodiesOf("shop/update")).toEqual([
      expect.objectContaining({ currency: "EUR", iana_timezone: "Europe/Paris", myshopify_domain: shop }),
    ]);
    // Orders keep the currency they were placed in.
    const paid = bodiesOf("orders/paid");
    expect(paid.map((body) => body.currency)).toEqual(["USD", "EUR"]);
    expect(paid[0]!.name).toBe(`#${order.number}`);
    for (const topic of ["customers/merge", "shop/update", "customer.tags_added", "customers/delete"]) {
      for (const delivery of received.filter((r) => r.headers["x-shopify-topic"] === topic)) {
        expect(schemaErrors(topic, delivery.body), topic).toEqual([]);
      }
    }
  });

  it("writes the payloads of discounts, segments, SMS consent and store credit checkouts as the 2026-07 schemas have them", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const customer = sandbox.control.createCustomerAccount({ shop, email: "schema@example.com" });
    const segment = sandbox.control.createSegment({ shop, name: "Tagged", query: "customer_tags CONTAINS 'vip'" });
    sandbox.control.setTags({ shop, customerId: customer.id, tags: ["vip"] });
    sandbox.control.setTags({ shop, customerId: customer.id, tags: [] });
    const code = sandbox.control.createDiscountCode({ shop, code: "SHIPFREE", freeShipping: true });
    sandbox.control.creditStoreCredit({ shop, customerId: customer.id, amountCents: 1000 });
    sandbox.control.placeOrder({
      shop,
      customerId: customer.id,
      discountCode: "SHIPFREE",
      shippingCents: 900,
      useStoreCredit: true,
    });
    sandbox.control.createDiscountCode({ shop, code: "TENOFF", amountCents: 1000, minimumSubtotalCents: 2000 });
    sandbox.control.placeOrder({ shop, customerId: customer.id, discountCode: "tenoff" });
    const { session } = await shopify.auth.tokenExchange({
      shop,
      sessionToken: sandbox.control.sessionToken({ shop }),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });
    const client = new shopify.clients.Graphql({ session });
    await client.request(
      `mutation P($c: ID!) { customerUpdate(input: { id: $c, phone: "+16135550177" }) { userErrors { message } } }`,
      { variables: { c: `gid://shopify/Customer/${customer.id}` } },
    );
    await client.request(
      `mutation S($c: ID!) { customerSmsMarketingConsentUpdate(input: { customerId: $c, smsMarketingConsent: { marketingState: SUBSCRIBED } }) { userErrors { message } } }`,
      { variables: { c: `gid://shopify/Customer/${customer.id}` } },
    );
    await client.request(`mutation D($id: ID!) { discountCodeDeactivate(id: $id) { userErrors { message } } }`, {
      variables: { id: `gid://shopify/DiscountCodeNode/${code.id}` },
    });
    await client.request(`mutation D($id: ID!) { discountCodeDelete(id: $id) { userErrors { message } } }`, {
      variables: { id: `gid://shopify/DiscountCodeNode/${code.id}` },
    });
    await client.request(`mutation U($id: ID!) { segmentUpdate(id: $id, name: "VIP") { userErrors { message } } }`, {
      variables: { id: `gid://shopify/Segment/${segment.id}` },
    });
    await client.request(`mutation X($id: ID!) { segmentDelete(id: $id) { userErrors { message } } }`, {
      variables: { id: `gid://shopify/Segment/${segment.id}` },
    });
    await sandbox.control.idle();

    const topics = new Set(received.map((r) => r.headers["x-shopify-topic"]));
    for (const topic of [
      "discounts/create",
      "discounts/update",
      "discounts/delete",
      "segments/create",
      "segments/update",
      "segments/delete",
      "customer.joined_segment",
      "customer.left_segment",
      "customers_marketing_consent/update",
      "orders/paid",
    ])
      expect(topics).toContain(topic);
    const failures = received.flatMap((delivery) => {
      const topic = delivery.headers["x-shopify-topic"]!;
      const errors = schemaErrors(topic, delivery.body);
      return errors?.length ? [`${topic}: ${JSON.stringify(errors.map((e) => `${e.instancePath} ${e.message}`))}`] : [];
    });
    expect(failures).toEqual([]);
    const [freeShipping, tenOff] = bodiesOf("orders/paid");
    expect(freeShipping).toMatchObject({
      payment_gateway_names: ["shopify_store_credit", "bogus"],
      discount_codes: [{ code: "SHIPFREE", type: "shipping", amount: "9.00" }],
    });
    expect(tenOff).toMatchObject({ discount_codes: [{ code: "TENOFF", type: "fixed_amount", amount: "10.00" }] });
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

  it("describes paid orders, refunds and cancellations with the figures a loyalty app earns and reverses on", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const customer = sandbox.control.createCustomerAccount({
      shop,
      email: "noor@example.com",
      firstName: "Noor",
      lastName: "Haddad",
    });
    sandbox.control.createDiscountCode({ shop, code: "SAVE10", amountCents: 1000 });
    // 2 × 35.00 + 1 × 18.00 = 88.00, less 10.00 off, plus 13% tax on 78.00 (10.14).
    const order = sandbox.control.placeOrder({
      shop,
      customerId: customer.id,
      discountCode: "save10",
      lines: [
        { productIndex: 2, quantity: 2 },
        { productIndex: 3, quantity: 1 },
      ],
    });
    expect(order.totalCents).toBe(8814);
    await sandbox.control.idle();

    const [paid] = bodiesOf("orders/paid");
    expect(paid).toMatchObject({
      admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
      currency: "CAD",
      current_subtotal_price: "78.00",
      discount_codes: [{ code: "SAVE10", amount: "10.00" }],
      customer: {
        admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
        email: "noor@example.com",
        first_name: "Noor",
        last_name: "Haddad",
        state: "enabled",
      },
    });
    expect(bodiesOf("customers/purchasing_summary")).toEqual([
      {
        customerId: `gid://shopify/Customer/${customer.id}`,
        numberOfOrders: 1,
        amountSpent: { amount: "88.14", currencyCode: "CAD" },
        lastOrderId: `gid://shopify/Order/${order.id}`,
        occurredAt: expect.any(String),
      },
    ]);

    received = [];
    // One of the two beanies: 35.00 less half the line's share of the discount (7.95 of 10.00); its tax is apart.
    sandbox.control.refund({ shop, orderId: order.id, lines: [{ lineItemId: order.lines[0]!.id, quantity: 1 }] });
    // An amount typed with no lines: no refund line items, one transaction, and an adjustment that balances the books.
    sandbox.control.refund({ shop, orderId: order.id, amountCents: 1130 });
    await sandbox.control.idle();
    const refunds = bodiesOf("refunds/create");
    expect(refunds).toHaveLength(2);
    const subtotals = (refund: Record<string, unknown>) =>
      (refund.refund_line_items as { subtotal_set: { shop_money: { amount: string; currency_code: string } } }[]).map(
        (line) => line.subtotal_set.shop_money,
      );
    expect(subtotals(refunds[0]!)).toEqual([{ amount: "31.03", currency_code: "CAD" }]);
    expect(refunds[0]!.transactions).toMatchObject([{ kind: "refund", status: "success", amount: "35.07" }]);
    expect(refunds[1]!.transactions).toMatchObject([{ kind: "refund", status: "success", amount: "11.30" }]);
    expect(refunds[1]!.refund_line_items).toEqual([]);
    expect(refunds[1]!.order_adjustments).toMatchObject([
      { kind: "refund_discrepancy", amount: "-11.30", amount_set: { shop_money: { amount: "-11.30" } } },
    ]);
    expect(bodiesOf("customers/purchasing_summary").at(-1)).toMatchObject({
      numberOfOrders: 1,
      amountSpent: { amount: "41.77", currencyCode: "CAD" },
    });

    received = [];
    sandbox.control.cancel({ shop, orderId: order.id });
    await sandbox.control.idle();
    const [cancelled] = bodiesOf("orders/cancelled");
    const cancelledRefunds = cancelled!.refunds as Record<string, unknown>[];
    expect(cancelledRefunds.map((r) => r.admin_graphql_api_id)).toEqual(refunds.map((r) => r.admin_graphql_api_id));
    expect(subtotals(cancelledRefunds[0]!)).toEqual(subtotals(refunds[0]!));
    // Only the refunded beanie left the subtotal; an amount refund takes no goods off the order.
    expect(cancelled!.current_subtotal_price).toBe("46.97");
    expect(
      schemaErrors("orders/cancelled", received.find((r) => r.headers["x-shopify-topic"] === "orders/cancelled")!.body),
    ).toEqual([]);
  });

  it("writes amounts with the currency's own decimals: none for JPY, three for KWD", async () => {
    for (const [currency, total, refunded] of [
      ["JPY", /^\d+$/, "1130"],
      ["KWD", /^\d+\.\d{3}$/, "1.130"],
    ] as const) {
      const shop = newShop();
      sandbox.control.createShop({ shop, currency });
      const order = sandbox.control.placeOrder({ shop, email: `buyer-${currency}@example.com` });
      sandbox.control.refund({ shop, orderId: order.id, amountCents: 1130 });
      await sandbox.control.idle();
      const paid = received
        .filter((r) => r.headers["x-shopify-shop-domain"] === shop && r.headers["x-shopify-topic"] === "orders/paid")
        .map((r) => JSON.parse(r.body) as Record<string, unknown>)[0]!;
      expect(paid.currency).toBe(currency);
      expect(paid.total_price).toMatch(total);
      // The amount in the payload is the order's minor units, read with the currency's exponent.
      const digits = currency === "JPY" ? 0 : 3;
      expect(Number(String(paid.total_price).replace(".", ""))).toBe(order.totalCents);
      expect(String(paid.total_price).split(".")[1]?.length ?? 0).toBe(digits);
      const refund = received
        .filter((r) => r.headers["x-shopify-shop-domain"] === shop && r.headers["x-shopify-topic"] === "refunds/create")
        .map((r) => JSON.parse(r.body) as { transactions: { amount: string }[] })[0]!;
      expect(refund.transactions[0]!.amount).toBe(refunded);
    }
  });

  it("refuses a refund beyond what the order has left", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const order = sandbox.control.placeOrder({ shop, email: "guest@example.com" });
    expect(() => sandbox.control.refund({ shop, orderId: order.id, amountCents: order.totalCents + 1 })).toThrow(
      /between 0.01/,
    );
    sandbox.control.refund({ shop, orderId: order.id });
    expect(() => sandbox.control.refund({ shop, orderId: order.id })).toThrow(/between 0.01 and 0.00/);
    expect(() =>
      sandbox.control.refund({ shop, orderId: order.id, lines: [{ lineItemId: order.lines[0]!.id, quantity: 1 }] }),
    ).toThrow(/between 1 and 0/);
  });

  it("records gift cards, prices with tax inside, shipping, returns with a restocking fee and failed refunds as Shopify does", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop, currency: "EUR", taxesIncluded: true });
    const customer = sandbox.control.createCustomerAccount({ shop, email: "ines@example.com" });
    // A 68.00 shirt (11.33 of VAT inside) and a 50.00 gift card (no tax), with 5.00 shipping.
    const order = sandbox.control.placeOrder({
      shop,
      customerId: customer.id,
      shippingCents: 500,
      lines: [
        { productIndex: 4, quantity: 1 },
        { productIndex: 7, quantity: 1 },
      ],
    });
    await sandbox.control.idle();
    const paid = bodiesOf("orders/paid").find(
      (body) => body.admin_graphql_api_id === `gid://shopify/Order/${order.id}`,
    );
    expect(paid).toMatchObject({
      currency: "EUR",
      taxes_included: true,
      current_subtotal_price: "118.00",
      current_total_tax: "11.33",
      total_price: "123.00",
      line_items: [
        { gift_card: false, price: "68.00", tax_lines: [{ price: "11.33", rate: 0.2 }] },
        { gift_card: true, price: "50.00", tax_lines: [] },
      ],
    });
    expect(
      schemaErrors("orders/paid", received.find((r) => r.headers["x-shopify-topic"] === "orders/paid")!.body),
    ).toEqual([]);

    received = [];
    // A return of the shirt, less a 6.80 restocking fee, with the shipping given back.
    sandbox.control.refund({
      shop,
      orderId: order.id,
      lines: [{ lineItemId: order.lines[0]!.id, quantity: 1 }],
      shippingCents: 500,
      restockingFeeCents: 680,
      viaReturn: true,
    });
    // A refund whose card transaction fails, and a restock that moves no money.
    sandbox.control.refund({ shop, orderId: order.id, amountCents: 1000, transactionStatus: "failure" });
    await sandbox.control.idle();
    const [returned, failed] = bodiesOf("refunds/create");
    expect(returned).toMatchObject({
      restock: true,
      return: { admin_graphql_api_id: expect.stringMatching(/^gid:\/\/shopify\/Return\//) },
      refund_line_items: [
        { restock_type: "return", subtotal_set: { shop_money: { amount: "68.00", currency_code: "EUR" } } },
      ],
      refund_shipping_lines: [{ subtotal_amount_set: { shop_money: { amount: "5.00" } } }],
      transactions: [{ kind: "refund", status: "success", amount: "66.20", currency: "EUR" }],
      order_adjustments: [{ kind: "refund_discrepancy", amount: "6.80", reason: "restock" }],
    });
    expect(failed).toMatchObject({ refund_line_items: [], transactions: [{ status: "failure", amount: "10.00" }] });
    for (const body of received.filter((r) => r.headers["x-shopify-topic"] === "refunds/create"))
      expect(schemaErrors("refunds/create", body.body)).toEqual([]);
    expect(bodiesOf("orders/updated").at(-1)).toMatchObject({ financial_status: "partially_refunded" });

    received = [];
    const restocked = sandbox.control.placeOrder({ shop, customerId: customer.id });
    sandbox.control.refund({
      shop,
      orderId: restocked.id,
      lines: [{ lineItemId: restocked.lines[0]!.id, quantity: 1 }],
      restockOnly: true,
    });
    await sandbox.control.idle();
    expect(bodiesOf("refunds/create")).toMatchObject([
      { transactions: [], refund_line_items: [{ restock_type: "return" }] },
    ]);
  });

  it("fires orders/edited and orders/updated when staff edit an order", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const order = sandbox.control.placeOrder({
      shop,
      email: "kai@example.com",
      lines: [
        { productIndex: 1, quantity: 2 },
        { productIndex: 3, quantity: 1 },
      ],
    });
    await sandbox.control.idle();
    received = [];
    const after = sandbox.control.editOrder({
      shop,
      orderId: order.id,
      add: [{ productIndex: 2, quantity: 1 }],
      remove: [{ lineItemId: order.lines[0]!.id, quantity: 1 }],
    });
    await sandbox.control.idle();
    const added = after.lines.at(-1)!;
    const [edited] = bodiesOf("orders/edited");
    expect(edited).toMatchObject({
      order_edit: {
        order_id: Number(order.id),
        line_items: {
          additions: [{ id: Number(added.id), delta: 1 }],
          removals: [{ id: Number(order.lines[0]!.id), delta: 1 }],
        },
      },
    });
    // The raw body keeps the ids exact.
    const raw = received.find((r) => r.headers["x-shopify-topic"] === "orders/edited")!.body;
    expect(raw).toContain(`"order_id":${order.id}`);
    expect(raw).toContain(`"id":${added.id},"delta":1`);
    expect(schemaErrors("orders/edited", raw)).toEqual([]);
    const [updated] = bodiesOf("orders/updated");
    // 2 × 24.00 − 24.00 + 18.00 + 35.00 = 77.00 of goods now.
    expect(updated).toMatchObject({
      current_subtotal_price: "77.00",
      financial_status: "partially_paid",
      line_items: [
        { admin_graphql_api_id: `gid://shopify/LineItem/${order.lines[0]!.id}`, quantity: 2, current_quantity: 1 },
        { current_quantity: 1 },
        {
          admin_graphql_api_id: `gid://shopify/LineItem/${added.id}`,
          quantity: 1,
          current_quantity: 1,
          price: "35.00",
        },
      ],
    });
    expect(() =>
      sandbox.control.editOrder({ shop, orderId: order.id, remove: [{ lineItemId: order.lines[0]!.id, quantity: 2 }] }),
    ).toThrow(/between 1 and 1/);
  });
});
