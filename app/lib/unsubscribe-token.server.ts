import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "./env.server";

/*
 * The token in every email's unsubscribe link (RFC 8058's List-Unsubscribe URL and the page behind it): the customer
 * and the email it came in, and an HMAC-SHA256 over them and the shop under a key derived from the app's secret. It
 * cannot be guessed (256 bits), and it cannot be turned into another customer's or another shop's: changing the
 * customer id, the email id or the shop breaks the MAC. It does not expire: a link in a years-old email still works,
 * as mailbox providers and the law expect of an unsubscribe link. Rotating SHOPIFY_API_SECRET invalidates old links;
 * the page then says so and points to the store's contact page.
 *
 * Form: `<customer id>.<outbox id>.<mac, base64url>`.
 */

const VERSION = "tally-unsubscribe:v1";

function key(): Buffer {
  // A key of its own, so no other use of the app's secret can ever produce a valid unsubscribe MAC.
  return createHmac("sha256", env().SHOPIFY_API_SECRET).update(VERSION).digest();
}

function mac(shop: string, customerId: number, outboxId: number): Buffer {
  return createHmac("sha256", key()).update(`${VERSION}:${shop}:${customerId}:${outboxId}`).digest();
}

/** The token for one email to one customer of `shop`. */
export function signUnsubscribeToken(shop: string, input: { customerId: number; outboxId: number }): string {
  return `${input.customerId}.${input.outboxId}.${mac(shop, input.customerId, input.outboxId).toString("base64url")}`;
}

/** A token's customer and email when its MAC holds for `shop`; undefined for anything else. Constant-time compare. */
export function verifyUnsubscribeToken(
  shop: string,
  token: string,
): { customerId: number; outboxId: number } | undefined {
  const match = /^([1-9]\d{0,14})\.([1-9]\d{0,14})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const customerId = Number(match[1]);
  const outboxId = Number(match[2]);
  const given = Buffer.from(match[3]!, "base64url");
  const expected = mac(shop, customerId, outboxId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return { customerId, outboxId };
}

/** Where the storefront's app proxy serves Tally (shopify.app.toml: [app_proxy] subpath "tally", prefix "apps"). */
export const STOREFRONT_PROXY_PATH = "/apps/tally";

/**
 * The https URL of the unsubscribe page for one email, through the shop's app proxy under `root`: the customer's
 * storefront root ("https://example.com/fr", a Markets domain "https://example.fr"; decision 051), `https://{shop}`
 * when none is given. Shopify serves the app proxy under every published locale's prefix, so the page opens in the
 * customer's language and the one-click POST (RFC 8058) reaches the same route.
 */
export function unsubscribeUrl(
  shop: string,
  input: { customerId: number; outboxId: number },
  root = `https://${shop}`,
): string {
  const token = signUnsubscribeToken(shop, input);
  return `${root.replace(/\/+$/, "")}${STOREFRONT_PROXY_PATH}/email/unsubscribe?token=${encodeURIComponent(token)}`;
}
