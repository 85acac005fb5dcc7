import {
  currencyCodeSchema,
  DomainError,
  formatAdminMoney,
  formatMinor,
  type CurrencyCode,
  type MoneyWriter,
} from "~/domain/shared";
import type { Program } from "./program";
import type { RedeemOption } from "./settings";

/** What a reward is worth: a redeem option, or an issued reward's kind and amount. */
export type RewardValue =
  | { kind: "fixed_amount_off" | "store_credit"; amountMinor: number }
  | { kind: "percent_off"; percent: number }
  | { kind: "free_shipping" };

/**
 * "5.00 off", "10% off", "free shipping", "5.00 store credit"; amounts written by `money` when given (the shop's
 * format on the storefront: "$5.00 CAD off"), else as the admin writes them.
 */
export function describeRedeemOption(
  option: RewardValue,
  currency: CurrencyCode,
  money: MoneyWriter = (amountMinor) => formatMinor(amountMinor, currency),
): string {
  switch (option.kind) {
    case "fixed_amount_off":
      return `${money(option.amountMinor)} off`;
    case "percent_off":
      return `${option.percent}% off`;
    case "free_shipping":
      return "free shipping";
    case "store_credit":
      return `${money(option.amountMinor)} store credit`;
  }
}

/**
 * The title Tally gives a reward it names, as the admin writes money in the store's currency: "$5.00 off", "10% off"
 * (decision 052). `currency` is the program's, the store's.
 */
export function generatedRewardTitle(option: RewardValue, currency: CurrencyCode): string {
  return describeRedeemOption(option, currency, (amountMinor) =>
    formatAdminMoney(amountMinor, currency, { storeCurrency: currency }),
  );
}

/** Whether `title` is, in any case, Tally's wording of exactly `option`: "$5.00 off", or a pre-052 "5.00 off". */
function isWordingOf(title: string, option: RewardValue, currency: CurrencyCode): boolean {
  const written = title.trim().toLowerCase();
  return (
    written === describeRedeemOption(option, currency).toLowerCase() ||
    written === generatedRewardTitle(option, currency).toLowerCase()
  );
}

/**
 * The value of kind `kind` whose title Tally would generate as `title` ("$5.00 off" is 500 minor units off, "10% off"
 * is 10 percent), or undefined for a title that is no such wording. Exact: the digits are read back as the amount and
 * the wording generated again must match, so "$5 off", "Ten off" and "5.00 off today" are not recognised.
 */
export function generatedTitleValue(
  title: string,
  kind: RewardValue["kind"],
  currency: CurrencyCode,
): RewardValue | undefined {
  if (kind === "free_shipping") return isWordingOf(title, { kind }, currency) ? { kind: "free_shipping" } : undefined;
  const digits = title.replace(/\D/g, "");
  const number = Number(digits);
  if (!digits || !Number.isSafeInteger(number) || number < 1) return undefined;
  const value: RewardValue = kind === "percent_off" ? { kind, percent: number } : { kind, amountMinor: number };
  return isWordingOf(title, value, currency) ? value : undefined;
}

/**
 * Whether a reward's title only says what a reward of its kind is, as Tally generated it: empty, `generatedRewardTitle`'s
 * "$5.00 off", or the "5.00 off" of programs made before decision 052; any case. Such a title is worded again wherever
 * it is shown; any other is the merchant's and kept. Tally's wording of another value of the same kind ("$5.00 off" on
 * a 10.00 reward) counts too: it is what a generated title became when the value changed before titles followed it
 * (decision 066), and it is never right for this reward.
 */
export function isGeneratedTitle(title: string, option: RewardValue, currency: CurrencyCode): boolean {
  return !title.trim() || isWordingOf(title, option, currency) || !!generatedTitleValue(title, option.kind, currency);
}

/**
 * The title a reward keeps when its value changes from `previous` (undefined for a new reward) to `next`: a title
 * Tally generated follows the value ("$5.00 off" becomes "$10.00 off", "$5.00 off" on a reward turned to 10 percent
 * becomes "10% off"), as does an empty one; a title the merchant wrote ("Ten off") is kept, and so is one that already
 * says `next` as written. Decision 066: the settings form applies it as the merchant types, and the save again against
 * the saved version's option, so a form that posts the old title still saves the new one.
 */
