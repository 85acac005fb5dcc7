import { randomBytes } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { sessionStorage } from "~/shopify.server";

/** A shop domain no other test uses, so tests can share a worker's database. */
export function newShopDomain(): string {
  return `test-${randomBytes(5).toString("hex")}.myshopify.com`;
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
