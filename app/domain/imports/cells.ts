import { MAX_ENTRY_POINTS, phoneHint, phoneProblemWords, readPhone } from "~/domain/shared";

/*
 * Cell checks shared by every importer. Each answers a value or the sentence a merchant reads beside the row.
 */

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** An email as Shopify accepts one: a local part, an @ and a dotted domain, no spaces. Compared in lower case. */
export function checkEmail(cell: string | undefined): Checked<string> {
  if (!cell) return { ok: false, error: "Email is missing" };
  const email = cell.trim();
  if (!/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email) || email.length > 254)
    return { ok: false, error: `"${email}" is not a valid email address` };
  return { ok: true, value: email.toLowerCase() };
}

/**
 * A phone as Shopify stores it, E.164 (+16135550101), read as Shopify admin reads a typed one (readPhone): a national
 * number ("(613) 555-0101") in the shop's `country` (ISO 3166-1 alpha-2, null when unknown), "+44 20 7946 0958" or
 * "0044…" anywhere. The error says what is wrong, in the Edit form's words (phoneProblemWords), and how to write it in
 * this shop, since no help text stands beside an import row.
 */
export function checkPhone(cell: string, country: string | null): Checked<string> {
  const trimmed = cell.trim();
  const reading = readPhone(trimmed, country);
  if (reading.ok) return { ok: true, value: reading.e164 };
  return {
    ok: false,
    error: `${phoneProblemWords(trimmed, reading.reason, country).slice(0, -1)}: write it ${phoneHint(country)}.`,
  };
}

/**
 * A whole number of points, at least zero, with the thousands separators of the convention the file's separator
 * implies (`delimiter`, ",", ";" or a tab). A comma file is written the English way: "1,204,550". A semicolon file is
 * what Excel saves where the comma is the decimal mark (Germany, France, the Netherlands, Italy, Spain…), and there a
 * thousand is written "1.234" (or "1 234" with a space or no-break space, as French Excel does): read as 1234, since a
 * points balance is whole and such a value with exactly three digits after each point is a grouped thousand, not a
 * fraction (a file that used the point for decimals would show "12.5" or "0.75" beside it, which are refused). The
 * other convention's grouping is refused with a hint rather than guessed ("1.234" in a comma file may be 1.234; "1,234"
 * in a semicolon file is the decimal 1,234 there). Decimals ("3.5", "1.234,5") are refused rather than rounded: which
 * way to round is the merchant's call. Newcomer round 17 (C7): "1.234" in a semicolon file was refused with no hint.
 */
export function checkPoints(cell: string, delimiter = ","): Checked<number> {
  const trimmed = cell.trim();
  const european = delimiter === ";";
  const english = /^\d{1,3}(,\d{3})+$/;
  const continental = /^\d{1,3}([. \u00a0\u202f])\d{3}(\1\d{3})*$/;
  if (/^\d+$/.test(trimmed) || (european ? continental : english).test(trimmed)) {
    const points = Number(trimmed.replace(/\D/g, ""));
    if (!Number.isSafeInteger(points) || points > MAX_ENTRY_POINTS)
      return { ok: false, error: `Points must be at most ${MAX_ENTRY_POINTS.toLocaleString("en-US")}` };
    return { ok: true, value: points };
  }
  const refused = `Points must be a whole number of zero or more, not "${trimmed}"`;
  const otherWay = european ? english : continental;
  if (!otherWay.test(trimmed)) return { ok: false, error: refused };
  const meant = trimmed.replace(/\D/g, "");
  const why = european
    ? "in a semicolon-separated file the comma marks decimals"
    : "in a comma-separated file the point marks decimals";
  return { ok: false, error: `${refused}: ${why}. If you meant ${meant} points, write ${meant}` };
}

const yes = new Set(["yes", "y", "true", "1", "subscribed", "x", "oui", "ja", "si"]);
const no = new Set(["no", "n", "false", "0", "notsubscribed", "unsubscribed", "non", "nein"]);

/** Yes or no as spreadsheets write it: yes/no, true/false, 1/0, "subscribed"/"not subscribed". */
export function checkYesNo(cell: string, what: string): Checked<boolean> {
  const word = cell.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (yes.has(word)) return { ok: true, value: true };
  if (no.has(word)) return { ok: true, value: false };
  return { ok: false, error: `${what} must be yes or no, not "${cell.trim()}"` };
}

/**
 * Email marketing states an import cannot set, in Shopify's words and the directory's (`emailConsentLabels`): a
 * customer still to confirm a double opt-in, an address that bounced, a redacted one. Shopify sets these itself.
 */
const consentShopifySets = new Set(["pending", "pendingconfirmation", "invalid", "redacted"]);

/**
 * An "Email marketing" cell: yes or no as `checkYesNo` reads it, or, for a state only Shopify sets ("Pending
 * confirmation", "INVALID": what Tally's own export writes for such a customer), `undefined`: the row leaves the
 * customer's consent as it is, so a file exported from Tally imports back without a problem on those rows.
 */
export function checkEmailMarketing(cell: string): Checked<boolean | undefined> {
  if (consentShopifySets.has(cell.toLowerCase().replace(/[^a-z0-9]/g, ""))) return { ok: true, value: undefined };
  return checkYesNo(cell, "Email marketing consent");
}

const delimiterNames: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab" };

/**
 * A row whose values cannot be matched to the header's columns, refused whole (nothing of it can be trusted), with
 * the sentence saying why; null for a row that can be read. Two kinds:
 * - more values than the header has columns, the extra ones not all empty: a value holding the file's delimiter
 *   without quotes around it ("Silva, Jr"), which shifts every value after it into the wrong column. The sentence
 *   quotes the value from the row when one can be seen (a value starting with a space, as after "Silva,");
 * - one value holding another delimiter where the header has several columns: a row saved with semicolons in a
 *   comma file (or the reverse), read as one value ("Email is missing" blamed the email; newcomer round 13).
 * Fewer values, or extra empty ones (trailing delimiters some spreadsheets write), are fine: a missing cell is an
 * empty one. `delimiter` is the file's (",", ";" or a tab).
 */
export function checkRowWidth(record: readonly string[], headerCount: number, delimiter: string): string | null {
  const name = (each: string) => delimiterNames[each] ?? `"${each}"`;
  if (record.length === 1 && headerCount > 1) {
    const other = Object.keys(delimiterNames).find((each) => each !== delimiter && record[0]!.split(each).length > 1);
    if (other === undefined) return null;
    return `This row's values are separated by ${name(other)}s but the file's header by ${name(delimiter)}s, so it was read as one value: save the file again with one separator throughout`;
  }
  if (record.length <= headerCount || record.slice(headerCount).every((cell) => cell.trim() === "")) return null;
  const split = record.findIndex((cell, index) => index > 0 && /^\s+\S/.test(cell) && record[index - 1]!.trim() !== "");
  const shown = delimiter === "\t" ? "\t" : delimiter;
  const example = split > 0 ? `${record[split - 1]}${shown}${record[split]}` : `Silva${shown} Jr`;
  const where = split > 0 ? `"${example}" in this row` : `a value with a ${name(delimiter)} in it (like "${example}")`;
  return `This row has ${record.length} values but the header has ${headerCount} columns: ${where} needs double quotes around it, so this row was not read`;
}
