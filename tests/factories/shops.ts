import { randomBytes } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { USER_ID } from "@shopify/shopify-api/test-helpers";
import { recordInstall } from "~/services/shops/record-install.server";
import { contextFor, sessionStorage } from "~/shopify.server";

/** A shop domain no other test uses and no shop has ever installed Tally on. */
export function neverInstalledShopDomain(): string {
  return `test-${randomBytes(5).toString("hex")}.myshopify.com`;
}

/**
 * A shop no other test uses, with Tally installed (as afterAuth records it): Shopify only sends webhooks and app-proxy
 * requests for shops that installed the app, and Tally acts on no others. Its `country` is Canada's, as the sandbox's
 * shops are, unless told (null: Shopify never said).
 */
export async function newShopDomain({ country = "CA" }: { country?: string | null } = {}): Promise<string> {
  const shop = neverInstalledShopDomain();
  await recordInstall({ ctx: contextFor(shop, "test"), input: { scope: process.env.SCOPES ?? "", country } });
  return shop;
}

/** The staff member the test session tokens name (`sub`), as Shopify's token exchange describes them. */
export const testStaff = { id: USER_ID, firstName: "Alex", lastName: "Morgan" };

/**
 * Stores what token exchange leaves after install: the shop's offline session, and the online session of the staff
 * member the test session tokens name, so admin requests authenticate without calling Shopify. `staff: null` stores
 * an online session whose user Shopify gave no name for.
 */
export async function installOfflineSession(
  shop: string,
  scope = process.env.SCOPES ?? "",
  staff: { firstName: string; lastName: string } | null = testStaff,
): Promise<Session> {
  const session = new Session({
    id: `offline_${shop}`,
    shop,
    state: "",
    isOnline: false,
    scope,
    accessToken: `shpat_${randomBytes(16).toString("hex")}`,
  });
  await sessionStorage.storeSession(session);
  await sessionStorage.storeSession(
    new Session({
      id: `${shop}_${USER_ID}`,
      shop,
      state: "",
      isOnline: true,
      scope,
      expires: new Date(Date.now() + 86_400_000),
      accessToken: `shpua_${randomBytes(16).toString("hex")}`,
      onlineAccessInfo: {
        expires_in: 86_400,
        associated_user_scope: scope,
        associated_user: {
          id: USER_ID,
          first_name: staff?.firstName ?? "",
          last_name: staff?.lastName ?? "",
          email: "alex@example.com",
          email_verified: true,
          account_owner: true,
          locale: "en",
          collaborator: false,
        },
      },
    }),
  );
  return session;
}
