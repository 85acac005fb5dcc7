import { mintSessionToken } from "../jwt";
import { normalizeShop, type ShopAddressRecord, type ThrottleOptions } from "../shops";
import type { SeedOptions } from "../store/index";
import { type ControlDeps, shopOf } from "./deps";

/** Shops, installs, session tokens and the rate limit. */
export function shopControl({ shops, ops, tokens, credentials, bulk }: ControlDeps) {
  return {
    createShop: (input: {
      shop: string;
      name?: string;
      currency?: string;
      /** The store's country (ISO 3166-1 alpha-2), "CA" by default; staff's national phone numbers are read in it. */
      country?: string;
      /** Prices include tax, as in a European shop; the rate defaults to 20% VAT then, 13% otherwise. */
      taxesIncluded?: boolean;
      taxRate?: number;
      plan?: string;
      /** Currencies shoppers may pay in and store credit may be held in, besides the store currency. */
      presentmentCurrencies?: string[];
      /** False for a shop on new customer accounts only, where account invitations are refused. */
      legacyCustomerAccounts?: boolean;
      /** False for a shop that shows no sign-in links (Liquid's shop.customer_accounts_enabled false). */
      loginLinks?: boolean;
      /** The store address (a Toronto one unless told), or null for none filled in. */
      address?: Partial<ShopAddressRecord> | null;
      throttle?: Partial<ThrottleOptions>;
    }) => {
      const shop = shops.create(input);
      return {
        shop: shop.domain,
        name: shop.name,
        currency: shop.currency,
        country: shop.country,
        taxesIncluded: shop.taxesIncluded,
      };
    },
    seed: (input: { shop: string } & SeedOptions) => {
      const shop = shops.find(normalizeShop(input.shop)) ?? shops.create({ shop: input.shop });
      const started = Date.now();
      shop.store.seed(input);
      return { shop: shop.domain, customers: input.customers, orders: input.orders, ms: Date.now() - started };
    },
    /**
     * Gives a market a domain of its own (Settings > Markets > Domains and languages): `host` loads in
     * `defaultLocale`, each alternate locale under its subfolder. Listed by `webPresences` after the primary domain.
     */
    addMarketDomain: (input: { shop: string; host: string; defaultLocale: string; alternateLocales?: string[] }) => {
      const record = shopOf(shops, input.shop);
      record.marketDomains.push({
        host: input.host,
        defaultLocale: input.defaultLocale,
        alternateLocales: input.alternateLocales ?? [],
      });
      return { shop: record.domain, marketDomains: record.marketDomains };
    },
    /** Shopify-managed install: nothing happens until the merchant opens the app, which then exchanges a token. */
    install: ({ shop }: { shop: string }) => {
      const record = shops.find(normalizeShop(shop)) ?? shops.create({ shop });
      record.installed = true;
      return { shop: record.domain, installed: true };
    },
    uninstall: ({ shop }: { shop: string }) => {
      const record = shopOf(shops, shop);
      ops.shops.uninstall(record);
      tokens.revokeShop(record.domain);
      return { shop: record.domain, installed: false };
    },
    sessionToken: ({ shop, userId }: { shop: string; userId?: string }) => {
      const record = shops.find(normalizeShop(shop)) ?? shops.create({ shop });
      return mintSessionToken({
        shop: record.domain,
        apiKey: credentials.apiKey,
        apiSecret: credentials.apiSecret,
        userId: userId ?? record.staff[0]!.id,
        sessionId: `sandbox-${record.handle}-${userId ?? record.staff[0]!.id}`,
      });
    },
    /**
     * The scopes the merchant granted (fewer than the app asks for, as optional scopes allow); access tokens issued
     * afterwards carry them, and root fields they do not cover answer ACCESS_DENIED.
     */
    setGrantedScopes: ({ shop, scopes }: { shop: string; scopes: string[] | string }) => {
      const record = shopOf(shops, shop);
      record.grantedScopes = typeof scopes === "string" ? scopes.split(",").filter(Boolean) : scopes;
      return { shop: record.domain, scopes: record.grantedScopes };
    },
    expireAccessTokens: ({ shop }: { shop: string }) => tokens.expireShop(normalizeShop(shop)),
    /** Protected customer fields the app is not approved for: the Admin API answers them null with ACCESS_DENIED. */
    withholdProtectedData: ({
      shop,
      fields,
    }: {
      shop: string;
      fields: Array<"name" | "email" | "phone" | "address">;
    }) => {
      const record = shopOf(shops, shop);
      record.withheldCustomerFields = new Set(fields);
      return { shop: record.domain, withheld: [...record.withheldCustomerFields] };
    },
    /**
     * The Admin GraphQL requests the app has sent the shop over HTTP, oldest first (the last 1,000): each one's
     * operation name and root fields (`alias: field` when aliased). Bulk operations' own reads are not requests.
     */
    adminRequests: ({ shop }: { shop: string }) => shopOf(shops, shop).adminRequests.map((r) => ({ ...r })),
    setThrottle: ({ shop, ...throttle }: { shop: string } & Partial<ThrottleOptions>) => {
      const record = shopOf(shops, shop);
      Object.assign(record.throttle, throttle);
      record.bucket = { available: record.throttle.maximumAvailable, at: Date.now() };
      return record.throttle;
    },
    /**
     * Keeps the shop's bulk queries RUNNING with nothing read (a large shop's read takes minutes on Shopify) until
     * `releaseBulkQueries`: what an app does while a long sync reads.
     */
    holdBulkQueries: ({ shop }: { shop: string }) => {
      const record = shopOf(shops, shop);
      bulk.hold(record.domain);
      return { shop: record.domain, held: true };
    },
    releaseBulkQueries: ({ shop }: { shop: string }) => {
      const record = shopOf(shops, shop);
      bulk.release(record.domain);
      return { shop: record.domain, held: false };
    },
    /** Changes the store's details as a merchant does in Settings (currency, time zone, name, country): shop/update. */
    updateShop: (input: { shop: string; currency?: string; timezone?: string; name?: string; country?: string }) => {
      const { shop, ...change } = input;
      return ops.shops.update(shopOf(shops, shop), change);
    },
    /**
     * Settings > Customer accounts as the merchant changes them: classic (`legacyCustomerAccounts`) or new customer
     * accounts, sign-in links shown or not (`loginLinks`). Liquid and `customerAccountsV2` read it at once; Shopify
     * sends no webhook for it, so neither does the sandbox.
     */
    setCustomerAccounts: (input: { shop: string; legacyCustomerAccounts?: boolean; loginLinks?: boolean }) => {
      const record = shopOf(shops, input.shop);
      if (input.legacyCustomerAccounts !== undefined) record.legacyCustomerAccounts = input.legacyCustomerAccounts;
      if (input.loginLinks !== undefined) record.loginLinks = input.loginLinks;
      return {
        shop: record.domain,
        legacyCustomerAccounts: record.legacyCustomerAccounts,
        loginLinks: record.loginLinks,
      };
    },
    redactShop: ({ shop }: { shop: string }) => ops.shops.compliance(shopOf(shops, shop), "shop/redact").length,
  };
}
