import { randomBytes } from "node:crypto";
import { z } from "zod";
import { verifySessionToken } from "./jwt";

export interface IssuedToken {
  shop: string;
  kind: "offline" | "online";
  scope: string;
  expiresAt: number | null;
  userId?: string;
}

export interface TokenLifetimes {
  /** Seconds an expiring offline token lives; Shopify uses one hour. */
  offlineAccessSeconds: number;
  /** Seconds a refresh token lives; Shopify uses 90 days. */
  refreshSeconds: number;
  /** Seconds an online token lives; Shopify uses a day. */
  onlineAccessSeconds: number;
}

export const DEFAULT_LIFETIMES: TokenLifetimes = {
  offlineAccessSeconds: 3600,
  refreshSeconds: 90 * 86_400,
  onlineAccessSeconds: 86_399,
};

const tokenExchangeBody = z.object({
  client_id: z.string(),
  client_secret: z.string(),
  grant_type: z.literal("urn:ietf:params:oauth:grant-type:token-exchange"),
  subject_token: z.string(),
  subject_token_type: z.literal("urn:ietf:params:oauth:token-type:id_token"),
  requested_token_type: z.enum([
    "urn:shopify:params:oauth:token-type:offline-access-token",
    "urn:shopify:params:oauth:token-type:online-access-token",
  ]),
  expiring: z.enum(["0", "1"]).optional(),
});

const refreshBody = z.object({
  client_id: z.string(),
  client_secret: z.string(),
  grant_type: z.literal("refresh_token"),
  refresh_token: z.string(),
});

export interface StaffUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  accountOwner: boolean;
}

export interface AuthDeps {
  apiKey: string;
  apiSecret: string;
  lifetimes: TokenLifetimes;
  scopesFor(shop: string): string[];
  staffFor(shop: string, userId: string): StaffUser;
  ensureInstalled(shop: string): void;
  now(): number;
}

export type OAuthAnswer = { status: number; body: unknown };

/** Access tokens the sandbox issued, keyed by token; GraphQL accepts exactly these. */
export class TokenRegistry {
  readonly accessTokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, { shop: string; expiresAt: number; scope: string }>();

  constructor(private readonly deps: AuthDeps) {}

  lookup(token: string, shop: string): IssuedToken | undefined {
    const issued = this.accessTokens.get(token);
    if (!issued || issued.shop !== shop) return undefined;
    if (issued.expiresAt !== null && issued.expiresAt < this.deps.now()) return undefined;
    return issued;
  }

  revokeShop(shop: string) {
    for (const [token, issued] of this.accessTokens) if (issued.shop === shop) this.accessTokens.delete(token);
    for (const [token, issued] of this.refreshTokens) if (issued.shop === shop) this.refreshTokens.delete(token);
  }

  /** Expires every access token of a shop now, so the app's next call has to refresh. */
  expireShop(shop: string) {
    for (const issued of this.accessTokens.values()) if (issued.shop === shop) issued.expiresAt = this.deps.now() - 1;
  }

  /** `POST /admin/oauth/access_token`, the body shaped as @shopify/shopify-api sends it (JSON) or as a form. */
  handle(shop: string, body: Record<string, unknown>): OAuthAnswer {
    const { apiKey, apiSecret } = this.deps;
    if (body.client_id !== apiKey || body.client_secret !== apiSecret) {
      return {
        status: 401,
        body: {
          error: "invalid_client",
          error_description:
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        },
      };
    }
    if (body.grant_type === "refresh_token") return this.refresh(shop, body);
    const parsed = tokenExchangeBody.safeParse(body);
    if (!parsed.success) {
      return {
        status: 400,
        body: { error: "invalid_request", error_description: z.prettifyError(parsed.error) },
      };
    }
    const check = verifySessionToken(parsed.data.subject_token, apiSecret, apiKey, this.deps.now());
    if (!check.ok || new URL(check.claims.dest).hostname !== shop) {
      return {
        status: 400,
        body: {
          error: "invalid_subject_token",
          error_description: `The subject token is invalid${check.ok ? " for this shop" : ` (${check.reason})`}.`,
        },
      };
    }
    this.deps.ensureInstalled(shop);
    const scope = this.deps.scopesFor(shop).join(",");
    const now = this.deps.now();
    const { lifetimes } = this.deps;
    if (parsed.data.requested_token_type.endsWith("online-access-token")) {
      const staff = this.deps.staffFor(shop, check.claims.sub);
      const token = `shpua_${randomBytes(16).toString("hex")}`;
      this.accessTokens.set(token, {
        shop,
        kind: "online",
        scope,
        userId: staff.id,
        expiresAt: now + lifetimes.onlineAccessSeconds * 1000,
      });
      return {
        status: 200,
        body: {
          access_token: token,
          scope,
          expires_in: lifetimes.onlineAccessSeconds,
          associated_user_scope: scope,
          session: check.claims.sid,
          account_number: 0,
          associated_user: {
            id: Number(staff.id),
            first_name: staff.firstName,
            last_name: staff.lastName,
            email: staff.email,
            account_owner: staff.accountOwner,
            locale: "en",
            collaborator: false,
            email_verified: true,
          },
        },
      };
    }
    return { status: 200, body: this.issueOffline(shop, scope, parsed.data.expiring === "1") };
  }

  private issueOffline(shop: string, scope: string, expiring: boolean) {
    const now = this.deps.now();
    const { lifetimes } = this.deps;
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    this.accessTokens.set(token, {
      shop,
      kind: "offline",
      scope,
      expiresAt: expiring ? now + lifetimes.offlineAccessSeconds * 1000 : null,
    });
    if (!expiring) return { access_token: token, scope };
    const refresh = `shprt_${randomBytes(16).toString("hex")}`;
    this.refreshTokens.set(refresh, { shop, scope, expiresAt: now + lifetimes.refreshSeconds * 1000 });
    return {
      access_token: token,
      expires_in: lifetimes.offlineAccessSeconds,
      refresh_token: refresh,
      refresh_token_expires_in: lifetimes.refreshSeconds,
      scope,
    };
  }

  private refresh(shop: string, body: Record<string, unknown>): OAuthAnswer {
    const parsed = refreshBody.safeParse(body);
    const stored = parsed.success ? this.refreshTokens.get(parsed.data.refresh_token) : undefined;
    if (!parsed.success || !stored || stored.shop !== shop || stored.expiresAt < this.deps.now()) {
      return {
        status: 400,
        body: { error: "invalid_grant", error_description: "The refresh token is invalid or expired." },
      };
    }
    // Refresh tokens rotate: the used one is spent.
    this.refreshTokens.delete(parsed.data.refresh_token);
    return { status: 200, body: this.issueOffline(shop, this.deps.scopesFor(shop).join(","), true) };
  }
}
