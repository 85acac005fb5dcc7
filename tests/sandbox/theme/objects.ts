import { Drop, type Context } from "liquidjs";
import { gid } from "../ids";
import type { ShopRecord } from "../shops";
import { CATALOG, type CustomerRecord, type MetafieldRecord, type OrderRecord } from "../store/index";
import { liquidCents } from "./money-format";

/**
 * Shopify's Liquid objects (shopify.dev, Liquid API reference: objects) built from the sandbox's records. Money is in
 * Liquid's hundredths (money-format.ts), ids are digit strings (18-digit ids do not fit a JS number).
 */

const LANGUAGE_NAMES: Readonly<Record<string, [string, string]>> = {
  en: ["English", "English"],
  fr: ["French", "français"],
  de: ["German", "Deutsch"],
  es: ["Spanish", "Español"],
  it: ["Italian", "Italiano"],
  nl: ["Dutch", "Nederlands"],
  pt: ["Portuguese", "Português"],
  "pt-br": ["Portuguese (Brazil)", "Português (Brasil)"],
  ja: ["Japanese", "日本語"],
};

/** Shopify's `shop_locale`; printed alone it shows its ISO code. */
export class ShopLocaleDrop extends Drop {
  readonly name: string;
  readonly endonym_name: string;
  constructor(
    readonly iso_code: string,
    readonly primary: boolean,
    readonly root_url: string,
  ) {
    super();
    [this.name, this.endonym_name] = LANGUAGE_NAMES[iso_code.toLowerCase()] ?? [iso_code, iso_code];
  }
  override valueOf() {
    return this.iso_code;
  }
  toJSON() {
    return { iso_code: this.iso_code, name: this.name, endonym_name: this.endonym_name, primary: this.primary };
  }
}

/** The locales a shop publishes: its primary one, then the others (`/fr` ...). */
export interface ShopLocales {
  primary: string;
  published: string[];
}

/** `/` for the primary locale, `/fr` for another (shopify.dev, `routes.root_url`). */
export const localeRoot = (locales: ShopLocales, iso: string) => (iso === locales.primary ? "/" : `/${iso}`);
/** Where a storefront path starts for a locale: "" for the primary locale, `/fr` otherwise. */
export const localePrefix = (locales: ShopLocales, iso: string) => (iso === locales.primary ? "" : `/${iso}`);

export function shopLocales(locales: ShopLocales): ShopLocaleDrop[] {
  return locales.published.map((iso) => new ShopLocaleDrop(iso, iso === locales.primary, localeRoot(locales, iso)));
}

/** What Liquid's `routes` says of customer accounts depends on: the shop's kind of accounts, the shopper and the page. */
export interface AccountRoutesContext {
  /** Classic (legacy) customer accounts; false for new customer accounts. */
  legacyCustomerAccounts: boolean;
  /** The shopper's locale (`fr`) and country (`CA`). */
  locale: string;
  country: string;
  /** The page asked for, path and query (`/fr/apps/tally/?x=1`). */
  here: string;
}

/**
 * Liquid's `routes`, for the shopper's locale (shopify.dev, Liquid objects: routes). `storefront_login_url` is
 * Shopify's customer accounts login page, "Redirects to the storefront page the customer was on": it carries the page
 * as `return_to` with the shopper's `locale`, as Shopify renders it (`window.Shopify.routes` on a live shop:
 * `/customer_authentication/login?return_to=%2F...&locale=en`). On new customer accounts the account login and register
 * routes "redirect to customer accounts": they point at `/customer_authentication/redirect?locale&region_country`, as
 * live shops' headers do, and land the shopper on her account.
 */
export function routesObject(prefix: string, accounts: AccountRoutesContext) {
  const query = `locale=${encodeURIComponent(accounts.locale)}`;
  const customerAccounts = `/customer_authentication/redirect?${query}&region_country=${encodeURIComponent(accounts.country)}`;
  return {
    root_url: prefix || "/",
    account_url: `${prefix}/account`,
    account_login_url: accounts.legacyCustomerAccounts ? `${prefix}/account/login` : customerAccounts,
    account_logout_url: `${prefix}/account/logout`,
    account_register_url: accounts.legacyCustomerAccounts ? `${prefix}/account/register` : customerAccounts,
    storefront_login_url: `/customer_authentication/login?return_to=${encodeURIComponent(accounts.here)}&${query}`,
    account_addresses_url: `${prefix}/account/addresses`,
    account_recover_url: `${prefix}/account/recover`,
    collections_url: `${prefix}/collections`,
    all_products_collection_url: `${prefix}/collections/all`,
    search_url: `${prefix}/search`,
    predictive_search_url: `${prefix}/search/suggest`,
    cart_url: `${prefix}/cart`,
    cart_add_url: `${prefix}/cart/add`,
    cart_change_url: `${prefix}/cart/change`,
    cart_clear_url: `${prefix}/cart/clear`,
    cart_update_url: `${prefix}/cart/update`,
    product_recommendations_url: `${prefix}/recommendations/products`,
  };
}

