import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import {
  pendingReleases,
  storefrontActivityKind,
  type LedgerEntryKind,
  type PendingRelease,
  type StorefrontActivityKind,
} from "~/domain/ledger";
import {
  rewardRowTitle,
  rewardRowValue,
  rewardTitleTerms,
  pointsInWords,
  shopperRewardTitle,
  type Program,
  type RedeemOption,
  type RewardTitleTerms,
  type RewardValue,
} from "~/domain/program";
import { describeFriendOffer, describeReferralReward, referralDiscountOfRow } from "~/domain/referrals";
import {
  currencyCodeSchema,
  formatMinor,
  shopMoneyWriter,
  statusFromShopifyState,
  type MoneyWriter,
  type ShopifyCustomerState,
} from "~/domain/shared";
import { customers, ledgerEntries, orders, referrals, rewards } from "~/db/schema";
import type { ServiceContext } from "../context";
import { getProgram } from "../program/get-program.server";
import { getShopMoneyWriter } from "../shops/shop-money.server";
import {
  getStorefrontReferral,
  getStorefrontReferralOffer,
  listReferralCodes,
  type StorefrontReferral,
  type StorefrontReferralCode,
  type StorefrontReferralOffer,
} from "../referrals/referral-storefront.server";
import { listRewards } from "../rewards/redeem-points.server";

/** How many ledger entries the widget's "Recent activity" shows. */
export const RECENT_ACTIVITY = 10;
/** Orders looked at for held points: a customer with points pending has a handful of recent orders, not hundreds. */
const PENDING_ORDERS_SCANNED = 50;

/**
 * The widget's contract (GET {proxy}/v1/me); keep these names and shapes, themes depend on them. Fields are only ever
 * added. `customer` is null for a visitor who is not logged in, and `{ id, known: false }` for a logged-in shopper
 * Tally has no record of yet (their customers/create is on its way, or the shop's install sync has not reached them):
 * Tally does not know their status or points, so it shows none rather than an invented member with 0 points.
 *
 * Amounts come three times: `value` as the admin writes it ("5.00"), for older themes; `amountMinor` with the
 * program's `currency` (minor units, the currency's own exponent); and `…Text`, written with the shop's own money
 * format ("$5.00 CAD", decision 041), which the widget shows. Titles Tally generated ("5.00 off") come written the
 * same way ("$5.00 CAD off"); a title the merchant wrote is theirs. Activity is a `kind` the widget words in the shopper's language, never the admin's English explanation.
 */
