import { z } from "zod";
import { tagTooLong } from "~/domain/customers/tags";
import {
  currencyCodeSchema,
  formatMinor,
  minimumText,
  settingAmountFromText,
  tooLongWordsFor,
  wholeOrText,
  type CurrencyCode,
} from "~/domain/shared";
import {
  MAX_POINTS_NAME_LENGTH,
  MAX_REDEEM_TITLE_LENGTH,
  type ProgramSettings,
  type RedeemOptionKind,
} from "./settings";
import { titleFollowingValue, type RewardValue } from "./redeem-options";

/**
 * The settings form as the merchant types it: whole numbers and amounts as text ("1.00" in the shop currency), tags
 * comma-separated. `programSettingsFromForm` turns it into settings input; the settings schema then does all the
 * validating, so every error carries the settings path ("redeemOptions.0.percent") the form shows it under.
 */
export const programSettingsFormSchema = z.object({
  enabled: z.boolean(),
  pointsName: z.string(),
  /** Absent from forms rendered before the singular existed; the settings then derive it. */
  pointName: z.string().optional(),
  signupBonus: z.string(),
  pointsPerUnit: z.string(),
  unitAmount: z.string(),
  pendingDays: z.string(),
  guestsEarn: z.boolean(),
  guestsRedeem: z.boolean(),
  excludedTags: z.string(),
  returnRedeemedPoints: z.boolean(),
  redeemOptions: z
    .array(
      z.object({
        id: z.string(),
        kind: z.string(),
        title: z.string(),
        pointsCost: z.string(),
        /** An amount for amount-off and store credit, a percent for percent-off, unused for free shipping. */
        value: z.string(),
        minimumOrder: z.string(),
      }),
    )
    .max(100),
});

export type ProgramSettingsForm = z.infer<typeof programSettingsFormSchema>;
export type RedeemOptionForm = ProgramSettingsForm["redeemOptions"][number];

export const redeemOptionKindLabels: Record<RedeemOptionKind, string> = {
  fixed_amount_off: "Amount off",
  percent_off: "Percent off",
  free_shipping: "Free shipping",
  store_credit: "Store credit",
};

/**
 * The "Guests can redeem" checkbox's help text, for its state (`guestsRedeem` as ticked): what Guests, customers
 * without an account in the store, may do with their points. Unticked, the storefront refuses a Guest's redemption
 * (planRedemption's `guest_cannot_redeem`), and its signed-out join box asks for an account to redeem (decision 074); a
 * signed-in Guest is told her points wait for her account to be confirmed (the widget's `guest` words, decision 075).
 */
export function guestsRedeemHelp(guestsRedeem: boolean): string {
  return guestsRedeem
    ? "Customers without an account can spend their points on rewards, as Members do."
    : "Customers without an account keep their points but can't spend them: the storefront asks them to create an account to redeem.";
}

export function programSettingsFromForm(form: ProgramSettingsForm, currency: CurrencyCode): unknown {
  return {
    enabled: form.enabled,
    pointsName: form.pointsName,
    pointName: form.pointName,
    signupBonus: wholeOrText(form.signupBonus),
    pointsPerUnit: wholeOrText(form.pointsPerUnit),
    unitMinor: settingAmountFromText(form.unitAmount, currency, "Per amount spent", 1),
    pendingDays: wholeOrText(form.pendingDays),
    guestsEarn: form.guestsEarn,
    guestsRedeem: form.guestsRedeem,
    excludedTags: form.excludedTags
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
    returnRedeemedPoints: form.returnRedeemedPoints,
    redeemOptions: form.redeemOptions.map((option) => ({
      id: option.id,
      kind: option.kind,
      title: option.title,
      pointsCost: wholeOrText(option.pointsCost),
      minimumSubtotalMinor:
        option.minimumOrder.trim() === ""
          ? 0
          : settingAmountFromText(option.minimumOrder, currency, "Minimum order", 0),
      ...(option.kind === "percent_off"
        ? { percent: wholeOrText(option.value) }
        : option.kind === "free_shipping"
          ? {}
          : { amountMinor: settingAmountFromText(option.value, currency, "Value", 1) }),
    })),
  };
}

