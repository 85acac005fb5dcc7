import { z } from "zod";
import { defaultPointsNaming, faceValueIn, pointsInWords, type PointsNaming } from "~/domain/program";
import {
  currencyCodeSchema,
  DomainError,
  formatMinor,
  MAX_SETTING_POINTS,
  minimumText,
  minorPerMajor,
  settingAmount,
  settingAmountFromText,
  type CurrencyCode,
  type MoneyWriter,
  wholeBetween,
  wholeOrText,
} from "~/domain/shared";

/*
 * The referral program (Settings → Referrals), versioned like the points program: every saved change is a new version
 * with who saved it, and a referral keeps the version it was claimed under, so the friend and the advocate get what
 * was promised when the friend claimed, whatever the merchant changes later. Amounts are minor units of the version's
 * currency; read in another store currency they keep their face value (decision 008), as the points program's do.
 */

const grouped = (n: number) => n.toLocaleString("en-US");
const amount = settingAmount;

const percent = wholeBetween(1, 100, {
  whole: "Percent off must be a whole number from 1 to 100",
  negative: "Percent off can't be below 1",
});

const minimum = { minimumSubtotalMinor: amount("Minimum order", 0).default(0) };

/** A discount Tally creates in Shopify as a single-use code: an amount or a percent off the order, or free shipping. */
export const referralDiscountSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("fixed_amount_off"), amountMinor: amount("Amount off", 1), ...minimum }),
    z.object({ kind: z.literal("percent_off"), percent, ...minimum }),
    z.object({ kind: z.literal("free_shipping"), ...minimum }),
  ],
  { error: "The reward must be an amount off, a percent off or free shipping" },
);
export type ReferralDiscount = z.infer<typeof referralDiscountSchema>;

/** What the advocate gets for a completed referral: points into the ledger, or a discount code of their own. */
export const advocateRewardSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("points"),
      points: wholeBetween(1, MAX_SETTING_POINTS, {
        whole: "Points must be a positive whole number",
        negative: "Points can't be below 1",
        above: `Points can be at most ${grouped(MAX_SETTING_POINTS)}`,
      }),
    }),
    ...referralDiscountSchema.options,
  ],
  { error: "The advocate's reward must be points, an amount off, a percent off or free shipping" },
);
export type AdvocateReward = z.infer<typeof advocateRewardSchema>;

export const referralSettingsSchema = z.object({
  enabled: z.boolean({ error: "Referral program on must be true or false" }),
  /** automatic: every Member has a code (made the first time it is needed); on_request: only those who ask. */
  joining: z.enum(["automatic", "on_request"], { error: "Who can refer must be automatic or on request" }),
  /** The friend's first-order discount; the minimum order is also the completion rule's minimum. */
  friendReward: referralDiscountSchema,
  advocateReward: advocateRewardSchema,
  /**
   * Days after the friend's order is paid before the advocate's reward is theirs (the store's return window); a refund
   * or cancellation before then cancels the referral. 0 rewards at once and nothing later cancels it.
   */
  pendingDays: wholeBetween(0, 365, {
    whole: "Pending period must be a whole number of days from 0 to 365",
    negative: "Pending period can't be below 0 days",
  }),
});
export type ReferralSettings = z.infer<typeof referralSettingsSchema>;

export const referralProgramSchema = z.object({
  version: z.int().min(1),
  currency: currencyCodeSchema,
  settings: referralSettingsSchema,
});
export type ReferralProgram = z.infer<typeof referralProgramSchema>;

/**
 * On at install, so a new shop's widget already offers a link: every Member joins automatically; the friend gets 10%
 * off a first order of at least 20.00; the advocate gets 500 points, held for a 30-day return window.
 */
export function defaultReferralSettings(currency: CurrencyCode): ReferralSettings {
  return {
    enabled: true,
    joining: "automatic",
    friendReward: { kind: "percent_off", percent: 10, minimumSubtotalMinor: 20 * minorPerMajor(currency) },
    advocateReward: { kind: "points", points: 500 },
    pendingDays: 30,
  };
}

export function defaultReferralProgram(currency: CurrencyCode): ReferralProgram {
  return { version: 1, currency: currencyCodeSchema.parse(currency), settings: defaultReferralSettings(currency) };
}

/** The field errors of invalid settings, keyed by dotted path ("friendReward.percent"), or the settings. */
export function parseReferralSettings(
  input: unknown,
): { ok: true; settings: ReferralSettings } | { ok: false; fieldErrors: Record<string, string[]> } {
  const result = referralSettingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues)
    (fieldErrors[issue.path.map(String).join(".") || "_form"] ??= []).push(issue.message);
  return { ok: false, fieldErrors };
}

