/**
 * Email and phone as Shopify checks and stores them: an email needs a local part, an @ and a dotted domain; a phone is
 * stored in E.164 (`+16135550101`), a national number taking the store's country code, as the admin does for a
 * Canadian or US store.
 */
export function isValidEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email);
}

// The +1 countries (NANP): a national number there is ten digits, the area code first.
const nanpCountries = new Set(
  "US CA AG AI AS BB BM BS DM DO GD GU JM KN KY LC MP MS PR SX TC TT UM VC VG VI".split(" "),
);

/**
 * The phone in E.164, or null when it cannot be one (too short, too long, letters). A national number is read in the
 * store's `country` in a +1 country; elsewhere the sandbox takes only international numbers.
 */
export function normalizePhone(input: string, country = "CA"): string | null {
  const countryCallingCode = nanpCountries.has(country) ? "1" : "";
  const trimmed = input.trim();
  if (!/^[+\d\s().-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, "");
  let e164: string;
  if (trimmed.startsWith("+")) e164 = digits;
  else if (digits.startsWith("00")) e164 = digits.slice(2);
  else if (countryCallingCode === "1" && digits.length === 11 && digits.startsWith("1")) e164 = digits;
  else if (countryCallingCode === "1" && digits.length === 10) e164 = `1${digits}`;
  else return null;
  return /^[1-9]\d{7,14}$/.test(e164) ? `+${e164}` : null;
}
