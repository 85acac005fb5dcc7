import { describe, expect, it } from "vitest";
import {
  defaultInvitationTemplate,
  emailRewardWords,
  hasRewardWords,
  renderSampleEmail,
  samplePointsReminderValues,
} from "~/domain/email";
import { describeRedeemOption, generatedRewardTitle, type RewardValue } from "~/domain/program";
import {
  describeAdvocateReward,
  describeFriendOffer,
  type AdvocateReward,
  type ReferralDiscount,
} from "~/domain/referrals";
import { shopMoneyWriter, type CurrencyCode } from "~/domain/shared";

/*
 * Decision 059: the rewards a translated email fills in read in its language, with money and numbers as Intl writes
 * them there (a French invitation read "Vos amis reçoivent 10% off their first order of $20.00 CAD or more"). The
 * expected words spell out Intl's spaces: U+00A0 (no-break) and U+202F (narrow no-break).
 */

const NBSP = "\u00a0";
const NNBSP = "\u202f";

/** The words of a shop writing money "${{amount}} CAD" (its shop format, used in English only). */
const wordsIn = (
  locale: string | undefined,
  currency: CurrencyCode = "CAD",
  naming?: { pointsName: string; pointName: string },
) =>
  emailRewardWords(locale, {
    currency,
    shopMoney: shopMoneyWriter(currency, `\${{amount}} ${currency}`),
    ...(naming ? { naming } : {}),
  });

const friendDiscounts: ReferralDiscount[] = [
  { kind: "percent_off", percent: 10, minimumSubtotalMinor: 2000 },
  { kind: "fixed_amount_off", amountMinor: 500, minimumSubtotalMinor: 0 },
  { kind: "free_shipping", minimumSubtotalMinor: 5000 },
  { kind: "free_shipping", minimumSubtotalMinor: 0 },
];

describe("the friend's offer in a translated email", () => {
  it("words a percent off with its minimum order in French, the percentage and the money as French writes them", () => {
    expect(wordsIn("fr").friendOffer(friendDiscounts[0]!)).toBe(
      `10${NBSP}% de réduction sur leur première commande de 20,00${NBSP}$CA ou plus`,
    );
  });

  it("words an amount off in German and in Spanish, each currency with its own symbol and decimals", () => {
    expect(wordsIn("de", "EUR").friendOffer(friendDiscounts[1]!)).toBe(`5,00${NBSP}€ Rabatt auf ihre erste Bestellung`);
    expect(wordsIn("es", "USD").friendOffer(friendDiscounts[1]!)).toBe(
      `5,00${NBSP}US$ de descuento en su primer pedido`,
    );
    // Yen have no decimals: 500 minor units are ¥500, never ¥5.00.
    expect(
      wordsIn("de", "JPY").friendOffer({ kind: "fixed_amount_off", amountMinor: 500, minimumSubtotalMinor: 2000 }),
    ).toBe(`500${NBSP}¥ Rabatt auf ihre erste Bestellung ab 2.000${NBSP}¥`);
  });

  it("words free shipping in French, German and Spanish, with and without a minimum order", () => {
    expect(wordsIn("fr").friendOffer(friendDiscounts[2]!)).toBe(
      `la livraison gratuite sur leur première commande de 50,00${NBSP}$CA ou plus`,
    );
    expect(wordsIn("de").friendOffer(friendDiscounts[3]!)).toBe("kostenlosen Versand auf ihre erste Bestellung");
    expect(wordsIn("es", "EUR").friendOffer(friendDiscounts[2]!)).toBe(
      `envío gratis en su primer pedido de 50,00${NBSP}€ o más`,
    );
  });

  it("writes money for the locale the translation is saved under: a Canadian French one writes CAD as $", () => {
    expect(wordsIn("fr-CA").friendOffer(friendDiscounts[0]!)).toBe(
      `10${NBSP}% de réduction sur leur première commande de 20,00${NBSP}$ ou plus`,
    );
  });
});

describe("the advocate's reward and the cheapest reward in a translated email", () => {
  it("says points with the language's own name and grouping while the program keeps Tally's names", () => {
    expect(wordsIn("fr").advocateReward({ kind: "points", points: 1250 })).toBe(`1${NNBSP}250 points`);
    expect(wordsIn("de").advocateReward({ kind: "points", points: 1250 })).toBe("1.250 Punkte");
    expect(wordsIn("es").advocateReward({ kind: "points", points: 1 })).toBe("1 punto");
    expect(wordsIn("de").pointsName).toBe("Punkte");
  });

  it("keeps the program's own points names as the merchant wrote them", () => {
    const stars = { pointsName: "stars ⭐", pointName: "star ⭐" };
    expect(wordsIn("es", "CAD", stars).advocateReward({ kind: "points", points: 500 })).toBe("500 stars ⭐");
    expect(wordsIn("es", "CAD", stars).pointsName).toBe("stars ⭐");
  });

  it("says a discount's minimum order, as the storefront's referral box does", () => {
    const reward: AdvocateReward = { kind: "percent_off", percent: 15, minimumSubtotalMinor: 5000 };
    expect(wordsIn("de").advocateReward(reward)).toBe(`15${NBSP}% Rabatt auf eine Bestellung ab 50,00${NBSP}CA$`);
    expect(wordsIn("es").advocateReward(reward)).toBe(
      `un 15${NBSP}% de descuento en un pedido de 50,00${NBSP}CAD o más`,
    );
    expect(wordsIn("fr").advocateReward({ kind: "free_shipping", minimumSubtotalMinor: 0 })).toBe(
      "la livraison gratuite",
    );
  });

  it("says the cheapest reward with its cost, store credit included", () => {
    expect(
      wordsIn("fr", "EUR").rewardFor({ kind: "store_credit", amountMinor: 500, title: "€5.00 store credit" }, 500),
    ).toBe(`5,00${NBSP}€ de crédit en boutique pour 500 points`);
    expect(wordsIn("de").rewardFor({ kind: "fixed_amount_off", amountMinor: 500, title: "$5.00 off" }, 1000)).toBe(
      `5,00${NBSP}CA$ Rabatt für 1.000 Punkte`,
    );
    expect(wordsIn("es").rewardFor({ kind: "percent_off", percent: 10, title: "" }, 1)).toBe(
      `un 10${NBSP}% de descuento por 1 punto`,
    );
  });
});

