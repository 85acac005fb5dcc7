/*
 * Referral fraud: a score with reasons, flag before block. Each signal is a fact about a referral that a merchant can
 * read ("The friend's email reaches the advocate's own mailbox once case, dots and +tags are set aside"), with a
 * weight. Signals are checked when the friend claims and again when their order completes the referral (an order
 * says more: who placed it, where it ships), and every one found is kept with the referral.
 *
 * The score is the sum of the weights. At BLOCK_SCORE or more the referral is Blocked: a strong signal alone does it
 * (the advocate's own mailbox, the advocate's own customer record placing the order, a friend who already buys here,
 * a blocked advocate, a burst of claims from one network). From FLAG_SCORE it is flagged for review and waits for
 * staff: a shared address alone is a household, which is what referral programs are for, and a shared name alone may be
 * a namesake; both together are one person, and block. A second claim of one link from the network of an earlier claim,
 * with another mailbox, is flagged the same way: one person typing two emails, or a household or office sharing a
 * connection, which staff tell apart and a rule cannot. Staff decide on flagged and blocked referrals in the review
 * queue; signals they approved do not stop the referral again.
 *
 * Every rule here is pure: the services gather the facts (the advocate's record, the friend's, the order's address
 * fingerprint, claim counts) and ask. Reasons name no one (the review queue shows both people beside them), so erasing
 * a customer's data never has to rewrite a referral's story.
 */

export type SignalCode =
  | "same_email"
  | "own_order"
  | "already_customer"
  | "advocate_blocked"
  | "ip_burst"
  | "same_name"
  | "same_address"
  | "same_client";

export interface FraudSignal {
  code: SignalCode;
  weight: number;
  /** For staff: what was found, in the review queue's words. */
  reason: string;
  /** Where it was found: at the claim, or at the order that would complete the referral. */
  at: "claim" | "completion";
}

export const BLOCK_SCORE = 100;
export const FLAG_SCORE = 40;

export const signalWeights: Readonly<Record<SignalCode, number>> = {
  same_email: 100,
  own_order: 100,
  already_customer: 100,
  advocate_blocked: 100,
  ip_burst: 100,
  same_name: 60,
  same_address: 40,
  same_client: 40,
};

/** Claims from one network (the client's IP, kept only as a salted hash) within the window that block the next. */
export const IP_BURST_CLAIMS = 10;
export const IP_BURST_WINDOW_DAYS = 7;

/** What a shopper is told when a signal stops their claim (409): never the advocate's data, only what to do. */
const shopperReasons: Readonly<Record<SignalCode, string>> = {
  same_email: "You can't use your own referral link. Share it with a friend instead.",
  own_order: "You can't use your own referral link. Share it with a friend instead.",
  same_name: "You can't use your own referral link. Share it with a friend instead.",
  already_customer: "This offer is for new customers. Thanks for shopping with us again!",
  advocate_blocked: "This referral link is no longer active.",
  ip_burst: "Too many offers were claimed from your network. The store will review them; please try again later.",
  same_address: "This referral needs a quick review by the store before the offer can be used.",
  same_client: "This referral needs a quick review by the store before the offer can be used.",
};

/** A mailbox as fraud sees it: case, dots and "+tags" in the local part folded, googlemail as gmail. */
export function foldEmail(email: string): string {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf("@");
  if (at <= 0) return trimmed;
  const local = trimmed.slice(0, at).split("+")[0]!.replace(/\./g, "");
  const domain = trimmed.slice(at + 1).replace(/^googlemail\.com$/, "gmail.com");
  return `${local}@${domain}`;
}

/** A person's name folded for comparison: accents, case, punctuation and spacing ignored; null without both parts. */
export function foldName(firstName: string | null | undefined, lastName: string | null | undefined): string | null {
  const fold = (part: string | null | undefined) =>
    (part ?? "")
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  const first = fold(firstName);
  const last = fold(lastName);
  return first && last ? `${first} ${last}` : null;
}

