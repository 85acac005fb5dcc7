import { RequestedTokenType, type Shopify } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../sandbox/index";
import { mintSessionToken } from "../sandbox/jwt";
import { newShop, sandboxWithClient, TEST_KEY, TEST_SECRET } from "../sandbox/test-client";

let sandbox: Sandbox;
let shopify: Shopify;
beforeAll(async () => {
  ({ sandbox, shopify } = await sandboxWithClient());
});
afterAll(async () => sandbox.close());

const post = (shop: string, body: unknown) =>
  fetch(`${sandbox.origin}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Sandbox-Shop": shop },
    body: JSON.stringify(body),
  });

describe("sandbox auth", () => {
  it("mints session tokens the library accepts, with Shopify's claims", async () => {
    const shop = newShop();
    const token = sandbox.control.sessionToken({ shop });
    const payload = await shopify.session.decodeSessionToken(token);
    expect(payload).toMatchObject({ iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: TEST_KEY });
    expect(payload.exp - payload.iat).toBe(60);
    expect(payload.sub).toMatch(/^\d+$/);
    expect(payload.jti).toBeTruthy();
    expect(payload.sid).toBeTruthy();
  });

  it("exchanges a session token for an expiring offline token, then refreshes it", async () => {
    const shop = newShop();
    const { session } = await shopify.auth.tokenExchange({
      shop,
      sessionToken: sandbox.control.sessionToken({ shop }),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect(session.isOnline).toBe(false);
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(session.scope).toContain("write_customers");
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(session.refreshToken).toMatch(/^shprt_/);

    const { session: refreshed } = await shopify.auth.refreshToken({ shop, refreshToken: session.refreshToken! });
    expect(refreshed.accessToken).not.toBe(session.accessToken);
    // A spent refresh token cannot be used twice.
    await expect(shopify.auth.refreshToken({ shop, refreshToken: session.refreshToken! })).rejects.toThrow();
  });

  it("issues online tokens carrying the staff member", async () => {
    const shop = newShop();
    const { session } = await shopify.auth.tokenExchange({
      shop,
      sessionToken: sandbox.control.sessionToken({ shop }),
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(session.isOnline).toBe(true);
    expect(session.onlineAccessInfo?.associated_user.account_owner).toBe(true);
    expect(session.onlineAccessInfo?.associated_user_scope).toContain("read_customers");
  });

  it("rejects wrong client credentials and forged subject tokens the way Shopify does", async () => {
    const shop = newShop();
    const good = {
      client_id: TEST_KEY,
      client_secret: TEST_SECRET,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: sandbox.control.sessionToken({ shop }),
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    };
    const wrongSecret = await post(shop, { ...good, client_secret: "nope" });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ error: "invalid_client" });

    const forged = mintSessionToken({ shop, apiKey: TEST_KEY, apiSecret: "attacker", userId: "1", sessionId: "s" });
    const forgedAnswer = await post(shop, { ...good, subject_token: forged });
    expect(forgedAnswer.status).toBe(400);
    expect(await forgedAnswer.json()).toMatchObject({ error: "invalid_subject_token" });

    const otherShop = await post(newShop(), good);
    expect(otherShop.status).toBe(400);
  });
});
