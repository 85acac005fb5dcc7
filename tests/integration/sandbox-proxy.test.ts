import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Shopify } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../sandbox/index";
import { newShop, sandboxWithClient } from "../sandbox/test-client";

interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
let received: Received[] = [];
let app: Server;
let sandbox: Sandbox;
let shopify: Shopify;

beforeAll(async () => {
  // A throwaway "app": records what the proxy forwards and answers with something recognisable.
  app = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://app.test");
      // Store changes also send webhooks here; only proxied requests matter to these tests.
      if (!url.pathname.startsWith("/proxy")) return void res.writeHead(200).end();
      received.push({
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      });
      if (url.pathname === "/proxy/redirect") {
        res.writeHead(302, { Location: "/apps/tally/elsewhere" }).end();
        return;
      }
      res.writeHead(201, { "Content-Type": "text/plain; charset=utf-8", "X-From-App": "yes" });
      res.end(`app saw ${req.method} ${url.pathname}`);
    });
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  ({ sandbox, shopify } = await sandboxWithClient({
    appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
    appTomlPath: path.join(here, "../sandbox/fixtures/all-topics.app.toml"),
  }));
});
afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => app.close(resolve));
});
beforeEach(async () => {
  received = [];
});

const isSigned = (query: URLSearchParams) =>
  shopify.utils.validateHmac(Object.fromEntries(query), { signator: "appProxy" });

describe("sandbox app proxy", () => {
  it("forwards a storefront GET to the app's proxy path with a signature the library accepts", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const response = await fetch(`${sandbox.origin}/apps/tally/rewards/history?page=2&sandbox_shop=${shop}`);

    expect(response.status).toBe(201);
    expect(response.headers.get("x-from-app")).toBe("yes");
    expect(await response.text()).toBe("app saw GET /proxy/rewards/history");
    const [forwarded] = received;
    expect(forwarded!.path).toBe("/proxy/rewards/history");
    expect(Object.fromEntries(forwarded!.query)).toMatchObject({
      page: "2",
      shop,
      logged_in_customer_id: "",
      path_prefix: "/apps/tally",
    });
    expect(forwarded!.query.has("sandbox_shop")).toBe(false);
    expect(Math.abs(Number(forwarded!.query.get("timestamp")) - Date.now() / 1000)).toBeLessThan(5);
    expect(await isSigned(forwarded!.query)).toBe(true);

    const tampered = new URLSearchParams(forwarded!.query);
    tampered.set("logged_in_customer_id", "1");
    expect(await isSigned(tampered)).toBe(false);
  });

  it("forwards the method and body of a POST, and the signed-in shopper", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const customer = sandbox.control.createCustomerAccount({ shop, email: "ana@example.com", firstName: "Ana" });

    const json = await fetch(`${sandbox.origin}/apps/tally/redeem`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Cookie: `sandbox_shop=${shop}; sandbox_customer=${customer.id}`,
      },
      body: JSON.stringify({ rewardId: 7 }),
    });
    expect(json.status).toBe(201);
    const form = await fetch(`${sandbox.origin}/apps/tally/join?sandbox_shop=${shop}`, {
      method: "PUT",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=ana%40example.com&accepts=on",
    });
    expect(form.status).toBe(201);

    expect(received.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: "POST", path: "/proxy/redeem", body: '{"rewardId":7}' },
      { method: "PUT", path: "/proxy/join", body: "email=ana%40example.com&accepts=on" },
    ]);
    expect(received[0]!.headers["content-type"]).toBe("application/json");
    expect(received[0]!.query.get("logged_in_customer_id")).toBe(customer.id);
    expect(received[1]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    for (const r of received) expect(await isSigned(r.query)).toBe(true);
  });

  it("passes the app's redirects back to the browser rather than following them", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    const response = await fetch(`${sandbox.origin}/apps/tally/redirect?sandbox_shop=${shop}`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/apps/tally/elsewhere");
  });

  it("remembers the shop a link names, so the page's own form posts without naming it", async () => {
    const shop = newShop();
    const first = await fetch(`${sandbox.origin}/apps/tally/rewards?sandbox_shop=${shop}`);
    expect(first.status).toBe(201);
    const cookie = first.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    expect(cookie).toBe(`sandbox_shop=${shop}`);
    const form = await fetch(`${sandbox.origin}/apps/tally/join`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
      body: "email=friend%40example.com",
    });
    expect(form.status).toBe(201);
    expect(received.at(-1)).toMatchObject({ method: "POST", path: "/proxy/join" });
    expect(received.at(-1)?.query.get("shop")).toBe(shop);
    // A request that already carries the cookie is not told it again.
    const again = await fetch(`${sandbox.origin}/apps/tally/rewards?sandbox_shop=${shop}`, {
      headers: { Cookie: cookie },
    });
    expect(again.headers.getSetCookie()).toEqual([]);
  });

  it("asks which shop when the request names none", async () => {
    const response = await fetch(`${sandbox.origin}/apps/tally/rewards`);
    expect(response.status).toBe(400);
    expect(received).toEqual([]);
  });
});

