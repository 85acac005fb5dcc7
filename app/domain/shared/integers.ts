import { z } from "zod";
import { DomainError } from "./errors";
import { MAX_ADJUSTMENT_POINTS, MAX_ADJUSTMENT_REASON_LENGTH } from "./limits";
import { tooLongError } from "./text-limit";

/**
 * floor(a × b / c) for non-negative safe integers. Goes through BigInt because a × b overflows 2^53 long before the
 * result does (a 100,000,000.00 order times a points figure is already past it), and a float would round silently.
 */
export function mulDivFloor(a: number, b: number, c: number): number {
  for (const value of [a, b, c]) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new DomainError("invalid_input", `expected a non-negative whole number, got ${value}`);
    }
  }
  if (c === 0) throw new DomainError("invalid_input", "cannot divide by zero");
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/**
 * A whole number from `min` to `max`, refused with exactly one sentence: `whole` for what is not a whole number,
 * `below` or `above` for one out of range, `negative` for a number below 0 where `min` is 0 or more (a minus typed
 * into a field that takes none: "Sign-up bonus can't be below 0", where "must be zero or a positive whole number"
 * left the merchant looking for what was not whole). One issue per value, so a form never shows two sentences glued together,
 * and a number too large to be exact (1e20 from "99999999999999999999") is "too large", not "not a whole number".
 */
export function wholeBetween(
  min: number,
  max: number,
  messages: { whole: string; below?: string; above?: string; negative?: string },
) {
  return z.number({ error: messages.whole }).superRefine((value, ctx) => {
    const message = !Number.isInteger(value)
      ? messages.whole
      : value < 0 && min >= 0 && messages.negative
        ? messages.negative
        : value < min
          ? (messages.below ?? messages.whole)
          : value > max
            ? (messages.above ?? messages.whole)
            : undefined;
    if (message) ctx.addIssue({ code: "custom", message });
  });
}

/**
 * A number as typed with its leading minus as ASCII "-": the minus sign U+2212 (how Tally writes a negative, and
 * what a Mac's Option-hyphen or a pasted figure brings), the dashes ‐ ‑ ‒ – — and the small and fullwidth
 * hyphen-minus ﹣ －. Trimmed; anything else is left as typed. So "−5" is read as the "-5" it looks like: a points
 * bound, or "can't be below 0" in a field that takes no negatives, never "not a number".
 */
export function asciiMinus(text: string): string {
  return text.trim().replace(/^[\u2212\u2010-\u2014\uFE63\uFF0D]/u, "-");
}

/**
 * A number as typed with its thousands grouped as the admin writes them ("1,000", "2,295.37": `Intl` in English, as
 * the directory prints figures and money), without the commas ("1000", "2295.37"); `null` when a comma is out of place
 * ("1,00", "10,00.50", "1,0000", "1,000,"), which the caller refuses in its own words. Commas go only between groups of
 * three digits before the point. Text with no comma, or that is not a number at all ("a,b"), is given back as it is,
 * for the caller's own check to name.
 */
export function ungroupThousands(text: string): string | null {
  if (!text.includes(",") || !/^-?[\d,]+(\.\d*)?$/.test(text)) return text;
  return /^-?\d{1,3}(,\d{3})+(\.\d*)?$/.test(text) ? text.replace(/,/g, "") : null;
}

/**
 * A settings form's whole number as a number ("−5" and "-5" both -5, so its range says "can't be below 0"), or the
 * text as typed, passed on for the settings schema to report with its own message and path.
 */
export function wholeOrText(text: string): number | string {
  const typed = asciiMinus(text);
  return /^-?\d+$/.test(typed) ? Number(typed) : text;
}

const mostPoints = MAX_ADJUSTMENT_POINTS.toLocaleString("en-US");

/**
 * What is not whole points in a points adjustment ("1.5", "abc"), in the words every form uses for it (the profile's
 * and the bulk action's): one sentence, with an example, where a tester read "Enter whole points" for one mistake and
 * this for the other.
 */
export const WHOLE_POINTS_CHANGE = "Enter a whole number of points, like 50 or -20";

/** The range of a points adjustment, in the words every form uses for it (the profile's and the bulk action's). */
export const POINTS_CHANGE_RANGE = `Enter at most ${mostPoints} points, or at least -${mostPoints}`;

/** What an adjustment without a reason is told, on the profile and in bulk alike (the field's help says who reads it). */
export const ADJUSTMENT_REASON_REQUIRED = "Say why the points are adjusted";

/**
 * An adjustment's reason as staff type it, on the profile's Adjust points and the directory's bulk one: trimmed,
 * required, at most MAX_ADJUSTMENT_REASON_LENGTH characters, which both forms' Reason fields also take as their
 * `maxLength`.
 */
export const adjustmentReasonSchema = z
  .string()
  .trim()
  .min(1, { error: ADJUSTMENT_REASON_REQUIRED })
  .max(MAX_ADJUSTMENT_REASON_LENGTH, { error: tooLongError(MAX_ADJUSTMENT_REASON_LENGTH) });

/**
 * A points adjustment as staff type it ("50", "-20", "−20", "+5"): whole points other than zero, at most
 * MAX_ADJUSTMENT_POINTS either way. One sentence for each kind of mistake: "12.5" and "abc" → WHOLE_POINTS_CHANGE,
 * "1e3" → digits only, "99999999999999999999" → the range (never "not a whole number").
 */
export const pointsChangeTextSchema = z
  .string()
  // "−20" (the minus Tally writes a debt with) is -20, as in the bulk action's and the directory's fields.
  .transform(asciiMinus)
  .transform((text, ctx) => {
    const refuse = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    if (!text) return refuse("Enter points, like 50 or -20");
    if (/^[+-]?\d+(\.\d+)?e[+-]?\d+$/i.test(text)) return refuse("Enter the points in digits, like 1000");
    if (!/^[+-]?\d+$/.test(text)) return refuse(WHOLE_POINTS_CHANGE);
    const points = Number(text);
    if (Math.abs(points) > MAX_ADJUSTMENT_POINTS) return refuse(POINTS_CHANGE_RANGE);
    if (points === 0) return refuse("Enter points other than 0");
    return points;
  });
