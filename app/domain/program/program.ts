import { z } from "zod";
import { currencyCodeSchema, DomainError, formatMinor, minorPerMajor, type CurrencyCode } from "~/domain/shared";
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

/** The defaults a shop gets on install: 1 point per 1.00, 100 for signing up, 500 points for 5.00 off. */
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
        title: `${formatMinor(5 * major, currency)} off`,
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
 * Invalid input throws `invalid_input` with the field errors in `details.fieldErrors`.
 */
export function reviseProgram(program: Program, input: unknown): Program {
  const parsed = parseProgramSettings(input);
  if (!parsed.ok) {
    throw new DomainError("invalid_input", "The program settings are invalid", { fieldErrors: parsed.fieldErrors });
  }
  if (JSON.stringify(parsed.settings) === JSON.stringify(programSettingsSchema.parse(program.settings))) return program;
  return { ...program, version: program.version + 1, settings: parsed.settings };
}
