import { and, desc, eq, inArray, isNull, or } from "drizzle-orm";
import {
  describeFriendOffer,
  foldEmail,
  normalizeAdvocateCode,
  rewardTerms,
  type RewardTerms,
} from "~/domain/referrals";
import type { MoneyWriter } from "~/domain/shared";
import { DomainError } from "~/domain/shared";
import { customers, referralRewards, referrals } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";
import { ensureCustomer } from "../customers/customer-rows.server";
import { findAdvocateByCode, getAdvocateSummary, joinReferralProgram, referralUrl } from "./advocates.server";
import { getReferralProgram } from "./referral-program.server";
import { getShopMoneyWriter } from "../shops/shop-money.server";

/** The widget's `referral` (GET {proxy}/v1/me, POST {proxy}/v1/referral/join): keep these names, themes read them. */
export interface StorefrontReferral {
  status: "joined" | "not_joined";
  code: string | null;
  url: string | null;
  /** Friends who claimed an offer through the customer's link. */
  referees: number;
  /** Referrals Completed. */
  successful: number;
  /**
   * What the program gives: the friend on their first order, the advocate when it completes. Data, not words: the
   * widget writes them in the shopper's language (decision 051). Amounts also come written in the shop's money format
   * (`valueText`, `minimumSubtotalText`: "$5.00 CAD"; null where there is no amount), as every storefront amount
   * (decision 041).
   */
  offer: StorefrontReferralOffer;
}

/** What the referral program gives: the friend on their first order, the advocate when it completes. */
export interface StorefrontReferralOffer {
  friend: StorefrontRewardTerms;
  advocate: StorefrontRewardTerms;
}

/** A reward as data (`RewardTerms`), with its amounts written in the shop's money format. */
export type StorefrontRewardTerms = RewardTerms & { valueText: string | null; minimumSubtotalText: string | null };

export function storefrontTerms(terms: RewardTerms, money: MoneyWriter): StorefrontRewardTerms {
  return {
    ...terms,
    valueText: terms.kind === "fixed_amount_off" && terms.value !== null ? money(terms.value) : null,
    minimumSubtotalText: terms.minimumSubtotalMinor > 0 ? money(terms.minimumSubtotalMinor) : null,
  };
}

/**
 * The referral program's offer as the storefront shows it to anyone, a visitor who is not logged in included (v1/me's
 * `referralOffer`, decision 051); null when the program is off.
 */
export async function getStorefrontReferralOffer({
  ctx,
}: {
  ctx: ServiceContext;
}): Promise<StorefrontReferralOffer | null> {
  const program = await getReferralProgram({ ctx });
  if (!program.settings.enabled) return null;
  const money = await getShopMoneyWriter({ ctx, input: { currency: program.currency } });
  const { friendReward, advocateReward } = program.settings;
  return {
    friend: storefrontTerms(rewardTerms(friendReward, program.currency), money),
    advocate: storefrontTerms(rewardTerms(advocateReward, program.currency), money),
  };
}

/**
 * The logged-in customer's referral, or null when the program is off or Tally does not know the customer yet. With
 * joining automatic a Member gets their code the first time it is asked for.
 */
export async function getStorefrontReferral({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerGid: string; proxyPath?: string };
}): Promise<StorefrontReferral | null> {
  const offer = await getStorefrontReferralOffer({ ctx });
  if (!offer) return null;
  const [row] = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, input.customerGid)));
  if (!row) return null;
  const { status, code, url, referees, successful } = await getAdvocateSummary({
    ctx,
    input: { customerId: row.id, proxyPath: input.proxyPath },
  });
  return { status, code, url, referees, successful, offer };
}

/**
 * POST {proxy}/v1/referral/join: the logged-in customer joins (idempotent) and gets their referral. A shopper whose
 * account Tally has not heard of yet (customers/create is on its way) is recorded from Shopify's signed id. Throws
 * DomainError "not_found" (404) when the program is off, "blocked" (403) for a blocked customer.
 */
export async function joinFromStorefront({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerGid: string; proxyPath?: string };
}): Promise<StorefrontReferral> {
  const program = await getReferralProgram({ ctx });
  if (!program.settings.enabled) throw new DomainError("not_found", "This store's referral program is off");
  const customer = await inTransaction(ctx, (tx) => ensureCustomer({ ctx, tx }, { customerGid: input.customerGid }));
  await joinReferralProgram({ ctx, input: { customerId: customer.id, via: "widget" } });
  const referral = await getStorefrontReferral({ ctx, input });
  if (!referral) throw new DomainError("not_found", "This store's referral program is off");
  return referral;
}

export type ReferralLanding =
  | {
      kind: "offer";
      code: string;
      /** The link as the advocate gives it out, https://{shop}/apps/tally/r/{code}. */
      url: string;
      /** The advocate's first name only: the page is public. */
      advocateFirstName: string | null;
      /**
       * The shopper signed in (Shopify's signed `logged_in_customer_id`) is the advocate: the page shows them how to
       * share the link rather than the friend's form, which would only refuse their own email.
       */
      viewerIsAdvocate: boolean;
      /** "10% off your first order of 20.00 CAD or more". */
      friendOffer: string;
      /** The same offer as data, which the landing page words in the shopper's language (decision 051). */
      friendTerms: StorefrontRewardTerms;
    }
  | {
      kind: "unavailable";
      reason: string;
      /** `reason` as a key the landing page words in the shopper's language (`referral_page.why_*`). */
      why: "unknown" | "ended" | "inactive" | "paused";
    };