/**
 * The next version for a saved form; the same program when nothing changed (saving twice makes no history). Throws
 * DomainError("invalid_input") with `fieldErrors` for invalid settings.
 */
export function reviseReferralProgram(program: ReferralProgram, input: unknown): ReferralProgram {
  const parsed = parseReferralSettings(input);
  if (!parsed.ok) {
    throw new DomainError("invalid_input", "The referral settings are invalid", { fieldErrors: parsed.fieldErrors });
  }
  if (canonical(parsed.settings) === canonical(program.settings)) return program;
  return { ...program, version: program.version + 1, settings: parsed.settings };
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );

/** The program's amounts at their face value in the store's current currency (decision 008). */
export function referralProgramIn(program: ReferralProgram, currency: CurrencyCode): ReferralProgram {
  if (program.currency === currency) return program;
  const convert = <Reward extends { minimumSubtotalMinor: number; amountMinor?: number }>(reward: Reward): Reward => ({
    ...reward,
    minimumSubtotalMinor: faceValueIn(reward.minimumSubtotalMinor, program.currency, currency),
    ...(reward.amountMinor !== undefined
      ? { amountMinor: faceValueIn(reward.amountMinor, program.currency, currency) }
      : {}),
  });
  const { friendReward, advocateReward } = program.settings;
  return {
    ...program,
    currency,
    settings: {
      ...program.settings,
      friendReward: convert(friendReward),
      advocateReward: advocateReward.kind === "points" ? advocateReward : convert(advocateReward),
    },
  };
}

/**
 * "10% off", "$5.00 off", "free shipping", "500 points": a reward in a shopper's words; amounts written by `money`
 * (the shop's format on the storefront: "$5.00 CAD off"; the admin's, adminMoneyWriter: "$5.00 off"), points in the
 * program's names ("500 stars ⭐").
 */
export function describeReferralReward(
  reward: ReferralDiscount | AdvocateReward,
  currency: CurrencyCode,
  money: MoneyWriter,
  naming: PointsNaming = defaultPointsNaming,
): string {
  switch (reward.kind) {
    case "fixed_amount_off":
      return `${money(reward.amountMinor)} off`;
    case "percent_off":
      return `${reward.percent}% off`;
    case "free_shipping":
      return "free shipping";
    case "points":
      return pointsInWords(naming, reward.points);
  }
}

/**
 * The discount a `referral_rewards` row was issued for (its kind, `valueMinor` in minor units of its currency, percent
 * and minimum subtotal), or null for a row whose kind or amount Tally does not know.
 */
export function referralDiscountOfRow(row: {
  kind: string;
  valueMinor: number | null;
  percent: number | null;
  minimumSubtotalMinor: number;
}): ReferralDiscount | null {
  const { minimumSubtotalMinor } = row;
  if (row.kind === "fixed_amount_off" && row.valueMinor !== null)
    return { kind: row.kind, amountMinor: row.valueMinor, minimumSubtotalMinor };
  if (row.kind === "percent_off" && row.percent !== null)
    return { kind: row.kind, percent: row.percent, minimumSubtotalMinor };
  if (row.kind === "free_shipping") return { kind: row.kind, minimumSubtotalMinor };
  return null;
}

/**
 * A reward as data for a client that words it in its own language (the storefront widget, decision 051): `value` is
 * the percentage for percent_off, minor units of `currency` for fixed_amount_off, the points for points, and null for
 * free_shipping; `minimumSubtotalMinor` is the order it needs (minor units, 0 for none; always 0 for points).
 */
export interface RewardTerms {
  kind: AdvocateReward["kind"];
  value: number | null;
  currency: CurrencyCode;
  minimumSubtotalMinor: number;
}

/** `reward` as `RewardTerms` in `currency` (the program's). */
export function rewardTerms(reward: ReferralDiscount | AdvocateReward, currency: CurrencyCode): RewardTerms {
  const value =
    reward.kind === "percent_off"
      ? reward.percent
      : reward.kind === "fixed_amount_off"
        ? reward.amountMinor
        : reward.kind === "points"
          ? reward.points
          : null;
  const minimumSubtotalMinor = reward.kind === "points" ? 0 : reward.minimumSubtotalMinor;
  return { kind: reward.kind, value, currency, minimumSubtotalMinor };
}

/**
 * The friend's offer in full: "10% off your first order of $20.00 or more" (amounts by `money`, as above), said to
 * the friend (`whose` "your": the landing page, the discount's title) or about them ("their": the advocate's emails).
 */
