import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BLOCK_SCORE,
  checkFriendEmail,
  detectSignals,
  FLAG_SCORE,
  foldEmail,
  foldName,
  normalizeAddress,
  scoreSignals,
  shopperReason,
  signalWeights,
  type AdvocateFacts,
  type FriendFacts,
  type SignalCode,
} from "~/domain/referrals";

const ana: AdvocateFacts = {
  customerGid: "gid://shopify/Customer/1",
  email: "Ana.Okafor@Gmail.com",
  firstName: "Ana",
  lastName: "Okafor",
  blocked: false,
};
const stranger: FriendFacts = { email: "ben@example.com", customerGid: "gid://shopify/Customer/2", firstName: "Ben" };

const codesOf = (friend: FriendFacts, advocate = ana, at: "claim" | "completion" = "completion") =>
  detectSignals(advocate, friend, at).map((signal) => signal.code);

describe("fraud signals, one by one", () => {
  it("finds nothing in a genuine friend", () => {
    expect(detectSignals(ana, stranger, "claim")).toEqual([]);
    expect(scoreSignals([])).toEqual({ score: 0, verdict: "clear" });
  });

  it("same email: case, dots and +tags in the local part fold to the advocate's mailbox (strong, blocks)", () => {
    for (const email of [
      "ana.okafor@gmail.com",
      "anaokafor+friend@gmail.com",
      "A.N.A.Okafor+1@GMAIL.com",
      "anaokafor@googlemail.com",
    ]) {
      expect(codesOf({ email })).toEqual(["same_email"]);
    }
    expect(codesOf({ email: "anaokafor@gmail.co" })).toEqual([]);
    expect(codesOf({ email: "ana.okafor2@gmail.com" })).toEqual([]);
    expect(scoreSignals(detectSignals(ana, { email: "ana+x@gmail.com" }, "claim")).verdict).toBe("clear");
    expect(scoreSignals(detectSignals(ana, { email: "anaokafor+x@gmail.com" }, "claim")).verdict).toBe("block");
  });

  it("folding is a fixed point and ignores everything a +tag can add", () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.stringMatching(/^[a-z0-9.]{0,12}$/), (email, tag) => {
        const [local, domain] = [email.slice(0, email.lastIndexOf("@")), email.slice(email.lastIndexOf("@") + 1)];
        const tagged = `${local.split("+")[0]}+${tag}@${domain.toUpperCase()}`;
        return foldEmail(foldEmail(email)) === foldEmail(email) && foldEmail(tagged) === foldEmail(email);
      }),
    );
  });

  it("own order: the advocate's own customer record placed it (strong)", () => {
    expect(codesOf({ email: "other@example.com", customerGid: ana.customerGid })).toEqual(["own_order"]);
    expect(scoreSignals(detectSignals(ana, { email: null, customerGid: ana.customerGid }, "completion")).verdict).toBe(
      "block",
    );
  });

  it("same name: accents, case and spacing folded (weak alone: flags; with a shared address: blocks)", () => {
    const sameName = { email: "someone@example.com", firstName: " ANA ", lastName: "okafor" };
    expect(codesOf(sameName)).toEqual(["same_name"]);
    expect(foldName("Zoë", "Ó'Brien")).toBe(foldName("zoe", "o brien"));
    expect(foldName("Ana", null)).toBeNull();
    expect(scoreSignals(detectSignals(ana, sameName, "completion")).verdict).toBe("flag");
    expect(scoreSignals(detectSignals(ana, { ...sameName, sharesAdvocateAddress: true }, "completion")).verdict).toBe(
      "block",
    );
  });

  it("signed in as the advocate: their own link whatever email is typed, counted once with their own email", () => {
    expect(codesOf({ ...stranger, signedInAsAdvocate: true })).toEqual(["same_email"]);
    expect(detectSignals(ana, { ...stranger, signedInAsAdvocate: true }, "claim")[0]?.reason).toBe(
      "The shopper was signed in to the advocate's own customer account",
    );
    expect(codesOf({ ...stranger, email: ana.email, signedInAsAdvocate: true })).toEqual(["same_email"]);
  });

  it("same address: a household flags for review and never blocks alone", () => {
    const household = { ...stranger, sharesAdvocateAddress: true };
    expect(codesOf(household)).toEqual(["same_address"]);
    expect(scoreSignals(detectSignals(ana, household, "completion"))).toEqual({ score: 40, verdict: "flag" });
  });

  it("same client: another mailbox claiming a link from an earlier claim's network flags, naming that claim's code", () => {
    const again = { ...stranger, earlierClaimFromClient: { friendCode: "FRIEND-EH46R-KVU7B", ownLink: false } };
    expect(detectSignals(ana, again, "claim")).toEqual([
      expect.objectContaining({
        code: "same_client",
        reason:
          "Claimed from the same network as FRIEND-EH46R-KVU7B's claim on this link, with another email (one person with two emails, or a household)",
      }),
    ]);
    expect(scoreSignals(detectSignals(ana, again, "claim"))).toEqual({ score: 40, verdict: "flag" });
    const afterOwnTry = { ...stranger, earlierClaimFromClient: { friendCode: null, ownLink: true } };
    expect(detectSignals(ana, afterOwnTry, "claim")[0]?.reason).toBe(
      "Claimed from the same network as the advocate's own refused try at this link, with another email",
    );
    const afterExistingCustomer = {
      ...stranger,
      earlierClaimFromClient: { friendCode: null, ownLink: false, existingCustomer: true },
    };
    expect(detectSignals(ana, afterExistingCustomer, "claim")[0]?.reason).toBe(
      "Claimed from the same network as an existing customer's refused try at this link, with another email",
    );
    // With a shared name too, it is one person: blocked.
    expect(scoreSignals(detectSignals(ana, { ...again, firstName: "Ana", lastName: "Okafor" }, "claim")).verdict).toBe(
      "block",
    );
    expect(codesOf({ ...stranger, earlierClaimFromClient: null })).toEqual([]);
  });

  it("friend already a paying customer (strong)", () => {
    expect(codesOf({ ...stranger, alreadyCustomer: true })).toEqual(["already_customer"]);
    expect(scoreSignals(detectSignals(ana, { ...stranger, alreadyCustomer: true }, "claim")).verdict).toBe("block");
  });

  it("ten or more claims from one network within seven days (strong); nine pass", () => {
    expect(codesOf({ ...stranger, claimsFromNetwork: 9 })).toEqual([]);
    expect(codesOf({ ...stranger, claimsFromNetwork: 10 })).toEqual(["ip_burst"]);
    expect(scoreSignals(detectSignals(ana, { ...stranger, claimsFromNetwork: 10 }, "claim")).verdict).toBe("block");
  });

  it("a blocked advocate cannot refer (strong)", () => {
    expect(codesOf(stranger, { ...ana, blocked: true })).toEqual(["advocate_blocked"]);
  });

  it("every signal on its own lands where its weight says: strong ones block, weak ones flag", () => {
    const strong: SignalCode[] = ["same_email", "own_order", "already_customer", "advocate_blocked", "ip_burst"];
    for (const [code, weight] of Object.entries(signalWeights) as Array<[SignalCode, number]>) {
      const { verdict } = scoreSignals([{ code, weight, reason: "x", at: "claim" }]);
      expect(verdict).toBe(strong.includes(code) ? "block" : weight >= FLAG_SCORE ? "flag" : "clear");
    }
    expect(BLOCK_SCORE).toBeGreaterThan(signalWeights.same_name);
    expect(signalWeights.same_name + signalWeights.same_address).toBeGreaterThanOrEqual(BLOCK_SCORE);
  });

  it("a signal staff approved weighs nothing, and one counted twice counts once", () => {
    const household = detectSignals(ana, { ...stranger, sharesAdvocateAddress: true }, "claim");
    const again = detectSignals(ana, { ...stranger, sharesAdvocateAddress: true }, "completion");
    expect(scoreSignals([...household, ...again]).score).toBe(40);
    expect(scoreSignals([...household, ...again], ["same_address"]).verdict).toBe("clear");
  });

  it("reasons name no one, and shoppers read what to do, never the advocate's data", () => {
    const signals = detectSignals(
      { ...ana, blocked: true },
      { email: "anaokafor+x@gmail.com", firstName: "Ana", lastName: "Okafor", customerGid: ana.customerGid },
      "completion",
    );
    for (const signal of signals) {
      expect(signal.reason).not.toMatch(/ana|okafor|gmail/i);
    }
    expect(shopperReason(detectSignals(ana, { email: "ana.okafor+1@gmail.com" }, "claim"))).toBe(
      "You can't use your own referral link. Share it with a friend instead.",
    );
    expect(shopperReason(detectSignals(ana, { ...stranger, alreadyCustomer: true }, "claim"))).toMatch(/new customers/);
  });
});

