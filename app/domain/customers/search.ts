/*
 * Search as people type (issue 10): any part of a name, an email or a phone, whatever the case and the accents. Both
 * sides go through one fold, so what is stored and what is asked always meet: the text is NFC-normalised (a
 * decomposed "José" is the composed one), decomposed again to strip every combining mark (É → E), case-folded
 * (upper then lower case, so "ß" is "ss" as Unicode's full folding has it), and the letters that carry their mark
 * inside them, which no decomposition strips (Ł, Ø, Đ, Æ, Œ, Þ, ı), are spelled in plain Latin as a person searching
 * without them would. The apostrophes and hyphens that smart punctuation and pasted text bring are the ASCII ones, so
 * "O’Neill" and "o'neill" meet whichever was typed or stored; then the search index and the search's terms drop
 * apostrophes and hyphens altogether (`foldForIndex`), so a name is found whether or not they are typed: "oneill",
 * "o'neill" and "O’Neill" find "O'Neill"; "jeanluc", "jean luc" and "jean-luc" find "Jean-Luc" (a merchant reading a
 * name aloud, or a shopper on the phone, says no punctuation). Phones are kept as digits only, so "+48 601 234 567"
 * is found by "601234".
 */

// Unicode's apostrophe ’, its quote twins ‘ ‛, the letter apostrophes ʼ ʻ ʹ, keyboards' stand-ins ` ´ ′: all typed '.
const apostrophes = /[\u2018\u2019\u201B\u02BC\u02BB\u02B9\u0060\u00B4\u2032]/gu;
// Dashes joining a name's parts in pasted text (‐ ‑ ‒ –); the em dash and longer punctuate sentences, not names.
const hyphens = /[\u2010-\u2013]/gu;

/**
 * Apostrophe- and hyphen-like characters as ASCII ' and - (the lists above), everything else as it is. NFC-normalised
 * text is expected: the Greek spacing accents and numeral sign that NFC turns into ` ´ ʹ are folded only after it.
 */
export function foldPunctuation(text: string): string {
  return text.replace(apostrophes, "'").replace(hyphens, "-");
}

const plainLetters: Record<string, string> = {
  ł: "l",
  ø: "o",
  đ: "d",
  ð: "d",
  ħ: "h",
  ı: "i",
  ŀ: "l",
  ŧ: "t",
  ŋ: "n",
  æ: "ae",
  œ: "oe",
  þ: "th",
  ſ: "s",
  ς: "σ",
};
const plainLetterPattern = new RegExp(`[${Object.keys(plainLetters).join("")}]`, "gu");

/** NFC, the form names and emails are stored in (issue 10: "NFC-normalised on write and on query"). */
export function nfc<Text extends string | null | undefined>(text: Text): Text {
  return (typeof text === "string" ? text.normalize("NFC") : text) as Text;
}

/** The searchable form of any text: no marks, case-folded, plain Latin for the letters above. Spaces are kept. */
export function foldForSearch(text: string): string {
  // Before the decomposition, which would strip ´ down to a space.
  return foldPunctuation(text.normalize("NFC"))
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toUpperCase()
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(plainLetterPattern, (letter) => plainLetters[letter]!)
    .replace(/[\p{Cc}\p{Cf}]+/gu, "")
    .replace(/\s+/gu, " ")
    .trim();
}

/**
 * What the search index and the search's terms hold: `foldForSearch` without apostrophes and hyphens, joined rather
 * than spaced ("jean-luc" is "jeanluc"), so that typing them or not finds the same names. Emails go through it too,
 * on both sides: "jean-luc@" is "jeanluc@", found in "jeanluc@example.fr". Dropped after the decompositions, which
 * turn fullwidth ＇ and small ﹣ into ' and -.
 */
