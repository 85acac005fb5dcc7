import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Seals secrets at rest (the shops' access and refresh tokens) with AES-256-GCM under a key from the environment,
 * each value bound to where it is stored (the additional data names the row and column, so a sealed token copied to
 * another shop's row does not open). Docs: docs/decisions/007-token-encryption.md.
 *
 * Sealed form: `tally-enc:v1:<key id>:<iv>:<ciphertext>:<tag>` (base64url parts). The key id is the first 8 bytes of
 * the key's SHA-256 in hex, so a value names the key that opens it and keys can rotate: the current key seals, the
 * current and previous keys open. A value without the prefix is plaintext from before encryption and opens as is.
 */
export interface TokenCipher {
  /** Seals `plaintext` for the place named by `context` ("session:offline_x.myshopify.com:accessToken"). */
  seal(plaintext: string, context: string): string;
  /** Opens a sealed value (or returns plaintext as is). Throws when it was sealed by a key not configured. */
  open(stored: string, context: string): string;
  /** True when the stored value is plaintext or sealed by another key than the current one. */
  needsSealing(stored: string): boolean;
  /** The current key's id, for logs. */
  readonly keyId: string;
}

const PREFIX = "tally-enc:v1:";

export class UnknownTokenKeyError extends Error {
  constructor(readonly keyId: string) {
    super(
      `A stored token was sealed with key ${keyId}, which is neither TALLY_ENCRYPTION_KEY nor one of TALLY_ENCRYPTION_PREVIOUS_KEYS`,
    );
    this.name = "UnknownTokenKeyError";
  }
}

/** Decodes a base64 key of exactly 32 bytes, or undefined. */
export function decodeKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed, "base64");
  return key.length === 32 ? key : undefined;
}

export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

const b64 = (buffer: Buffer) => buffer.toString("base64url");

/** A cipher sealing with `current` and opening with it or any of `previous` (all 32-byte keys). */
export function createTokenCipher(current: Buffer, previous: readonly Buffer[] = []): TokenCipher {
  const keys = new Map<string, Buffer>();
  for (const key of [...previous, current]) keys.set(keyIdOf(key), key);
  const keyId = keyIdOf(current);
  return {
    keyId,
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", current, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return `${PREFIX}${keyId}:${b64(iv)}:${b64(ciphertext)}:${b64(cipher.getAuthTag())}`;
    },
    open(stored, context) {
      if (!stored.startsWith(PREFIX)) return stored;
      const [id, iv, ciphertext, tag] = stored.slice(PREFIX.length).split(":");
      const key = id ? keys.get(id) : undefined;
      if (!id || !key) throw new UnknownTokenKeyError(id ?? "(none)");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv ?? "", "base64url"));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(Buffer.from(tag ?? "", "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext ?? "", "base64url")), decipher.final()]).toString(
        "utf8",
      );
    },
    needsSealing(stored) {
      return !stored.startsWith(`${PREFIX}${keyId}:`);
    },
  };
}
