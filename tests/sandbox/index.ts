import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import express, { type NextFunction, type Request, type Response } from "express";
import { readAppConfig } from "./app-config";
import { DEFAULT_LIFETIMES, TokenRegistry, type TokenLifetimes } from "./auth";
import { BulkOperations } from "./bulk";
import { createControl, type SandboxControl } from "./control/index";
import { Operations, SandboxError } from "./operations/index";
import { adminRoutes } from "./routes/admin";
import { appProxyRoutes } from "./routes/app-proxy";
import { bulkFileRoutes } from "./routes/bulk-files";
import { controlRoutes } from "./routes/control";
import { graphqlRoutes } from "./routes/graphql";
import { json } from "./routes/http";
import { oauthRoutes } from "./routes/oauth";
import { stagedUploadRoutes } from "./routes/staged-uploads";
import { storefrontRoutes } from "./routes/storefront";
import { DEFAULT_THROTTLE, ShopDirectory, type ThrottleOptions } from "./shops";
import { appProxyLiquid } from "./theme/app-proxy-liquid";
import { OnlineStore } from "./theme/online-store";
import { onlineStoreRoutes } from "./theme/online-store-routes";
import { DEFAULT_RETRY, WebhookDispatcher, type RetryPolicy } from "./webhooks";

export { signAppProxyQuery } from "./routes/app-proxy";
export type { SandboxControl } from "./control/index";

export interface SandboxOptions {
  port?: number;
  host?: "127.0.0.1";
  apiKey: string;
  apiSecret: string;
  /** The app's origin, e.g. http://127.0.0.1:3311; webhook URIs and the embedded iframe resolve against it. */
  appUrl: string;
  appTomlPath?: string;
  /** The app's extensions (theme app extensions are rendered in the storefront); beside the TOML by default. */
  extensionsDir?: string;
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

/**
 * Starts a sandbox Shopify on loopback: the admin with the embedded app, OAuth token exchange, the Admin GraphQL API,
 * webhooks to the app, the storefront and its app proxy, and the control API (STATUS.md says what each does).
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const appTomlPath = options.appTomlPath ?? path.resolve("shopify.app.toml");
  const appConfig = readAppConfig(appTomlPath);
  const appUrl = new URL(options.appUrl).origin;
  const credentials = { apiKey: options.apiKey, apiSecret: options.apiSecret };
  const shops = new ShopDirectory({ ...DEFAULT_THROTTLE, ...options.throttle });
  let origin = "";
  const originOf = () => origin;
  const webhooks = new WebhookDispatcher({
    apiSecret: options.apiSecret,
    appUrl,
    apiVersion: appConfig.webhookApiVersion,
    subscriptions: () => appConfig.subscriptions,
    retry: { ...DEFAULT_RETRY, ...options.retry },
  });
  const ops = new Operations(webhooks);
  const tokens = new TokenRegistry({
    ...credentials,
    lifetimes: { ...DEFAULT_LIFETIMES, ...options.tokenLifetimes },
    scopesFor: (shop) => shops.find(shop)?.grantedScopes ?? appConfig.scopes,
    staffFor: (shop, userId) => {
      const record = shops.get(shop);
      return record.staff.find((s) => s.id === userId) ?? record.staff[0]!;
    },
    ensureInstalled: (shop) => {
      (shops.find(shop) ?? shops.create({ shop })).installed = true;
    },
    now: () => Date.now(),
  });
  const bulk = new BulkOperations(() => ops, originOf, options.bulkPageSize);
  const appInfo = { url: appUrl, handle: options.appHandle ?? "tally", name: options.appName ?? "Tally" };
  const onlineStore = new OnlineStore({
    extensionsDir: options.extensionsDir ?? path.join(path.dirname(appTomlPath), "extensions"),
    app: { apiKey: options.apiKey, handle: appInfo.handle, name: appInfo.name },
    appProxyPrefix: appConfig.appProxy?.storefrontPrefix ?? null,
    checkout: {
      storeCreditCents: (shop, customerId) => ops.storeCredit.describe(shop, customerId)?.account.balanceCents ?? null,
      discountRefusal: (shop, code, cart) => {
        try {
          ops.orders.discountFor(shop, { customer: cart.customer ?? undefined, lines: cart.lines, discountCode: code });
          return null;
        } catch (error) {
          if (error instanceof SandboxError) return error.message;
          throw error;
        }
      },
    },
  });
  const control = createControl({ shops, ops, tokens, webhooks, bulk, credentials, appConfig, onlineStore });

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(onlineStoreRoutes({ store: onlineStore, shops, control, origin: originOf }));
  app.use(adminRoutes({ shops, control, credentials, app: appInfo, origin: originOf }));
  app.use(oauthRoutes({ tokens, origin: originOf }));
  app.use(graphqlRoutes({ shops, tokens, ops, bulk, storefrontLocales: (shop) => onlineStore.stateOf(shop).locales }));
  app.use(bulkFileRoutes({ bulk }));
  app.use(stagedUploadRoutes({ bulk }));
  app.use(controlRoutes({ control, origin: originOf }));
  app.use(storefrontRoutes({ control, shops, appConfig, origin: originOf, onlineStore }));
  app.use(
    appProxyRoutes({
      appUrl,
      appConfig,
      apiSecret: options.apiSecret,
      origin: originOf,
      onlineStore: appProxyLiquid(onlineStore, shops),
    }),
  );
  app.use((_req: Request, res: Response) => json(res, 404, { errors: "Not Found" }));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (!res.headersSent)
      json(res, 500, { errors: [{ message: error instanceof Error ? error.message : String(error) }] });
    else res.end();
  });

  const server = createServer(app);
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
        bulk.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