/**
 * The landing page behind an advocate's link (GET {proxy}/r/{code}): who invites the visitor and what they get, and
 * whether the visitor signed in (`viewerGid`, null for a visitor) is the advocate; or why the link leads nowhere
 * (unknown or malformed code, program off, advocate blocked, code paused for review).
 */
export async function getReferralLanding({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { code: string; viewerGid?: string | null; proxyPath?: string };
}): Promise<ReferralLanding> {
  const unknown: ReferralLanding = {
    kind: "unavailable",
    reason: "This referral link doesn't lead to an offer.",
    why: "unknown",
  };
  const code = normalizeAdvocateCode(input.code);
  if (!code) return unknown;
  const program = await getReferralProgram({ ctx });
  if (!program.settings.enabled)
    return { kind: "unavailable", reason: "This store's referral offer has ended.", why: "ended" };
  const advocate = await findAdvocateByCode({ ctx, input: { code } });
  if (!advocate) return unknown;
  const [customer] = await ctx.db
    .select({ firstName: customers.firstName, blocked: customers.blocked, customerGid: customers.customerGid })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, advocate.customerId)));
  if (!customer || customer.blocked)
    return { kind: "unavailable", reason: "This referral link is no longer active.", why: "inactive" };
  if (advocate.pausedAt) {
    return { kind: "unavailable", reason: "This referral link is paused while the store reviews it.", why: "paused" };
  }
  const money = await getShopMoneyWriter({ ctx, input: { currency: program.currency } });
  return {
    kind: "offer",
    code,
    url: referralUrl(ctx.shop, code, input.proxyPath),
    advocateFirstName: customer.firstName?.trim() || null,
    viewerIsAdvocate: Boolean(input.viewerGid) && input.viewerGid === customer.customerGid,
    friendOffer: describeFriendOffer(program.settings.friendReward, program.currency, money),
    friendTerms: storefrontTerms(rewardTerms(program.settings.friendReward, program.currency), money),
  };
}

/** A referral discount code of a customer's, as the widget lists it among their rewards. */
export type StorefrontReferralCode = Pick<
  typeof referralRewards.$inferSelect,
  "role" | "code" | "kind" | "valueMinor" | "percent" | "minimumSubtotalMinor" | "currency" | "createdAt"
> & { used: boolean };

/** As many referral codes as the widget lists rewards. */
const CODES_LISTED = 20;

/**
 * The referral codes that are the customer's to use, newest first: their friend's welcome code (the offer claimed on
 * an advocate's landing page) and their advocate rewards when those are discounts, live in Shopify (issued) or used.
 * A friend's code is found by the customer Tally linked it to (at the claim, or the order that used it), or, while it
 * is linked to no one, by the email claimed with: the same address, case aside (the claim's `friendSearch`), so a
 * "+tag" or dotted variant of the mailbox does not see it. Both lookups are by index: (shop, customer) on the codes,
 * the unique (shop, folded email) on referrals.
 */
export async function listReferralCodes({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; email: string | null };
}): Promise<StorefrontReferralCode[]> {
  const columns = {
    id: referralRewards.id,
    role: referralRewards.role,
    code: referralRewards.code,
    kind: referralRewards.kind,
    valueMinor: referralRewards.valueMinor,
    percent: referralRewards.percent,
    minimumSubtotalMinor: referralRewards.minimumSubtotalMinor,
    currency: referralRewards.currency,
    status: referralRewards.status,
    createdAt: referralRewards.createdAt,
  };
  const live = inArray(referralRewards.status, ["issued", "used"]);
  const linked = await ctx.db
    .select(columns)
    .from(referralRewards)
    .where(and(eq(referralRewards.shop, ctx.shop), eq(referralRewards.customerId, input.customerId), live))
    .orderBy(desc(referralRewards.id))
    .limit(CODES_LISTED);
  const email = input.email?.trim().toLowerCase();
  const claimed = email
    ? await ctx.db
        .select(columns)
        .from(referrals)
        .innerJoin(
          referralRewards,
          and(
            eq(referralRewards.shop, referrals.shop),
            eq(referralRewards.referralId, referrals.id),
            eq(referralRewards.role, "friend"),
          ),
        )
        .where(
          and(
            eq(referrals.shop, ctx.shop),
            eq(referrals.friendEmailKey, foldEmail(email)),
            eq(referrals.friendSearch, email),
            or(isNull(referrals.friendCustomerId), eq(referrals.friendCustomerId, input.customerId)),
            isNull(referralRewards.customerId),
            live,
          ),
        )
    : [];
  return [...claimed, ...linked]
    .sort((a, b) => b.id - a.id)
    .map(({ id: _id, status, ...code }) => ({ ...code, used: status === "used" }));
}