export interface StorefrontView {
  customer:
    | {
        id: string;
        known: true;
        status: "member" | "guest";
        blocked: boolean;
        points: number;
        pendingPoints: number;
        lifetimeEarned: number;
        lifetimeRedeemed: number;
        /**
         * What holds the pending points, soonest release first (`releaseAt` null: an order not fulfilled yet): the
         * customer's own orders (`source` "order"), and referral rewards waiting out the referral program's pending
         * period (`source` "referral": `orderName` null, the friend's order is not the advocate's to see).
         */
        pendingReleases: StorefrontPendingRelease[];
        /**
         * The customer's store credit as the directory keeps it (decision 027: the account in the shop's currency, else
         * the largest; current after an Issue, a Deduct or Sync customer in Tally, not after credit spent at checkout
         * until then): minor units of `currency`, and `text` in the shop's money format ("$15.00 CAD", decision 041).
         * Null when they hold none. The storefront panel shows Shopify's balance from Liquid instead whenever the page
         * has one (decision 042's amendment); this figure is for where it has none.
         */
        storeCredit: { amountMinor: number; currency: string; text: string } | null;
      }
    | { id: string; known: false }
    | null;
  program: {
    /**
     * Whether a Guest can redeem (Settings' "Guests can redeem"): the panel tells a signed-in Guest her points wait for
     * her account to be confirmed only where they do (decision 075).
     */
    guestsRedeem: boolean;
    pointsName: string;
    /** The singular ("1 point"). */
    pointName: string;
    /** ISO 4217 code of every amount in the program. */
    currency: string;
    earn: Array<{
      kind: "order" | "signup";
      points: number;
      /**
       * In English, the program's names with their number: "1 point per $1.00 CAD spent", "3 stars per $2.50 CAD
       * spent", "100 points for creating an account". The widget words the rule itself in the shopper's language.
       */
      description: string;
      /** For `order`: `points` for every `unitMinor` spent (minor units of `currency`). */
      unitMinor?: number;
      /** For `order`: `unitMinor` in the shop's money format ("$1.00 CAD"). */
      unitText?: string;
    }>;
    redeem: Array<{
      id: string;
      title: string;
      points: number;
      kind: RedeemOption["kind"];
      value: string | number | null;
      /** fixed_amount_off and store_credit: the amount in minor units of `currency`; otherwise null. */
      amountMinor: number | null;
      /** percent_off: the percentage; otherwise null. */
      percent: number | null;
      /** `amountMinor` in the shop's money format ("$5.00 CAD"); null with it. */
      amountText: string | null;
      /** The order subtotal the reward needs, minor units; 0 for none. */
      minimumSubtotalMinor: number;
      /** `minimumSubtotalMinor` in the shop's money format; null for none. */
      minimumSubtotalText: string | null;
      /** `title` as data, for the widget to word in the shopper's language; null when the merchant wrote it. */
      titleTerms: StorefrontTitleTerms | null;
    }>;
  };
  /**
   * The customer's reward codes, newest first: those bought with points, and the referral codes that are theirs (the
   * welcome code they claimed as a referred friend, titled as the landing page offered it, "10% off your first order
   * of $20.00 CAD or more"; an advocate's discount reward).
   */
  rewards: Array<{
    code: string;
    title: string;
    used: boolean;
    createdAt: string;
    /** store_credit rewards are credited to the account: their code is a receipt, not a discount code. */
    kind: RedeemOption["kind"];
    /** `title` as data, as the redeem options' `titleTerms` (`minimumSubtotalMinor` 0 but for a referral code's). */
    titleTerms: StorefrontTitleTerms | null;
  }>;
  /** The customer's newest ledger entries, newest first; empty for a visitor or an unknown customer. */
  activity: Array<{
    kind: StorefrontActivityKind;
    /** Signed: what the entry did to the balance, or to the pending points when `pending`. */
    points: number;
    pending: boolean;
    createdAt: string;
    /** The order's name ("#1042") for order-related entries Tally knows the order of; else null. */
    orderName: string | null;
    /** The reward's title for redeemed and reward_returned entries; else null. */
    rewardTitle: string | null;
    /** `rewardTitle` as data, as the rewards' `titleTerms`; null with it or when the merchant wrote the title. */
    rewardTerms: StorefrontTitleTerms | null;
  }>;
  /** The customer's referral link and figures; null for a visitor, a customer Tally does not know yet, or when off. */
  referral: StorefrontReferral | null;
  /**
   * What the referral program gives, for every shopper, a visitor who is not logged in included (the widget offers
   * it beside Shopify's sign-up and sign-in links): `referral.offer`'s terms; null when the program is off.
   */
  referralOffer: StorefrontReferralOffer | null;
}

/**
 * A reward's title as data (`RewardTitleTerms`), its amounts also written in the shop's money format (`valueText`,
 * `minimumSubtotalText`: "$5.00 CAD"; null where there is none), as a referral offer's terms are (decision 051). The
 * widget words it ("10 % Rabatt", "5,00 $ CAD Shop-Guthaben"); `title` stays, in English, for an older widget.
 */
export type StorefrontTitleTerms = RewardTitleTerms & { valueText: string | null; minimumSubtotalText: string | null };

function storefrontTitleTerms(
  title: string,
  value: RewardValue,
  currency: string,
  minimumSubtotalMinor: number,
  money: MoneyWriter,
): StorefrontTitleTerms | null {
  const terms = rewardTitleTerms(title, value, currencyCodeSchema.parse(currency), minimumSubtotalMinor);
  if (!terms) return null;
  const amount = terms.kind === "fixed_amount_off" || terms.kind === "store_credit";
  return {
    ...terms,
    valueText: amount && terms.value !== null ? money(terms.value) : null,
    minimumSubtotalText: minimumSubtotalMinor > 0 ? money(minimumSubtotalMinor) : null,
  };
}