export const productHandle = (index: number) =>
  CATALOG[index]!.title.toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

export const productIndexByHandle = (handle: string) =>
  CATALOG.findIndex((_, index) => productHandle(index) === handle);

/** Which app a render belongs to, so `$app` namespaces resolve only inside that app's own blocks. */
export interface AppIdentity {
  /** The app's numeric id: its reserved namespace is `app--{id}` (shopify.dev, "Ownership"). */
  appId: string;
  /** True when the Liquid being rendered is one of the app's theme app extension blocks. */
  isAppContext(ctx: Context): boolean;
}

function metafieldValue(m: MetafieldRecord): unknown {
  if (m.type === "number_integer" || m.type === "number_decimal") return Number(m.value);
  if (m.type === "boolean") return m.value === "true";
  if (m.type === "json" || m.type.startsWith("list.") || m.type === "money" || m.type === "rating") {
    try {
      return JSON.parse(m.value) as unknown;
    } catch {
      return m.value;
    }
  }
  return m.value;
}

/** A metafield in Liquid: `{{ m }}` prints its value, `m.value` is typed, `m.type` its type. */
export class MetafieldDrop extends Drop {
  readonly type: string;
  readonly value: unknown;
  constructor(record: MetafieldRecord) {
    super();
    this.type = record.type;
    this.value = metafieldValue(record);
  }
  override valueOf() {
    return this.value;
  }
  toJSON() {
    return this.value;
  }
}

class MetafieldNamespaceDrop extends Drop {
  constructor(private readonly records: MetafieldRecord[]) {
    super();
  }
  override liquidMethodMissing(key: string) {
    const found = this.records.find((m) => m.key === key);
    return found ? new MetafieldDrop(found) : undefined;
  }
}

/**
 * `resource.metafields.namespace.key`. The app's own `$app` namespace is `app--{appId}` in Liquid (and
 * `$app:sub` is `app--{appId}--sub`); inside the app's own extension blocks `$app` names it too.
 */
export class MetafieldsDrop extends Drop {
  constructor(
    private readonly all: () => readonly MetafieldRecord[],
    private readonly ownerGid: string,
    private readonly app: AppIdentity,
  ) {
    super();
  }
  override liquidMethodMissing(namespace: string, ctx: Context) {
    const reserved = `app--${this.app.appId}`;
    let stored = namespace;
    if (namespace === reserved) stored = "$app";
    else if (namespace.startsWith(`${reserved}--`)) stored = `$app:${namespace.slice(reserved.length + 2)}`;
    else if (namespace.startsWith("$app") && !this.app.isAppContext(ctx)) return undefined;
    const records = this.all().filter((m) => m.ownerGid === this.ownerGid && m.namespace === stored);
    return records.length ? new MetafieldNamespaceDrop(records) : undefined;
  }
}

export function productObject(shop: ShopRecord, index: number, prefix: string, app: AppIdentity) {
  const p = CATALOG[index]!;
  const handle = productHandle(index);
  const price = liquidCents(p.cents, shop.currency);
  const id = shop.store.id("Product", index);
  const image = { src: `/cdn/shop/files/${handle}.svg`, alt: p.title, width: 800, height: 800, aspect_ratio: 1 };
  const variant = {
    id: shop.store.id("ProductVariant", index),
    title: "Default Title",
    price,
    compare_at_price: null,
    available: true,
    sku: p.sku,
    requires_shipping: !p.giftCard,
    url: `${prefix}/products/${handle}?variant=${shop.store.id("ProductVariant", index)}`,
  };
  return {
    id,
    title: p.title,
    handle,
    url: `${prefix}/products/${handle}`,
    type: p.giftCard ? "Gift card" : "Goods",
    vendor: shop.name,
    gift_card: Boolean(p.giftCard),
    available: true,
    price,
    price_min: price,
    price_max: price,
    price_varies: false,
    compare_at_price: null,
    description: `<p>${p.title}, from ${shop.name}.</p>`,
    featured_image: image,
    images: [image],
    media: [],
    tags: [],
    options: ["Title"],
    has_only_default_variant: true,
    variants: [variant],
    first_available_variant: variant,
    selected_or_first_available_variant: variant,
    metafields: new MetafieldsDrop(() => shop.store.metafields, gid("Product", id), app),
  };
}

