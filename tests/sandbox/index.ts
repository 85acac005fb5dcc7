import { createHmac } from "node:crypto";
import { createReadStream } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { adminPage, adminResourcePage, embeddedAppUrl } from "./admin-frame";
import { readAppConfig, type AppConfig } from "./app-config";
import { appBridgeScript } from "./app-bridge-script";
import { DEFAULT_LIFETIMES, TokenRegistry, type TokenLifetimes } from "./auth";
import { BulkOperations } from "./bulk";
import { runAdminGraphql } from "./graphql/admin-api";
import { mintSessionToken } from "./jwt";
import { decimalAmount, toMinorUnits } from "./money";
import { Operations, SandboxError } from "./operations";
import { DEFAULT_THROTTLE, normalizeShop, ShopDirectory, type ShopRecord, type ThrottleOptions } from "./shops";
import { storefrontPage } from "./storefront";
import type { SeedOptions } from "./store";
import { DEFAULT_RETRY, WebhookDispatcher, type Fault, type RetryPolicy } from "./webhooks";

export interface SandboxOptions {
  port?: number;
  host?: "127.0.0.1";
  apiKey: string;
  apiSecret: string;
  /** The app's origin, e.g. http://127.0.0.1:3311; webhook URIs and the embedded iframe resolve against it. */
  appUrl: string;
  appTomlPath?: string;
  appHandle?: string;
  appName?: string;
  throttle?: Partial<ThrottleOptions>;
  retry?: Partial<RetryPolicy>;
  tokenLifetimes?: Partial<TokenLifetimes>;
  /** Rows per page a bulk operation reads; small values exercise paging in tests. */
  bulkPageSize?: number;
}

export interface Sandbox {
  origin: string;
  control: SandboxControl;
  close(): Promise<void>;
}

export type SandboxControl = ReturnType<typeof createControl>;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
};

const html = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
  res.end(body);
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  if (!raw.length) return {};
  if (contentType?.includes("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(raw.toString()));
  return JSON.parse(raw.toString()) as Record<string, unknown>;
}

function cookies(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? "")
      .split(";")
      .map((c) => c.trim().split("=") as [string, string])
      .filter(([k]) => k)
      .map(([k, v]) => [k, decodeURIComponent(v ?? "")]),
  );
}

/** The signature Shopify puts on app proxy requests: hex HMAC-SHA256 of the sorted `key=value` pairs, no separators. */
export function signAppProxyQuery(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) if (key !== "signature") grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

