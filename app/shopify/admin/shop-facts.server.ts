import type { StorefrontRoot } from "~/domain/shared";
import { adminRequest, isAccessDenied, type AdminGraphql } from "./graphql.server";

const SHOP_FACTS = `#graphql
  query TallyShopFacts {
    shop {
      name
      currencyCode
      ianaTimezone
      currencyFormats { moneyFormat moneyWithCurrencyFormat }
      shopAddress { countryCodeV2 }
      customerAccountsV2 { customerAccountsVersion loginLinksVisibleOnStorefrontAndCheckout }
    }
  }
`;

// The online store's root URL per web presence and locale (Markets' domains and subfolders). A shop has a handful of
// presences (one per market with its own domain or subfolder): 25 keeps the query's cost low on every token exchange.
const STOREFRONT_ROOTS = `#graphql
  query TallyStorefrontRoots {
    shop { primaryDomain { host } }
    webPresences(first: 25) {
      nodes {
        domain { host }
        defaultLocale { locale }
        rootUrls { locale url }
      }
    }
  }
`;

/**
 * The online store's root URLs (decision 051): the primary domain's presence first with its default locale first, so
 * the list's first root is the store's primary one; then the other presences in Shopify's order, each default locale
 * first. Null when Shopify withholds them (`read_markets` not granted yet): emails then keep the unprefixed link.
 */
export async function fetchStorefrontRoots(graphql: AdminGraphql): Promise<StorefrontRoot[] | null> {
  let data;
  try {
    data = await adminRequest(graphql, STOREFRONT_ROOTS);
  } catch (error) {
    if (isAccessDenied(error)) return null;
    throw error;
  }
  if (!data.webPresences) return null;
  const primaryHost = data.shop.primaryDomain.host;
  const presences = [...data.webPresences.nodes].sort(
    (a, b) => Number(b.domain?.host === primaryHost) - Number(a.domain?.host === primaryHost),
  );
  return presences.flatMap((presence) =>
    [...presence.rootUrls]
      .sort(
        (a, b) =>
          Number(b.locale === presence.defaultLocale.locale) - Number(a.locale === presence.defaultLocale.locale),
      )
      .map((root) => ({ locale: root.locale, url: String(root.url) })),
  );
}

/**
 * The shop facts Tally keeps (decision 008): its currency, which points are earned in, time zone and name, and its
 * money formats, which the storefront writes amounts with (decision 041), and its country, where staff's national
 * phone numbers are read (decision 053; `shopAddress`, since `billingAddress` is deprecated from 2026-01 with the same
 * values), and how its customers sign in (`customerAccountsV2`: classic or new customer accounts, login links shown or
 * not), which the points reminder's Guest link follows (decision 064); no webhook carries it, so this read is its only
 * source.
 */
export async function fetchShopFacts(graphql: AdminGraphql): Promise<{
  currency: string;
  timezone: string | null;
  name: string | null;
  moneyFormat: string;
  moneyWithCurrencyFormat: string;
  country: string | null;
  customerAccountsVersion: string;
  loginLinksVisible: boolean;
}> {
  const { shop } = await adminRequest(graphql, SHOP_FACTS);
  return {
    currency: shop.currencyCode,
    timezone: shop.ianaTimezone,
    name: shop.name,
    moneyFormat: shop.currencyFormats.moneyFormat,
    moneyWithCurrencyFormat: shop.currencyFormats.moneyWithCurrencyFormat,
    country: shop.shopAddress.countryCodeV2 ?? null,
    customerAccountsVersion: shop.customerAccountsV2.customerAccountsVersion,
    loginLinksVisible: shop.customerAccountsV2.loginLinksVisibleOnStorefrontAndCheckout,
  };
}
