import { formatMinor, minorUnits, type CurrencyCode } from "./money";

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

/** The admin's way of writing an amount in a reward, whatever the shop's format: "5.00 CAD", "500 JPY". */
export function plainMoneyWriter(currency: CurrencyCode): MoneyWriter {
  return (amountMinor) => `${formatMinor(amountMinor, currency)} ${currency}`;
}
