import { cheapestRewardCost } from "~/domain/customers";
import { describeRedeemOption, pointsInWords, type Program } from "~/domain/program";
import { describeAdvocateReward, describeFriendOffer } from "~/domain/referrals";
import type { ServiceContext } from "../context";
import { getProgram } from "../program/get-program.server";
import { getReferralProgram } from "../referrals/referral-program.server";
import { getShopMoneyWriter } from "../shops/shop-money.server";

/*
 * The rewards as Tally's emails write them: amounts in the shop's money-with-currency format, as the storefront
 * writes them since decision 041 ("$5.00 CAD off", "€5,00 EUR store credit"), so an email and the store a customer
 * follows it to read alike. Used by the emails that are sent and by the Settings preview, which shows the shop's own
 * rewards rather than a made-up sample.
 */

/**
 * "10% off their first order of $20.00 CAD or more" and "500 stars ⭐" (or "15% off an order of $50.00 CAD or more"):
 * what a friend and the advocate get, as the advocate's emails say them (about the friend, to the advocate), each with
 * its minimum order, points in the points program's names; and those names' plural ("stars ⭐"), the emails'
 * {{ points_name }}.
 */
export async function referralRewardWords({
  ctx,
}: {
  ctx: ServiceContext;
}): Promise<{ friendOffer: string; advocateReward: string; pointsName: string }> {
  const program = await getReferralProgram({ ctx });
  const { settings: naming } = await getProgram({ ctx });
  const money = await getShopMoneyWriter({ ctx, input: { currency: program.currency } });
  return {
    friendOffer: describeFriendOffer(program.settings.friendReward, program.currency, money, "their"),
    advocateReward: describeAdvocateReward(program.settings.advocateReward, program.currency, money, naming),
    pointsName: naming.pointsName,
  };
}

/**
 * The reward that costs fewest points, with its cost in the program's names: "$5.00 CAD off for 500 stars ⭐"; "" when the program offers none.
 * `program` defaults to the shop's current points program.
 */
export async function cheapestRewardWords({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { program?: Program };
}): Promise<string> {
  const program = input.program ?? (await getProgram({ ctx }));
  const options = program.settings.redeemOptions;
  const cost = cheapestRewardCost(options);
  const cheapest = options.find((option) => option.pointsCost === cost);
  if (!cheapest) return "";
  const money = await getShopMoneyWriter({ ctx, input: { currency: program.currency } });
  return `${describeRedeemOption(cheapest, program.currency, money)} for ${pointsInWords(program.settings, cheapest.pointsCost)}`;
}
