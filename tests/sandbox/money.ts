/**
 * Money as Shopify writes it, from whole minor units and the currency's ISO 4217 exponent: JPY has no decimals, KWD
 * three. Never through a float (`cents / 100` prints 1500 yen as "15.00" and 1500 fils as "15.00" instead of
 * "1.500"). The sandbox plays Shopify, so it keeps its own table rather than importing the app's.
 */
const exponents: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

export function currencyDigits(currency: string): number {
  return exponents[currency] ?? 2;
}

/** REST and webhook amounts: the currency's decimals, always ("12.50", "1500", "1.500", "-3.10"). */
export function decimalAmount(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new Error(`Not a whole number of minor units: ${minor}`);
  const digits = currencyDigits(currency);
  const sign = minor < 0 ? "-" : "";
  const absolute = String(Math.abs(minor)).padStart(digits + 1, "0");
  if (digits === 0) return `${sign}${absolute}`;
  return `${sign}${absolute.slice(0, -digits)}.${absolute.slice(-digits)}`;
}

/** GraphQL's `Decimal` as Shopify prints it: trailing zeros dropped, one kept ("12.5", "12.0", "1500.0", "1.5"). */
export function graphqlDecimal(minor: number, currency: string): string {
  const fixed = decimalAmount(minor, currency);
  if (!fixed.includes(".")) return `${fixed}.0`;
  return fixed.replace(/0+$/, "").replace(/\.$/, ".0");
}

/** The amount in major units as a number, for search comparisons (`total_spent:>100`), never for display. */
export function majorValue(minor: number, currency: string): number {
  return Number(decimalAmount(minor, currency));
}

/**
 * A decimal the caller typed or sent ("12.5", "1500", "1.5") in whole minor units of the currency. Throws on text that
 * is not a decimal, or with more decimals than the currency has, as Shopify refuses such amounts.
 */
export function toMinorUnits(decimal: string, currency: string): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) throw new Error(`"${decimal}" is not an amount`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  const digits = currencyDigits(currency);
  const trimmed = fraction.replace(/0+$/, "");
  if (trimmed.length > digits) throw new Error(`"${decimal}" has more decimals than ${currency} allows (${digits})`);
  const minor = Number(whole) * 10 ** digits + Number(trimmed.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(minor)) throw new Error(`"${decimal}" is too large`);
  return sign === "-" && minor !== 0 ? -minor : minor;
}
