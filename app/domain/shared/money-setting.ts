import { z } from "zod";
import { asciiMinus } from "./integers";
import { MAX_AMOUNT_MINOR } from "./limits";
import { formatMinor, minorUnits, type CurrencyCode } from "./money";

/*
 * A money setting (Settings' "Per amount spent", a reward's value, a minimum order; the referral rewards' amounts and
 * minimums) from the text the merchant typed. The settings schemas hold minor units and know no currency, so the
 * text's own mistakes are judged here, where the shop's currency is known, and said as the store credit form says
 * them: "CAD has 2 decimal places", not "must be a positive amount" for a 0.001 that is positive (newcomer round 17).
 * Each sentence starts with the field's label, as every settings error does.
 */

/** A typed amount refused before the schema, with why; a settings schema reports `message` on the field it is in. */
export class RefusedAmount {
  constructor(readonly message: string) {}
}

const grouped = (n: number) => n.toLocaleString("en-US");
const mostWords = (what: string) =>
  `${what} can be at most 100,000,000.00 (${grouped(MAX_AMOUNT_MINOR)} in the currency's smallest unit)`;

/**
 * The minor units of `text` in `currency`, or why it is not a `what` of at least `min` minor units: not a plain
 * decimal ("like 10.00"), more decimals than the currency has ("CAD has 2 decimal places"; trailing zeros are fine),
 * a minus typed either way ("can't be below 0", or "below 0.01" where 0 is not taken), 0 where it is not taken
 * ("at least 0.01"). An amount above MAX_AMOUNT_MINOR is left to the schema's range.
 */
export function settingAmountFromText(
  text: string,
  currency: CurrencyCode,
  what: string,
  min: 0 | 1,
): number | RefusedAmount {
  const digits = minorUnits(currency);
  // "−5" is "-5": refused as below the least, not as "not an amount" (`asciiMinus`).
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(asciiMinus(text));
  if (!match) return new RefusedAmount(`${what} must be an amount like ${formatMinor(10 * 10 ** digits, currency)}`);
  const [, sign, whole, fraction = ""] = match;
  if (fraction.replace(/0+$/, "").length > digits) {
    return new RefusedAmount(`${what}: ${currency} has ${digits} decimal places`);
  }
  if (whole!.replace(/^0+/, "").length > 15) return new RefusedAmount(mostWords(what));
  const minor = Number(whole) * 10 ** digits + Number(fraction.replace(/0+$/, "").padEnd(digits, "0") || "0");
  const signed = sign && minor !== 0 ? -minor : minor;
  if (signed < 0) return new RefusedAmount(`${what} can't be below ${min === 0 ? "0" : formatMinor(1, currency)}`);
  if (signed < min) return new RefusedAmount(`${what} must be at least ${formatMinor(1, currency)}`);
  return signed;
}

/**
 * A money setting in minor units, from `min` to MAX_AMOUNT_MINOR. Given a RefusedAmount (the form's text judged by
 * `settingAmountFromText`), it reports that refusal's words on the field.
 */
export function settingAmount(what: string, min: 0 | 1) {
  const whole = `${what} must be ${min === 0 ? "zero or a positive amount" : "a positive amount"}`;
  return z
    .number({ error: (issue) => (issue.input instanceof RefusedAmount ? issue.input.message : whole) })
    .superRefine((value, ctx) => {
      const message = !Number.isInteger(value)
        ? whole
        : value < min
          ? whole
          : value > MAX_AMOUNT_MINOR
            ? mostWords(what)
            : undefined;
      if (message) ctx.addIssue({ code: "custom", message });
    });
}

/**
 * A minimum order as its settings field shows it: empty for none (0), as the field's help says ("empty for none"),
 * else the amount in `currency` ("25.00"). settingAmountFromText reads either back (empty is 0 at the caller).
 */
export function minimumText(minor: number, currency: CurrencyCode): string {
  return minor === 0 ? "" : formatMinor(minor, currency);
}
