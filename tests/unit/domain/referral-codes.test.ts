import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CODE_ALPHABET,
  discountCodeKey,
  generateUnique,
  newAdvocateCode,
  newDiscountCode,
  normalizeAdvocateCode,
  randomCharacters,
  type RandomBytes,
} from "~/domain/referrals";

/** A random source that replays the given bytes, then repeats the last. */
const replay =
  (...bytes: number[]): RandomBytes =>
  (count) =>
    Uint8Array.from({ length: count }, () => (bytes.length > 1 ? bytes.shift()! : bytes[0]!));

const cryptoSource: RandomBytes = (count) => crypto.getRandomValues(new Uint8Array(count));

describe("referral codes", () => {
  it("use no character that reads as another: no 0, O, 1, I or L, and nothing lower-case", () => {
    for (const ambiguous of ["0", "O", "1", "I", "L"]) expect(CODE_ALPHABET).not.toContain(ambiguous);
    expect(new Set(CODE_ALPHABET).size).toBe(31);
    for (let i = 0; i < 2000; i++) {
      expect(newAdvocateCode(cryptoSource)).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    }
  });

  it("draw every character equally often from any bytes (rejection sampling, no modulo bias)", () => {
    // Every byte value once: a biased `byte % 31` would give the first 8 characters 9 times and the rest 8.
    const all = Array.from({ length: 256 }, (_, byte) => byte);
    const characters = randomCharacters(replay(...all, 0), 248);
    const counts = new Map<string, number>();
    for (const character of characters) counts.set(character, (counts.get(character) ?? 0) + 1);
    expect([...counts.values()]).toEqual(Array(31).fill(8));
  });

  // 200,000 draws take about 1 s alone and up to 6 s on a loaded machine: the time is not what is tested.
  it("are unguessable: 10 characters of 31, and 200,000 drawn codes never repeat", { timeout: 30_000 }, () => {
    expect(Math.log2(31 ** 10)).toBeGreaterThan(49);
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(newAdvocateCode(cryptoSource));
    expect(seen.size).toBe(200_000);
  });

  it("prefix discount codes by who they are for", () => {
    expect(newDiscountCode("friend", cryptoSource)).toMatch(/^FRIEND-[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    expect(newDiscountCode("advocate", cryptoSource)).toMatch(/^THANKS-[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
  });

  it("read a typed or pasted code back in its stored form, and refuse what cannot be one", () => {
    expect(normalizeAdvocateCode("k7qx3-9mptr")).toBe("K7QX3-9MPTR");
    expect(normalizeAdvocateCode(" K7QX3 9MPTR ")).toBe("K7QX3-9MPTR");
    expect(normalizeAdvocateCode("K7QX39MPTR")).toBe("K7QX3-9MPTR");
    expect(normalizeAdvocateCode("K7QX3-9MPT")).toBeNull();
    expect(normalizeAdvocateCode("K7QX0-9MPTR")).toBeNull();
    expect(normalizeAdvocateCode("../../admin")).toBeNull();
    fc.assert(
      fc.property(fc.string(), (input) => {
        const code = normalizeAdvocateCode(input);
        return (
          code === null ||
          (code === normalizeAdvocateCode(code) && /^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/.test(code))
        );
      }),
    );
    expect(discountCodeKey(" friend-k7qx3-9mptr ")).toBe("FRIEND-K7QX3-9MPTR");
  });

  it("are drawn again when the one drawn is taken, and a source that only repeats itself fails loudly", async () => {
    const taken = new Set(["22222-22222"]);
    // The first draw collides (all zero bytes give "22222-22222"), the second does not.
    const source = replay(...Array(14).fill(0), ...Array(14).fill(1));
    const code = await generateUnique(
      () => newAdvocateCode(source),
      async (candidate) => !taken.has(candidate),
    );
    expect(code).toBe("33333-33333");
    await expect(
      generateUnique(
        () => newAdvocateCode(replay(0)),
        async (candidate) => !taken.has(candidate),
      ),
    ).rejects.toThrow(/random source repeats itself/);
  });
});
