import { randomUUID } from "node:crypto";
import { and, count, desc, eq, gte, ne } from "drizzle-orm";
import {
  claimAllowance,
  claimedReferral,
  CLIENT_CLAIMS,
  CLIENT_WINDOW_MS,
  CODE_CLAIMS,
  CODE_WINDOW_MS,
  BURST_REFERRALS,
  BURST_WINDOW_MS,
  describeFriendOffer,
  detectSignals,
  discountCodeKey,
  foldEmail,
  generateUnique,
  IP_BURST_WINDOW_DAYS,
  isBurst,
  isRefusedClaim,
  newDiscountCode,
  normalizeAdvocateCode,
  rewardTerms,
  shopperReason,
  shopperRefusal,
  type FraudSignal,
  type RandomBytes,
  type ShopperRefusal,
} from "~/domain/referrals";
import { DomainError } from "~/domain/shared";
import { customers, referralAdvocates, referralClaimAttempts, referralRewards, referrals } from "~/db/schema";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { cryptoRandom, findAdvocateByCode } from "./advocates.server";
import { columnsOf, fingerprintsOf, hasPaidOrder, recordReferralEvents, sharesAddress } from "./referral-rows.server";
import { getReferralProgram } from "./referral-program.server";
import {
  issueReferralDiscount,
  reserveReferralDiscount,
  type ReferralDiscountGateway,
  type ReferralRewardRow,
} from "./referral-discounts.server";
import { getShopMoneyWriter } from "../shops/shop-money.server";
import { storefrontTerms, type StorefrontRewardTerms } from "./referral-storefront.server";

export interface ClaimedOffer {
  discountCode: string;
  /** The offer in a shopper's words: "10% off your first order of 20.00 CAD or more". */
  title: string;
  /** The same offer as data, for a page that words it in the shopper's language (decision 051). */
  terms: StorefrontRewardTerms;
  /** `https://{shop}/discount/{code}?redirect=/`: opens the store with the code already in the cart. */
  applyUrl: string;
}

type ReferralRow = typeof referrals.$inferSelect;
type CustomerRow = typeof customers.$inferSelect;

const dayMs = 24 * 60 * 60 * 1000;
/** A friend's code in flight this recently is another request's: it is not created a second time. */
const IN_FLIGHT_MS = 60_000;

/** Where a burst on a code is counted from: the window, or staff's last resume of the code if later. */
function burstSince(resumedAt: string | null, now: Date): string {
  const window = new Date(now.getTime() - BURST_WINDOW_MS).toISOString();
  return resumedAt && resumedAt > window ? resumedAt : window;
}

const refused = (reason: string, why: ShopperRefusal) => new DomainError("conflict", reason, { reason, why });

/** The customer Tally knows by this email, if any: the friend at a claim. */
async function customerByEmail(ctx: ServiceContext, tx: Tx, email: string): Promise<CustomerRow | undefined> {
  const key = email.trim().replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  const [row] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.searchEmail, key)))
    .limit(1);
  return row;
}

/** Tally's record of the customer signed in on the storefront (Shopify's signed `logged_in_customer_id`), if any. */
async function customerByGid(ctx: ServiceContext, tx: Tx, customerGid: string): Promise<CustomerRow | undefined> {
  const [row] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, customerGid)))
    .limit(1);
  return row;
}

