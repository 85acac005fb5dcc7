/*
 * Phone numbers as staff type them, read the way Shopify admin reads them: a national number in the shop's country,
 * anything else with its country code, stored in E.164 ("+16135550123") as Shopify keeps it. Decision 053: no phone
 * library is installed, so this is the smallest rule that is right everywhere it answers: national numbers are read
 * only in the North American Numbering Plan (the +1 countries, where a national number is always ten digits, area
 * code then number, an optional leading 1), and a number written with + (or 00, or 011 from a +1 country) is read as
 * E.164 anywhere. A national number from any other country is refused with a sentence asking for its country code,
 * never guessed: trunk prefixes differ (Italy keeps its 0, Spain has none), so a guess would store a wrong number.
 */

/** ISO 3166-1 alpha-2 codes of the +1 countries, each with an area code of its own for examples (NANPA's list). */
const nanpAreaCodes: Readonly<Record<string, string>> = {
  US: "201",
  CA: "613",
  AG: "268",
  AI: "264",
  AS: "684",
  BB: "246",
  BM: "441",
  BS: "242",
  DM: "767",
  DO: "809",
  GD: "473",
  GU: "671",
  JM: "876",
  KN: "869",
  KY: "345",
  LC: "758",
  MP: "670",
  MS: "664",
  PR: "787",
  SX: "721",
  TC: "649",
  TT: "868",
  UM: "808",
  VC: "784",
  VG: "284",
  VI: "340",
};

/** Whether national numbers in `country` (ISO 3166-1 alpha-2, or null when unknown) are read as +1 numbers. */
export function readsNationalPhones(country: string | null): boolean {
  return country !== null && country.toUpperCase() in nanpAreaCodes;
}

/** A number abroad, for the examples: Ofcom's drama range, which no one is ever given. */
const ABROAD_EXAMPLE = "+44 20 7946 0958";

/**
 * How to write a phone in this shop, completing "Enter a phone number …": "like (613) 555-0123 or +44 20 7946 0958"
 * in a +1 country (the area code is the country's own), else "with its country code, like +44 20 7946 0958".
 */
export function phoneHint(country: string | null): string {
  const areaCode = country ? nanpAreaCodes[country.toUpperCase()] : undefined;
  return areaCode
    ? `like (${areaCode}) 555-0123 or ${ABROAD_EXAMPLE}`
    : `with its country code, like ${ABROAD_EXAMPLE}`;
}

/** A phone read: its E.164 form, or why it is not one (phoneHint then says how to write it in this shop). */
export type PhoneReading = { ok: true; e164: string } | { ok: false; reason: "not_a_phone" | "needs_country_code" };

// Spaces (also no-break and narrow no-break), ( ) . and the hyphens and dashes pasted text brings.
const separators = /[\s\u00a0\u202f().\-\u2010-\u2013/]/g;

/** A North American number's ten digits: an area code and an exchange, neither starting with 0 or 1 (NANP). */
const nanpDigits = /^[2-9]\d{2}[2-9]\d{6}$/;

/**
 * `text` as an E.164 phone, read in `country` (the shop's, ISO 3166-1 alpha-2; null when Tally does not know it).
 * "+1 (613) 555-0123", "0044 20 7946 0958" and, in a +1 country, "(613) 555-0123", "613-555-0123",
 * "1 613 555 0123" and "011 44 20 7946 0958" are read. `needs_country_code` is a national number where only E.164 is
 * read; `not_a_phone` is letters, too few or too many digits (E.164 has 7 to 15), or a +1 number that is not ten
 * digits of area code and number. An empty text is not read here: the caller decides whether no phone is allowed.
 */
export function readPhone(text: string, country: string | null): PhoneReading {
  const written = text.trim();
  const international = written.startsWith("+");
  const rest = international ? written.slice(1) : written;
  if (!/^\d+$/.test(rest.replace(separators, ""))) return { ok: false, reason: "not_a_phone" };
  const digits = rest.replace(separators, "");
  const national = readsNationalPhones(country);
  let e164: string;
  if (international) e164 = digits;
  else if (digits.startsWith("00")) e164 = digits.slice(2);
  else if (national && digits.startsWith("011")) e164 = digits.slice(3);
  else if (!national) return { ok: false, reason: digits.length >= 6 ? "needs_country_code" : "not_a_phone" };
  else e164 = digits.length === 11 && digits.startsWith("1") ? digits : `1${digits}`;
  if (!/^[1-9]\d{6,14}$/.test(e164)) return { ok: false, reason: "not_a_phone" };
  if (e164.startsWith("1") && !nanpDigits.test(e164.slice(1))) return { ok: false, reason: "not_a_phone" };
  return { ok: true, e164: `+${e164}` };
}