export interface PostalAddress {
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zip?: string | null;
  countryCode?: string | null;
}

/**
 * An address as one comparable text ("12 o connor street|apt 3|k1p1j1|ca"), or null when it has no street: two
 * spellings of one home ("12 O'Connor St." with "12 o'connor st") match. Tally stores only a hash of it.
 */
export function normalizeAddress(address: PostalAddress | null | undefined): string | null {
  if (!address?.address1?.trim()) return null;
  const fold = (part: string | null | undefined) =>
    (part ?? "")
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim()
      .replace(/\bstreet\b/g, "st")
      .replace(/\bavenue\b/g, "ave")
      .replace(/\broad\b/g, "rd");
  const zip = (address.zip ?? "").toLowerCase().replace(/[^a-z0-9]/g, "");
  return [fold(address.address1), fold(address.address2), zip, (address.countryCode ?? "").toLowerCase()].join("|");
}

/** Who the advocate is, as far as fraud needs: their record and what is known of where they live. */
export interface AdvocateFacts {
  customerGid: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  blocked: boolean;
}

/** What is known about the friend at a claim (an email, perhaps a customer Tally knows) or at completion (the order). */
export interface FriendFacts {
  email: string | null;
  /** The customer who placed the order (completion), or the known customer with the claimed email (claim). */
  customerGid?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  /** The friend had a paid order before this one (completion), or any paid order (claim). */
  alreadyCustomer?: boolean;
  /** The order ships to an address the advocate has used (compared by fingerprint). */
  sharesAdvocateAddress?: boolean;
  /** Claims from the friend's network within IP_BURST_WINDOW_DAYS, this one included. */
  claimsFromNetwork?: number;
  /**
   * The shopper claimed signed in on the storefront as the advocate's own customer account (Shopify's signed
   * `logged_in_customer_id`): their own link, whatever email was typed. Claim only.
   */
  signedInAsAdvocate?: boolean;
  /**
   * The latest earlier claim of this advocate's link from the same client network with another mailbox (a second
   * email typed in the same place): the friend code it got, or that it was a refused try, the advocate's own
   * (`ownLink`) or an existing customer's (`existingCustomer`), which is no friend's claim. Claim only.
   */
  earlierClaimFromClient?: { friendCode: string | null; ownLink: boolean; existingCustomer?: boolean } | null;
}

/** Every signal the facts raise, at `at`, with its reason for staff. */
export function detectSignals(advocate: AdvocateFacts, friend: FriendFacts, at: FraudSignal["at"]): FraudSignal[] {
  const signals: FraudSignal[] = [];
  const add = (code: SignalCode, reason: string) => signals.push({ code, weight: signalWeights[code], reason, at });
  if (advocate.blocked) add("advocate_blocked", "The advocate is blocked in Tally and cannot refer");
  if (friend.email && advocate.email && foldEmail(friend.email) === foldEmail(advocate.email)) {
    add(
      "same_email",
      friend.email.trim().toLowerCase() === advocate.email.trim().toLowerCase()
        ? "The friend's email is the advocate's own"
        : "The friend's email reaches the advocate's own mailbox once case, dots and +tags are set aside",
    );
  }
  if (friend.signedInAsAdvocate && !signals.some((signal) => signal.code === "same_email")) {
    add("same_email", "The shopper was signed in to the advocate's own customer account");
  }
  if (friend.customerGid && friend.customerGid === advocate.customerGid) {
    add("own_order", "The order was placed by the advocate's own customer record");
  }
  const advocateName = foldName(advocate.firstName, advocate.lastName);
  if (advocateName && advocateName === foldName(friend.firstName, friend.lastName)) {
    add("same_name", "The friend has the advocate's first and last name");
  }
  if (friend.alreadyCustomer) add("already_customer", "The friend had already paid for an order at this store");
  if (friend.sharesAdvocateAddress) {
    add("same_address", "The order ships to an address the advocate has used (a household, or the advocate)");
  }
  const earlier = friend.earlierClaimFromClient;
  if (earlier) {
    add(
      "same_client",
      earlier.ownLink
        ? "Claimed from the same network as the advocate's own refused try at this link, with another email"
        : earlier.existingCustomer
          ? "Claimed from the same network as an existing customer's refused try at this link, with another email"
          : `Claimed from the same network as ${earlier.friendCode ?? "an earlier friend"}'s claim on this link, with another email (one person with two emails, or a household)`,
    );
  }
  if ((friend.claimsFromNetwork ?? 0) >= IP_BURST_CLAIMS) {
    add(
      "ip_burst",
      `${friend.claimsFromNetwork} referral claims came from the same network within ${IP_BURST_WINDOW_DAYS} days`,
    );
  }
  return signals;
}

