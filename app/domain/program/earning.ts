import { DomainError, formatRecordMoney, mulDivFloor, type CurrencyCode, type CustomerStatus } from "~/domain/shared";
import { describeBase, type Deduction } from "./earning-base";
import type { Program } from "./program";
import type { ProgramSettings } from "./settings";
import type { EarningRate } from "./reversal";

/** Why a customer earned nothing although the event would normally earn. */
export type EarnSkipReason = "program_off" | "blocked" | "excluded_tag" | "guest";

export interface Earning {
  points: number;
  /** What the customer would have earned without the skip; equals `points` when nothing was skipped. */
  wouldHaveEarned: number;
  explanation: string;
  skippedReason?: EarnSkipReason;
}

export interface CustomerEarningContext {
  customerTags: readonly string[];
  blocked: boolean;
  status: CustomerStatus;
}

export interface OrderEarningInput extends CustomerEarningContext {
  program: Program;
  /** Shopify's current subtotal: after discounts, without shipping or tips, in minor units of `currency`. */
  subtotalMinor: number;
  /** What leaves the subtotal before it earns (gift cards, tax or duties inside prices); see `earningBase`. */
  deductions?: readonly Deduction[];
  currency: CurrencyCode;
  /** Shopify's order name, "#1042". */
  orderName?: string;
}

const skipText: Record<EarnSkipReason, string> = {
  program_off: "the program is off",
  blocked: "the customer is blocked",
  excluded_tag: "the customer has an excluded tag",
  guest: "guests do not earn",
};

export function hasExcludedTag(program: Program, customerTags: readonly string[]): boolean {
  const excluded = new Set(program.settings.excludedTags.map((tag) => tag.trim().toLowerCase()));
  return customerTags.some((tag) => excluded.has(tag.trim().toLowerCase()));
}

/** The policy checks shared by every kind of earning, in the order a merchant would explain them. */
export function earnSkipReason(program: Program, customer: CustomerEarningContext): EarnSkipReason | undefined {
  if (!program.settings.enabled) return "program_off";
  if (customer.blocked) return "blocked";
  if (hasExcludedTag(program, customer.customerTags)) return "excluded_tag";
  if (customer.status === "guest" && !program.settings.guestsEarn) return "guest";
  return undefined;
}

/**
 * Whether a Guest's order earns points under these settings: the program on and "Guests earn points" ticked, the
 * first and fourth of earnSkipReason's checks. What the storefront tells a signed-out shopper follows it (decision 074).
 */
export function guestOrdersEarn(settings: Pick<ProgramSettings, "enabled" | "guestsEarn">): boolean {
  return settings.enabled && settings.guestsEarn;
}

/**
 * An earning rate in a ledger line's words: "at 1 point per 1.00 CAD", "at 3 points per 2.50 CAD" (the unit in the
 * order's currency, as records write money; the admin shows "$1.00", decision 052). Newcomer round 11: "× 1/1.00"
 * read as a formula to merchants.
 */
export function rateWords(rate: EarningRate, currency: CurrencyCode): string {
  return `at ${rate.pointsPerUnit} ${rate.pointsPerUnit === 1 ? "point" : "points"} per ${formatRecordMoney(rate.unitMinor, currency)}`;
}

export function formatPoints(points: number): string {
  if (points > 0) return `+${points}`;
  if (points < 0) return `\u2212${-points}`;
  return "0";
}

export function orderLabel(orderName: string | undefined): string {
  return orderName ? `order ${orderName}` : "order";
}

/**
 * Points for a paid order: pointsPerUnit for every full unit of its earning base (the subtotal less `deductions`),
 * rounded down. The explanation names what was left out:
 * "+100: order #1042 paid, 120.00 CAD less 20.00 CAD tax, at 1 point per 1.00 CAD".
 */
export function pointsForOrder(input: OrderEarningInput): Earning {
  const { program, subtotalMinor, currency } = input;
  const deductions = input.deductions ?? [];
  if (currency !== program.currency) {
    throw new DomainError(
      "invalid_input",
      `order subtotal is in ${currency} but the program earns in ${program.currency}; pass the shop-currency amount`,
    );
  }
  if (!Number.isSafeInteger(subtotalMinor) || subtotalMinor < 0) {
    throw new DomainError("invalid_input", `order subtotal must be a non-negative whole amount, got ${subtotalMinor}`);
  }
  const { pointsPerUnit, unitMinor } = program.settings;
  const taken = deductions.reduce((sum, deduction) => sum + deduction.amountMinor, 0);
  const baseMinor = Math.max(0, subtotalMinor - taken);
  const computed = mulDivFloor(baseMinor, pointsPerUnit, unitMinor);
  const basis = describeBase({ subtotalMinor, deductions }, currency);
  const rate = `${basis}${deductions.length > 0 ? "," : ""} ${rateWords({ pointsPerUnit, unitMinor }, currency)}`;
  const what = `${orderLabel(input.orderName)} paid`;
  const skippedReason = earnSkipReason(program, input);
  if (skippedReason) {
    return {
      points: 0,
      wouldHaveEarned: computed,
      skippedReason,
      explanation: `0: ${what}, ${skipText[skippedReason]} (would have earned ${computed}: ${rate})`,
    };
  }
  return { points: computed, wouldHaveEarned: computed, explanation: `${formatPoints(computed)}: ${what}, ${rate}` };
}

/** The one-off bonus for becoming a Member. */
export function signupBonus(input: { program: Program; customerTags: readonly string[]; blocked: boolean }): Earning {
  const bonus = input.program.settings.signupBonus;
  const skippedReason = earnSkipReason(input.program, { ...input, status: "member" });
  if (skippedReason) {
    return {
      points: 0,
      wouldHaveEarned: bonus,
      skippedReason,
      explanation: `0: became a member, ${skipText[skippedReason]} (would have earned ${bonus})`,
    };
  }
  return {
    points: bonus,
    wouldHaveEarned: bonus,
    explanation: `${formatPoints(bonus)}: sign-up bonus for becoming a member`,
  };
}
