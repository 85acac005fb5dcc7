import { z } from "zod";

/*
 * Where a customer's links start: the online store's root URL in their language (decision 051, "Emails link to the
 * customer's storefront"). Shopify lists a root URL per web presence and locale (Admin API `webPresences`,
 * `MarketWebPresence.rootUrls { locale url }`: "https://example.com", "https://example.com/fr", a Markets domain
 * "https://example.fr"), and each customer has a `locale` ("fr", "fr-CA"). The shop's list is read with its facts
 * (install and every reconciliation), never per email.
 */

/** One root URL of the online store: the locale it loads in ("fr", "pt-BR") and its URL, without a trailing slash. */
export const storefrontRootSchema = z.object({ locale: z.string().min(2), url: z.url({ protocol: /^https?$/ }) });
export type StorefrontRoot = z.infer<typeof storefrontRootSchema>;

/**
 * The shop's root URLs as Tally keeps them: the primary domain's default locale first (the fallback), then the rest of
 * the primary domain's presence, then the other presences in Shopify's order.
 */
export const storefrontRootsSchema = z.array(storefrontRootSchema);

/** "fr-ca", "fr_CA" and "FR-CA" name one locale. */
const normalized = (locale: string) => locale.trim().replace(/_/g, "-").toLowerCase();
const language = (locale: string) => normalized(locale).split("-")[0]!;

/** Whether `a` and `b` name one locale whatever their case or separator ("fr_CA", "FR-ca", "fr-CA"). */
export const sameLocale = (a: string, b: string) => normalized(a) === normalized(b);
const trimmed = (url: string) => url.replace(/\/+$/, "");

/**
 * The root URL for a customer's locale: the root of exactly that locale ("fr-CA"), else of its language alone ("fr",
 * as Shopify falls back from a regional locale to its language), else the primary root (`roots[0]`). The first match
 * in `roots`' order wins, so the primary domain's "/fr" is preferred to another presence's French. Null when the
 * shop's roots are unknown (never read, or Shopify withheld them): the caller keeps its unprefixed link.
 */
export function storefrontRootFor(
  roots: readonly StorefrontRoot[] | null | undefined,
  customerLocale: string | null | undefined,
): string | null {
  if (!roots || roots.length === 0) return null;
  return trimmed((closestLocale(roots, (root) => root.locale, customerLocale) ?? roots[0]!).url);
}

/**
 * The first of `items` whose locale (`localeOf`) is exactly `customerLocale` ("fr-CA"), else the first in its language
 * alone ("fr", as Shopify falls back from a regional locale to its language); undefined when neither is there or the
 * customer's locale is blank. Locales compare as one whatever their case or separator ("fr_CA", "FR-ca").
 */
export function closestLocale<T>(
  items: readonly T[],
  localeOf: (item: T) => string,
  customerLocale: string | null | undefined,
): T | undefined {
  if (!customerLocale?.trim()) return undefined;
  const wanted = normalized(customerLocale);
  return (
    items.find((item) => normalized(localeOf(item)) === wanted) ??
    items.find((item) => normalized(localeOf(item)) === language(wanted))
  );
}

/**
 * The storefront's languages other than its primary one, as locales ("fr", "pt-BR"), each once, in the roots' order:
 * what a merchant can translate a customer-facing text into (decision 057). Empty for a single-language shop or roots
 * never read.
 */
export function storefrontTranslationLocales(roots: readonly StorefrontRoot[] | null | undefined): string[] {
  if (!roots || roots.length === 0) return [];
  const primary = normalized(roots[0]!.locale);
  const seen = new Set([primary]);
  const locales: string[] = [];
  for (const root of roots) {
    const key = normalized(root.locale);
    if (seen.has(key)) continue;
    seen.add(key);
    locales.push(root.locale.trim().replace(/_/g, "-"));
  }
  return locales;
}

/** The locale's language in English, as a merchant's admin names it ("fr" → "French", "pt-BR" → "Brazilian Portuguese"). */
export function localeName(locale: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(locale.replace(/_/g, "-")) ?? locale;
  } catch {
    return locale;
  }
}

/**
 * The locale's English name when it names a language ("it" → "Italian", "pt-BR" → "Brazilian Portuguese"); undefined
 * for text that is no language tag, or a tag of no known language ("zz", "it please"), where `localeName` would give
 * back the text itself.
 */
export function knownLocaleName(locale: string): string | undefined {
  try {
    return new Intl.DisplayNames(["en"], { type: "language", fallback: "none" }).of(locale.replace(/_/g, "-"));
  } catch {
    return undefined;
  }
}

/**
 * How a shop's customers make an account, from Shopify's `shop.customerAccountsV2` (decision 064):
 * "classic" (the theme's login and register pages), "new" (new customer accounts: passwordless sign-in by an emailed
 * code, a first sign-in makes the account) or "off" (the storefront shows no login links: the merchant turned
 * customer accounts off). A shop whose settings were never read is "classic", as Tally assumed before.
 */
export type CustomerAccountsKind = "classic" | "new" | "off";

/**
 * The kind of customer accounts `customerAccountsV2` describes: `loginLinksVisible` false → "off" whatever the
 * version (Shopify's "Login links are shown in online store and checkout"); `version` "NEW_CUSTOMER_ACCOUNTS" →
 * "new"; anything else, or null (never read), → "classic".
 */
export function customerAccountsKind(
  version: string | null | undefined,
  loginLinksVisible: boolean | null | undefined,
): CustomerAccountsKind {
  if (loginLinksVisible === false) return "off";
  return version === "NEW_CUSTOMER_ACCOUNTS" ? "new" : "classic";
}

/**
 * Where an email sends a Guest to make an account and come back to `page` (the rewards page, an absolute URL on the
 * storefront at `root`): on classic accounts the register page that returns there (accountRegisterUrl); on new
 * customer accounts `page` itself, whose Join signs in through `routes.storefront_login_url` and comes back (Shopify
 * documents no URL a server can build for that sign-in: decision 064); with login links off `page` too, which says
 * in the shopper's language that the store does not offer sign-in (decision 063). Only "classic" is a register page.
 */
export function guestAccountUrl(kind: CustomerAccountsKind, root: string, page: string): string {
  return kind === "classic" ? accountRegisterUrl(root, page) : page;
}

/**
 * The storefront's classic account registration page that brings the new account back to `page` (an absolute URL on
 * that storefront, the rewards page): `{root}/account/register?return_url={page's path and query}`, as the widget's
 * Join does (decision 060). The page's `create_customer` form carries `return_url`, which Shopify follows only to a
 * path on the shop, hence no origin. A shop on new customer accounts sends /account/register on to its own sign-in,
 * which does not come back: guestAccountUrl chooses by the kind of accounts (decision 064).
 */
export function accountRegisterUrl(root: string, page: string): string {
  const { pathname, search } = new URL(page);
  return `${trimmed(root)}/account/register?return_url=${encodeURIComponent(pathname + search)}`;
}
