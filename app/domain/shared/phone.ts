import {
  getExampleNumber,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from "libphonenumber-js/min";
import examples from "libphonenumber-js/examples.mobile.json";

/*
 * Phone numbers as staff type them, read the way Shopify admin reads them: a national number in the shop's country,
 * anything else with its country code, stored in E.164 ("+16135550123") as Shopify keeps it. The numbering plans are
 * libphonenumber-js's (Google's libphonenumber metadata, decision 053): a national number is read in the shop's
 * country, whatever its trunk prefix (Canada's none, the UK's and France's 0), and a number written with + or the
 * country's international prefix (00, or 011 in a +1 country) anywhere. With no country known, only those are read.
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

/** A number abroad, for the examples: Ofcom's drama range, which no one is ever given (a UK shop's is Canada's). */
const abroadExample = (country: string | null) => (country === "GB" ? "+1 613 555 0123" : "+44 20 7946 0958");

/** `country` as libphonenumber-js knows it (ISO 3166-1 alpha-2, upper case), or null. */
function knownCountry(country: string | null): CountryCode | null {
  const code = country?.toUpperCase();
  return code && code in examples ? (code as CountryCode) : null;
}

/**
 * How to write a phone in this shop, completing "Enter a phone number …": "like (613) 555-0123, or +44 20 7946 0958 for a number abroad"
 * in a +1 country (the area code is the country's own, the number one of the 555-01xx kept for fiction), the
 * country's own example elsewhere ("like 07400 123456, or +1 613 555 0123 for a number abroad" in the UK), and "with its country code,
 * like +44 20 7946 0958" when Tally does not know the shop's country.
 */
export function phoneHint(country: string | null): string {
  const code = knownCountry(country);
  const areaCode = code ? nanpAreaCodes[code] : undefined;
  if (areaCode) return `like (${areaCode}) 555-0123, or ${abroadExample(code)} for a number abroad`;
  const example = code ? getExampleNumber(code, examples) : undefined;
  return example
    ? `like ${example.formatNational()}, or ${abroadExample(code)} for a number abroad`
    : `with its country code, like ${abroadExample(code)}`;
}

/**
 * Why a text is not a phone: `letters` (an extension or a word among the digits), `too_short` and `too_long` (for
 * every number of the country it is read in, libphonenumber-js's lengths), `unknown_country_code` (a + no country
 * has), `needs_country_code` (a national number when the shop's country is unknown), `not_a_phone` (a length some
 * number has, digits none has: an area code that does not exist).
 */
export type PhoneProblem =
  "letters" | "too_short" | "too_long" | "unknown_country_code" | "needs_country_code" | "not_a_phone";

/** A phone read: its E.164 form, or why it is not one (phoneProblemWords says it to staff). */
export type PhoneReading = { ok: true; e164: string } | { ok: false; reason: PhoneProblem };

// Spaces (also no-break and narrow no-break), ( ) . and the hyphens and dashes pasted text brings.
const separators = /[\s\u00a0\u202f().\-\u2010-\u2013/]/g;

/**
 * `text` as an E.164 phone, read in `country` (the shop's, ISO 3166-1 alpha-2; null when Tally does not know it).
 * "+1 (613) 555-0123" and "0044 20 7946 0958" are read anywhere; "(613) 555-0123", "1 613 555 0123" and
 * "011 44 20 7946 0958" in a +1 country; "020 7946 0958" in the UK. `needs_country_code` is a national number when
 * the shop's country is unknown; `not_a_phone` is letters (an extension among them), or digits no number of that
 * country has (libphonenumber-js's lengths and leading digits). An empty text is not read here: the caller decides
 * whether no phone is allowed.
 */
export function readPhone(text: string, country: string | null): PhoneReading {
  const written = text.trim();
  const digits = (written.startsWith("+") ? written.slice(1) : written).replace(separators, "");
  if (!/^\d+$/.test(digits)) return { ok: false, reason: /\p{L}/u.test(digits) ? "letters" : "not_a_phone" };
  const code = knownCountry(country);
  // 00 is the international prefix of most of the world: read it as + where the shop's own country cannot.
  const international = written.startsWith("+") || (digits.startsWith("00") && code === null);
  if (!international && code === null)
    return { ok: false, reason: digits.length >= 6 ? "needs_country_code" : "too_short" };
  const read = international ? `+${digits.replace(/^00/, "")}` : written;
  let number = parsePhoneNumberFromString(read, code ?? undefined);
  // A Canadian typing Europe's 0044: no +1 number starts 00, so it is read as +.
  if (!number?.isValid() && !international && digits.startsWith("00"))
    number = parsePhoneNumberFromString(`+${digits.slice(2)}`);
  if (number?.isValid()) return { ok: true, e164: number.number };
  const length = validatePhoneNumberLength(read, code ?? undefined);
  // A +1 number is 10 digits after its 1; libphonenumber-js counts a 7-digit local one (no area code) as a length.
  const nanp = !international && code !== null && code in nanpAreaCodes ? digits.replace(/^1/, "").length : null;
  if (length === "TOO_SHORT" || length === "NOT_A_NUMBER" || (nanp !== null && nanp < 10))
    return { ok: false, reason: "too_short" };
  if (length === "TOO_LONG") return { ok: false, reason: "too_long" };
  if (length === "INVALID_COUNTRY" && international) return { ok: false, reason: "unknown_country_code" };
  return { ok: false, reason: "not_a_phone" };
}

/**
 * What is wrong with `typed`, a phone readPhone refused for `reason` in the shop's `country` (ISO 3166-1 alpha-2, null
 * when unknown), as staff read it beside the field or the import row: "“12” is too short to be a phone number." It
 * says what is wrong, not how to write one (the Edit form's help says that; an import row adds phoneHint).
 */
export function phoneProblemWords(typed: string, reason: PhoneProblem, country: string | null): string {
  const quoted = `“${typed.trim()}”`;
  switch (reason) {
    case "letters":
      return `${quoted} has letters in it, and a phone number has none.`;
    case "too_short":
      return `${quoted} is too short to be a phone number.`;
    case "too_long":
      return `${quoted} is too long to be a phone number.`;
    case "unknown_country_code":
      return `${quoted} starts with a country code no country has.`;
    case "needs_country_code":
      return `${quoted} needs its country code, like ${abroadExample(country)}.`;
    case "not_a_phone": {
      const code = knownCountry(country);
      const name = code && !typed.trim().startsWith("+") ? countryName(code) : undefined;
      return name ? `${quoted} is not a phone number in ${name}.` : `${quoted} is not a phone number.`;
    }
  }
}

/** "Canada" for "CA", in English as the rest of the admin's words are; undefined where Intl does not know it. */
function countryName(code: CountryCode): string | undefined {
  const name = new Intl.DisplayNames("en", { type: "region" }).of(code);
  return name && name !== code ? (code === "US" || code === "GB" ? `the ${name}` : name) : undefined;
}

/**
 * A stored E.164 phone as staff of the shop's `country` write it, the way they type it in (readPhone): national for a
 * number of that country ("+16135550123" is "(613) 555-0123" in a Canadian or US shop, "+442079460958" is
 * "020 7946 0958" in a UK one), international for any other ("+44 20 7946 0958" in Canada, every number when the
 * shop's country is unknown). readPhone reads either back to the same E.164, so a form prefilled with it saves no change.
 * Anything libphonenumber-js cannot read (a number Shopify kept from before its own checks) is shown as stored.
 */
export function writePhone(e164: string, country: string | null): string {
  const number = parsePhoneNumberFromString(e164);
  if (!number?.isValid()) return e164;
  const code = knownCountry(country);
  // A number of another +1 country is dialled as a national one from a +1 shop (one numbering plan, NANP).
  const national =
    code !== null && (number.country === code || (number.countryCallingCode === "1" && code in nanpAreaCodes));
  return national ? number.formatNational() : number.formatInternational();
}

/**
 * The digits to find in stored E.164 phones ("+442079460958" is kept as "442079460958") for a search typed as a phone
 * in the shop's `country`. A whole number typed as staff write it is its E.164 digits ("020 7946 0958" in a UK shop
 * is "442079460958", "(613) 555-0123" in Canada "16135550123"); a part of one loses what is dialled before the
 * number (a trunk 0: "020 7946" is "207946"; an international 00, or 011 in a +1 country: "0044 20" is "4420"), which
 * only widens a search for a part; a "+" number's digits are its E.164 ones, as typed.
 */
export function phoneSearchDigits(text: string, country: string | null): string {
  const digits = text.replace(/\D/g, "");
  if (text.trim().startsWith("+")) return digits;
  const reading = readPhone(text, country);
  if (reading.ok) return reading.e164.slice(1);
  const code = knownCountry(country);
  const dialled = code !== null && code in nanpAreaCodes ? /^(011|00|0)/ : /^(00|0)/;
  return digits.replace(dialled, "");
}
