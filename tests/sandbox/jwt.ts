import { createHmac, randomUUID } from "node:crypto";

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  sig?: string;
}

const base64url = (input: string | Buffer) => Buffer.from(input).toString("base64url");

export function signJwt(claims: object, secret: string): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The claims App Bridge's id tokens carry (shopify.dev "Session tokens"): one minute of validity, shop in iss/dest. */
export function mintSessionToken(opts: {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId: string;
  sessionId: string;
  now?: number;
  ttlSeconds?: number;
}): string {
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${opts.shop}/admin`,
    dest: `https://${opts.shop}`,
    aud: opts.apiKey,
    sub: opts.userId,
    exp: now + (opts.ttlSeconds ?? 60),
    nbf: now,
    iat: now,
    jti: randomUUID(),
    sid: opts.sessionId,
  };
  return signJwt(claims, opts.apiSecret);
}

export type JwtCheck = { ok: true; claims: SessionTokenClaims } | { ok: false; reason: string };

export function verifySessionToken(token: string, secret: string, apiKey: string, now = Date.now()): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed" };
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  if (expected !== signature) return { ok: false, reason: "signature" };
  let claims: SessionTokenClaims;
  try {
    const parsedHeader = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg?: string };
    if (parsedHeader.alg !== "HS256") return { ok: false, reason: "alg" };
    claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as SessionTokenClaims;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const seconds = Math.floor(now / 1000);
  const leeway = 10;
  if (typeof claims.exp !== "number" || claims.exp + leeway < seconds) return { ok: false, reason: "expired" };
  if (typeof claims.nbf === "number" && claims.nbf - leeway > seconds) return { ok: false, reason: "not yet valid" };
  if (claims.aud !== apiKey) return { ok: false, reason: "audience" };
  return { ok: true, claims };
}
