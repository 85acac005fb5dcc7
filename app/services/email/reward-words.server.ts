import { cheapestRewardCost } from "~/domain/customers";
import { emailRewardWords } from "~/domain/email";
import type { Program } from "~/domain/program";
import type { ServiceContext } from "../context";
import { getProgram } from "../program/get-program.server";
import { getReferralProgram } from "../referrals/referral-program.server";
import { getShopMoneyWriter } from "../shops/shop-money.server";

/*
 * The rewards as Tally's emails write them, in the language of the template an email is written from
 * (emailRewardWords, decision 059): in English with amounts in the shop's money-with-currency format, as the
 * storefront writes them since decision 041 ("$5.00 CAD off", "€5,00 EUR store credit"), so an email and the store a
 * customer follows it to read alike; in French, German and Spanish as the storefront widget words them, amounts by
 * `Intl` ("5,00 $CA de réduction"). Used by the emails that are sent and by the Settings preview, which shows the
 * shop's own rewards rather than a made-up sample.
 */

/**
 * "10% off their first order of $20.00 CAD or more" and "500 stars ⭐" (or "15% off an order of $50.00 CAD or more"):
 * what a friend and the advocate get, as the advocate's emails say them (about the friend, to the advocate), each with
 * its minimum order, points in the points program's names; and those names' plural ("stars ⭐"), the emails'
 * {{ points_name }}. `language` is the template's ("fr": "10 % de réduction sur leur première commande de 20,00 $CA
 * ou plus"); absent, English.
 */
export async function referralRewardWords({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { language?: string };
}): Promise<{ friendOffer: string; advocateReward: string; pointsName: string }> {
  const program = await getReferralProgram({ ctx });
  const { settings: naming } = await getProgram({ ctx });
  const shopMoney = await getShopMoneyWriter({ ctx, input: { currency: program.currency } });
  const words = emailRewardWords(input.language, { currency: program.currency, shopMoney, naming });
  return {
    friendOffer: words.friendOffer(program.settings.friendReward),
    advocateReward: words.advocateReward(program.settings.advocateReward),
    pointsName: words.pointsName,
  };
}

/**
 * The reward that costs fewest points, under its title as the storefront shows it, with its cost in the program's
 * names: "$5.00 CAD off for 500 stars ⭐" for a title Tally gave it, "Mug voucher 🎉 for 500 stars ⭐" for the
 * merchant's own (rewardTitle); "" when the program offers none. `program` defaults to the shop's current points
 * program; `language` is the template's ("de": "5,00 CA$ Rabatt für 500 Punkte"), absent English.
 */
export async function cheapestRewardWords({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { program?: Program; language?: string };
}): Promise<string> {
  const program = input.program ?? (await getProgram({ ctx }));
  const options = program.settings.redeemOptions;
  const cost = cheapestRewardCost(options);
  const cheapest = options.find((option) => option.pointsCost === cost);
  if (!cheapest) return "";
  const shopMoney = await getShopMoneyWriter({ ctx, input: { currency: program.currency } });
  const words = emailRewardWords(input.language, { currency: program.currency, shopMoney, naming: program.settings });
  return words.rewardFor(cheapest, cheapest.pointsCost);
}