export type FraudVerdict = "clear" | "flag" | "block";

/**
 * The verdict on a referral's signals. Signals staff approved (by code) weigh nothing: a household approved at the
 * claim is not flagged again by its order.
 */
export function scoreSignals(
  signals: readonly FraudSignal[],
  approved: readonly SignalCode[] = [],
): { score: number; verdict: FraudVerdict } {
  const counted = new Map<SignalCode, number>();
  for (const signal of signals) if (!approved.includes(signal.code)) counted.set(signal.code, signal.weight);
  const score = [...counted.values()].reduce((sum, weight) => sum + weight, 0);
  return { score, verdict: score >= BLOCK_SCORE ? "block" : score >= FLAG_SCORE ? "flag" : "clear" };
}

/** The reason a shopper reads when their claim is refused: the heaviest signal's. */
export function shopperReason(signals: readonly FraudSignal[]): string {
  const heaviest = [...signals].sort((a, b) => b.weight - a.weight)[0];
  return heaviest ? shopperReasons[heaviest.code] : "This referral offer is not available.";
}

/**
 * Why a claim is refused, as a key the landing page words in the shopper's language (the widget's locales,
 * `referral_page.err_*`): `shopperReason`'s sentences grouped by what the shopper can do about them.
 */
export type ShopperRefusal = "own_link" | "not_new" | "inactive" | "review" | "used";

const refusals: Readonly<Record<SignalCode, ShopperRefusal>> = {
  same_email: "own_link",
  own_order: "own_link",
  same_name: "own_link",
  already_customer: "not_new",
  advocate_blocked: "inactive",
  ip_burst: "review",
  same_address: "review",
  same_client: "review",
};

/** `shopperReason`'s key: the heaviest signal's refusal. */
export function shopperRefusal(signals: readonly FraudSignal[]): ShopperRefusal {
  const heaviest = [...signals].sort((a, b) => b.weight - a.weight)[0];
  return heaviest ? refusals[heaviest.code] : "inactive";
}

/** Signals from a new check added to those kept, one per code and moment (a re-check never duplicates). */
export function mergeSignals(kept: readonly FraudSignal[], found: readonly FraudSignal[]): FraudSignal[] {
  const merged = [...kept];
  for (const signal of found) {
    if (!merged.some((each) => each.code === signal.code && each.at === signal.at)) merged.push(signal);
  }
  return merged;
}

/**
 * A friend's email as the claim accepts it: trimmed, one address, at most 254 characters (RFC 5321's path limit).
 * Returns the reason a shopper reads when it is not one.
 */
export function checkFriendEmail(input: string): { ok: true; email: string } | { ok: false; reason: string } {
  const email = input.trim();
  if (email === "") return { ok: false, reason: "Enter your email address to get your code." };
  if (email.length > 254) return { ok: false, reason: "That email address is too long." };
  if (!/^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\].]{2,}$/.test(email)) {
    return { ok: false, reason: `"${email}" isn't an email address. Check it and try again.` };
  }
  return { ok: true, email };
}