/** Held points and when they become spendable: an order's (`PendingRelease`) or a referral reward's. */
export type StorefrontPendingRelease = Omit<PendingRelease, "orderGid"> & { source: "order" | "referral" };

function optionValue(option: RedeemOption, program: Program): string | number | null {
  switch (option.kind) {
    case "fixed_amount_off":
    case "store_credit":
      return formatMinor(option.amountMinor, program.currency);
    case "percent_off":
      return option.percent;
    case "free_shipping":
      return null;
  }
}

function programView(program: Program, money: MoneyWriter): StorefrontView["program"] {
  const { settings } = program;
  const earn: StorefrontView["program"]["earn"] = [
    {
      kind: "order",
      points: settings.pointsPerUnit,
      description: `${pointsInWords(settings, settings.pointsPerUnit)} per ${money(settings.unitMinor)} spent`,
      unitMinor: settings.unitMinor,
      unitText: money(settings.unitMinor),
    },
  ];
  if (settings.signupBonus > 0) {
    earn.push({
      kind: "signup",
      points: settings.signupBonus,
      description: `${pointsInWords(settings, settings.signupBonus)} for creating an account`,
    });
  }
  return {
    guestsRedeem: settings.guestsRedeem,
    pointsName: settings.pointsName,
    pointName: settings.pointName,
    currency: program.currency,
    earn: settings.enabled ? earn : [],
    redeem: settings.enabled
      ? settings.redeemOptions.map((option) => ({
          id: option.id,
          title: shopperRewardTitle(option.title, option, program.currency, money),
          points: option.pointsCost,
          kind: option.kind,
          value: optionValue(option, program),
          amountMinor: option.kind === "fixed_amount_off" || option.kind === "store_credit" ? option.amountMinor : null,
          amountText:
            option.kind === "fixed_amount_off" || option.kind === "store_credit" ? money(option.amountMinor) : null,
          percent: option.kind === "percent_off" ? option.percent : null,
          minimumSubtotalMinor: option.minimumSubtotalMinor,
          minimumSubtotalText: option.minimumSubtotalMinor > 0 ? money(option.minimumSubtotalMinor) : null,
          titleTerms: storefrontTitleTerms(option.title, option, program.currency, option.minimumSubtotalMinor, money),
        }))
      : [],
  };
}

/**
 * An issued reward's title as the shopper reads it: amounts in the program's currency by the shop's format, in
 * another (a reward from before a change of store currency) as "5.00 EUR".
 */
function shopperRowTitle(
  row: RewardRow,
  currency: string,
  money: MoneyWriter,
): { title: string; titleTerms: StorefrontTitleTerms | null } {
  const writer = row.currency === currency ? money : shopMoneyWriter(currencyCodeSchema.parse(row.currency), null);
  const value = rewardRowValue(row);
  return {
    title: rewardRowTitle(row, writer),
    titleTerms: value && storefrontTitleTerms(row.title, value, row.currency, 0, writer),
  };
}

/**
 * A referral code as a reward row: the friend's welcome code titled as its landing page offered it ("10% off your first
 * order of $20.00 CAD or more"), an advocate's as a reward for a referral; amounts written as `shopperRowTitle` does.
 */
function referralCodeRow(
  code: StorefrontReferralCode,
  currency: string,
  money: MoneyWriter,
): StorefrontView["rewards"] {
  const discount = referralDiscountOfRow(code);
  if (!discount) return [];
  const codeCurrency = currencyCodeSchema.parse(code.currency);
  const writer = code.currency === currency ? money : shopMoneyWriter(codeCurrency, null);
  const value =
    discount.kind === "percent_off"
      ? discount.percent
      : discount.kind === "free_shipping"
        ? null
        : discount.amountMinor;
  return [
    {
      code: code.code,
      title:
        code.role === "friend"
          ? describeFriendOffer(discount, codeCurrency, writer)
          : `${describeReferralReward(discount, codeCurrency, writer)}, thanks for a referral`,
      used: code.used,
      createdAt: code.createdAt,
      kind: discount.kind,
      titleTerms: {
        kind: discount.kind,
        value,
        currency: codeCurrency,
        minimumSubtotalMinor: discount.minimumSubtotalMinor,
        valueText: discount.kind === "fixed_amount_off" ? writer(discount.amountMinor) : null,
        minimumSubtotalText: discount.minimumSubtotalMinor > 0 ? writer(discount.minimumSubtotalMinor) : null,
      },
    },
  ];
}