function createControl(deps: {
  shops: ShopDirectory;
  ops: Operations;
  tokens: TokenRegistry;
  webhooks: WebhookDispatcher;
  bulk: BulkOperations;
  options: SandboxOptions;
  appConfig: AppConfig;
}) {
  const { shops, ops, tokens, webhooks, bulk, options } = deps;
  const shopOf = (shop: string): ShopRecord => shops.get(normalizeShop(shop));
  const customerIndex = (shop: ShopRecord, id: string) => {
    const raw = id.replace(/^gid:\/\/shopify\/Customer\//, "");
    const index = shop.store.indexOf("Customer", raw);
    if (index === undefined || !shop.store.findCustomer(index))
      throw new SandboxError(`No customer ${id}`, null, "NOT_FOUND");
    return index;
  };
  const orderId = (id: string) => id.replace(/^gid:\/\/shopify\/Order\//, "");
  return {
    createShop: (input: {
      shop: string;
      name?: string;
      currency?: string;
      /** Prices include tax, as in a European shop; the rate defaults to 20% VAT then, 13% otherwise. */
      taxesIncluded?: boolean;
      taxRate?: number;
      plan?: string;
      throttle?: Partial<ThrottleOptions>;
    }) => {
      const shop = shops.create(input);
      return { shop: shop.domain, name: shop.name, currency: shop.currency, taxesIncluded: shop.taxesIncluded };
    },
    seed: (input: { shop: string } & SeedOptions) => {
      const shop = shops.find(normalizeShop(input.shop)) ?? shops.create({ shop: input.shop });
      const started = Date.now();
      shop.store.seed(input);
      return { shop: shop.domain, customers: input.customers, orders: input.orders, ms: Date.now() - started };
    },
    /** Shopify-managed install: nothing happens until the merchant opens the app, which then exchanges a token. */
    install: ({ shop }: { shop: string }) => {
      const record = shops.find(normalizeShop(shop)) ?? shops.create({ shop });
      record.installed = true;
      return { shop: record.domain, installed: true };
    },
    uninstall: ({ shop }: { shop: string }) => {
      const record = shopOf(shop);
      ops.uninstall(record);
      tokens.revokeShop(record.domain);
      return { shop: record.domain, installed: false };
    },
    sessionToken: ({ shop, userId }: { shop: string; userId?: string }) => {
      const record = shops.find(normalizeShop(shop)) ?? shops.create({ shop });
      return mintSessionToken({
        shop: record.domain,
        apiKey: options.apiKey,
        apiSecret: options.apiSecret,
        userId: userId ?? record.staff[0]!.id,
        sessionId: `sandbox-${record.handle}-${userId ?? record.staff[0]!.id}`,
      });
    },
    expireAccessTokens: ({ shop }: { shop: string }) => tokens.expireShop(normalizeShop(shop)),
    /** Protected customer fields the app is not approved for: the Admin API answers them null with ACCESS_DENIED. */
    withholdProtectedData: ({
      shop,
      fields,
    }: {
      shop: string;
      fields: Array<"name" | "email" | "phone" | "address">;
    }) => {
      const record = shopOf(shop);
      record.withheldCustomerFields = new Set(fields);
      return { shop: record.domain, withheld: [...record.withheldCustomerFields] };
    },
    setThrottle: ({ shop, ...throttle }: { shop: string } & Partial<ThrottleOptions>) => {
      const record = shopOf(shop);
      Object.assign(record.throttle, throttle);
      record.bucket = { available: record.throttle.maximumAvailable, at: Date.now() };
      return record.throttle;
    },
    createCustomerAccount: (input: {
      shop: string;
      email: string;
      firstName?: string;
      lastName?: string;
      acceptsMarketing?: boolean;
    }) => ops.createCustomerAccount(shopOf(input.shop), input),
    createCustomer: (input: {
      shop: string;
      email?: string;
      firstName?: string;
      lastName?: string;
      state?: "DISABLED" | "ENABLED" | "INVITED";
      tags?: string[];
    }) => {
      const { shop, ...fields } = input;
      return ops.createCustomer(shopOf(shop), fields);
    },
    setTags: ({ shop, customerId, tags }: { shop: string; customerId: string; tags: string[] }) => {
      const record = shopOf(shop);
      return ops.updateCustomer(record, customerIndex(record, customerId), (c) => {
        c.tags = [...new Set(tags)].sort();
      });
    },
    setMarketingConsent: ({
      shop,
      customerId,
      subscribed,
    }: {
      shop: string;
      customerId: string;
      subscribed: boolean;
    }) => {
      const record = shopOf(shop);
      return ops.updateCustomer(record, customerIndex(record, customerId), (c) => {
        c.marketing = {
          state: subscribed ? "SUBSCRIBED" : "UNSUBSCRIBED",
          optInLevel: "SINGLE_OPT_IN",
          updatedAt: new Date().toISOString(),
        };
      });
    },
    disableCustomer: ({ shop, customerId }: { shop: string; customerId: string }) => {
      const record = shopOf(shop);
      return ops.updateCustomer(record, customerIndex(record, customerId), (c) => {
        c.state = "DISABLED";
      });
    },
    /** Merges `mergedId` into `keptId` as Shopify's customer merge does (see Operations.mergeCustomers). */
    mergeCustomers: ({ shop, keptId, mergedId }: { shop: string; keptId: string; mergedId: string }) => {
      const record = shopOf(shop);
      return ops.mergeCustomers(record, customerIndex(record, keptId), customerIndex(record, mergedId));
    },
    /** Changes the store's details as a merchant does in Settings (currency, time zone, name): shop/update. */
    updateShop: (input: { shop: string; currency?: string; timezone?: string; name?: string }) => {
      const { shop, ...change } = input;
      return ops.updateShop(shopOf(shop), change);
    },
    deleteCustomer: ({ shop, customerId }: { shop: string; customerId: string }) => {
      const record = shopOf(shop);
      ops.deleteCustomer(record, customerIndex(record, customerId));
      return { deleted: customerId };
    },
    customer: ({ shop, customerId }: { shop: string; customerId: string }) => {
      const record = shopOf(shop);
      const c = record.store.findCustomer(customerIndex(record, customerId));
      return c ? { ...c, ...record.store.customerOrderStats(c.index) } : null;
    },
    placeOrder: (input: {
      shop: string;
      customerId?: string | null;
      email?: string;
      lines?: { productIndex: number; quantity: number }[];
      discountCode?: string;
      /** Shipping charged on the order (untaxed), in minor units. */
      shippingCents?: number;
    }) =>
      ops.placeOrder(shopOf(input.shop), {
        ...(input.customerId ? { customerId: input.customerId.replace(/^gid:\/\/shopify\/Customer\//, "") } : {}),
        ...(input.email ? { email: input.email } : {}),
        ...(input.discountCode ? { discountCode: input.discountCode } : {}),
        ...(input.shippingCents ? { shippingCents: Number(input.shippingCents) } : {}),
        lines: input.lines ?? [{ productIndex: 0, quantity: 1 }],
      }),
    /**
     * A staff order edit, committed at once: units added (new line items) and removed (by line item id). Fires
     * orders/edited and orders/updated, as Shopify does.
     */
    editOrder: (input: {
      shop: string;
      orderId: string;
      add?: { productIndex: number; quantity: number }[];
      remove?: { lineItemId: string; quantity: number }[];
    }) =>
      ops.editOrder(shopOf(input.shop), orderId(input.orderId), { add: input.add ?? [], remove: input.remove ?? [] }),
    fulfil: ({ shop, orderId: id }: { shop: string; orderId: string }) => ops.fulfil(shopOf(shop), orderId(id)),
    /**
     * Refunds whole line units, an amount typed without lines (recorded as Shopify does: no refund line items, one
     * transaction, a refund_discrepancy adjustment), or with neither everything left. Options: shipping given back, a
     * restocking fee kept on a return, a transaction that fails, a restock with no money.
     */
    refund: ({
      shop,
      orderId: id,
      lines,
      amountCents,
      note,
      ...options
    }: {
      shop: string;
      orderId: string;
      lines?: { lineItemId: string; quantity: number }[];
      amountCents?: number | string;
      note?: string;
      shippingCents?: number;
      restockingFeeCents?: number;
      viaReturn?: boolean;
      transactionStatus?: "success" | "failure";
      restockOnly?: boolean;
    }) =>
      ops.refund(shopOf(shop), orderId(id), {
        ...(lines ? { lines } : {}),
        ...(amountCents !== undefined && amountCents !== "" ? { amountCents: Number(amountCents) } : {}),
        ...(note ? { note } : {}),
        ...options,
      }),
    cancel: ({ shop, orderId: id, reason }: { shop: string; orderId: string; reason?: string }) =>
      ops.cancel(shopOf(shop), orderId(id), reason),
    abandonCheckout: (input: { shop: string; customerId?: string; email?: string; productIndex?: number }) =>
      ops.abandonCheckout(shopOf(input.shop), {
        ...(input.customerId ? { customerId: input.customerId.replace(/^gid:\/\/shopify\/Customer\//, "") } : {}),
        ...(input.email ? { email: input.email } : {}),
        ...(input.productIndex !== undefined ? { productIndex: input.productIndex } : {}),
      }),
    requestCustomerData: ({ shop, customerId }: { shop: string; customerId: string }) =>
      ops.compliance(shopOf(shop), "customers/data_request", customerId.replace(/^gid:\/\/shopify\/Customer\//, ""))
        .length,
    redactCustomer: ({ shop, customerId }: { shop: string; customerId: string }) =>
      ops.compliance(shopOf(shop), "customers/redact", customerId.replace(/^gid:\/\/shopify\/Customer\//, "")).length,
    redactShop: ({ shop }: { shop: string }) => ops.compliance(shopOf(shop), "shop/redact").length,
    discountCodes: ({ shop }: { shop: string }) => shopOf(shop).store.discountCodes,
    /** A code any shopper can use, as a merchant makes one in the admin: a percentage (0..1) or a fixed amount. */
    createDiscountCode: (input: {
      shop: string;
      code: string;
      percentage?: number;
      amountCents?: number;
      usageLimit?: number;
    }) =>
      ops.createDiscountCode(shopOf(input.shop), {
        code: input.code,
        title: input.code,
        value:
          input.percentage !== undefined ? { percentage: input.percentage } : { amountCents: input.amountCents ?? 0 },
        appliesOncePerCustomer: false,
        usageLimit: input.usageLimit ?? null,
        customerIds: "all",
        startsAt: new Date().toISOString(),
        endsAt: null,
      }),
    storeCredit: ({ shop }: { shop: string }) => [...shopOf(shop).store.storeCredit.values()],
    metafields: ({ shop }: { shop: string }) => shopOf(shop).store.metafields,
    injectFault: (fault: Fault) => {
      webhooks.injectFault(fault);
      return { queued: fault };
    },
    deliveries: (filter: { shop?: string; topic?: string } = {}) =>
      webhooks.deliveries.filter(
        (d) => (!filter.shop || d.shop === normalizeShop(filter.shop)) && (!filter.topic || d.topic === filter.topic),
      ),
    /** Waits until every webhook delivery and bulk operation in flight has settled. */
    idle: async () => {
      while (bulk.running.size) await Promise.allSettled([...bulk.running]);
      await webhooks.idle();
      return { idle: true };
    },
    subscriptions: () => deps.appConfig.subscriptions,
    addSubscription: (sub: { topic: string; uri: string }) => {
      deps.appConfig.subscriptions.push(sub);
      return deps.appConfig.subscriptions;
    },
  };
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const appConfig = readAppConfig(options.appTomlPath ?? path.resolve("shopify.app.toml"));
  const appUrl = new URL(options.appUrl).origin;
  const appHandle = options.appHandle ?? "tally";
  const appName = options.appName ?? "Tally";
  const shops = new ShopDirectory({ ...DEFAULT_THROTTLE, ...options.throttle });
  let origin = "";
  const webhooks = new WebhookDispatcher({
    apiSecret: options.apiSecret,
    appUrl,
    apiVersion: appConfig.webhookApiVersion,
    subscriptions: () => appConfig.subscriptions,
    retry: { ...DEFAULT_RETRY, ...options.retry },
  });
  const ops = new Operations(webhooks);
  const tokens = new TokenRegistry({
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    lifetimes: { ...DEFAULT_LIFETIMES, ...options.tokenLifetimes },
    scopesFor: () => appConfig.scopes,
    staffFor: (shop, userId) => {
      const record = shops.get(shop);
      return record.staff.find((s) => s.id === userId) ?? record.staff[0]!;
    },
    ensureInstalled: (shop) => {
      (shops.find(shop) ?? shops.create({ shop })).installed = true;
    },
    now: () => Date.now(),
  });
  const bulk = new BulkOperations(
    () => ops,
    () => origin,
    options.bulkPageSize,
  );
  const control = createControl({ shops, ops, tokens, webhooks, bulk, options, appConfig });

  const frameFor = (shopDomain: string, appPath: string) => {
    const shop = shops.find(shopDomain) ?? shops.create({ shop: shopDomain });
    const staff = shop.staff[0]!;
    const sessionId = `sandbox-${shop.handle}-${staff.id}`;
    const idToken = mintSessionToken({
      shop: shop.domain,
      apiKey: options.apiKey,
      apiSecret: options.apiSecret,
      userId: staff.id,
      sessionId,
    });
    return adminPage({
      shop: shop.domain,
      shopName: shop.name,
      appName,
      appHandle,
      appOrigin: appUrl,
      staffName: `${staff.firstName} ${staff.lastName}`,
      iframeSrc: embeddedAppUrl({
        appUrl,
        appPath,
        shop: shop.domain,
        idToken,
        sessionId,
        apiSecret: options.apiSecret,
      }),
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", origin);
    const method = req.method ?? "GET";
    const p = url.pathname;
    const sandboxShopHeader = req.headers["x-sandbox-shop"];
    const requestShop = typeof sandboxShopHeader === "string" ? sandboxShopHeader : undefined;

    if (p === "/cdn/app-bridge.js") {
      res.writeHead(200, {
        "Content-Type": "text/javascript; charset=utf-8",
        "Cache-Control": "no-store",
        "Access-Control-Allow-Origin": "*",
      });
      res.end(appBridgeScript(origin));
      return;
    }

    if (p === "/admin/session-token") {
      const cors = { "Access-Control-Allow-Origin": req.headers.origin ?? "*", Vary: "Origin" };
      const shopParam = url.searchParams.get("shop");
      if (!shopParam) return json(res, 400, { error: "shop is required" }, cors);
      const token = control.sessionToken({
        shop: shopParam,
        ...(url.searchParams.get("user_id") ? { userId: url.searchParams.get("user_id")! } : {}),
      });
      const exp = (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { exp: number }).exp;
      return json(res, 200, { token, exp }, cors);
    }

    if (p === "/admin/oauth/access_token" && method === "POST") {
      const shop = requestShop ?? url.searchParams.get("shop");
      if (!shop) return json(res, 400, { error: "invalid_request", error_description: "Unknown shop" });
      let body: Record<string, unknown>;
      try {
        body = parseBody(await readBody(req), req.headers["content-type"]);
      } catch {
        return json(res, 400, { error: "invalid_request", error_description: "The request body is not valid JSON." });
      }
      const answer = tokens.handle(normalizeShop(shop), body);
      return json(res, answer.status, answer.body);
    }

    const graphqlPath = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(p);
    if (graphqlPath && method === "POST") {
      const shopDomain = requestShop ?? req.headers.host ?? "";
      const token = req.headers["x-shopify-access-token"];
      const shop = shops.find(shopDomain);
      const issued = typeof token === "string" && shop ? tokens.lookup(token, shop.domain) : undefined;
      if (!shop || !issued)
        return json(res, 401, {
          errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
        });
      let body: Record<string, unknown>;
      try {
        body = parseBody(await readBody(req), "application/json");
      } catch {
        return json(res, 400, { errors: { query: "Required parameter missing or invalid" } });
      }
      const result = await runAdminGraphql(body, { shop, ops, bulk }, graphqlPath[1]);
      return json(res, 200, result);
    }

    const bulkFile = /^\/_sandbox\/bulk\/(\d+)\.jsonl$/.exec(p);
    if (bulkFile) {
      const file = bulk.file(bulkFile[1]!);
      if (!file) return json(res, 404, { error: "No such bulk operation result" });
      res.writeHead(200, { "Content-Type": "application/jsonl" });
      createReadStream(file).pipe(res);
      return;
    }

    if (p.startsWith("/_sandbox/")) {
      const op = p.slice("/_sandbox/".length) as keyof SandboxControl;
      const fn = control[op] as ((input: unknown) => unknown) | undefined;
      if (typeof fn !== "function") return json(res, 404, { error: `Unknown control operation ${op}` });
      const input =
        method === "GET"
          ? Object.fromEntries(url.searchParams)
          : parseBody(await readBody(req), req.headers["content-type"]);
      try {
        return json(res, 200, await fn(input));
      } catch (error) {
        return json(res, error instanceof SandboxError ? 422 : 400, { error: (error as Error).message });
      }
    }

    if (p === "/admin" || p === "/admin/") {
      const shop = url.searchParams.get("shop");
      if (!shop) return html(res, 400, "<p>Pass ?shop=your-shop.myshopify.com</p>");
      const handleName = normalizeShop(shop).replace(/\.myshopify\.com$/, "");
      res.writeHead(302, { Location: `/store/${handleName}/apps/${appHandle}` });
      res.end();
      return;
    }

    const store = /^\/store\/([a-z0-9][a-z0-9-]*)(\/.*)?$/.exec(p);
    if (store) {
      const shopDomain = `${store[1]}.myshopify.com`;
      const rest = store[2] ?? "";
      const appPrefix = `/apps/${appHandle}`;
      if (rest === appPrefix || rest.startsWith(`${appPrefix}/`)) {
        const appPath = `/app${rest.slice(appPrefix.length)}${url.search}`;
        return html(res, 200, frameFor(shopDomain, appPath));
      }
      const shop = shops.find(shopDomain) ?? shops.create({ shop: shopDomain });
      const refundPath = /^\/orders\/(\d+)\/refund$/.exec(rest);
      if (refundPath && method === "POST") {
        const form = parseBody(await readBody(req), req.headers["content-type"]) as Record<string, string>;
        let notice: string;
        try {
          const amount = form.amount?.trim() ? toMinorUnits(form.amount, shop.currency) : undefined;
          const after = control.refund({
            shop: shop.domain,
            orderId: refundPath[1]!,
            ...(amount !== undefined ? { amountCents: amount } : {}),
          });
          notice = `Refunded ${decimalAmount(after.refunds.at(-1)!.amountCents, shop.currency)} ${shop.currency}.`;
        } catch (error) {
          notice = `Error: ${(error as Error).message}`;
        }
        res.writeHead(303, {
          Location: `/store/${shop.handle}/orders/${refundPath[1]}?notice=${encodeURIComponent(notice)}`,
        });
        res.end();
        return;
      }
      const resource = /^\/(customers|orders|discounts)(?:\/(\d+))?$/.exec(rest);
      let content = `<h1>${shop.name}</h1><p>Sandbox admin home.</p>`;
      if (resource?.[1] === "customers" && resource[2]) {
        const c = shop.store.findCustomerById(resource[2]);
        content = c
          ? adminResourcePage(`${c.firstName ?? ""} ${c.lastName ?? ""}`.trim() || c.email || c.id, [
              ["Email", c.email ?? ""],
              ["State", c.state],
              ["Tags", c.tags.join(", ")],
              ["Orders", String(shop.store.customerOrderStats(c.index).count)],
            ])
          : "<h1>Customer not found</h1>";
      } else if (resource?.[1] === "orders" && resource[2]) {
        const o = shop.store.findOrderById(resource[2]);
        content = o
          ? adminResourcePage(
              `Order #${o.number}`,
              [
                ["Email", o.email ?? ""],
                ["Total", decimalAmount(o.totalCents, shop.currency)],
                ["Refunded", decimalAmount(o.refundedCents, shop.currency)],
                ["Status", o.financialStatus],
              ],
              {
                notice: url.searchParams.get("notice"),
                refundAction: `/store/${shop.handle}/orders/${o.id}/refund`,
              },
            )
          : "<h1>Order not found</h1>";
      } else if (resource) {
        content = `<h1 data-sandbox-admin-section>${resource[1]}</h1>`;
      }
      const staff = shop.staff[0]!;
      return html(
        res,
        200,
        adminPage({
          shop: shop.domain,
          shopName: shop.name,
          appName,
          appHandle,
          appOrigin: appUrl,
          iframeSrc: null,
          adminContent: content,
          staffName: `${staff.firstName} ${staff.lastName}`,
        }),
      );
    }

    if (p === "/storefront" || p.startsWith("/storefront/")) {
      return storefrontRoute(req, res, url, control, shops, appConfig);
    }

    const proxyPrefix = appConfig.appProxy?.storefrontPrefix;
    if (proxyPrefix && (p === proxyPrefix || p.startsWith(`${proxyPrefix}/`))) {
      return forwardAppProxy(req, res, url, { appUrl, appConfig, apiSecret: options.apiSecret, shops });
    }

    json(res, 404, { errors: "Not Found" });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        json(res, 500, { errors: [{ message: error instanceof Error ? error.message : String(error) }] });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `http://${options.host ?? "127.0.0.1"}:${address.port}`;
  return {
    origin,
    control,
    close: () =>
      new Promise<void>((resolve) => {
        webhooks.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function forwardAppProxy(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: { appUrl: string; appConfig: AppConfig; apiSecret: string; shops: ShopDirectory },
) {
  const proxy = deps.appConfig.appProxy!;
  const jar = cookies(req);
  const shopParam =
    (req.headers["x-sandbox-shop"] as string | undefined) ?? url.searchParams.get("sandbox_shop") ?? jar.sandbox_shop;
  if (!shopParam) return json(res, 400, { error: "Which shop? Set the sandbox_shop cookie or ?sandbox_shop=" });
  const shop = normalizeShop(shopParam);
  const customerId = url.searchParams.get("sandbox_customer") ?? jar.sandbox_customer ?? "";
  // As Shopify does: the shopper's own query parameters are forwarded as they came, Shopify's are appended after them
  // (a shopper's `logged_in_customer_id` is not removed: both arrive, signed as one comma-joined value), then signed.
  const params = new URLSearchParams();
  for (const [key, value] of url.searchParams)
    if (key !== "sandbox_shop" && key !== "sandbox_customer") params.append(key, value);
  params.append("shop", shop);
  params.append("logged_in_customer_id", customerId.replace(/^gid:\/\/shopify\/Customer\//, ""));
  params.append("path_prefix", proxy.storefrontPrefix);
  params.append("timestamp", String(Math.floor(Date.now() / 1000)));
  params.append("signature", signAppProxyQuery(params, deps.apiSecret));
  const target = `${deps.appUrl}${proxy.appPath}${url.pathname.slice(proxy.storefrontPrefix.length)}?${params.toString()}`;
  const headers = new Headers();
  for (const name of ["content-type", "accept", "accept-language", "user-agent"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const upstream = await fetch(target, {
    method: req.method ?? "GET",
    headers,
    ...(hasBody ? { body: new Uint8Array(await readBody(req)) } : {}),
    redirect: "manual",
  });
  const out: Record<string, string> = {};
  upstream.headers.forEach((value, key) => {
    if (!["content-encoding", "content-length", "transfer-encoding", "connection", "set-cookie"].includes(key))
      out[key] = value;
  });
  res.writeHead(upstream.status, out);
  res.end(Buffer.from(await upstream.arrayBuffer()));
}

async function storefrontRoute(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  control: SandboxControl,
  shops: ShopDirectory,
  appConfig: AppConfig,
) {
  const jar = cookies(req);
  const shopParam = url.searchParams.get("shop") ?? jar.sandbox_shop;
  if (!shopParam) return html(res, 400, "<p>Pass ?shop=your-shop.myshopify.com</p>");
  const shop = shops.find(normalizeShop(shopParam)) ?? shops.create({ shop: shopParam });
  const setCookies = [`sandbox_shop=${encodeURIComponent(shop.domain)}; Path=/; SameSite=Lax`];
  let message = "";
  let customerId = jar.sandbox_customer ?? "";
  let orderPath: string | null = null;
  if (req.method === "POST") {
    const form = parseBody(await readBody(req), req.headers["content-type"]) as Record<string, string>;
    try {
      if (url.pathname === "/storefront/sign-up") {
        const c = control.createCustomerAccount({
          shop: shop.domain,
          email: form.email ?? "",
          firstName: form.firstName ?? "",
          lastName: form.lastName ?? "",
          acceptsMarketing: form.acceptsMarketing === "on",
        });
        customerId = c.id;
        message = `Welcome, ${c.firstName ?? c.email}! You are signed in.`;
      } else if (url.pathname === "/storefront/sign-in") {
        const c = shop.store.findCustomerByEmail(form.email ?? "");
        if (!c) throw new SandboxError("No account with that email");
        customerId = c.id;
        message = `Signed in as ${c.email}.`;
      } else if (url.pathname === "/storefront/sign-out") {
        customerId = "";
        message = "Signed out.";
      } else if (url.pathname === "/storefront/order") {
        const order = control.placeOrder({
          shop: shop.domain,
          ...(customerId ? { customerId } : { email: form.email ?? "" }),
          lines: [{ productIndex: Number(form.productIndex ?? 0), quantity: Number(form.quantity ?? 1) }],
          ...(form.discountCode ? { discountCode: form.discountCode } : {}),
        });
        message = `Order #${order.number} placed: ${decimalAmount(order.totalCents, shop.currency)} ${shop.currency}.`;
        orderPath = `/store/${shop.handle}/orders/${order.id}`;
      }
    } catch (error) {
      message = `Error: ${(error as Error).message}`;
    }
    setCookies.push(`sandbox_customer=${encodeURIComponent(customerId)}; Path=/; SameSite=Lax`);
  }
  const customer = customerId ? shop.store.findCustomerById(customerId) : undefined;
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Set-Cookie": setCookies });
  res.end(
    storefrontPage({
      shop,
      customer: customer ?? null,
      message,
      orderPath,
      proxyPrefix: appConfig.appProxy?.storefrontPrefix ?? null,
    }),
  );
}