/** Times of the most recent claims by this client and on this code, for the rate limits. */
async function recentClaims(ctx: ServiceContext, tx: Tx, advocateId: number, clientFingerprint: string | null) {
  const since = (ms: number) => new Date(ctx.now.getTime() - ms).toISOString();
  const clientRows = clientFingerprint
    ? await tx
        .select({ at: referralClaimAttempts.createdAt })
        .from(referralClaimAttempts)
        .where(
          and(
            eq(referralClaimAttempts.shop, ctx.shop),
            eq(referralClaimAttempts.clientFingerprint, clientFingerprint),
            gte(referralClaimAttempts.createdAt, since(CLIENT_WINDOW_MS)),
          ),
        )
        .orderBy(desc(referralClaimAttempts.createdAt))
        .limit(CLIENT_CLAIMS)
    : [];
  const codeRows = await tx
    .select({ at: referralClaimAttempts.createdAt })
    .from(referralClaimAttempts)
    .where(
      and(
        eq(referralClaimAttempts.shop, ctx.shop),
        eq(referralClaimAttempts.advocateId, advocateId),
        gte(referralClaimAttempts.createdAt, since(CODE_WINDOW_MS)),
      ),
    )
    .orderBy(desc(referralClaimAttempts.createdAt))
    .limit(CODE_CLAIMS);
  const dates = (rows: Array<{ at: string }>) => rows.map((row) => new Date(row.at));
  return { clientClaims: dates(clientRows), codeClaims: dates(codeRows) };
}

/**
 * The latest earlier claim of this advocate's link from the same client network (every earlier one had another
 * mailbox: the same mailbox gets its referral back before this is asked), with the friend code it got, if any, or
 * which refused try it was (decisions 018 and 077: no friend's claim).
 */
async function earlierClaimFromClient(
  ctx: ServiceContext,
  tx: Tx,
  advocateId: number,
  clientFingerprint: string | null,
): Promise<{ friendCode: string | null; ownLink: boolean; existingCustomer: boolean } | null> {
  if (!clientFingerprint) return null;
  const [earlier] = await tx
    .select({ id: referrals.id, status: referrals.status })
    .from(referrals)
    .where(
      and(
        eq(referrals.shop, ctx.shop),
        eq(referrals.clientFingerprint, clientFingerprint),
        eq(referrals.advocateId, advocateId),
      ),
    )
    .orderBy(desc(referrals.createdAt), desc(referrals.id))
    .limit(1);
  if (!earlier) return null;
  const reward = isRefusedClaim(earlier.status) ? undefined : await friendReward(ctx, tx, earlier.id);
  return {
    friendCode: reward?.code ?? null,
    ownLink: earlier.status === "own_link",
    existingCustomer: earlier.status === "not_new",
  };
}

type Decision =
  | { kind: "offer"; referral: ReferralRow; reward: ReferralRewardRow; lookFirst: boolean }
  | { kind: "existing"; reward: ReferralRewardRow }
  | { kind: "refused"; reason: string; why: ShopperRefusal };

/** The friend's code row of a referral, if any. */
async function friendReward(ctx: ServiceContext, tx: Tx, referralId: number) {
  const [row] = await tx
    .select()
    .from(referralRewards)
    .where(
      and(
        eq(referralRewards.shop, ctx.shop),
        eq(referralRewards.referralId, referralId),
        eq(referralRewards.role, "friend"),
      ),
    );
  return row;
}