type RewardRow = { title: string; kind: string; valueMinor: number | null; percent: number | null; currency: string };

const rewardOf = (reward: { title: string; titleTerms: StorefrontTitleTerms | null } | undefined) => ({
  rewardTitle: reward?.title || null,
  rewardTerms: (reward?.title && reward.titleTerms) || null,
});

async function recentActivity(
  ctx: ServiceContext,
  customerId: number,
  currency: string,
  money: MoneyWriter,
): Promise<StorefrontView["activity"]> {
  const rows = await ctx.db
    .select({
      kind: ledgerEntries.kind,
      points: ledgerEntries.points,
      held: ledgerEntries.held,
      sourceType: ledgerEntries.sourceType,
      sourceGid: ledgerEntries.sourceGid,
      createdAt: ledgerEntries.createdAt,
    })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.shop, ctx.shop), eq(ledgerEntries.customerId, customerId)))
    .orderBy(desc(ledgerEntries.id))
    .limit(RECENT_ACTIVITY);
  const orderGids = [...new Set(rows.map((row) => row.sourceGid).filter((gid) => gid?.includes("/Order/")))];
  const rewardKeys = [...new Set(rows.filter((row) => row.sourceType === "reward").map((row) => row.sourceGid))];
  const orderNames = new Map(
    orderGids.length === 0
      ? []
      : (
          await ctx.db
            .select({ gid: orders.orderGid, name: orders.name })
            .from(orders)
            .where(and(eq(orders.shop, ctx.shop), inArray(orders.orderGid, orderGids as string[])))
        ).map((order) => [order.gid, order.name]),
  );
  const rewardTitles = new Map(
    rewardKeys.length === 0
      ? []
      : (
          await ctx.db
            .select({
              key: rewards.rewardKey,
              title: rewards.title,
              kind: rewards.kind,
              valueMinor: rewards.valueMinor,
              percent: rewards.percent,
              currency: rewards.currency,
            })
            .from(rewards)
            .where(and(eq(rewards.shop, ctx.shop), inArray(rewards.rewardKey, rewardKeys as string[])))
        ).map((reward) => [reward.key, shopperRowTitle(reward, currency, money)]),
  );
  return rows.map((row) => ({
    // Rows are written only from a LedgerEntry (append-entries' ledgerRowOf), so the stored kind is one of its kinds.
    kind: storefrontActivityKind(row.kind as LedgerEntryKind, row.sourceType),
    points: row.points,
    pending: row.held,
    createdAt: row.createdAt,
    orderName: (row.sourceGid && orderNames.get(row.sourceGid)) ?? null,
    ...rewardOf(row.sourceType === "reward" && row.sourceGid ? rewardTitles.get(row.sourceGid) : undefined),
  }));
}

/** The orders and referral rewards holding a customer's pending points, soonest release first, unknown dates last. */
async function heldPoints(ctx: ServiceContext, customerId: number): Promise<StorefrontPendingRelease[]> {
  const orderRows = await ctx.db
    .select({ state: orders.pointsState })
    .from(orders)
    .where(and(eq(orders.shop, ctx.shop), eq(orders.customerId, customerId)))
    .orderBy(desc(orders.processedAt))
    .limit(PENDING_ORDERS_SCANNED);
  // `release_at` is set only while a referral's reward is held (referral-rows' columnsOf).
  const referralRows = await ctx.db
    .select({ state: referrals.state })
    .from(referrals)
    .where(
      and(eq(referrals.shop, ctx.shop), eq(referrals.advocateCustomerId, customerId), isNotNull(referrals.releaseAt)),
    )
    .limit(PENDING_ORDERS_SCANNED);
  const fromOrders = pendingReleases(orderRows.map((row) => row.state)).map(
    ({ orderGid: _orderGid, ...release }): StorefrontPendingRelease => ({ ...release, source: "order" }),
  );
  const fromReferrals = referralRows.flatMap(({ state }): StorefrontPendingRelease[] =>
    state.rewardProgress === "held" && state.reward.kind === "points" && state.releaseAt
      ? [
          {
            orderName: null,
            points: state.reward.points,
            releaseAt: state.releaseAt,
            holdDays: state.pendingDays,
            source: "referral",
          },
        ]
      : [],
  );
  return [...fromOrders, ...fromReferrals].sort((a, b) =>
    (a.releaseAt ?? "\uffff").localeCompare(b.releaseAt ?? "\uffff"),
  );
}

