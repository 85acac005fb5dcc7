import {
  defaultPointsNaming,
  isGeneratedTitle,
  pointsNameFor,
  type PointsNaming,
  type RewardValue,
} from "~/domain/program";
import type { AdvocateReward, ReferralDiscount } from "~/domain/referrals";
import { localeMoneyWriter, type CurrencyCode, type MoneyWriter } from "~/domain/shared";

/*
 * The rewards an email fills in ({{ friend_reward }}, {{ advocate_reward }}, {{ cheapest_reward }}, the points), in
 * the language of the template it is written from (decision 059): a merchant's French invitation read "Vos amis
 * reçoivent 10% off their first order of $20.00 CAD or more". French, German and Spanish, the languages of the footer
 * and of the storefront widget, take the widget's terms for an offer (extensions/tally-widget/locales: offer_*,
 * title_store_credit; German and Spanish in its informal "du"/"tú"), with numbers and money as `Intl` writes them in
 * that language ("10 % de réduction", "20,00 $CA"). Every other language keeps the English words and the shop's money
 * format ("$20.00 CAD", decision 041), as before. A program's own points names ("stars ⭐") are the merchant's and
 * kept; Tally's default ones ("points") are said in the language, as the widget says them. A reward's title follows
 * the widget's rule too (decision 051, `titled` in tally-panel.js): one the merchant wrote ("Mug voucher 🎉") is kept
 * as written in every language, only the title Tally generated ("$5.00 off") is worded again; a reminder said "$5.00
 * CAD off" of a reward the storefront called "Mug voucher 🎉".
 */

/** One language's words for a reward; `offer` is the reward already worded ("10 % de réduction"). */
interface RewardWordTable {
  percentOff: (percent: string) => string;
  amountOff: (amount: string) => string;
  freeShipping: string;
  storeCredit: (amount: string) => string;
  /** The friend's first-order offer, about the friend (to the advocate), with its minimum order when it has one. */
  friendOffer: (offer: string, free: boolean, minimum: string | null) => string;
  /** A discount that needs an order of at least `minimum` (the advocate's). */
  orderOfAtLeast: (offer: string, free: boolean, minimum: string) => string;
  /** A reward with what it costs: "$5.00 CAD off for 500 points". */
  costing: (reward: string, points: string) => string;
  /** Tally's default points names in this language. */
  points: PointsNaming;
}

const REWARD_WORDS = {
  en: {
    percentOff: (percent) => `${percent} off`,
    amountOff: (amount) => `${amount} off`,
    freeShipping: "free shipping",
    storeCredit: (amount) => `${amount} store credit`,
    friendOffer: (offer, free, minimum) =>
      `${offer}${free ? " on" : ""} their first order${minimum ? ` of ${minimum} or more` : ""}`,
    orderOfAtLeast: (offer, free, minimum) => `${offer}${free ? " on" : ""} an order of ${minimum} or more`,
    costing: (reward, points) => `${reward} for ${points}`,
    points: defaultPointsNaming,
  },
  fr: {
    percentOff: (percent) => `${percent} de réduction`,
    amountOff: (amount) => `${amount} de réduction`,
    freeShipping: "la livraison gratuite",
    storeCredit: (amount) => `${amount} de crédit en boutique`,
    friendOffer: (offer, _free, minimum) =>
      `${offer} sur leur première commande${minimum ? ` de ${minimum} ou plus` : ""}`,
    orderOfAtLeast: (offer, _free, minimum) => `${offer} sur une commande de ${minimum} ou plus`,
    costing: (reward, points) => `${reward} pour ${points}`,
    points: { pointsName: "points", pointName: "point" },
  },
  de: {
    percentOff: (percent) => `${percent} Rabatt`,
    amountOff: (amount) => `${amount} Rabatt`,
    freeShipping: "kostenlosen Versand",
    storeCredit: (amount) => `${amount} Shop-Guthaben`,
    friendOffer: (offer, _free, minimum) => `${offer} auf ihre erste Bestellung${minimum ? ` ab ${minimum}` : ""}`,
    orderOfAtLeast: (offer, _free, minimum) => `${offer} auf eine Bestellung ab ${minimum}`,
    costing: (reward, points) => `${reward} für ${points}`,
    points: { pointsName: "Punkte", pointName: "Punkt" },
  },
  es: {
    percentOff: (percent) => `un ${percent} de descuento`,
    amountOff: (amount) => `${amount} de descuento`,
    freeShipping: "envío gratis",
    storeCredit: (amount) => `${amount} de crédito en tienda`,
    friendOffer: (offer, _free, minimum) => `${offer} en su primer pedido${minimum ? ` de ${minimum} o más` : ""}`,
    orderOfAtLeast: (offer, _free, minimum) => `${offer} en un pedido de ${minimum} o más`,
    costing: (reward, points) => `${reward} por ${points}`,
    points: { pointsName: "puntos", pointName: "punto" },
  },
} as const satisfies Record<string, RewardWordTable>;

