import { z } from "zod";

const wholeNumber = (message: string) => z.int({ error: message });
const positiveWhole = (message: string) => wholeNumber(message).min(1, { error: message });
const nonNegativeWhole = (message: string) => wholeNumber(message).min(0, { error: message });

const redeemOptionBase = z.object({
  id: z
    .string({ error: "Option id is required" })
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: "Option id must be 1-40 lowercase letters, digits or dashes" }),
  title: z
    .string({ error: "Option title is required" })
    .trim()
    .min(1, { error: "Option title is required" })
    .max(60, { error: "Option title must be at most 60 characters" }),
  pointsCost: positiveWhole("Points cost must be a positive whole number"),
  minimumSubtotalMinor: nonNegativeWhole("Minimum order subtotal must be zero or a positive amount").default(0),
});

/** What a customer can spend points on. Amounts are in minor units of the program's currency. */
export const redeemOptionSchema = z.discriminatedUnion(
  "kind",
  [
    redeemOptionBase.extend({
      kind: z.literal("fixed_amount_off"),
      amountMinor: positiveWhole("Amount off must be a positive amount"),
    }),
    redeemOptionBase.extend({
      kind: z.literal("percent_off"),
      percent: wholeNumber("Percent off must be a whole number from 1 to 100")
        .min(1, { error: "Percent off must be a whole number from 1 to 100" })
        .max(100, { error: "Percent off must be a whole number from 1 to 100" }),
    }),
    redeemOptionBase.extend({ kind: z.literal("free_shipping") }),
    redeemOptionBase.extend({
      kind: z.literal("store_credit"),
      amountMinor: positiveWhole("Store credit must be a positive amount"),
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
    enabled: z.boolean({ error: "Program on/off must be true or false" }),
    pointsName: z
      .string({ error: "Points name is required" })
      .trim()
      .min(1, { error: "Points name is required" })
      .max(20, { error: "Points name must be at most 20 characters" }),
    /** The singular ("1 point"); versions saved before it existed get one from `pointsName`. */
    pointName: z
      .string({ error: "The singular points name must be text" })
      .trim()
      .min(1, { error: "Say what one point is called, like point" })
      .max(20, { error: "The singular points name must be at most 20 characters" })
      .optional(),
    signupBonus: nonNegativeWhole("Sign-up bonus must be zero or a positive whole number"),
    pointsPerUnit: positiveWhole("Points per unit must be a positive whole number"),
    unitMinor: positiveWhole("The spend unit must be a positive amount"),
    pendingDays: nonNegativeWhole("Pending period must be a whole number of days from 0 to 365").max(365, {
      error: "Pending period must be a whole number of days from 0 to 365",
    }),
    guestsEarn: z.boolean({ error: "Guests earn must be true or false" }),
    guestsRedeem: z.boolean({ error: "Guests redeem must be true or false" }),
    excludedTags: z
      .array(
        z
          .string({ error: "Excluded tags must be text" })
          .trim()
          .min(1, { error: "Excluded tags cannot be blank" })
          .max(255, { error: "Excluded tags must be at most 255 characters" }),
        { error: "Excluded tags must be a list" },
      )
      .max(100, { error: "At most 100 excluded tags" })
      // Shopify tags are case-insensitive, so "VIP" and "vip" are one tag.
      .transform((tags) => [...new Map(tags.map((tag) => [tag.toLowerCase(), tag])).values()]),
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
