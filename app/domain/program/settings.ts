import { z } from "zod";
import { MAX_TAG_LENGTH, tagTooLong } from "~/domain/customers/tags";
import { MAX_POINTS_PER_UNIT, MAX_SETTING_POINTS, settingAmount, tooLongError, wholeBetween } from "~/domain/shared";

const grouped = (n: number) => n.toLocaleString("en-US");

/** The longest points name, plural or singular, in characters once trimmed. */
export const MAX_POINTS_NAME_LENGTH = 20;
/** The longest title of a way to redeem, in characters once trimmed. */
export const MAX_REDEEM_TITLE_LENGTH = 60;

/** Points a merchant sets (bonus, cost): whole, within MAX_SETTING_POINTS (domain/shared/limits.ts). */
function settingPoints(what: string, min: 0 | 1) {
  return wholeBetween(min, MAX_SETTING_POINTS, {
    whole: `${what} must be ${min === 0 ? "zero or a positive" : "a positive"} whole number`,
    negative: `${what} can't be below ${min}`,
    above: `${what} can be at most ${grouped(MAX_SETTING_POINTS)} points`,
  });
}

/** A money amount in minor units, within MAX_AMOUNT_MINOR; a form's refused text keeps its own words. */
const amount = settingAmount;

const redeemOptionBase = z.object({
  id: z
    .string({ error: "Option id is required" })
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: "Option id must be 1-40 lowercase letters, digits or dashes" }),
  title: z
    .string({ error: "Title is required" })
    .trim()
    .min(1, { error: "Title is required" })
    .max(MAX_REDEEM_TITLE_LENGTH, { error: tooLongError(MAX_REDEEM_TITLE_LENGTH, "Title") }),
  pointsCost: settingPoints("Points cost", 1),
  minimumSubtotalMinor: amount("Minimum order", 0).default(0),
});

/** What a customer can spend points on. Amounts are in minor units of the program's currency. */
export const redeemOptionSchema = z.discriminatedUnion(
  "kind",
  [
    redeemOptionBase.extend({
      kind: z.literal("fixed_amount_off"),
      amountMinor: amount("Value", 1),
    }),
    redeemOptionBase.extend({
      kind: z.literal("percent_off"),
      percent: wholeBetween(1, 100, {
        whole: "Percent off must be a whole number from 1 to 100",
        negative: "Percent off can't be below 1",
      }),
    }),
    redeemOptionBase.extend({ kind: z.literal("free_shipping") }),
    redeemOptionBase.extend({
      kind: z.literal("store_credit"),
      amountMinor: amount("Value", 1),
    }),
  ],
  { error: "Option kind must be fixed_amount_off, percent_off, free_shipping or store_credit" },
);

export type RedeemOption = z.infer<typeof redeemOptionSchema>;
export type RedeemOptionKind = RedeemOption["kind"];

/**
 * The merchant-editable settings, as the settings form posts them (JSON with numbers, amounts in minor units).
 * The shop currency is not a setting: it comes from the shop and is fixed per program.
 */
export const programSettingsSchema = z
  .object({
    enabled: z.boolean({ error: "Program on must be true or false" }),
    pointsName: z
      .string({ error: "Points name is required" })
      .trim()
      .min(1, { error: "Points name is required" })
      .max(MAX_POINTS_NAME_LENGTH, { error: tooLongError(MAX_POINTS_NAME_LENGTH, "Points name") }),
    /** The singular ("1 point"); versions saved before it existed get one from `pointsName`. */
    pointName: z
      .string({ error: "Singular must be text" })
      .trim()
      .min(1, { error: "Singular: say what one point is called, like point" })
      .max(MAX_POINTS_NAME_LENGTH, { error: tooLongError(MAX_POINTS_NAME_LENGTH, "Singular") })
      .optional(),
    signupBonus: settingPoints("Sign-up bonus", 0),
    pointsPerUnit: wholeBetween(1, MAX_POINTS_PER_UNIT, {
      whole: "Points earned must be a positive whole number",
      negative: "Points earned can't be below 1",
      above: `Points earned can be at most ${grouped(MAX_POINTS_PER_UNIT)}`,
    }),
    unitMinor: amount("Per amount spent", 1),
    pendingDays: wholeBetween(0, 365, {
      whole: "Pending period must be a whole number of days from 0 to 365",
      negative: "Pending period can't be below 0 days",
    }),
    guestsEarn: z.boolean({ error: "Guests earn points must be true or false" }),
    guestsRedeem: z.boolean({ error: "Guests can redeem must be true or false" }),
    excludedTags: z
      .array(
        z
          .string({ error: "Excluded customer tags must be text" })
          .trim()
          .min(1, { error: "Excluded customer tags cannot be blank" })
          .max(MAX_TAG_LENGTH, { error: (issue) => tagTooLong(String(issue.input)) }),
        { error: "Excluded customer tags must be a list" },
      )
      .max(100, { error: "Excluded customer tags: at most 100" })
      // Shopify tags are case-insensitive, so "VIP" and "vip" are one tag, kept as the merchant first typed it
      // (the fold is hasExcludedTag's, so what is kept is what is matched).
      .transform((tags) => {
        const first = new Map<string, string>();
        for (const tag of tags) if (!first.has(tag.toLowerCase())) first.set(tag.toLowerCase(), tag);
        return [...first.values()];
      }),
    returnRedeemedPoints: z.boolean({ error: "Return redeemed points must be true or false" }),
    redeemOptions: z
      .array(redeemOptionSchema, { error: "Redeem options must be a list" })
      .max(20, { error: "At most 20 redeem options" })
      .superRefine((options, ctx) => {
        const seen = new Set<string>();
        options.forEach((option, index) => {
          if (seen.has(option.id)) {
            ctx.addIssue({
              code: "custom",
              path: [index, "id"],
              message: `Option id "${option.id}" is used twice; ids must be unique`,
            });
          }
          seen.add(option.id);
        });
      }),
  })
  // Always last, so a version stored before the singular existed compares equal to the same settings saved today.
  .transform(({ pointName, ...settings }) => ({
    ...settings,
    pointName: pointName ?? singularOf(settings.pointsName),
  }));

/** The default singular for a points name: "point" for "points", the name itself otherwise ("Punkte" stays). */
export function singularOf(pointsName: string): string {
  return pointsName.toLowerCase() === "points" ? pointsName.slice(0, -1) : pointsName;
}

export type ProgramSettings = z.infer<typeof programSettingsSchema>;
export type ProgramSettingsInput = z.input<typeof programSettingsSchema>;

export type ParsedSettings =
  { ok: true; settings: ProgramSettings } | { ok: false; fieldErrors: Record<string, string[]> };

/** Validates a settings form; errors are keyed by dotted field path ("redeemOptions.0.percent") for Polaris fields. */
export function parseProgramSettings(input: unknown): ParsedSettings {
  const result = programSettingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".") || "_form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return { ok: false, fieldErrors };
}
