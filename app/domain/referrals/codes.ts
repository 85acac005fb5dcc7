/*
 * Referral codes: the advocate's code in their link (`/apps/tally/r/K7QX3-9MPTR`) and the discount codes Tally creates
 * in Shopify for the friend and the advocate. People read them aloud, copy them from an email on a phone, type them
 * at checkout: so no character that can be read as another (0/O, 1/I/L) and groups of five. They must also be
 * unguessable, since a valid advocate code opens a page with the advocate's first name and a discount for anyone who
 * claims it: ten characters from 31 is 31^10 ≈ 8.2 × 10^14 codes (49 bits), and claims are rate-limited per client.
 *
 * Randomness comes from the caller (`RandomBytes`): the domain does no I/O. Bytes are turned into characters by
 * rejection sampling, so every character is equally likely (a plain `byte % 31` would favour the first eight).
 * Collisions are astronomically rare but not impossible; the unique index on each code decides, and the caller draws
 * again (`generateUnique`).
 */

/** Digits 2-9 and the letters without I, L and O: 31 characters no one confuses with another. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** Random bytes from a cryptographic source: `(n) => crypto.getRandomValues(new Uint8Array(n))` at the edge. */
export type RandomBytes = (count: number) => Uint8Array;

const CODE_LENGTH = 10;
// The largest multiple of 31 that fits in a byte: bytes at or above it are drawn again.
const ACCEPT_BELOW = Math.floor(256 / CODE_ALPHABET.length) * CODE_ALPHABET.length;

/** `length` characters of the alphabet, each uniformly likely. */
export function randomCharacters(random: RandomBytes, length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of random(length - out.length + 4)) {
      if (byte >= ACCEPT_BELOW) continue;
      out += CODE_ALPHABET[byte % CODE_ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

const grouped = (characters: string) => `${characters.slice(0, 5)}-${characters.slice(5)}`;

/** A new advocate code: "K7QX3-9MPTR". */
export function newAdvocateCode(random: RandomBytes): string {
  return grouped(randomCharacters(random, CODE_LENGTH));
}

/** The kinds of discount code Tally creates for referrals, each with a prefix that tells support what it is. */
export type ReferralDiscountRole = "friend" | "advocate";
const prefixes: Record<ReferralDiscountRole, string> = { friend: "FRIEND", advocate: "THANKS" };

/** A new discount code: "FRIEND-K7QX3-9MPTR" for a friend, "THANKS-K7QX3-9MPTR" for an advocate's reward. */
export function newDiscountCode(role: ReferralDiscountRole, random: RandomBytes): string {
  return `${prefixes[role]}-${grouped(randomCharacters(random, CODE_LENGTH))}`;
}

/**
 * An advocate code as someone typed or pasted it, in its stored form ("k7qx3 9mptr" → "K7QX3-9MPTR"), or null when it
 * cannot be one (wrong length, a character outside the alphabet): such a code is answered 404 without a lookup.
 */
export function normalizeAdvocateCode(input: string): string | null {
  const characters = input.toUpperCase().replace(/[\s-]/g, "");
  if (characters.length !== CODE_LENGTH) return null;
  for (const character of characters) if (!CODE_ALPHABET.includes(character)) return null;
  return grouped(characters);
}

/**
 * Shopify matches discount codes case-insensitively (a shopper types "friend-k7qx3-9mptr"), and so does Tally: the key
 * a code is stored and looked up under.
 */
export function discountCodeKey(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * Draws codes until `isFree` accepts one, at most `attempts` times; throws when every draw collided (which, at 49 bits
 * per code, means the random source is broken, not that codes ran out).
 */
export async function generateUnique(
  draw: () => string,
  isFree: (code: string) => Promise<boolean>,
  attempts = 8,
): Promise<string> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const code = draw();
    if (await isFree(code)) return code;
  }
  throw new Error(`No free referral code after ${attempts} draws: the random source repeats itself`);
}
