/*
 * A text field with a limit keeps everything the merchant types or pastes, and says so when it is too long. Polaris'
 * `maxLength` made the browser drop whatever a paste carried past the limit, without a word, and a cut sentence was
 * saved as if it were whole (issue 10). The server refuses the same text with its own field error.
 */

/**
 * The words a bounded text field shows under itself while `text` is longer than `limit` characters once trimmed (as
 * every server schema trims before counting): "Keep it to 500 characters or fewer (this is 612)"; undefined when it
 * fits. The limit itself is taken, so the words allow it. Counts UTF-16 code units, as zod's `.max` and the
 * browser's character count do.
 */
export function tooLongWords(text: string, limit: number): string | undefined {
  const length = text.trim().length;
  if (length <= limit) return undefined;
  return `Keep it to ${limit.toLocaleString("en-US")} characters or fewer (this is ${length.toLocaleString("en-US")})`;
}