describe("sandbox storefront", () => {
  const post = (url: string, form: Record<string, string>, cookie = "") =>
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
      body: new URLSearchParams(form).toString(),
      redirect: "manual",
    });
  const cookiesOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");

  it("lets a shopper sign up, order with a discount code and reach the app proxy as themselves", async () => {
    const shop = newShop();
    sandbox.control.createShop({ shop });
    sandbox.control.createDiscountCode({ shop, code: "TAKE5", amountCents: 500 });

    const signUp = await post(`${sandbox.origin}/storefront/sign-up?shop=${shop}`, {
      email: "lea@example.com",
      firstName: "Léa",
      lastName: "Martin",
      acceptsMarketing: "on",
    });
    const page = await signUp.text();
    expect(page).toContain("Welcome, Léa! You are signed in.");
    expect(page).toContain("Signed in as lea@example.com");
    const cookie = cookiesOf(signUp);
    const customer = sandbox.control.customer({
      shop,
      customerId: /sandbox_customer=(\d+)/.exec(decodeURIComponent(cookie))![1]!,
    });
    expect(customer).toMatchObject({ email: "lea@example.com", state: "ENABLED", marketing: { state: "SUBSCRIBED" } });

    const order = await post(
      `${sandbox.origin}/storefront/order`,
      { productIndex: "3", quantity: "2", discountCode: "take5" },
      cookie,
    );
    // 2 × 18.00 - 5.00 = 31.00, plus 13% tax.
    const orderPage = await order.text();
    expect(orderPage).toMatch(/Order #\d+ placed: 35\.03 CAD\./);
    expect(sandbox.control.customer({ shop, customerId: customer!.id })).toMatchObject({ count: 1, spentCents: 3503 });

    // The merchant refunds part of it from the sandbox admin's order page the storefront links to.
    const adminOrder = /href="([^"]+)" data-storefront-order/.exec(orderPage)![1]!;
    const refund = await post(`${sandbox.origin}${adminOrder}/refund`, { amount: "5.00" });
    expect(refund.status).toBe(303);
    const afterRefund = await (await fetch(new URL(refund.headers.get("location")!, sandbox.origin))).text();
    expect(afterRefund).toContain("Refunded 5.00 CAD.");
    expect(afterRefund).toContain("PARTIALLY_REFUNDED");
    expect(sandbox.control.customer({ shop, customerId: customer!.id })).toMatchObject({ spentCents: 3003 });

    const bad = await post(`${sandbox.origin}/storefront/order`, { productIndex: "0", discountCode: "NOPE" }, cookie);
    expect(await bad.text()).toContain("Error: Enter a valid discount code");

    await fetch(`${sandbox.origin}/apps/tally/`, { headers: { Cookie: cookie } });
    expect(received.at(-1)!.query.get("logged_in_customer_id")).toBe(customer!.id);
    expect(received.at(-1)!.query.get("shop")).toBe(shop);
  });
});
