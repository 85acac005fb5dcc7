import { z } from "zod";
import { DomainError } from "./errors";
import { mulDivFloor } from "./integers";

export const currencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: "Currency must be a three-letter ISO 4217 code such as USD" });

export type CurrencyCode = z.infer<typeof currencyCodeSchema>;

/** An amount in the currency's smallest unit, always carried with its currency. */
export interface Money {
  amountMinor: number;
  currency: CurrencyCode;
}

// ISO 4217 exponents that differ from the usual 2. Unknown codes fall back to 2, which is what Shopify uses too.
const exponents: Readonly<Record<string, 0 | 3>> = {
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

/** Decimal places of the currency: 2 for most, 0 for JPY, KRW and friends, 3 for KWD, BHD and friends. */
export function minorUnits(currency: CurrencyCode): 0 | 2 | 3 {
  return exponents[currency] ?? 2;
}

/** How many minor units make one major unit (100 for USD, 1 for JPY, 1000 for KWD). */
export function minorPerMajor(currency: CurrencyCode): number {
  return 10 ** minorUnits(currency);
}

/** "120.00" for 12000 USD, "1500" for 1500 JPY, "-0.50" for -50 EUR. For explanations, not for display in a locale. */
export function formatMinor(amountMinor: number, currency: CurrencyCode): string {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new DomainError("invalid_input", `amount must be a whole number of minor units, got ${amountMinor}`);
  }
  const digits = minorUnits(currency);
  const sign = amountMinor < 0 ? "-" : "";
  const absolute = Math.abs(amountMinor);
  if (digits === 0) return `${sign}${absolute}`;
  const scale = 10 ** digits;
  const major = Math.floor(absolute / scale);
  const minor = String(absolute % scale).padStart(digits, "0");
  return `${sign}${major}.${minor}`;
}

/**
 * "69.16 CAD", "1500 JPY": an amount as Tally's records write it (ledger, skip and referral explanations), with its
 * currency, so the record reads rightly beside other currencies and the admin can word it its own way when it shows
 * the line (`adminMoneyInText`, decision 052).
 */
export function formatRecordMoney(amountMinor: number, currency: CurrencyCode): string {
  return `${formatMinor(amountMinor, currency)} ${currency}`;
}

/**
 * Parses a decimal string as Shopify sends money ("120.5", "1500", "-3.10") into minor units, without passing through
 * a float. More decimals than the currency has is an error rather than a rounding.
 */
export function toMinor(decimal: string, currency: CurrencyCode): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) throw new DomainError("invalid_input", `"${decimal}" is not a decimal amount`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  const digits = minorUnits(currency);
  const trimmed = fraction.replace(/0+$/, "");
  if (trimmed.length > digits) {
    throw new DomainError("invalid_input", `"${decimal}" has more decimals than ${currency} allows (${digits})`);
  }
  const minor = Number(whole) * 10 ** digits + Number(trimmed.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(minor)) throw new DomainError("invalid_input", `"${decimal}" is too large`);
  return sign === "-" && minor !== 0 ? -minor : minor;
}

/** The whole percentage `part` is of `whole`, for explanations ("50% of 100.00"). */
export function percentOf(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return mulDivFloor(Math.max(0, part), 100, whole);
}
