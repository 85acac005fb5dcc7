import "@shopify/shopify-api/adapters/node";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiVersion, LogSeverity, RequestedTokenType, shopifyApi, type Shopify } from "@shopify/shopify-api";
import { routeShopifyToSandbox } from "../../app/shopify/sandbox/fetch.server";
import { startSandbox, type Sandbox, type SandboxOptions } from "./index";

export const TEST_KEY = "sandbox-test-key";
export const TEST_SECRET = "sandbox-test-secret";

/**
 * A sandbox plus the real @shopify/shopify-api client pointed at it through the app's own redirect, so the tests
 * exercise the library's requests rather than hand-written ones.
 */
export async function sandboxWithClient(
  overrides: Partial<SandboxOptions> = {},
): Promise<{ sandbox: Sandbox; shopify: Shopify }> {
  const sandbox = await startSandbox({
    apiKey: TEST_KEY,
    apiSecret: TEST_SECRET,
    appUrl: "http://127.0.0.1:9",
    retry: { delaysMs: [10], maxAttempts: 2 },
    ...overrides,
  });
  routeShopifyToSandbox(sandbox.origin);
  const shopify = shopifyApi({
    apiKey: TEST_KEY,
    apiSecretKey: TEST_SECRET,
    apiVersion: ApiVersion.October26,
    hostName: "tally.test",
    isEmbeddedApp: true,
    scopes: ["read_customers"],
    logger: { level: LogSeverity.Error, log: async () => undefined },
  });
  return { sandbox, shopify };
}

let shopCounter = 0;
export const newShop = () => `sandbox-test-${process.pid}-${++shopCounter}.myshopify.com`;

export interface ReceivedWebhook {
  topic: string;
  headers: Record<string, string>;
  body: string;
  json: Record<string, unknown>;
}

/** A loopback app that answers every webhook 200 and keeps what it received, to point a sandbox's appUrl at. */
export async function webhookReceiver(): Promise<{
  url: string;
  received: ReceivedWebhook[];
  of(topic: string): Record<string, unknown>[];
  close(): Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      const headers = req.headers as Record<string, string>;
      received.push({ topic: headers["x-shopify-topic"] ?? "", headers, body, json: JSON.parse(body || "{}") });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    of: (topic) => received.filter((r) => r.topic === topic).map((r) => r.json),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface AdminAnswer<T> {
  data: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

/**
 * A shop installed the Shopify-managed way (session token, then token exchange through the real library), and a
 * function that posts Admin GraphQL as the app would with its offline token, answering data and errors as they came.
 */
export async function installedShop(
  sandbox: Sandbox,
  shopify: Shopify,
  options: {
    shop?: string;
    currency?: string;
    presentmentCurrencies?: string[];
    legacyCustomerAccounts?: boolean;
    loginLinks?: boolean;
  } = {},
) {
  const shop = options.shop ?? newShop();
  sandbox.control.createShop({ shop, ...options });
  const { session } = await shopify.auth.tokenExchange({
    shop,
    sessionToken: sandbox.control.sessionToken({ shop }),
    requestedTokenType: RequestedTokenType.OfflineAccessToken,
  });
  // Tests assert on the answer's JSON with toMatchObject; typing every ad hoc document would add nothing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const gql = async <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${sandbox.origin}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Sandbox-Shop": shop,
        "X-Shopify-Access-Token": session.accessToken!,
      },
      body: JSON.stringify({ query, variables }),
    });
    if (!response.ok) throw new Error(`Admin GraphQL answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as AdminAnswer<T>;
  };
  return { shop, session, gql };
}