export function describeFriendOffer(
  reward: ReferralDiscount,
  currency: CurrencyCode,
  money: MoneyWriter,
  whose: "your" | "their" = "your",
): string {
  const what = describeReferralReward(reward, currency, money);
  const floor = reward.minimumSubtotalMinor > 0 ? ` of ${money(reward.minimumSubtotalMinor)} or more` : "";
  return `${what} ${whose} first order${floor}`.replace(`free shipping ${whose}`, `free shipping on ${whose}`);
}

/**
 * What the advocate gets, in full: "500 stars ⭐", "15% off an order of $50.00 or more" (amounts by `money`, points in
 * the program's names, as above). A discount's minimum order is part of the terms, as the storefront's referral box
 * says it (decision 051), so an email does not promise "15% off" where the code asks for a $50.00 order.
 */
export function describeAdvocateReward(
  reward: AdvocateReward,
  currency: CurrencyCode,
  money: MoneyWriter,
  naming: PointsNaming = defaultPointsNaming,
): string {
  const what = describeReferralReward(reward, currency, money, naming);
  if (reward.kind === "points" || reward.minimumSubtotalMinor === 0) return what;
  const on = reward.kind === "free_shipping" ? " on" : "";
  return `${what}${on} an order of ${money(reward.minimumSubtotalMinor)} or more`;
}

// ---------------------------------------------------------------------------------------------------------------------
// The settings form: what the merchant types (amounts as "20.00" in the store currency), turned into settings input;
// the schema above then validates it, so every error carries the settings path the form shows it under.

export const referralSettingsFormSchema = z.object({
  enabled: z.boolean(),
  joining: z.string(),
  friendKind: z.string(),
  /** An amount for amount-off, a percent for percent-off, unused for free shipping. */
  friendValue: z.string(),
  friendMinimum: z.string(),
  advocateKind: z.string(),
  /** Points for points, an amount or a percent for a discount. */
  advocateValue: z.string(),
  advocateMinimum: z.string(),
  pendingDays: z.string(),
});
export type ReferralSettingsForm = z.infer<typeof referralSettingsFormSchema>;

export const discountKindLabels = {
  fixed_amount_off: "Amount off",
  percent_off: "Percent off",
  free_shipping: "Free shipping",
} as const;
export const advocateKindLabels = { points: "Points", ...discountKindLabels } as const;

function rewardFromForm(kind: string, value: string, minimumText: string, currency: CurrencyCode) {
  const minimumSubtotalMinor =
    minimumText.trim() === "" ? 0 : settingAmountFromText(minimumText, currency, "Minimum order", 0);
  if (kind === "points") return { kind, points: wholeOrText(value) };
  if (kind === "percent_off") return { kind, percent: wholeOrText(value), minimumSubtotalMinor };
  if (kind === "free_shipping") return { kind, minimumSubtotalMinor };
  return { kind, amountMinor: settingAmountFromText(value, currency, "Amount off", 1), minimumSubtotalMinor };
}

export function referralSettingsFromForm(form: ReferralSettingsForm, currency: CurrencyCode): unknown {
  return {
    enabled: form.enabled,
    joining: form.joining,
    friendReward: rewardFromForm(form.friendKind, form.friendValue, form.friendMinimum, currency),
    advocateReward: rewardFromForm(form.advocateKind, form.advocateValue, form.advocateMinimum, currency),
    pendingDays: wholeOrText(form.pendingDays),
  };
}

function valueText(reward: ReferralDiscount | AdvocateReward, currency: CurrencyCode): string {
  switch (reward.kind) {
    case "points":
      return String(reward.points);
    case "percent_off":
      return String(reward.percent);
    case "fixed_amount_off":
      return formatMinor(reward.amountMinor, currency);
    case "free_shipping":
      return "";
  }
}

export function referralSettingsToForm(settings: ReferralSettings, currency: CurrencyCode): ReferralSettingsForm {
  const { friendReward: friend, advocateReward: advocate } = settings;
  return {
    enabled: settings.enabled,
    joining: settings.joining,
    friendKind: friend.kind,
    friendValue: valueText(friend, currency),
    friendMinimum: minimumText(friend.minimumSubtotalMinor, currency),
    advocateKind: advocate.kind,
    advocateValue: valueText(advocate, currency),
    advocateMinimum: advocate.kind === "points" ? "" : minimumText(advocate.minimumSubtotalMinor, currency),
    pendingDays: String(settings.pendingDays),
  };
}

/** The settings path whose errors belong under a reward's value field. */
export function rewardValuePath(which: "friendReward" | "advocateReward", kind: string): string {
  return `${which}.${kind === "percent_off" ? "percent" : kind === "points" ? "points" : "amountMinor"}`;
}