/** The languages an email's rewards are worded in; any other is worded in English. */
export type RewardWordsLanguage = keyof typeof REWARD_WORDS;

/** "fr" for "fr", "fr-CA" or "FR_ca": the language part of a Shopify locale, lower case. */
export function languageOf(locale: string | null | undefined): string {
  return (locale ?? "").trim().split(/[-_]/)[0]!.toLowerCase();
}

/** The language `locale`'s rewards are worded in: its own when Tally has its words, else English. */
export function rewardWordsLanguage(locale: string | null | undefined): RewardWordsLanguage {
  const language = languageOf(locale);
  return hasRewardWords(language) ? (language as RewardWordsLanguage) : "en";
}

/** Whether an email written in `locale` gets its rewards in its own language (false: they are worded in English). */
export function hasRewardWords(locale: string | null | undefined): boolean {
  return Object.hasOwn(REWARD_WORDS, languageOf(locale));
}

/**
 * The locale `Intl` writes an email's numbers in: English grouping ("en-US", as Tally's English emails always wrote
 * them) for a language worded in English, else `locale` as `Intl` takes it ("fr-CA"), or its language alone for a tag
 * `Intl` cannot read.
 */
function numbersLocale(locale: string | null | undefined, language: RewardWordsLanguage): string {
  if (language === "en") return "en-US";
  try {
    return Intl.getCanonicalLocales((locale ?? "").trim().replace(/_/g, "-"))[0] ?? language;
  } catch {
    return language;
  }
}

/** Points as an email written in one language says them: see emailPointsWords. */
export interface EmailPointsWords {
  /** "1,250 points", "1 250 points", "1.250 Punkte", "1 star ⭐": points with the program's names. */
  points(points: number): string;
  /** The program's plural points name, the emails' {{ points_name }}: "stars ⭐", "Punkte". */
  pointsName: string;
}

/**
 * Points in an email written in `locale` (as emailRewardWords): grouped by `Intl` in French, German and Spanish
 * ("1 250", "1.250"), in English grouping otherwise ("1,250"); a program named with Tally's defaults ("points",
 * "point") takes the language's own names ("Punkte", "puntos"), one with its own names keeps them. Pure.
 */
export function emailPointsWords(
  locale: string | null | undefined,
  naming: PointsNaming = defaultPointsNaming,
): EmailPointsWords {
  const language = rewardWordsLanguage(locale);
  const numbers = new Intl.NumberFormat(numbersLocale(locale, language));
  const isDefault =
    naming.pointsName === defaultPointsNaming.pointsName && naming.pointName === defaultPointsNaming.pointName;
  const names = isDefault ? REWARD_WORDS[language].points : naming;
  return {
    points: (value) => `${numbers.format(value)} ${pointsNameFor(names, value)}`,
    pointsName: names.pointsName,
  };
}

/** A reward a customer redeems points for, as a program lists it: what it is and the title it is shown under. */
export type TitledReward = RewardValue & { title: string };

