import { currencyDigits } from "../money";

/**
 * Money as Shopify's Liquid `money` filters write it. Liquid amounts are in hundredths of the currency's unit whatever
 * its own exponent (a 1,500 yen price is 150000 in Liquid, shown "¥1,500" by `{{amount_no_decimals}}`), and each
 * currency has a store format with placeholders (shopify.dev, "Currency formatting" in the Help Center). The formats
 * below are the defaults Shopify gives a new store in that currency; any other currency gets `{{amount}}` and its code.
 */
const FORMATS: Readonly<Record<string, { money: string; withCurrency: string }>> = {
  USD: { money: "${{amount}}", withCurrency: "${{amount}} USD" },
  CAD: { money: "${{amount}}", withCurrency: "${{amount}} CAD" },
  AUD: { money: "${{amount}}", withCurrency: "${{amount}} AUD" },
  NZD: { money: "${{amount}}", withCurrency: "${{amount}} NZD" },
  EUR: { money: "€{{amount_with_comma_separator}}", withCurrency: "€{{amount_with_comma_separator}} EUR" },
  GBP: { money: "£{{amount}}", withCurrency: "£{{amount}} GBP" },
  JPY: { money: "¥{{amount_no_decimals}}", withCurrency: "¥{{amount_no_decimals}} JPY" },
  CHF: { money: "CHF {{amount}}", withCurrency: "CHF {{amount}}" },
  SEK: { money: "{{amount_no_decimals}} kr", withCurrency: "{{amount_no_decimals}} SEK" },
  DKK: { money: "{{amount_with_comma_separator}} kr", withCurrency: "{{amount_with_comma_separator}} DKK" },
  NOK: { money: "kr {{amount_with_comma_separator}}", withCurrency: "kr {{amount_with_comma_separator}} NOK" },
  INR: { money: "Rs. {{amount}}", withCurrency: "Rs. {{amount}}" },
  KWD: { money: "{{amount}} KD", withCurrency: "{{amount}} KWD" },
};

export function moneyFormats(currency: string): { money: string; withCurrency: string } {
  return FORMATS[currency] ?? { money: `{{amount}} ${currency}`, withCurrency: `{{amount}} ${currency}` };
}

/** Whole minor units of `currency` (the sandbox's records) in Liquid's hundredths. */
export function liquidCents(minor: number, currency: string): number {
  const digits = currencyDigits(currency);
  return digits === 2 ? minor : Math.round((minor * 100) / 10 ** digits);
}

function group(integer: string, separator: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

function amount(cents: number, decimals: number, thousands: string, decimal: string): string {
  const negative = cents < 0;
  const fixed = (Math.abs(cents) / 100).toFixed(decimals);
  const [integer = "0", fraction] = fixed.split(".");
  const text = group(integer, thousands) + (fraction ? decimal + fraction : "");
  return negative ? `-${text}` : text;
}

/** Fills a Shopify money format (`${{amount}}`, `€{{amount_with_comma_separator}}`...) with an amount in hundredths. */
export function formatMoney(cents: number, format: string): string {
  const value = Number.isFinite(cents) ? cents : 0;
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    switch (name) {
      case "amount":
        return amount(value, 2, ",", ".");
      case "amount_no_decimals":
        return amount(value, 0, ",", ".");
      case "amount_with_comma_separator":
        return amount(value, 2, ".", ",");
      case "amount_no_decimals_with_comma_separator":
        return amount(value, 0, ".", ",");
      case "amount_with_apostrophe_separator":
        return amount(value, 2, "'", ".");
      case "amount_no_decimals_with_space_separator":
        return amount(value, 0, " ", ".");
      case "amount_with_space_separator":
        return amount(value, 2, " ", ",");
      case "amount_with_period_and_space_separator":
        return amount(value, 2, " ", ".");
      default:
        return whole;
    }
  });
}