export function foldForIndex(text: string): string {
  return foldForSearch(text).replace(/['-]+/g, "");
}

export interface SearchableCustomer {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
}

/**
 * What the directory's search index holds for a customer: folded words of the name, the email and the phone's digits,
 * one space apart, ending in two spaces so that every one- or two-letter run is the start of some three-character
 * window (how a short term is found in a trigram index: app/db/customer-search.ts). A customer with nothing to find
 * (a stub, an erased one) has the empty text.
 */
export function customerSearchText(customer: SearchableCustomer): string {
  const parts = [customer.firstName, customer.lastName, customer.email].map((part) => foldForIndex(part ?? ""));
  const digits = (customer.phone ?? "").replace(/\D/g, "");
  const text = [...parts, digits].filter(Boolean).join(" ");
  return text ? `${text}  ` : "";
}

/** What the directory and the export call a customer with neither name nor email. */
export const NO_NAME_NO_EMAIL = "Guest (no email)";

/** The display name: the full name, or the email, or "Guest (no email)" for a customer with neither. */
export function customerDisplayName(customer: Pick<SearchableCustomer, "firstName" | "lastName" | "email">): string {
  const name = [customer.firstName, customer.lastName]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(" ");
  return name || customer.email?.trim() || NO_NAME_NO_EMAIL;
}

/** After every name in BINARY (UTF-8) order: customers with neither name nor email sort last from A to Z. */
export const anonymousNameSort = "\u{10FFFF}";

/**
 * The key the directory sorts names by: the folded display name, so "Émile" sorts with the e's. Apostrophes and
 * hyphens stay ("o'neill" sorts before "oakley" as it always did): only search drops them.
 */
export function customerNameSort(customer: Pick<SearchableCustomer, "firstName" | "lastName" | "email">): string {
  const name = [customer.firstName, customer.lastName]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(" ");
  const shown = name || customer.email?.trim();
  return shown ? foldForSearch(shown) : anonymousNameSort;
}

/** Columns a service writes whenever it writes a customer's name, email or phone. */
export function searchColumnsOf(customer: SearchableCustomer): { searchText: string; nameSort: string } {
  return { searchText: customerSearchText(customer), nameSort: customerNameSort(customer) };
}

/**
 * Whether a typed search has something to look for yet no letter or digit in it, once folded: a lone ', "-", "\"",
 * "@" or "' .". Such a search matches no customer (the directory says why) rather than everyone: a folded ' or - is
 * nothing, and a search of nothing would drop out of the query, so a merchant who typed something, or an export of
 * "all that match" it, would silently get the whole shop. Shopify's search syntax has no term there either (a quote
 * opens a string, punctuation is no name: shopify.dev/docs/api/usage/search-syntax). A blank search is no search.
 */
export function isSearchWithoutLettersOrDigits(search: string): boolean {
  return search.trim() !== "" && !/[\p{L}\p{N}]/u.test(foldForIndex(search));
}

// What a pasted list or sentence puts around a word, never part of a name, email or phone: commas, semicolons,
// colons, exclamation and question marks (and their Spanish openers), ellipses, double quotes and every kind of
// bracket and quotation mark (Unicode's open, close, initial and final punctuation). Not @ . _ + (emails, a phone's
// leading +); apostrophes and hyphens never reach here (foldForIndex drops them).
const edgePunctuation = '[\\p{Ps}\\p{Pe}\\p{Pi}\\p{Pf},;:"!?¡¿…]';
const leadingPunctuation = new RegExp(`^${edgePunctuation}+`, "u");
// A full stop ends a sentence ("Lambert."), so a trailing one goes too; a leading one stays (".fr" of an email).
const trailingPunctuation = new RegExp(`(?:${edgePunctuation}|\\.)+$`, "u");

/**
 * A word without the punctuation at its edges that text pasted from a spreadsheet or a sentence brings: "Lambert," is
 * "Lambert", "(Théo)" is "Théo", "«Zoë»!" is "Zoë", "anna@shop.fr." is "anna@shop.fr". Inside the word nothing changes
 * (an email's @ . _ + stay), nor does a leading + or period. A word of that punctuation alone is the empty string.
 */
export function withoutEdgePunctuation(word: string): string {
  return word.replace(leadingPunctuation, "").replace(trailingPunctuation, "");
}

/**
 * A search box's text as terms, each to be found somewhere in the customer's search text (any order of words). A text
 * made only of a phone's characters (a pasted non-breaking hyphen is one) is one term: the digits `phoneDigits` gives
 * (its digits as typed by default; the directory reads them in the shop's country, phoneSearchDigits, so a national
 * "020 7946 0958" finds the stored +442079460958). Each term loses the punctuation at its edges (withoutEdgePunctuation:
 * "Lambert, Théo" as pasted from a spreadsheet is "lambert" and "theo"), and a term left empty is dropped. Terms inside
 * a longer term are dropped ("ann anna" is "anna"); at most 8 terms are kept.
 */
export function searchTerms(
  query: string,
  phoneDigits: (phone: string) => string = (phone) => phone.replace(/\D/g, ""),
): string[] {
  const text = withoutEdgePunctuation(foldPunctuation(nfc(query)).trim());
  if (/^[+\d\s().-]+$/.test(text) && (text.match(/\d/g)?.length ?? 0) >= 3) return [phoneDigits(text)].filter(Boolean);
  const words = [...new Set(foldForIndex(text).split(" ").map(withoutEdgePunctuation).filter(Boolean))];
  return words
    .filter((word, i) => !words.some((other, j) => j !== i && other.length > word.length && other.includes(word)))
    .slice(0, 8);
}
