import { formatMinor, minorUnits, toMinor, type CurrencyCode } from "./money";

/*
 * Money as the shop writes it on its storefront. Every Shopify store has money formats with placeholders (Settings >
 * General > Store currency > Change currency formatting; the Admin API's `shop.currencyFormats`): "${{amount}}" and
 * "${{amount}} CAD" for a Canadian store, "€{{amount_with_comma_separator}}" and "€{{amount_with_comma_separator}} EUR"
 * for a French one. Themes fill them through Liquid's `money` and `money_with_currency` filters, so an amount Tally
 * shows the shopper reads the way the shop's own prices do (decision 041). A format may carry HTML
 * (`<span class=money>`); Tally shows text, so tags are dropped. The placeholders are those of shopify.dev's
 * "Currency formatting" help page; one Tally does not know is left as written.
 */

function grouped(integer: string, separator: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** The amount in major units as text, with `decimals` digits (rounded half up, on integers only). */
function amountText(amountMinor: number, currency: CurrencyCode, decimals: 0 | 2, thousands: string, point: string) {
  const exponent = minorUnits(currency);
  const absolute = Math.abs(amountMinor);
  // Scale minor units to hundredths (or wholes) of the major unit exactly, rounding half up where digits are dropped.
  const shift = decimals - exponent;
  const scaled = shift >= 0 ? absolute * 10 ** shift : Math.floor((absolute + 10 ** -shift / 2) / 10 ** -shift);
  const text = String(scaled).padStart(decimals + 1, "0");
  const integer = decimals === 0 ? text : text.slice(0, -decimals);
  const fraction = decimals === 0 ? "" : point + text.slice(-decimals);
  return `${amountMinor < 0 && scaled > 0 ? "-" : ""}${grouped(integer, thousands)}${fraction}`;
}

const placeholders: Readonly<Record<string, [0 | 2, string, string]>> = {
  amount: [2, ",", "."],
  amount_no_decimals: [0, ",", "."],
  amount_with_comma_separator: [2, ".", ","],
  amount_no_decimals_with_comma_separator: [0, ".", ","],
  amount_with_apostrophe_separator: [2, "'", "."],
  amount_no_decimals_with_space_separator: [0, " ", "."],
  amount_with_space_separator: [2, " ", ","],
  amount_with_period_and_space_separator: [2, " ", "."],
};

/**
 * An amount in minor units of `currency` written in the shop's money `format` ("${{amount}} CAD" and 1050 CAD give
 * "$10.50 CAD"). Without a format (a shop whose formats Tally has not read yet) it is "10.50 CAD": never a bare number.
 */
export function formatShopMoney(
  amountMinor: number,
  currency: CurrencyCode,
  format: string | null | undefined,
): string {
  if (!format) return `${amountText(amountMinor, currency, minorUnits(currency) === 0 ? 0 : 2, ",", ".")} ${currency}`;
  return format
    .replace(/<[^>]*>/g, "")
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
      const style = placeholders[name];
      return style ? amountText(amountMinor, currency, ...style) : whole;
    })
    .trim();
}

/** A function writing amounts in minor units of `currency` the way the shop does (see formatShopMoney). */
export type MoneyWriter = (amountMinor: number) => string;

export function shopMoneyWriter(currency: CurrencyCode, format: string | null | undefined): MoneyWriter {
  return (amountMinor) => formatShopMoney(amountMinor, currency, format);
}

/*
 * Money as the merchant admin writes it (decision 052), after Polaris' "Formatting localized currency": the staff
 * member's locale (CLDR through `Intl`) places the symbol and the separators; an amount in the store's own currency
 * has the short format ("$5.00", "5,00 $"), one in any other currency the explicit format with its ISO code
 * ("$5.00 USD" in a Canadian store), so dollars never pass for each other. The symbol is the narrow one: en writes CAD
 * as "CA$" otherwise, which Shopify's admin never shows. Decimals are the currency's own (JPY 0, KWD 3) and a negative
 * amount carries U+2212 (−), as every other admin figure does.
 */

const MINUS = "\u2212";
const currencyFormats = new Map<string, Intl.NumberFormat>();

/**
 * `Intl`'s currency format for `locale` and `currency`, with the currency's own decimals (JPY 0, KWD 3) and `display`
 * ("narrowSymbol" for the admin, CLDR's default "symbol" for a shopper's language); made once per key.
 */
function currencyFormat(locale: string, currency: CurrencyCode, display: "symbol" | "narrowSymbol"): Intl.NumberFormat {
  const key = `${locale}|${currency}|${display}`;
  let format = currencyFormats.get(key);
  if (!format) {
    const digits = minorUnits(currency);
    format = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      currencyDisplay: display,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    currencyFormats.set(key, format);
  }
  return format;
}

