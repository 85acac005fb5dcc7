/*
 * A text field with a limit keeps everything the merchant types or pastes, and says so when it is too long. Polaris'
 * `maxLength` made the browser drop whatever a paste carried past the limit, without a word, and a cut sentence was
 * saved as if it were whole (issue 10). The server refuses the same text with its own field error, in the same words:
 * every merchant-facing length refusal is worded here, so a limit reads alike on every screen (decision 058).
 */

/** The limit's words after "Keep it" / "keep it", with the count: "to 500 characters or fewer (this is 612)". */
function limitAndCount(length: number, limit: number): string {
  return `to ${limit.toLocaleString("en-US")} characters or fewer (this is ${length.toLocaleString("en-US")})`;
}

/**
 * The words a bounded text field shows under itself while `text` is longer than `limit` characters once trimmed (as
 * every server schema trims before counting): "Keep it to 500 characters or fewer (this is 612)"; undefined when it
 * fits. The limit itself is taken, so the words allow it. Counts UTF-16 code units, as zod's `.max` and the
 * browser's character count do.
 */
export function tooLongWords(text: string, limit: number): string | undefined {
  const length = text.trim().length;
  if (length <= limit) return undefined;
  return `Keep it ${limitAndCount(length, limit)}`;
}

/**
 * `tooLongWords` for words shown away from their field (a list of an import row's problems, one of several tags in
 * one field), led by what is too long: `tooLongWordsFor("First name", text, 255)` → "First name: keep it to 255
 * characters or fewer (this is 300)"; undefined when it fits.
 */
export function tooLongWordsFor(what: string, text: string, limit: number): string | undefined {
  const length = text.trim().length;
  if (length <= limit) return undefined;
  return `${what}: keep it ${limitAndCount(length, limit)}`;
}

/**
 * A zod `.max(limit, { error: tooLongError(limit) })` error: the refused (trimmed) text's `tooLongWords`, or
 * `tooLongWordsFor(what, …)` when `what` is given, so a server refusal reads as the field's own check as the merchant
 * types.
 */
export function tooLongError(limit: number, what?: string): (issue: { input?: unknown }) => string | undefined {
  return (issue) => {
    const text = String(issue.input ?? "");
    return what === undefined ? tooLongWords(text, limit) : tooLongWordsFor(what, text, limit);
  };
}

/**
 * What a bounded text field shows at its right as it is typed: "0/500", the characters typed of the `limit` its server
 * schema takes. Polaris' own count says a bare "0" unless the field has a maxLength, and a maxLength makes the
 * browser cut a pasted text short without a word (issue 10), so the fields show this instead.
 */
export function characterCountWords(text: string, limit: number): string {
  return `${text.length}/${limit}`;
}