export function orderObject(shop: ShopRecord, o: OrderRecord, prefix: string) {
  const cents = (minor: number) => liquidCents(minor, o.currency ?? shop.currency);
  return {
    id: o.id,
    name: `#${o.number}`,
    order_number: o.number,
    created_at: o.createdAt,
    email: o.email,
    financial_status: o.financialStatus.toLowerCase(),
    financial_status_label: o.financialStatus.replace(/_/g, " ").toLowerCase(),
    fulfillment_status: o.fulfillmentStatus.toLowerCase(),
    cancelled: o.cancelledAt !== null,
    subtotal_price: cents(o.subtotalCents),
    total_discounts: cents(o.discountCents),
    total_price: cents(o.totalCents),
    total_refunded_amount: cents(o.refundedCents),
    tax_price: cents(o.taxCents),
    shipping_price: cents(o.shippingCents - (o.shippingDiscountCents ?? 0)),
    discount_codes: o.discountCodes.map((d) => ({ code: d.code, amount: cents(d.amountCents) })),
    // The sale transactions, store credit first (seeded orders record none).
    transactions: (o.payments ?? []).map((p) => ({
      id: p.transactionId,
      kind: "sale",
      status: "success",
      gateway: p.gateway,
      amount: cents(p.amountCents),
    })),
    line_items: o.lines.map((l) => ({
      title: l.title,
      quantity: l.quantity,
      sku: l.sku,
      final_line_price: cents(l.unitCents * l.quantity - (l.discountCents ?? 0)),
    })),
    customer_url: `${prefix}/account/orders/${o.id}`,
  };
}

/** Liquid's `customer` for the signed-in shopper. */
export class CustomerDrop extends Drop {
  constructor(
    private readonly shop: ShopRecord,
    private readonly c: CustomerRecord,
    private readonly prefix: string,
    private readonly app: AppIdentity,
    /**
     * The customer's store credit in the currency the storefront presents (the shop's: the sandbox sells in no other
     * market), minor units; null without an account in it.
     */
    private readonly storeCreditCents: (customerId: string) => number | null = () => null,
  ) {
    super();
  }
  get id() {
    return this.c.id;
  }
  /**
   * The account in the currency of the shopper's context, nil without one even when she holds credit in another
   * (shopify.dev, `customer.store_credit_account`); `balance` in hundredths of a unit whatever the currency's exponent
   * (1,000 yen is 100000).
   */
  get store_credit_account() {
    const cents = this.storeCreditCents(this.c.id);
    return cents === null ? null : { balance: liquidCents(cents, this.shop.currency) };
  }
  get email() {
    return this.c.email;
  }
  get first_name() {
    return this.c.firstName;
  }
  get last_name() {
    return this.c.lastName;
  }
  get name() {
    return [this.c.firstName, this.c.lastName].filter(Boolean).join(" ") || this.c.email;
  }
  get phone() {
    return this.c.phone;
  }
  get accepts_marketing() {
    return this.c.marketing.state === "SUBSCRIBED";
  }
  get email_marketing_subscription_status() {
    return this.c.marketing.state.toLowerCase();
  }
  get has_account() {
    return this.c.state === "ENABLED";
  }
  get tags() {
    return this.c.tags;
  }
  get tax_exempt() {
    return this.c.taxExempt;
  }
  get orders_count() {
    return this.shop.store.orders.statsOf(this.c.index).count;
  }
  get total_spent() {
    return liquidCents(this.shop.store.orders.statsOf(this.c.index).spentCents, this.shop.currency);
  }
  get orders() {
    return this.shop.store.orders
      .indexesOf(this.c.index)
      .map((i) => this.shop.store.orders.find(i))
      .filter((o): o is OrderRecord => o !== undefined)
      .reverse()
      .map((o) => orderObject(this.shop, o, this.prefix));
  }
  get last_order() {
    return this.orders[0] ?? null;
  }
  get default_address() {
    const a = this.c.address;
    return a
      ? {
          first_name: a.firstName,
          last_name: a.lastName,
          address1: a.address1,
          address2: a.address2,
          city: a.city,
          province: a.province,
          province_code: a.provinceCode,
          country: a.country,
          country_code: a.countryCode,
          zip: a.zip,
          phone: a.phone,
          company: a.company,
        }
      : null;
  }
  get addresses_count() {
    return this.c.address ? 1 : 0;
  }
  get metafields() {
    return new MetafieldsDrop(() => this.shop.store.metafields, gid("Customer", this.c.id), this.app);
  }
  toJSON() {
    return { id: this.c.id, email: this.c.email, first_name: this.c.firstName, last_name: this.c.lastName };
  }
}
