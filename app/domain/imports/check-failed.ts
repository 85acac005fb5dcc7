/*
 * What a file's page says when its check stopped (newcomer round 11, finding 3): the page showed the task's reason and
 * then "Fix the file and upload it again.", after a reason that already ended "…, and upload the file again", and its
 * badge still said "Checking". The badge and the words are decided here, once, for the page to show.
 */

/** The badge of an import whose check (a backfill's count, for past orders) stopped without a preview. */
export function checkFailedBadge(kind: string): string {
  return kind === "orders" ? "Count failed" : "Check failed";
}

/**
 * The banner's words for a check that stopped: the task's reason as a sentence, then what to do, said once. A
 * refusal of the file already says it ("…: close the quote or remove it, and upload the file again"); another reason
 * (a fault, a file that stops being a CSV) gets "Fix the file and upload it again." A backfill has no file: its reason
 * stands alone, and the merchant starts it again from the Import page.
 */
export function checkFailedWords(kind: string, reason: string): string {
  const text = reason.trim().replace(/[\s.]+$/, "");
  const sentence = asSentence(text);
  if (kind === "orders")
    return `${sentence || "Tally could not count these orders."} Start “Points for past orders” again from the Import page.`;
  if (/\bupload (?:the file|it) again$/i.test(text)) return sentence;
  return `${sentence || "Tally could not check this file."} Fix the file and upload it again.`;
}

/**
 * A refusal's words as a sentence on a page: capitalised, ending with one full stop (an error's message has none, for
 * a toast). Newcomer round 19: the header-only file's banner ended "…upload it again" with no period. "" stays "".
 */
export function asSentence(reason: string): string {
  const text = reason.trim().replace(/[\s.]+$/, "");
  if (!text) return "";
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[!?]$/.test(text) ? "" : "."}`;
}
