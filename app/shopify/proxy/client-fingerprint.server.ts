import { createHmac, hkdfSync } from "node:crypto";
import { isIP } from "node:net";
import { env } from "~/lib/env.server";

let key: Buffer | undefined;
let keyFor: string | undefined;

/** A key for fingerprints only, derived from the app's secret, so no other HMAC Tally makes can be turned into one. */
function fingerprintKey(): Buffer {
  const secret = env().SHOPIFY_API_SECRET;
  if (!key || keyFor !== secret) {
    key = Buffer.from(hkdfSync("sha256", secret, "tally", "referral client fingerprint", 32));
    keyFor = secret;
  }
  return key;
}

/**
 * The network a storefront request came from, as Shopify's app proxy reports it (the first address of
 * X-Forwarded-For), in the form limits compare: an IPv4 address, or an IPv6 /64 (one household's or device's
 * network, whose low bits change freely). Null when the header holds no address.
 */
export function clientNetwork(request: Request): string | null {
  const first = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "";
  const address = first.replace(/^\[|\](:\d+)?$/g, "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return null;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const groups = address.includes("::")
    ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * The claiming client as Tally stores it: a keyed hash (HMAC-SHA256 under a key derived from SHOPIFY_API_SECRET) of the
 * shop and the client's network, never the address. The database alone cannot be turned back into addresses, and
 * the same network at two shops gives two unrelated fingerprints. Null without an address.
 */
export function clientFingerprint(request: Request, shop: string): string | null {
  const network = clientNetwork(request);
  if (!network) return null;
  return createHmac("sha256", fingerprintKey()).update(`${shop}\n${network}`).digest("base64url").slice(0, 32);
}
