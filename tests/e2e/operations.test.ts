import { createHmac, randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProductionApp, type RunningApp } from "../helpers/app-server";
import { samplePayload, shopifyJson } from "../helpers/shopify-samples";

// What an operator relies on from the production server (server.js, decision 025): request ids in answers and in the
// JSON log, and a SIGTERM that lets the request in flight finish before the process exits 0.
const secret = "tally-e2e-api-secret";
const shop = "e2e-ops.myshopify.com";
let app: RunningApp;

beforeAll(async () => {
  app = await startProductionApp({ SHOPIFY_API_SECRET: secret, TALLY_BACKGROUND_JOBS: "off", LOG_LEVEL: "info" });
  const db = new Database(app.databasePath);
  db.prepare("insert into shops (shop, installed_at, scope, currency) values (?, ?, ?, 'USD')").run(
    shop,
    new Date().toISOString(),
    "read_customers,read_orders",
  );
  db.close();
});

afterAll(async () => {
  await app?.stop();
});

/** The JSON log lines the server wrote so far. */
function logLines(): Array<Record<string, unknown>> {
  return app
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("request ids", () => {
  it("echoes the caller's X-Request-Id and logs the request under it, without its query", async () => {
    const response = await fetch(`${app.url}/healthz?hmac=secret-looking`, {
      headers: { "X-Request-Id": "lb-7f3a9c.42" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("X-Request-Id")).toBe("lb-7f3a9c.42");
    await expect
      .poll(() => logLines().find((line) => line.requestId === "lb-7f3a9c.42"))
      .toMatchObject({
        level: 30,
        msg: "request",
        method: "GET",
        path: "/healthz",
        status: 200,
      });
    expect(app.output()).not.toContain("secret-looking");
  });

  it("makes an id when none comes, or when the one given could forge a log line", async () => {
    for (const given of [undefined, 'x" "injected":"1', "a".repeat(200)]) {
      const response = await fetch(`${app.url}/healthz`, { headers: given ? { "X-Request-Id": given } : {} });
      const id = response.headers.get("X-Request-Id");
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      await expect.poll(() => logLines().some((line) => line.requestId === id)).toBe(true);
    }
  });
});

describe("graceful shutdown", () => {
  it("on SIGTERM finishes a webhook still uploading, refuses new connections, records it and exits 0", async () => {
    const body = Buffer.from(shopifyJson(samplePayload("customers/create")));
    const webhookId = randomUUID();
    const answer = new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${app.url}/webhooks/customers/create`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Content-Length": String(body.length),
          "X-Shopify-Topic": "customers/create",
          "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body).digest("base64"),
          "X-Shopify-Shop-Domain": shop,
          "X-Shopify-API-Version": "2026-10",
          "X-Shopify-Webhook-Id": webhookId,
        },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      // Half the body now; SIGTERM arrives while the rest is still on its way.
      req.write(body.subarray(0, body.length >> 1));
      setTimeout(() => {
        app.signal("SIGTERM");
        setTimeout(() => req.end(body.subarray(body.length >> 1)), 600);
      }, 300);
    });

    // Once the signal is in, the listening socket is closed: a new connection is refused.
    await new Promise((resolve) => setTimeout(resolve, 600));
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();

    expect(await answer).toBe(200);
    expect(await app.exited).toBe(0);
    const db = new Database(app.databasePath, { readonly: true });
    const recorded = db.prepare("select topic from webhook_deliveries where webhook_id = ?").get(webhookId);
    db.close();
    expect(recorded).toEqual({ topic: "customers/create" });
    expect(logLines().map((line) => line.msg)).toEqual(
      expect.arrayContaining(["Shutting down: finishing the requests and background work in hand", "Stopped"]),
    );
  });
});