describe("a reward's title in an email, as the storefront shows it (decision 051)", () => {
  const stars = { pointsName: "stars ⭐", pointName: "star ⭐" };
  const mug = { kind: "fixed_amount_off", amountMinor: 500, title: "Mug voucher 🎉" } as const;

  it("keeps the merchant's own title as written, in every language", () => {
    expect(wordsIn("en", "CAD", stars).rewardFor(mug, 500)).toBe("Mug voucher 🎉 for 500 stars ⭐");
    expect(wordsIn(undefined).rewardTitle(mug)).toBe("Mug voucher 🎉");
    expect(wordsIn("fr", "CAD", stars).rewardFor(mug, 500)).toBe("Mug voucher 🎉 pour 500 stars ⭐");
    expect(wordsIn("de").rewardFor(mug, 1000)).toBe("Mug voucher 🎉 für 1.000 Punkte");
    expect(wordsIn("es").rewardTitle(mug)).toBe("Mug voucher 🎉");
  });

  it("words a title Tally generated, in any letter case or empty, as what the reward is", () => {
    expect(wordsIn("en").rewardFor({ ...mug, title: "$5.00 off" }, 500)).toBe("$5.00 CAD off for 500 points");
    expect(wordsIn("en").rewardTitle({ ...mug, title: "5.00 OFF" })).toBe("$5.00 CAD off");
    expect(wordsIn("fr").rewardTitle({ kind: "free_shipping", title: "Free Shipping" })).toBe("la livraison gratuite");
    expect(wordsIn("de").rewardTitle({ kind: "percent_off", percent: 10, title: " " })).toBe(`10${NBSP}% Rabatt`);
  });
});

describe("a language Tally has no words for", () => {
  const advocateRewards: AdvocateReward[] = [{ kind: "points", points: 1250 }, ...friendDiscounts];
  const redeemOptions: RewardValue[] = [
    { kind: "fixed_amount_off", amountMinor: 500 },
    { kind: "percent_off", percent: 10 },
    { kind: "free_shipping" },
    { kind: "store_credit", amountMinor: 1500 },
  ];

  it.each([undefined, "", "en", "en-GB", "ja", "pt-BR"])(
    "words rewards in %j exactly as Tally's English emails always did, in the shop's money format",
    (locale) => {
      const money = shopMoneyWriter("CAD", "${{amount}} CAD");
      const words = wordsIn(locale);
      expect(words.language).toBe("en");
      for (const reward of friendDiscounts)
        expect(words.friendOffer(reward)).toBe(describeFriendOffer(reward, "CAD", money, "their"));
      for (const reward of advocateRewards)
        expect(words.advocateReward(reward)).toBe(describeAdvocateReward(reward, "CAD", money));
      for (const option of redeemOptions)
        expect(words.rewardFor({ ...option, title: generatedRewardTitle(option, "CAD") }, 1250)).toBe(
          `${describeRedeemOption(option, "CAD", money)} for 1,250 points`,
        );
      expect(words.friendOffer(friendDiscounts[0]!)).toBe("10% off their first order of $20.00 CAD or more");
    },
  );

  it("is the one the Settings editor still asks the merchant to write the rewards out for", () => {
    expect(["fr", "fr-CA", "de", "es", "es-419", "en"].map(hasRewardWords)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(["ja", "pt-BR", "it"].map(hasRewardWords)).toEqual([false, false, false]);
  });
});

describe("the Settings preview of a translation", () => {
  it("fills the sample's points in the translation's language", () => {
    const reminder = samplePointsReminderValues(
      { domain: "maple.myshopify.com", name: "Maple", language: "de" },
      "member",
    );
    expect(reminder.pointsBalance).toBe("1.250 Punkte");
    expect(reminder.pointsName).toBe("Punkte");
    const short = samplePointsReminderValues(
      { domain: "maple.myshopify.com", name: "Maple", language: "fr" },
      "guest_short",
    );
    expect(short.pointsNeeded).toBe("400 points");
    const preview = renderSampleEmail("invitation", defaultInvitationTemplate, {
      domain: "maple.myshopify.com",
      name: "Maple",
      language: "es",
    });
    expect(preview.text).toContain("you get 500 puntos for each friend's first order");
  });
});
