import { DomainError, formatRecordMoney, type CustomerStatus, type MoneyWriter } from "~/domain/shared";
import {
  describeRedeemOption,
  formatPoints,
  getRedeemOption,
  isGeneratedTitle,
  shopperRewardTitle,
  type Program,
  type RedeemOption,
} from "~/domain/program";
import { applyEntry, type EntryOf, type LedgerTotals } from "./entries";
import { ledgerKeys } from "./keys";

/**
 * Thrown by whatever issues rewards in Shopify (app/shopify/admin/rewards.server.ts) when Shopify answered and did
 * not create the reward (user errors, a rejected query), so giving the points back is safe. Any other failure may
 * have happened after Shopify acted, so it is not.
 */
export class RewardRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "RewardRefused";
  }
}

export interface RedemptionPlan {
  entry: EntryOf<"redeem">;
  option: RedeemOption;
  totals: LedgerTotals;
}

/**
 * Spending points on a reward. Only the spendable balance counts: held points are not the customer's yet, and a
 * balance in debt (decision 001) cannot buy anything. `rewardId` is the reward row the service creates with the
 * discount code; it keys the entry so a retried request redeems once.
 *
 * A refusal (`blocked`, `guest_cannot_redeem`, `insufficient_points`) names the reward as the storefront's reward row
 * does: `money` writes its amounts (the shop's money format, "$5.00 CAD off"), as `shopperRewardTitle` does for the
 * storefront's catalog; without it, as records write money ("5.00 CAD off"), never the stored "$5.00 off".
 */
export function planRedemption(input: {
  program: Program;
  optionId: string;
  rewardId: string;
  customer: { status: CustomerStatus; blocked: boolean };
  totals: LedgerTotals;
  money?: MoneyWriter;
}): RedemptionPlan {
  const { program, customer, totals } = input;
  if (!program.settings.enabled) throw new DomainError("program_disabled", "The loyalty program is off");
  const option = getRedeemOption(program, input.optionId);
  const currency = program.currency;
  const recordMoney: MoneyWriter = (amountMinor) => formatRecordMoney(amountMinor, currency);
  const reward = shopperRewardTitle(option.title, option, currency, input.money ?? recordMoney);
  if (customer.blocked)
    throw new DomainError("blocked", `This customer is blocked from redeeming points for ${reward}`);
  if (customer.status === "guest" && !program.settings.guestsRedeem) {
    throw new DomainError(
      "guest_cannot_redeem",
      `Only members can redeem points; create an account to redeem ${reward}`,
    );
  }
  if (totals.balance < option.pointsCost) {
    throw new DomainError(
      "insufficient_points",
      `${reward} costs ${option.pointsCost} ${program.settings.pointsName}; the balance is ${totals.balance}`,
      { cost: option.pointsCost, balance: totals.balance },
    );
  }
  // What the reward is, its amount as records write money ("5.00 CAD off", worded "$5.00 off" by the admin); a title
  // of the merchant's own follows it.
  const described = describeRedeemOption(option, currency, recordMoney);
  const label = isGeneratedTitle(option.title, option, currency) ? described : `${described} (${option.title})`;
  const entry: EntryOf<"redeem"> = {
    kind: "redeem",
    idempotencyKey: ledgerKeys.redeem(input.rewardId),
    points: option.pointsCost,
    rewardId: input.rewardId,
    optionId: option.id,
    explanation: `${formatPoints(-option.pointsCost)}: redeemed for ${label}`,
  };
  return { entry, option, totals: applyEntry(totals, entry) };
}