/** How an email words the rewards of one program: see emailRewardWords. */
export interface EmailRewardWords extends EmailPointsWords {
  /** The language the words are in. */
  language: RewardWordsLanguage;
  /**
   * "10% off their first order of $20.00 CAD or more", "10 % de réduction sur leur première commande de 20,00 $CA ou
   * plus": about the friend, to the advocate.
   */
  friendOffer(reward: ReferralDiscount): string;
  /**
   * "500 points", "15 % Rabatt auf eine Bestellung ab 50,00 €": a discount with its minimum order, points in the
   * program's names.
   */
  advocateReward(reward: AdvocateReward): string;
  /** "$5.00 CAD off", "5,00 € de crédit en boutique": what a reward a customer redeems points for is. */
  redeemOption(option: RewardValue): string;
  /**
   * A redeem option's title as the storefront shows it: the merchant's own ("Mug voucher 🎉") as written, in every
   * language; one Tally generated ("$5.00 off", or empty) worded as `redeemOption` words it ("5,00 € Rabatt").
   */
  rewardTitle(option: TitledReward): string;
  /**
   * "$5.00 CAD off for 500 points", "5,00 € Rabatt für 500 Punkte", "Mug voucher 🎉 for 500 stars ⭐": a redeem
   * option's title (`rewardTitle`) with its cost in points.
   */
  rewardFor(option: TitledReward, points: number): string;
}

/**
 * The words of an email written in `locale` (a template's language: "fr", "de-CH", "pt-BR"; absent or "" English) for
 * a program whose amounts are in `currency`, points named `naming`: in French, German and Spanish as the storefront
 * widget words them, amounts and numbers by `Intl` in `locale`; in any other language in English, amounts by
 * `shopMoney` (the shop's money format, as the storefront writes them: "$20.00 CAD") and numbers in English grouping,
 * exactly as Tally's emails wrote them before. Points named Tally's defaults ("points", "point") take the language's
 * own names, and rewards titled by Tally are worded as above; a program's own names and its merchant's own reward
 * titles are kept as written. Pure.
 */
export function emailRewardWords(
  locale: string | null | undefined,
  {
    currency,
    shopMoney,
    naming = defaultPointsNaming,
  }: {
    currency: CurrencyCode;
    shopMoney: MoneyWriter;
    naming?: PointsNaming;
  },
): EmailRewardWords {
  const language = rewardWordsLanguage(locale);
  const words: RewardWordTable = REWARD_WORDS[language];
  const english = language === "en";
  const tag = numbersLocale(locale, language);
  const money = english ? shopMoney : localeMoneyWriter(currency, tag);
  const percent = (value: number) =>
    english ? `${value}%` : new Intl.NumberFormat(tag, { style: "percent" }).format(value / 100);
  const { points, pointsName } = emailPointsWords(locale, naming);
  const reward = (option: RewardValue | ReferralDiscount): string => {
    switch (option.kind) {
      case "percent_off":
        return words.percentOff(percent(option.percent));
      case "fixed_amount_off":
        return words.amountOff(money(option.amountMinor));
      case "free_shipping":
        return words.freeShipping;
      case "store_credit":
        return words.storeCredit(money(option.amountMinor));
    }
  };
  const title = (option: TitledReward): string =>
    isGeneratedTitle(option.title, option, currency) ? reward(option) : option.title;
  return {
    language,
    friendOffer: (offer) => {
      const minimum = offer.minimumSubtotalMinor > 0 ? money(offer.minimumSubtotalMinor) : null;
      return words.friendOffer(reward(offer), offer.kind === "free_shipping", minimum);
    },
    advocateReward: (advocate) => {
      if (advocate.kind === "points") return points(advocate.points);
      const what = reward(advocate);
      if (advocate.minimumSubtotalMinor === 0) return what;
      return words.orderOfAtLeast(what, advocate.kind === "free_shipping", money(advocate.minimumSubtotalMinor));
    },
    redeemOption: reward,
    rewardTitle: (option) => title(option),
    rewardFor: (option, cost) => words.costing(title(option), points(cost)),
    points,
    pointsName,
  };
}