/** The store credit a shopper sees in the panel: the directory's figure, written in the shop's money format. */
async function storeCreditOf(
  ctx: ServiceContext,
  row: { storeCreditMinor: number; storeCreditCurrency: string | null },
): Promise<NonNullable<Extract<StorefrontView["customer"], { known: true }>["storeCredit"]> | null> {
  const currency = currencyCodeSchema.safeParse(row.storeCreditCurrency);
  if (!currency.success || row.storeCreditMinor <= 0) return null;
  const money = await getShopMoneyWriter({ ctx, input: { currency: currency.data } });
  return { amountMinor: row.storeCreditMinor, currency: currency.data, text: money(row.storeCreditMinor) };
}

/**
 * What the storefront visitor sees: the program and the referral program's offer, and for a logged-in customer Tally
 * knows, their points (with the orders holding pending points and when they release), their store credit, their reward
 * codes, their recent activity and their referral link. Reads only, but for a Member's referral code made on first
 * read with joining automatic; every query is by index on (shop, customer), so the cost does not grow with the shop
 * (bench:storefront).
 */
export async function getStorefrontView({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerGid: string | null; proxyPath?: string };
}): Promise<StorefrontView> {
  const current = await getProgram({ ctx });
  const money = await getShopMoneyWriter({ ctx, input: { currency: current.currency } });
  const program = programView(current, money);
  const empty = { rewards: [], activity: [], referral: null };
  if (!input.customerGid) {
    return { customer: null, program, ...empty, referralOffer: await getStorefrontReferralOffer({ ctx }) };
  }
  const [row] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, input.customerGid)));
  if (!row) {
    const customer = { id: input.customerGid, known: false as const };
    return { customer, program, ...empty, referralOffer: await getStorefrontReferralOffer({ ctx }) };
  }
  const customer: StorefrontView["customer"] = {
    id: input.customerGid,
    known: true,
    status: statusFromShopifyState(row.shopifyState as ShopifyCustomerState),
    blocked: row.blocked,
    points: row.pointsBalance,
    pendingPoints: row.pointsPending,
    lifetimeEarned: row.lifetimeEarned,
    lifetimeRedeemed: row.lifetimeRedeemed,
    pendingReleases: row.pointsPending > 0 ? await heldPoints(ctx, row.id) : [],
    storeCredit: await storeCreditOf(ctx, row),
  };
  const pointsRewards = (await listRewards({ ctx, input: { customerId: row.id, limit: 20 } }))
    .filter((reward) => (reward.status === "issued" || reward.status === "used") && reward.code)
    .map((reward) => ({
      code: reward.code as string,
      ...shopperRowTitle(reward, current.currency, money),
      used: reward.status === "used",
      createdAt: reward.createdAt,
      kind: reward.kind as RedeemOption["kind"],
    }));
  const referralCodes = (await listReferralCodes({ ctx, input: { customerId: row.id, email: row.email } })).flatMap(
    (code) => referralCodeRow(code, current.currency, money),
  );
  const rewardRows = [...referralCodes, ...pointsRewards].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const referral = await getStorefrontReferral({
    ctx,
    input: { customerGid: input.customerGid, proxyPath: input.proxyPath },
  });
  return {
    customer,
    program,
    rewards: rewardRows,
    activity: await recentActivity(ctx, row.id, current.currency, money),
    referral,
    // A customer Tally knows has a referral whenever the program is on.
    referralOffer: referral?.offer ?? null,
  };
}

/** The customer row a storefront redemption acts for; unknown customers have no points to spend yet. */
export async function findCustomerIdByGid({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerGid: string };
}): Promise<number | undefined> {
  const [row] = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, input.customerGid)));
  return row?.id;
}
