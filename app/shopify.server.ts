import "./shopify/sandbox/env.server";
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { DrizzleSessionStorageSQLite } from "@shopify/shopify-app-session-storage-drizzle";
import { getDatabase } from "./db/client.server";
import { sessions } from "./db/schema";
import { env } from "./lib/env.server";
import { log } from "./lib/log.server";
import { createTokenCipher, decodeKey, type TokenCipher } from "./lib/token-cipher.server";
import { backfillCustomerSearch } from "./services/customers/backfill-customer-search.server";
import { recordInstall } from "./services/shops/record-install.server";
import { sealSessionTokens } from "./services/shops/seal-session-tokens.server";
import type { AllShopsContext, ServiceContext } from "./services/context";
import { refuseMalformedHost } from "./shopify/auth/malformed-host.server";
import { SealedSessionStorage } from "./shopify/auth/sealed-session-storage.server";
import { routeShopifyToSandbox } from "./shopify/sandbox/fetch.server";
import { fetchShopFacts, fetchStorefrontRoots } from "./shopify/admin/shop-facts.server";

const config = env();
// Transaction checks (decision 013) fail loudly in development and tests; production runs without them.
const db = await getDatabase({
  url: config.DATABASE_URL,
  file: config.DATABASE_PATH,
  checks: config.NODE_ENV !== "production",
  poolSize: config.DATABASE_POOL_SIZE,
});

if (config.SHOPIFY_SANDBOX_ORIGIN) routeShopifyToSandbox(config.SHOPIFY_SANDBOX_ORIGIN);

/**
 * Access and refresh tokens are sealed at rest with TALLY_ENCRYPTION_KEY (decision 007); tokens written before it was
 * set, or under a previous key, are re-sealed here at boot. Without a key (never in production: env refuses) tokens
 * stay plaintext, and the boot says so.
 */
async function tokenCipher(): Promise<TokenCipher | undefined> {
  if (!config.TALLY_ENCRYPTION_KEY) {
    log.warn("TALLY_ENCRYPTION_KEY is not set: Shopify access tokens are stored unencrypted (refused in production)");
    return undefined;
  }
  const decode = (text: string) => decodeKey(text) as Buffer;
  const cipher = createTokenCipher(
    decode(config.TALLY_ENCRYPTION_KEY),
    config.TALLY_ENCRYPTION_PREVIOUS_KEYS.map(decode),
  );
  await sealSessionTokens({ ctx: contextForAllShops("tally-boot"), cipher });
  return cipher;
}
const cipher = await tokenCipher();
// Rows from before the directory's search text existed get it in the background (migration 0009, decision 019).
backfillCustomerSearch({ ctx: contextForAllShops("tally-boot") }).catch((error: unknown) =>
  console.error("Backfilling the directory's search text failed", error),
);
const drizzleSessions = new DrizzleSessionStorageSQLite(db, sessions);

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ApiVersion.October26,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: cipher ? new SealedSessionStorage(drizzleSessions, cipher) : drizzleSessions,
  distribution: AppDistribution.AppStore,
  // Online sessions carry the staff member Shopify says is acting (decision 003); jobs and webhooks keep the offline one.
  useOnlineTokens: true,
  // The library logs every authenticated request at info; at webhook rates that console output is the hot path.
  logger: { level: config.SHOPIFY_LOG_LEVEL === "debug" ? LogSeverity.Debug : LogSeverity.Warning },
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    // Runs after every token exchange, a staff member's daily online one included (decision 003), so it stays cheap
    // and idempotent: one read of the shop's facts and one upsert. Only an install, a reinstall or a change of scopes
    // requests a reconciliation (the install sync, the first time), which the scheduler runs; nothing here waits.
    afterAuth: async ({ session, admin }) => {
      const facts = await fetchShopFacts(admin.graphql);
      // Emails' links only (decision 051): a failed read (throttled) keeps the roots held and must not fail sign-in;
      // the next reconciliation reads them again.
      const storefrontRoots = await fetchStorefrontRoots(admin.graphql).catch(() => null);
      await recordInstall({
        ctx: contextFor(session.shop, "shopify"),
        input: { scope: session.scope ?? null, ...facts, storefrontRoots },
      });
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = ApiVersion.October26;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
/** The library's authenticate; `admin` first answers 400 to a request no Shopify admin sends (a malformed host). */
export const authenticate: typeof shopify.authenticate = {
  ...shopify.authenticate,
  admin: (request) => {
    refuseMalformedHost(request);
    return shopify.authenticate.admin(request);
  },
};
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;

/**
 * The context every service call from a route gets: the shop, the database, the time of the request and the actor
 * (with the staff member's name, when a staff member acts).
 */
export function contextFor(shop: string, actor: string | { actor: string; actorName: string | null }): ServiceContext {
  return typeof actor === "string"
    ? { shop, db, now: new Date(), actor }
    : { shop, db, now: new Date(), actor: actor.actor, actorName: actor.actorName };
}

/** The context of work across every shop (the webhook queue, retention, the jobs tick): see AllShopsContext. */
export function contextForAllShops(actor: string): AllShopsContext {
  return { shop: null, db, now: new Date(), actor };
}
