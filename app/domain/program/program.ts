import { z } from "zod";
import { currencyCodeSchema, DomainError, minorPerMajor, type CurrencyCode } from "~/domain/shared";
import { generatedRewardTitle, isGeneratedTitle, titleFollowingValue } from "./redeem-options";
import { parseProgramSettings, programSettingsSchema, type ProgramSettings } from "./settings";

/**
 * A program is its settings plus a version. Every settings change makes a new version; earn entries record the version
 * they were computed under, so "why did I get 120?" can be answered after the rules changed.
 */
export const programSchema = z.object({
  version: z.int().min(1),
  currency: currencyCodeSchema,
  settings: programSettingsSchema,
});

export type Program = z.infer<typeof programSchema>;

/** The defaults a shop gets on install: 1 point per 1.00, 100 for signing up, 500 points for "$5.00 off" (decision 052). */
export function defaultSettings(currency: CurrencyCode): ProgramSettings {
  const major = minorPerMajor(currency);
  return {
    enabled: true,
    pointsName: "points",
    pointName: "point",
    signupBonus: 100,
    pointsPerUnit: 1,
    unitMinor: major,
    pendingDays: 0,
    guestsEarn: true,
    guestsRedeem: false,
    excludedTags: [],
    returnRedeemedPoints: true,
    redeemOptions: [
      {
        kind: "fixed_amount_off",
        id: "five-off",
        title: generatedRewardTitle({ kind: "fixed_amount_off", amountMinor: 5 * major }, currency),
        pointsCost: 500,
        amountMinor: 5 * major,
        minimumSubtotalMinor: 0,
      },
    ],
  };
}

export function defaultProgram(currency: CurrencyCode): Program {
  return { version: 1, currency: currencyCodeSchema.parse(currency), settings: defaultSettings(currency) };
}

/**
 * Applies a settings form to a program. An unchanged form keeps the version, so saving twice does not make history.
 * A reward title Tally generated follows its option's value (`titleFollowingValue`, against the saved option of the
 * same id), whatever title the form posted with it.
 * Invalid input throws `invalid_input` with the field errors in `details.fieldErrors`.
 */
export function reviseProgram(program: Program, input: unknown): Program {
  const parsed = parseProgramSettings(input);
  if (!parsed.ok) {
    throw new DomainError("invalid_input", "The program settings are invalid", { fieldErrors: parsed.fieldErrors });
  }
  const saved = programSettingsSchema.parse(program.settings);
  // A generated title follows its option's new value even when the form posts the old one (decision 066).
  const settings = {
    ...parsed.settings,
    redeemOptions: parsed.settings.redeemOptions.map((option) => {
      const previous = saved.redeemOptions.find(({ id }) => id === option.id);
      return { ...option, title: titleFollowingValue(option.title, previous, option, program.currency) };
    }),
  };
  if (JSON.stringify(settings) === JSON.stringify(saved)) return program;
  return { ...program, version: program.version + 1, settings };
}

/** An amount of minor units of `from` as the same face value in `to`: 5.00 USD is 5.00 EUR, 1.00 USD is 1 JPY. */
export function faceValueIn(amountMinor: number, from: CurrencyCode, to: CurrencyCode): number {
  const scale = minorPerMajor(to) / minorPerMajor(from);
  if (scale >= 1) return amountMinor * scale;
  const converted = Math.round(amountMinor * scale);
  return amountMinor > 0 ? Math.max(1, converted) : converted;
}

/**
 * The program carried over to a new store currency, as decision 008 rules: the merchant's numbers keep their face
 * value ("1 point per 1.00", "5.00 off", "minimum 20.00"), the way Shopify keeps a product's price when the store
 * currency changes; only the number of decimals follows the new currency. A title Tally generated from an amount
 * ("$5.00 off", or an older "5.00 off") is generated again; a title the merchant wrote is kept. Points are not money and do not change.
 */
export function rebaseProgram(program: Program, currency: CurrencyCode): Program {
  if (program.currency === currency) return program;
  const from = program.currency;
  const amount = (minor: number) => faceValueIn(minor, from, currency);
  const settings = programSettingsSchema.parse(program.settings);
  return {
    version: program.version + 1,
    currency: currencyCodeSchema.parse(currency),
    settings: {
      ...settings,
      unitMinor: amount(settings.unitMinor),
      redeemOptions: settings.redeemOptions.map((option) => {
        const minimumSubtotalMinor = amount(option.minimumSubtotalMinor);
        if (option.kind !== "fixed_amount_off" && option.kind !== "store_credit") {
          return { ...option, minimumSubtotalMinor };
        }
        const amountMinor = amount(option.amountMinor);
        const generated = isGeneratedTitle(option.title, { kind: option.kind, amountMinor: option.amountMinor }, from);
        const title = generated ? generatedRewardTitle({ kind: option.kind, amountMinor }, currency) : option.title;
        return { ...option, minimumSubtotalMinor, amountMinor, title };
      }),
    },
  };
}
