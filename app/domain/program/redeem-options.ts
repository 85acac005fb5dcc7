import { DomainError, formatMinor, type CurrencyCode } from "~/domain/shared";
import type { Program } from "./program";
import type { RedeemOption } from "./settings";

/** "5.00 off", "10% off", "free shipping", "5.00 store credit". */
export function describeRedeemOption(option: RedeemOption, currency: CurrencyCode): string {
  switch (option.kind) {
    case "fixed_amount_off":
      return `${formatMinor(option.amountMinor, currency)} off`;
    case "percent_off":
      return `${option.percent}% off`;
    case "free_shipping":
      return "free shipping";
    case "store_credit":
      return `${formatMinor(option.amountMinor, currency)} store credit`;
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
