import type { StaffUser } from "./auth";
import { ShopStore } from "./store/index";
import { countryName } from "./payloads";

export interface ThrottleOptions {
  maximumAvailable: number;
  restoreRate: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { maximumAvailable: 2000, restoreRate: 100 };

/** Settings › Store details › Store address (Admin API Shop.shopAddress); all null when the merchant left it empty. */
export interface ShopAddressRecord {
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  zip: string | null;
  country: string | null;
  countryCode: string | null;
}

export const EMPTY_SHOP_ADDRESS: ShopAddressRecord = {
  company: null,
  address1: null,
  address2: null,
  city: null,
  province: null,
  provinceCode: null,
  zip: null,
  country: null,
  countryCode: null,
};

/** A store address in `country` (ISO 3166-1 alpha-2): a Toronto one in Canada, only the country elsewhere. */
export function addressIn(country: string): ShopAddressRecord {
  if (country === "CA") {
    return {
      company: null,
      address1: "220 King St W",
      address2: null,
      city: "Toronto",
      province: "Ontario",
      provinceCode: "ON",
      zip: "M5H 1K4",
      country: "Canada",
      countryCode: "CA",
    };
  }
  return { ...EMPTY_SHOP_ADDRESS, country: countryName(country), countryCode: country };
}

export interface ShopRecord {
  domain: string;
  handle: string;
  name: string;
  number: number;
  numericId: string;
  currency: string;
  /** IANA time zone. */
  timezone: string;
  /** The store's country (Settings > Store details > address), ISO 3166-1 alpha-2: "CA" unless created otherwise. */
  country: string;
  /** Prices include tax (most of Europe): Shopify's `taxes_included` on the shop's orders. */
  taxesIncluded: boolean;
  /** The one tax rate the sandbox charges on goods (0.13, or 0.20 for a VAT shop). */
  taxRate: number;
  plan: string;
  email: string;
  /** The store address buyers see (and the emails' footer gives); a Toronto one unless told. */
  address: ShopAddressRecord;
  /** Currencies shoppers may pay in and store credit may be held in: the store currency first. */
  presentmentCurrencies: string[];
  /** Legacy (classic) customer accounts, where account invitations work; false for new customer accounts only. */
  legacyCustomerAccounts: boolean;
  /**
   * Settings > Customer accounts > sign-in links shown in the online store (true unless created otherwise): Liquid's
   * `shop.customer_accounts_enabled`, "true if the store shows a login link" (shopify.dev, Liquid objects: shop).
   */
  loginLinks: boolean;
  /** The scopes the merchant granted, when fewer than shopify.app.toml asks for; tokens issued after carry these. */
  grantedScopes?: string[];
  installed: boolean;
  staff: StaffUser[];
  store: ShopStore;
  bucket: { available: number; at: number };
  throttle: ThrottleOptions;
  /**
   * Markets web presences on a domain of their own (Settings > Markets > a market's domain: "example.fr" in French),
   * besides the primary domain's presence, whose locales are the online store's published ones. None by default.
   */
  marketDomains: MarketDomainRecord[];
  /** Protected customer fields Shopify has not approved the app for in this shop; none by default. */
  withheldCustomerFields: Set<"name" | "email" | "phone" | "address">;
  /** The Admin GraphQL requests the app sent this shop over HTTP, oldest first (the last 1,000). */
  adminRequests: AdminRequestRecord[];
}

/** A market's own domain: its host, the locale its root loads in, and its other locales (each a subfolder). */
export interface MarketDomainRecord {
  host: string;
  defaultLocale: string;
  alternateLocales: string[];
}

/** One Admin GraphQL request as the sandbox received it: its operation's name and its root fields by response key. */
export interface AdminRequestRecord {
  operationName: string | null;
  /** Each root field as `alias: field` when aliased, else `field`, in the document's order. */
  rootFields: string[];
}

const DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export function normalizeShop(input: string): string {
  const shop = input.trim().toLowerCase();
  const domain = shop.includes(".") ? shop : `${shop}.myshopify.com`;
  if (!DOMAIN.test(domain)) throw new Error(`Not a shop domain: ${input}`);
  return domain;
}

export class ShopDirectory {
  private readonly shops = new Map<string, ShopRecord>();
  private count = 0;

  constructor(private readonly throttle: ThrottleOptions) {}

  find(domain: string) {
    return this.shops.get(domain);
  }

  get(domain: string): ShopRecord {
    const shop = this.shops.get(domain);
    if (!shop) throw new Error(`Unknown shop ${domain}; create it first`);
    return shop;
  }

  all() {
    return [...this.shops.values()];
  }

  create(input: {
    shop: string;
    name?: string;
    currency?: string;
    country?: string;
    taxesIncluded?: boolean;
    taxRate?: number;
    plan?: string;
    presentmentCurrencies?: string[];
    legacyCustomerAccounts?: boolean;
    loginLinks?: boolean;
    /** The store address, or null for a shop whose merchant filled in none. */
    address?: Partial<ShopAddressRecord> | null;
    throttle?: Partial<ThrottleOptions>;
  }): ShopRecord {
    const domain = normalizeShop(input.shop);
    const existing = this.shops.get(domain);
    if (existing) return existing;
    const number = ++this.count;
    const handle = domain.replace(/\.myshopify\.com$/, "");
    const currency = input.currency ?? "CAD";
    const throttle = { ...this.throttle, ...input.throttle };
    const record: ShopRecord = {
      domain,
      handle,
      name: input.name ?? handle.replace(/-/g, " ").replace(/\b\w/g, (c) => c.toUpperCase()),
      number,
      numericId: String(60_000_000_000 + number),
      currency,
      timezone: "America/Toronto",
      country: input.country ?? "CA",
      taxesIncluded: input.taxesIncluded ?? false,
      taxRate: input.taxRate ?? (input.taxesIncluded ? 0.2 : 0.13),
      plan: input.plan ?? "Basic",
      email: `owner@${handle}.example.com`,
      address:
        input.address === null ? { ...EMPTY_SHOP_ADDRESS } : { ...addressIn(input.country ?? "CA"), ...input.address },
      presentmentCurrencies: [...new Set([currency, ...(input.presentmentCurrencies ?? [])])],
      legacyCustomerAccounts: input.legacyCustomerAccounts ?? true,
      loginLinks: input.loginLinks ?? true,
      installed: false,
      staff: [
        {
          id: String(90_000_000_000 + number * 10 + 1),
          firstName: "Sam",
          lastName: "Owner",
          email: `sam@${handle}.example.com`,
          accountOwner: true,
        },
        {
          id: String(90_000_000_000 + number * 10 + 2),
          firstName: "Riley",
          lastName: "Staff",
          email: `riley@${handle}.example.com`,
          accountOwner: false,
        },
      ],
      store: new ShopStore(number, currency),
      bucket: { available: throttle.maximumAvailable, at: Date.now() },
      throttle,
      marketDomains: [],
      withheldCustomerFields: new Set(),
      adminRequests: [],
    };
    this.shops.set(domain, record);
    return record;
  }
}
