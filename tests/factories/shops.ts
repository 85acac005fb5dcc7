import { randomBytes } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { recordInstall } from "~/services/shops/record-install.server";
import { contextFor, sessionStorage } from "~/shopify.server";

/** A shop domain no other test uses and no shop has ever installed Tally on. */
export function neverInstalledShopDomain(): string {
  return `test-${randomBytes(5).toString("hex")}.myshopify.com`;
}

/**
 * A shop no other test uses, with Tally installed (as afterAuth records it): Shopify only sends webhooks and app-proxy
 * requests for shops that installed the app, and Tally acts on no others.
 */
export function newShopDomain(): string {
  const shop = neverInstalledShopDomain();
  recordInstall({ ctx: contextFor(shop, "test"), input: { scope: process.env.SCOPES ?? "" } });
  return shop;
}

/** Stores an offline session for the shop, as token exchange would after install. */
export async function installOfflineSession(shop: string, scope = process.env.SCOPES ?? ""): Promise<Session> {
  const session = new Session({
    id: `offline_${shop}`,
    shop,
    state: "",
    isOnline: false,
    scope,
    accessToken: `shpat_${randomBytes(16).toString("hex")}`,
  });
  await sessionStorage.storeSession(session);
  return session;
}
