/*
 * Countries and their regions as Shopify's addresses take them. The country codes are the Admin API's `CountryCode`
 * enum (2026-10, vendor/shopify/admin_2026-10.json.gz; ZZ, "unknown region", left out): ISO 3166-1 alpha-2 plus the
 * few Shopify adds (AC, TA, XK), without the US territories Shopify files as regions of the United States (Puerto
 * Rico is country US, province PR). A test holds the list to the schema. Region (province) codes are kept for the
 * countries whose addresses Shopify asks a region of and whose codes Tally holds: Canada, the United States and
 * Australia, as Shopify's address data lists them (Shopify/worldwide, db/data/regions); other countries' region codes
 * are left to Shopify to judge.
 */

/** Every country code Shopify's `MailingAddressInput.countryCode` takes. */
export const SHOPIFY_COUNTRY_CODES: ReadonlySet<string> = new Set(
  [
    "AC AD AE AF AG AI AL AM AN AO AR AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY " +
      "BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK " +
      "FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT " +
      "JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MK ML MM MN " +
      "MO MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PS PT PY " +
      "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TF TG TH TJ TK TL " +
      "TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VN VU WF WS XK YE YT ZA ZM ZW",
  ]
    .join("")
    .split(" "),
);

/** The US territories and freely associated states Shopify files as regions of the United States, not countries. */
const filedUnderUs = new Set(["AS", "FM", "GU", "MH", "MP", "PR", "PW", "VI"]);

const regionCodes: Readonly<Record<string, readonly string[]>> = {
  CA: ["AB", "BC", "MB", "NB", "NL", "NT", "NS", "NU", "ON", "PE", "QC", "SK", "YT"],
  US: [
    ...["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY"],
    ...["LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH"],
    ...["OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"],
    ...[...filedUnderUs, "AA", "AE", "AP"],
  ],
  AU: ["ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"],
};

/** Older codes Shopify still reads as today's (Newfoundland's NF, Quebec's PQ). */
const regionAlternates: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CA: { NF: "NL", PQ: "QC" },
};

const englishNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/**
 * A country's English name ("Canada") from its code; the code itself when Intl has no name for it, or when it is not a
 * region code at all (Intl throws on "C4" or "Canada": a value Shopify or a file sent as it was).
 */
export function countryName(code: string): string {
  try {
    return englishNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Where a customer is, as the directory's Location column and the profile write it: "Vancouver, Canada", or with the
 * province Shopify named "Vancouver, British Columbia, Canada". The country by its English name, as Shopify admin's
 * customer list writes it, since a bare code reads wrong ("Vancouver, CA" reads as California). Null when the address
 * says none of them. Pure.
 */
export function locationLabel(address: {
  city?: string | null;
  province?: string | null;
  countryCode?: string | null;
}): string | null {
  const parts = [address.city, address.province, address.countryCode ? countryName(address.countryCode) : null];
  return parts.filter((part): part is string => Boolean(part?.trim())).join(", ") || null;
}

const fold = (name: string) =>
  name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");

/** English country names, folded ("unitedkingdom"), to their codes: how a file that names countries is read. */
const codeByName: ReadonlyMap<string, string> = new Map(
  [...SHOPIFY_COUNTRY_CODES].map((code) => [fold(countryName(code)), code] as const),
);

export type CountryReading =
  | { ok: true; code: string }
  /** `filedUnder`: the country Shopify files this code under ("US" for "PR"), when that is why it is refused. */
  | { ok: false; filedUnder?: string };

/**
 * A country as a file writes it: a two-letter code in any case ("ca", "GB") or its English name ("Canada", "United
 * Kingdom"), read as the code Shopify takes. Pure.
 */
export function readCountry(text: string): CountryReading {
  const trimmed = text.trim();
  const upper = trimmed.toUpperCase();
  if (SHOPIFY_COUNTRY_CODES.has(upper)) return { ok: true, code: upper };
  if (filedUnderUs.has(upper)) return { ok: false, filedUnder: "US" };
  const named = codeByName.get(fold(trimmed));
  return named ? { ok: true, code: named } : { ok: false };
}

/**
 * A region (province, state, territory) code of `country`, as Shopify takes it: in a country whose regions Tally
 * holds, "on" and "CA-ON" read as "ON", an older alternate as today's ("PQ" as "QC"). `known` false when Tally holds
 * no region codes for the country (the code is then passed on as written, upper case, for Shopify to judge); `ok`
 * false for a code the country does not have. Pure.
 */
export function readRegion(
  country: string,
  text: string,
): { ok: true; code: string; known: boolean } | { ok: false; examples: string[] } {
  let code = text.trim().toUpperCase();
  const codes = regionCodes[country];
  // Elsewhere the prefix may be part of Shopify's code (Japan's prefectures are "JP-13").
  if (!codes) return { ok: true, code, known: false };
  if (code.startsWith(`${country}-`)) code = code.slice(country.length + 1);
  const canonical = regionAlternates[country]?.[code] ?? code;
  if (codes.includes(canonical)) return { ok: true, code: canonical, known: true };
  return { ok: false, examples: codes.slice(0, 3) };
}