export function titleFollowingValue(
  title: string,
  previous: RewardValue | undefined,
  next: RewardValue,
  currency: CurrencyCode,
): string {
  if (title.trim() && isWordingOf(title, next, currency)) return title;
  const generated =
    !title.trim() ||
    (previous !== undefined && isWordingOf(title, previous, currency)) ||
    isGeneratedTitle(title, next, currency);
  return generated ? generatedRewardTitle(next, currency) : title;
}

/**
 * A reward's title as the shopper reads it: a title Tally generated ("5.00 off", the default's and a redemption's) is
 * written again with the shop's money (`money`), a title the merchant wrote is theirs and kept. `option` is what the
 * reward is (an option, or a reward row's kind and amount); `currency` the currency its amount is in.
 */
export function shopperRewardTitle(
  title: string,
  option: RewardValue,
  currency: CurrencyCode,
  money: MoneyWriter,
): string {
  return isGeneratedTitle(title, option, currency) ? describeRedeemOption(option, currency, money) : title;
}

/**
 * An issued reward's title (a `rewards` row: its title, kind, value in minor units and currency) as `shopperRewardTitle`
 * writes it, amounts by `money`, a writer for the row's own currency: the storefront's in the shop's format, the
 * admin's as "5.00 USD". Titles of other kinds, and ones the merchant wrote, are kept.
 */
export function rewardRowTitle(
  row: { title: string; kind: string; valueMinor: number | null; currency: string },
  money: MoneyWriter,
): string {
  if ((row.kind !== "fixed_amount_off" && row.kind !== "store_credit") || row.valueMinor === null) return row.title;
  const value: RewardValue = { kind: row.kind, amountMinor: row.valueMinor };
  return shopperRewardTitle(row.title, value, currencyCodeSchema.parse(row.currency), money);
}

/**
 * A reward as data, for the storefront to word its title in the shopper's language (decision 051): `value` the
 * percentage for percent_off, minor units of `currency` for fixed_amount_off and store_credit, null for free_shipping;
 * `minimumSubtotalMinor` the order it needs (minor units, 0 for none or not known). The shape of a referral offer's
 * terms (`RewardTerms`), with store credit besides.
 */
export interface RewardTitleTerms {
  kind: RewardValue["kind"];
  value: number | null;
  currency: CurrencyCode;
  minimumSubtotalMinor: number;
}

/**
 * What a reward's title says, as data (`RewardTitleTerms`), when the title only says what the reward is: the one Tally
 * generates ("5.00 off"), in any case ("Free shipping", "10% Off"); null for a title of the merchant's own ("Ten off"),
 * shown as written in every language. `option` and `currency` as in `shopperRewardTitle`.
 */
export function rewardTitleTerms(
  title: string,
  option: RewardValue,
  currency: CurrencyCode,
  minimumSubtotalMinor = 0,
): RewardTitleTerms | null {
  if (!isGeneratedTitle(title, option, currency)) return null;
  const value =
    option.kind === "percent_off" ? option.percent : option.kind === "free_shipping" ? null : option.amountMinor;
  return { kind: option.kind, value, currency, minimumSubtotalMinor };
}

/**
 * What an issued reward is (a `rewards` row: its kind, value in minor units, percentage and currency), or null for a
 * row whose kind or amount Tally does not know (its title is then all there is).
 */
export function rewardRowValue(row: {
  kind: string;
  valueMinor: number | null;
  percent: number | null;
}): RewardValue | null {
  switch (row.kind) {
    case "fixed_amount_off":
    case "store_credit":
      return row.valueMinor === null ? null : { kind: row.kind, amountMinor: row.valueMinor };
    case "percent_off":
      return row.percent === null ? null : { kind: "percent_off", percent: row.percent };
    case "free_shipping":
      return { kind: "free_shipping" };
    default:
      return null;
  }
}

export function findRedeemOption(program: Program, optionId: string): RedeemOption | undefined {
  return program.settings.redeemOptions.find((option) => option.id === optionId);
}

export function getRedeemOption(program: Program, optionId: string): RedeemOption {
  const option = findRedeemOption(program, optionId);
  if (!option) throw new DomainError("not_found", `No redeem option "${optionId}"`, { optionId });
  return option;
}