export function programSettingsToForm(settings: ProgramSettings, currency: CurrencyCode): ProgramSettingsForm {
  return {
    enabled: settings.enabled,
    pointsName: settings.pointsName,
    pointName: settings.pointName,
    signupBonus: String(settings.signupBonus),
    pointsPerUnit: String(settings.pointsPerUnit),
    unitAmount: formatMinor(settings.unitMinor, currency),
    pendingDays: String(settings.pendingDays),
    guestsEarn: settings.guestsEarn,
    guestsRedeem: settings.guestsRedeem,
    excludedTags: settings.excludedTags.join(", "),
    returnRedeemedPoints: settings.returnRedeemedPoints,
    redeemOptions: settings.redeemOptions.map((option) => ({
      id: option.id,
      kind: option.kind,
      // A title generated for another value before titles followed values (decision 066) reads as it is shown.
      title: titleFollowingValue(option.title, undefined, option, currency),
      pointsCost: String(option.pointsCost),
      value:
        option.kind === "percent_off"
          ? String(option.percent)
          : option.kind === "free_shipping"
            ? ""
            : formatMinor(option.amountMinor, currency),
      minimumOrder: minimumText(option.minimumSubtotalMinor, currency),
    })),
  };
}

/**
 * The settings form's texts past their limits as the merchant types them, keyed by the settings path the server's
 * refusal of the same text carries ("pointsName", "redeemOptions.2.title"; "excludedTags" for the first tag too long),
 * in the same words: "Title: keep it to 60 characters or fewer (this is 75)" (`programSettingsSchema`, decision 058).
 * Empty when every text fits; the form posts nothing until it is.
 */
export function programSettingsLengthErrors(form: ProgramSettingsForm): Record<string, string> {
  const errors: Record<string, string | undefined> = {
    pointsName: tooLongWordsFor("Points name", form.pointsName, MAX_POINTS_NAME_LENGTH),
    pointName: tooLongWordsFor("Singular", form.pointName ?? "", MAX_POINTS_NAME_LENGTH),
    excludedTags: form.excludedTags
      .split(",")
      .map((tag) => tagTooLong(tag.trim()))
      .find(Boolean),
  };
  form.redeemOptions.forEach((option, index) => {
    errors[`redeemOptions.${index}.title`] = tooLongWordsFor("Title", option.title, MAX_REDEEM_TITLE_LENGTH);
  });
  return Object.fromEntries(
    Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** The field path whose errors belong under an option's value field. */
export function redeemOptionValuePath(index: number, kind: string): string {
  return `redeemOptions.${index}.${kind === "percent_off" ? "percent" : "amountMinor"}`;
}

/**
 * What a reward row of the form is worth as typed (`value` in the shop currency's major units, or a percent), or
 * undefined while its kind or value is not one the settings would take ("", "1.2.3", "0").
 */
export function redeemOptionFormValue(option: RedeemOptionForm, currency: CurrencyCode): RewardValue | undefined {
  switch (option.kind) {
    case "free_shipping":
      return { kind: "free_shipping" };
    case "percent_off": {
      const percent = wholeOrText(option.value);
      return typeof percent === "number" && percent >= 1 && percent <= 100 ? { kind: option.kind, percent } : undefined;
    }
    case "fixed_amount_off":
    case "store_credit": {
      const amountMinor = settingAmountFromText(option.value, currency, "Value", 1);
      return typeof amountMinor === "number" && amountMinor >= 1 ? { kind: option.kind, amountMinor } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * A reward row of the form after the merchant changed it from `before` to `after`: when its kind or value changed to
 * one the settings take, a title Tally generated (or an empty one) follows it as typed ("$5.00 off" becomes "$10.00
 * off" on typing 10), as the save does (`titleFollowingValue`, decision 066); a title the merchant wrote is kept.
 * `currency` is the program's, as a string from the page's data.
 */
export function redeemOptionFormChanged(
  before: RedeemOptionForm,
  after: RedeemOptionForm,
  currency: string,
): RedeemOptionForm {
  const code = currencyCodeSchema.safeParse(currency);
  if (!code.success || (before.kind === after.kind && before.value === after.value)) return after;
  const next = redeemOptionFormValue(after, code.data);
  if (!next) return after;
  return {
    ...after,
    title: titleFollowingValue(after.title, redeemOptionFormValue(before, code.data), next, code.data),
  };
}