/** An existing referral's answer to the same mailbox claiming again: the same code, or why not. */
async function answerExisting(
  ctx: ServiceContext,
  tx: Tx,
  referral: ReferralRow,
  random: RandomBytes,
): Promise<Decision> {
  if (referral.status === "blocked" || isRefusedClaim(referral.status)) {
    return {
      kind: "refused",
      reason: shopperReason(referral.state.signals),
      why: shopperRefusal(referral.state.signals),
    };
  }
  if (referral.status === "cancelled")
    return { kind: "refused", reason: "This referral offer is no longer available.", why: "inactive" };
  const reward = await friendReward(ctx, tx, referral.id);
  if (referral.status === "completed" || reward?.status === "used") {
    return { kind: "refused", reason: "This offer was already used with this email.", why: "used" };
  }
  if (!reward) {
    // Approved by staff after it was blocked at the claim: the friend's code is made now.
    const program = await getReferralProgram({ ctx, tx, input: { version: referral.programVersion } });
    const row = await reserveReferralDiscount({
      ctx,
      tx,
      input: {
        referralId: referral.id,
        role: "friend",
        customerId: referral.friendCustomerId,
        reward: program.settings.friendReward,
        currency: program.currency,
        status: "reserved",
      },
      random,
    });
    return { kind: "offer", referral, reward: row, lookFirst: false };
  }
  if (reward.status === "issued") return { kind: "existing", reward };
  if (reward.status === "reserved") {
    if (ctx.now.getTime() - Date.parse(reward.updatedAt) < IN_FLIGHT_MS) {
      throw new DomainError("shopify_unavailable", "Your code is being created; try again in a moment", {
        retryAfterSeconds: 5,
      });
    }
    await tx
      .update(referralRewards)
      .set({ updatedAt: ctx.now.toISOString() })
      .where(and(eq(referralRewards.shop, ctx.shop), eq(referralRewards.id, reward.id)));
    return { kind: "offer", referral, reward, lookFirst: true };
  }
  if (reward.status === "failed") {
    // Shopify refused the last code: draw another for the same referral.
    const fresh = await generateUnique(
      () => newDiscountCode("friend", random),
      async (candidate) => {
        const [taken] = await tx
          .select({ id: referralRewards.id })
          .from(referralRewards)
          .where(and(eq(referralRewards.shop, ctx.shop), eq(referralRewards.codeKey, discountCodeKey(candidate))));
        return taken === undefined;
      },
    );
    const [row] = await tx
      .update(referralRewards)
      .set({
        code: fresh,
        codeKey: discountCodeKey(fresh),
        status: "reserved",
        error: null,
        updatedAt: ctx.now.toISOString(),
      })
      .where(and(eq(referralRewards.shop, ctx.shop), eq(referralRewards.id, reward.id)))
      .returning();
    return { kind: "offer", referral, reward: row!, lookFirst: false };
  }
  return { kind: "refused", reason: "This referral offer is no longer available.", why: "inactive" };
}

/**
 * POST {proxy}/v1/referral/claim: a friend claims the offer behind an advocate's link with their email. Creates the
 * referral (Pending, or Blocked with its reasons, or refused as the shopper's own link or an existing customer's try) and a unique single-use discount code in Shopify for the friend;
 * the same mailbox claiming again gets the same code. The code is reserved in a transaction, created in Shopify
 * outside it, then confirmed (the redemption's reserve-call-confirm).
 *
 * `customerGid` is the customer signed in on the storefront (Shopify's signed `logged_in_customer_id`, null for a
 * visitor): then that customer is the claimant, whatever email was typed. The claim is judged on their record as Tally
 * knows it (their account email, their orders): an existing customer is refused `not_new`, the advocate themself
 * `own_link`, a new customer gets the friend's code under their account email. A typed email that differs is ignored,
 * so a signed-in shopper cannot make up a new friend; it is used only while Tally has not yet heard of the account (no
 * record, or no email on it), when nothing is known against it. A visitor's claim is judged on the typed email.
 *
 * `clientFingerprint` is the claiming network as a salted hash (never the address), for the per-client limit and the
 * burst signal. Throws DomainError: "not_found" (404) for an unknown code or a program that is off, "conflict" (409)
 * with `reason` in a shopper's words when the referral is blocked or the code paused, "bad_request" (400) when no email
 * is known (a visitor's, or a signed-in account Tally has no email for, and none typed), "rate_limited" (429) with
 * `retryAfterSeconds`, "shopify_refused" (422) or "shopify_unavailable" (503) when Shopify did not create the code.
 */