const adminFormat = (locale: string, currency: CurrencyCode) => currencyFormat(locale, currency, "narrowSymbol");

export interface AdminMoneyOptions {
  /** The store's currency (Shopify's `shop.currencyCode`); amounts in any other, or when unknown, carry their code. */
  storeCurrency: string | null | undefined;
  /** A BCP 47 tag `Intl` knows ("en", "fr-CA"); "en" when absent. */
  locale?: string;
}

/**
 * An amount in minor units of `currency` as the admin writes it: (500, "CAD", store CAD) → "$5.00"; (500, "USD", store
 * CAD) → "$5.00 USD"; (1500, "JPY", store JPY) → "¥1,500"; (5000, "KWD", store KWD) → "KWD 5.000"; (−794, "CAD") →
 * "−$7.94". Throws DomainError for an amount that is not a whole number of minor units (as formatMinor does).
 */
export function formatAdminMoney(amountMinor: number, currency: CurrencyCode, options: AdminMoneyOptions): string {
  // An exact decimal string, so Intl never sees minor / 100 as a float.
  const decimal = formatMinor(amountMinor, currency) as Intl.StringNumericLiteral;
  const parts = adminFormat(options.locale ?? "en", currency).formatToParts(decimal);
  const text = parts.map((part) => (part.type === "minusSign" ? MINUS : part.value)).join("");
  // A currency without a symbol of its own is already written with its code ("KWD 5.000"): never twice.
  const hasCode = parts.some((part) => part.type === "currency" && part.value === currency);
  return currency === options.storeCurrency || hasCode ? text : `${text} ${currency}`;
}

/** A function writing amounts in minor units of `currency` as the admin does (see formatAdminMoney). */
export function adminMoneyWriter(currency: CurrencyCode, options: AdminMoneyOptions): MoneyWriter {
  return (amountMinor) => formatAdminMoney(amountMinor, currency, options);
}

/*
 * Money as a shopper reads it in their own language, where Tally words a text itself rather than the shop's money
 * format (an email translated into French: "20,00 $CA", "20,00 €"; decision 059): CLDR through `Intl` places the symbol
 * and the separators for `locale`, and its symbol names the currency apart from the locale's own ("$CA", "$US" in
 * French), decimals the currency's own (JPY 0, KWD 3).
 */

const localeFormat = (locale: string, currency: CurrencyCode) => currencyFormat(locale, currency, "symbol");

/**
 * An amount in minor units of `currency` as `locale` (a BCP 47 tag `Intl` knows: "fr", "de-CH") writes it:
 * (2000, "CAD", "fr") → "20,00 $CA"; (2000, "EUR", "de") → "20,00 €"; (1500, "JPY", "es") → "1500 JPY". Throws
 * DomainError for an amount that is not a whole number of minor units (as formatMinor does), RangeError for a tag
 * `Intl` cannot read.
 */
export function formatLocaleMoney(amountMinor: number, currency: CurrencyCode, locale: string): string {
  // An exact decimal string, so Intl never sees minor / 100 as a float.
  return localeFormat(locale, currency).format(formatMinor(amountMinor, currency) as Intl.StringNumericLiteral);
}

/** A function writing amounts in minor units of `currency` as `locale` does (see formatLocaleMoney). */
export function localeMoneyWriter(currency: CurrencyCode, locale: string): MoneyWriter {
  return (amountMinor) => formatLocaleMoney(amountMinor, currency, locale);
}

// ISO 4217 codes Intl knows: an amount followed by three capitals that are not a currency ("2 FOR 1") is not money.
const knownCurrencies = new Set(Intl.supportedValuesOf("currency"));
const recordedMoney = /(?<![\w.,])(-?\d+(?:\.\d+)?) ([A-Z]{3})(?![\w])/g;

/**
 * A record's text (a ledger, skip or referral explanation) as the admin shows it: every amount the record wrote as
 * `formatRecordMoney` does ("69.16 CAD") is written by `formatAdminMoney` ("$69.16" in a CAD store, "$69.16 CAD" in
 * any other). Only an amount written with exactly its currency's decimals before a known ISO code is money, so the
 * words around it (order names, reasons, a merchant's own title) are never changed; text with no such amount (entries
 * written before amounts carried their code, "69.16") is returned as it was stored.
 */
export function adminMoneyInText(text: string, options: AdminMoneyOptions): string {
  return text.replace(recordedMoney, (whole, amount: string, code: string) => {
    if (!knownCurrencies.has(code)) return whole;
    try {
      const amountMinor = toMinor(amount, code);
      return formatMinor(amountMinor, code) === amount ? formatAdminMoney(amountMinor, code, options) : whole;
    } catch {
      return whole;
    }
  });
}
