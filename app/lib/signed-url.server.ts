import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "./env.server";

/*
 * Short-lived signed links for downloads inside the embedded admin. A download is a navigation, which carries no
 * session token (App Bridge adds one to fetches only), so the page asks an authenticated action for a link, and the
 * download route accepts the link's signature instead: HMAC-SHA256 with a key derived from the app's secret, over the
 * shop, what is downloaded and the expiry, compared in constant time.
 */

const key = () => createHmac("sha256", env().SHOPIFY_API_SECRET).update("tally:signed-download:v1").digest();

function signatureOf(shop: string, resource: string, expires: number): Buffer {
  return createHmac("sha256", key()).update(`${shop}\n${resource}\n${expires}`).digest();
}

/** Query parameters that let `path` be fetched for `resource` of `shop` until `now + ttlMs`. */
export function signDownload({
  shop,
  resource,
  now,
  ttlMs = 5 * 60_000,
}: {
  shop: string;
  resource: string;
  now: Date;
  ttlMs?: number;
}): URLSearchParams {
  const expires = now.getTime() + ttlMs;
  return new URLSearchParams({
    shop,
    expires: String(expires),
    signature: signatureOf(shop, resource, expires).toString("base64url"),
  });
}

/**
 * The shop a signed link was made for, when its signature is right for `resource` and it has not expired; undefined
 * otherwise (a forged, altered or stale link).
 */
export function verifyDownload({
  params,
  resource,
  now,
}: {
  params: URLSearchParams;
  resource: string;
  now: Date;
}): string | undefined {
  const shop = params.get("shop");
  const expires = Number(params.get("expires"));
  const given = Buffer.from(params.get("signature") ?? "", "base64url");
  if (!shop || !Number.isSafeInteger(expires) || expires < now.getTime()) return undefined;
  const expected = signatureOf(shop, resource, expires);
  return given.length === expected.length && timingSafeEqual(given, expected) ? shop : undefined;
}