export async function claimReferral({
  ctx,
  input,
  gateway,
  random = cryptoRandom,
}: {
  ctx: ServiceContext;
  input: { code: string; email: string | null; clientFingerprint: string | null; customerGid?: string | null };
  gateway: ReferralDiscountGateway;
  random?: RandomBytes;
}): Promise<ClaimedOffer> {
  const code = normalizeAdvocateCode(input.code);
  if (!code) throw new DomainError("not_found", "There is no referral link with this code");

  const decision = await inTransaction(ctx, async (tx): Promise<Decision> => {
    const claimant = input.customerGid ? await customerByGid(ctx, tx, input.customerGid) : undefined;
    const email = claimant?.email?.trim() || input.email?.trim() || "";
    if (!email) {
      const reason = "Enter your email address to get your code.";
      throw new DomainError("bad_request", reason, { reason });
    }
    const program = await getReferralProgram({ ctx, tx });
    if (!program.settings.enabled) throw new DomainError("not_found", "This store's referral offer has ended");
    const advocate = await findAdvocateByCode({ ctx, tx, input: { code } });
    if (!advocate) throw new DomainError("not_found", "There is no referral link with this code");

    const allowance = claimAllowance({
      ...(await recentClaims(ctx, tx, advocate.id, input.clientFingerprint)),
      now: ctx.now,
    });
    if (!allowance.allowed) {
      throw new DomainError(
        "rate_limited",
        allowance.scope === "client"
          ? "Too many claims from your network; try again later"
          : "This referral link is very popular right now; try again later",
        { retryAfterSeconds: allowance.retryAfterSeconds, scope: allowance.scope },
      );
    }
    await tx.insert(referralClaimAttempts).values({
      shop: ctx.shop,
      advocateId: advocate.id,
      clientFingerprint: input.clientFingerprint,
      createdAt: ctx.now.toISOString(),
    });

    const [existing] = await tx
      .select()
      .from(referrals)
      .where(and(eq(referrals.shop, ctx.shop), eq(referrals.friendEmailKey, foldEmail(email))));
    if (existing) return answerExisting(ctx, tx, existing, random);

    if (advocate.pausedAt) {
      return {
        kind: "refused",
        reason: "This referral link is paused while the store reviews it. Please try again later.",
        why: "review",
      };
    }
    const burst = await tx
      .select({ createdAt: referrals.createdAt })
      .from(referrals)
      .where(
        and(
          eq(referrals.shop, ctx.shop),
          eq(referrals.advocateId, advocate.id),
          // The advocate trying their own link is no new friend. Existing customers' refused tries do count (decision
          // 077): a burst of strangers trying the offer says the link is out on a coupon site, whoever they are.
          ne(referrals.status, "own_link"),
          gte(referrals.createdAt, burstSince(advocate.resumedAt, ctx.now)),
        ),
      )
      .limit(BURST_REFERRALS);
    if (isBurst([...burst.map((row) => new Date(row.createdAt)), ctx.now], ctx.now)) {
      await tx
        .update(referralAdvocates)
        .set({
          pausedAt: ctx.now.toISOString(),
          pausedReason: `${BURST_REFERRALS} new friends claimed offers through this link within ${BURST_WINDOW_MS / 60_000} minutes`,
        })
        .where(and(eq(referralAdvocates.shop, ctx.shop), eq(referralAdvocates.id, advocate.id)));
      return {
        kind: "refused",
        reason: "This referral link is paused while the store reviews it. Please try again later.",
        why: "review",
      };
    }

    const [advocateCustomer] = await tx
      .select()
      .from(customers)
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, advocate.customerId)));
    if (!advocateCustomer) throw new DomainError("not_found", "There is no referral link with this code");
    const friend = claimant ?? (await customerByEmail(ctx, tx, email));
    const [network] = input.clientFingerprint
      ? await tx
          .select({ n: count() })
          .from(referrals)
          .where(
            and(
              eq(referrals.shop, ctx.shop),
              eq(referrals.clientFingerprint, input.clientFingerprint),
              gte(referrals.createdAt, new Date(ctx.now.getTime() - IP_BURST_WINDOW_DAYS * dayMs).toISOString()),
            ),
          )
      : [];
    const signals: FraudSignal[] = detectSignals(
      advocateCustomer,
      {
        email,
        customerGid: friend?.customerGid ?? null,
        firstName: friend?.firstName,
        lastName: friend?.lastName,
        alreadyCustomer: friend && friend.id !== advocateCustomer.id ? await hasPaidOrder(ctx, tx, friend) : false,
        sharesAdvocateAddress:
          friend && friend.id !== advocateCustomer.id
            ? await sharesAddress(ctx, tx, advocateCustomer.id, await fingerprintsOf(ctx, tx, friend.id))
            : false,
        signedInAsAdvocate: claimant?.id === advocateCustomer.id,
        claimsFromNetwork: input.clientFingerprint ? (network?.n ?? 0) + 1 : 0,
        earlierClaimFromClient: await earlierClaimFromClient(ctx, tx, advocate.id, input.clientFingerprint),
      },
      "claim",
      // No order yet: "own order" is a completion signal; the advocate's own email is same_email.
    ).filter((signal) => signal.code !== "own_order");

    const { state, events } = claimedReferral({
      referralKey: randomUUID(),
      reward: program.settings.advocateReward,
      pendingDays: program.settings.pendingDays,
      signals,
    });
    const now = ctx.now.toISOString();
    const [referral] = await tx
      .insert(referrals)
      .values({
        shop: ctx.shop,
        referralKey: state.referralKey,
        advocateId: advocate.id,
        advocateCustomerId: advocate.customerId,
        friendEmail: email,
        friendEmailKey: foldEmail(email),
        friendSearch: email.toLowerCase(),
        friendCustomerId: friend && friend.id !== advocateCustomer.id ? friend.id : null,
        ...columnsOf(state),
        programVersion: program.version,
        clientFingerprint: input.clientFingerprint,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordReferralEvents(ctx, tx, referral!.id, events);
    if (state.status === "blocked" || isRefusedClaim(state.status)) {
      return { kind: "refused", reason: shopperReason(state.signals), why: shopperRefusal(state.signals) };
    }
    const reward = await reserveReferralDiscount({
      ctx,
      tx,
      input: {
        referralId: referral!.id,
        role: "friend",
        customerId: referral!.friendCustomerId,
        reward: program.settings.friendReward,
        currency: program.currency,
        status: "reserved",
      },
      random,
    });
    return { kind: "offer", referral: referral!, reward, lookFirst: false };
  });

  if (decision.kind === "refused") throw refused(decision.reason, decision.why);
  const offer = async (reward: ReferralRewardRow): Promise<ClaimedOffer> => {
    const [referral] = await ctx.db
      .select({ programVersion: referrals.programVersion })
      .from(referrals)
      .where(and(eq(referrals.shop, ctx.shop), eq(referrals.id, reward.referralId)));
    const program = await getReferralProgram({ ctx, input: { version: referral?.programVersion ?? 1 } });
    const money = await getShopMoneyWriter({ ctx, input: { currency: program.currency } });
    return {
      discountCode: reward.code,
      title: describeFriendOffer(program.settings.friendReward, program.currency, money),
      terms: storefrontTerms(rewardTerms(program.settings.friendReward, program.currency), money),
      applyUrl: `https://${ctx.shop}/discount/${encodeURIComponent(reward.code)}?redirect=/`,
    };
  };
  if (decision.kind === "existing") return offer(decision.reward);

  let issued: ReferralRewardRow;
  try {
    issued = await issueReferralDiscount({
      ctx,
      input: { row: decision.reward, lookFirst: decision.lookFirst },
      gateway,
    });
  } catch (error) {
    throw new DomainError("shopify_unavailable", "Your code is being created; claim again in a moment to see it", {
      retryAfterSeconds: 30,
      reason: String(error),
    });
  }
  if (issued.status !== "issued") {
    throw new DomainError("shopify_refused", "The store could not create your code; please try again", {
      reason: issued.error ?? "refused",
    });
  }
  return offer(issued);
}