describe("addresses and emails as the claim reads them", () => {
  it("two spellings of one home normalize alike; no street, no address", () => {
    const a = normalizeAddress({
      address1: "12 O'Connor Street",
      address2: "Apt. 3",
      zip: "K1P 1J1",
      countryCode: "CA",
    });
    const b = normalizeAddress({ address1: "12 o connor st", address2: "apt 3", zip: "k1p1j1", countryCode: "ca" });
    expect(a).toBe(b);
    expect(normalizeAddress({ address1: "14 O'Connor Street", zip: "K1P 1J1", countryCode: "CA" })).not.toBe(a);
    expect(normalizeAddress({ address1: "  ", zip: "K1P 1J1" })).toBeNull();
    expect(normalizeAddress(null)).toBeNull();
  });

  it("checks a friend's email with a reason a shopper understands", () => {
    expect(checkFriendEmail("  ben@example.com ")).toEqual({ ok: true, email: "ben@example.com" });
    expect(checkFriendEmail("")).toMatchObject({ ok: false, reason: expect.stringMatching(/Enter your email/) });
    expect(checkFriendEmail("ben@example")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/isn't an email/),
    });
    expect(checkFriendEmail("a@b.co, c@d.co")).toMatchObject({ ok: false });
    expect(checkFriendEmail(`${"a".repeat(250)}@b.co`)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/long/),
    });
  });
});
