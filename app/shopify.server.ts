import "./shopify/sandbox-env.server";
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { DrizzleSessionStorageSQLite } from "@shopify/shopify-app-session-storage-drizzle";
import { getDb } from "./db/client.server";
import { sessions } from "./db/schema";
import { env } from "./lib/env.server";
import { recordInstall } from "./services/shops/record-install.server";
import type { ServiceContext } from "./services/context";
import { routeShopifyToSandbox } from "./shopify/sandbox-fetch.server";
import { fetchShopFacts } from "./shopify/shop.server";

const config = env();
const db = getDb(config.DATABASE_PATH);

if (config.SHOPIFY_SANDBOX_ORIGIN) routeShopifyToSandbox(config.SHOPIFY_SANDBOX_ORIGIN);

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ApiVersion.October26,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new DrizzleSessionStorageSQLite(db, sessions),
  distribution: AppDistribution.AppStore,
  // The library logs every authenticated request at info; at webhook rates that console output is the hot path.
  logger: { level: config.SHOPIFY_LOG_LEVEL === "debug" ? LogSeverity.Debug : LogSeverity.Warning },
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      const facts = await fetchShopFacts(admin.graphql);
      recordInstall({ ctx: contextFor(session.shop, "shopify"), input: { scope: session.scope ?? null, ...facts } });
      // The install sync runs in the background: the merchant's first page must not wait for the whole shop.
      if (process.env.TALLY_BACKGROUND_JOBS === "off") return;
      void import("./shopify/jobs.server").then(({ runShopJobs }) =>
        runShopJobs(session.shop, { forceReconcile: true }).catch((error: unknown) =>
          console.error(`Tally's install sync for ${session.shop} failed:`, error),
        ),
      );
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = ApiVersion.October26;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;

/** The context every service call from a route gets: the shop, the database, the time of the request and the actor. */
export function contextFor(shop: string, actor: string): ServiceContext {
  return { shop, db, now: new Date(), actor };
}
