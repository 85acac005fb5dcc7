import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTokenCipher, keyIdOf, UnknownTokenKeyError } from "~/lib/token-cipher.server";

const key = randomBytes(32);
const context = "session:offline_a.myshopify.com:accessToken";

describe("the token cipher", () => {
  it("seals to a value that names its key and opens back to the token", () => {
    const cipher = createTokenCipher(key);
    const sealed = cipher.seal("shpat_secret", context);
    expect(sealed).toMatch(new RegExp(`^tally-enc:v1:${keyIdOf(key)}:`));
    expect(sealed).not.toContain("shpat_secret");
    expect(cipher.open(sealed, context)).toBe("shpat_secret");
    // A fresh IV each time: the same token never seals to the same text.
    expect(cipher.seal("shpat_secret", context)).not.toBe(sealed);
  });

  it("refuses a value changed at rest, or opened in another place", () => {
    const cipher = createTokenCipher(key);
    const sealed = cipher.seal("shpat_secret", context);
    const parts = sealed.split(":");
    const flipped = Buffer.from(parts[4]!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    parts[4] = flipped.toString("base64url");
    expect(() => cipher.open(parts.join(":"), context)).toThrow();
    expect(() => cipher.open(sealed, "session:offline_b.myshopify.com:accessToken")).toThrow();
  });

  it("opens plaintext from before encryption as it is, and marks it for sealing", () => {
    const cipher = createTokenCipher(key);
    expect(cipher.open("shpat_plain", context)).toBe("shpat_plain");
    expect(cipher.needsSealing("shpat_plain")).toBe(true);
    expect(cipher.needsSealing(cipher.seal("x", context))).toBe(false);
  });

  it("opens values sealed by a previous key, and names a key it does not have", () => {
    const old = createTokenCipher(key);
    const sealed = old.seal("shpat_secret", context);
    const rotated = createTokenCipher(randomBytes(32), [key]);
    expect(rotated.open(sealed, context)).toBe("shpat_secret");
    expect(rotated.needsSealing(sealed)).toBe(true);
    const stranger = createTokenCipher(randomBytes(32));
    expect(() => stranger.open(sealed, context)).toThrow(UnknownTokenKeyError);
    expect(() => stranger.open(sealed, context)).toThrow(keyIdOf(key));
  });
});
